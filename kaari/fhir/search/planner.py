"""Turn a parsed search into SQL over `fhir_resource r`, with index sub-queries per filter.

Every scan of `fhir_resource` (the match itself, each chained target, each `_has` source) is aliased `r`
and carries the caller's restriction, so a resource the caller may not see neither appears nor steers a
result. Each filter is `r.id IN (SELECT resource_id FROM <index> ...)`, which both databases turn into a
semi-join and order by selectivity.
"""

from __future__ import annotations

from collections.abc import Sequence

from kaari.fhir.search.query import ChainFilter, Filter, HasFilter, MissingFilter, ParamFilter, SearchQuery
from kaari.fhir.search.registry import resource_parameters
from kaari.fhir.search.sql import TRUE, Restriction, SqlFragment, sql_all, sql_any, sql_in
from kaari.fhir.search.types.reference import ReferenceValue
from kaari.fhir.spec import patient_compartment_params, type_definitions


def resource_scope(resource_types: Sequence[str], restriction: Restriction) -> SqlFragment:
    """Live resources of these types that the caller may see."""
    parts = [sql_in("r.resource_type", resource_types), SqlFragment("NOT r.deleted")]
    condition = restriction(resource_types[0] if len(resource_types) == 1 else None)
    if condition is not None:
        parts.append(condition.wrap("(", ")"))
    return sql_all(parts)


def filter_sql(
    item: Filter,
    resource_types: Sequence[str],
    restriction: Restriction,
    compartment: str | None = None,
) -> SqlFragment:
    if isinstance(item, ParamFilter):
        return item.param.type.filter(item.param, item.modifier, list(item.values), list(resource_types), compartment)
    if isinstance(item, MissingFilter):
        return item.param.type.missing(item.param, item.missing, list(resource_types))
    if isinstance(item, ChainFilter):
        return _chain_sql(item, resource_types, restriction)
    return _has_sql(item, resource_types, restriction)


def filter_candidates(
    item: Filter, resource_types: Sequence[str], restriction: Restriction, compartment: str | None = None
) -> SqlFragment | None:
    """A SELECT of the keys of the resources the filter admits, when it is positive; else None."""
    if isinstance(item, ParamFilter):
        return item.param.type.candidates(
            item.param, item.modifier, list(item.values), list(resource_types), compartment
        )
    if isinstance(item, ChainFilter):
        return _chain_candidates(item, resource_types, restriction)
    return None


def _chain_sql(item: ChainFilter, resource_types: Sequence[str], restriction: Restriction) -> SqlFragment:
    return _chain_candidates(item, resource_types, restriction).wrap("r.id IN (", ")")


def _chain_candidates(item: ChainFilter, resource_types: Sequence[str], restriction: Restriction) -> SqlFragment:
    targets = item.target_types
    inner = sql_all([resource_scope(targets, restriction), filter_sql(item.inner, targets, restriction)])
    if len(targets) == 1:
        target_match = inner.wrap(
            "x.target_type = %s AND x.target_id IN (SELECT r.logical_id FROM fhir_resource r WHERE ", ")"
        )
        target_match = SqlFragment(target_match.sql, (targets[0], *target_match.params))
    else:
        target_match = inner.wrap(
            "(x.target_type, x.target_id) IN (SELECT r.resource_type, r.logical_id FROM fhir_resource r WHERE ", ")"
        )
    scope = sql_all(
        [
            sql_in("x.resource_type", resource_types),
            item.param.rows_scope("x"),
            SqlFragment("x.url = ''"),
            target_match,
        ]
    )
    return scope.wrap("SELECT x.resource_id FROM fhir_idx_reference x WHERE ")


def _has_sql(item: HasFilter, resource_types: Sequence[str], restriction: Restriction) -> SqlFragment:
    sources = sql_all(
        [resource_scope([item.source_type], restriction), filter_sql(item.inner, [item.source_type], restriction)]
    )
    references = sql_all(
        [
            SqlFragment("x.resource_type = %s AND x.url = ''", (item.source_type,)),
            item.param.rows_scope("x"),
            sources.wrap("x.resource_id IN (SELECT r.id FROM fhir_resource r WHERE ", ")"),
        ]
    )
    if len(resource_types) == 1:
        scoped = sql_all([SqlFragment("x.target_type = %s", (resource_types[0],)), references])
        return scoped.wrap("r.logical_id IN (SELECT x.target_id FROM fhir_idx_reference x WHERE ", ")")
    return references.wrap(
        "(r.resource_type, r.logical_id) IN (SELECT x.target_type, x.target_id FROM fhir_idx_reference x WHERE ", ")"
    )


def compartment_sql(resource_types: Sequence[str], compartment: tuple[str, str]) -> SqlFragment:
    """Resources of these types in the compartment: referring to it through a compartment parameter."""
    kind, owner = compartment
    if kind != "Patient":
        raise ValueError("only Patient compartments are defined")
    alternatives = []
    for resource_type in resource_types:
        if resource_type == "Patient":
            alternatives.append(SqlFragment("(r.resource_type = 'Patient' AND r.logical_id = %s)", (owner,)))
        references = compartment_references(resource_type)
        if references is None:
            continue
        references = sql_all(
            [
                SqlFragment("x.resource_type = %s", (resource_type,)),
                references,
                SqlFragment("x.target_type = 'Patient' AND x.target_id = %s AND x.url = ''", (owner,)),
            ]
        )
        alternatives.append(references.wrap("r.id IN (SELECT x.resource_id FROM fhir_idx_reference x WHERE ", ")"))
    return sql_any(alternatives)


def compartment_references(resource_type: str) -> SqlFragment | None:
    """Index rows (aliased `x`) of the parameters that put a `resource_type` in a Patient compartment."""
    supported = resource_parameters(resource_type).supported
    chosen = [supported[c] for c in patient_compartment_params().get(resource_type, ()) if c in supported]
    return sql_any(p.rows_scope("x") for p in chosen) if chosen else None


def implied_compartment(query: SearchQuery) -> str | None:
    """The Patient every match must have as its `compartment` column, when the filters imply one.

    The store records the first Patient compartment of a resource. When the first compartment parameter of
    the searched type holds at most one reference and the search requires it to be Patient/X (directly or
    through the `patient` parameter that narrows the same element), every match has compartment X. Saying so
    lets the index sub-queries start from the patient-scoped composite indexes.
    """
    if len(query.resource_types) != 1:
        return None
    resource_type = query.resource_types[0]
    codes = patient_compartment_params().get(resource_type, ())
    if not codes:
        return None
    supported = resource_parameters(resource_type).supported
    first = supported.get(codes[0])
    if first is None or not _single_valued(first.branch):
        return None
    element = _element_path(first.branch)
    for item in query.filters:
        if (
            not isinstance(item, ParamFilter)
            or item.param.type.name != "reference"
            or item.modifier not in (None, "Patient")
        ):
            continue
        if _element_path(item.param.branch) != element or len(item.values) != 1:
            continue
        value = item.values[0]
        if isinstance(value, ReferenceValue) and value.url is None and value.identifier_value is None:
            patient_typed = value.target_type == "Patient" or (
                value.target_type is None and (item.modifier == "Patient" or item.param.targets == ("Patient",))
            )
            if patient_typed and value.target_id:
                return value.target_id
    return None


def _element_path(expression: str) -> str:
    return expression.replace(".where(resolve() is Patient)", "").strip()


def _single_valued(expression: str) -> bool:
    path = _element_path(expression)
    if "|" in path or "(" in path or "." not in path:
        return False
    resource_type, _, rest = path.partition(".")
    elements = type_definitions()[resource_type].elements
    steps = rest.split(".")
    for position in range(1, len(steps) + 1):
        element = elements.get(".".join(steps[:position])) or elements.get(".".join(steps[:position]) + "[x]")
        if element is None or element.is_list:
            return False
    return True


def where_sql(query: SearchQuery, restriction: Restriction) -> SqlFragment:
    """The WHERE clause (over `r`) selecting every match of the query."""
    compartment = implied_compartment(query)
    parts = [resource_scope(query.resource_types, restriction)]
    if compartment is not None:
        parts.append(SqlFragment("r.compartment = %s", (compartment,)))
    if query.compartment is not None:
        parts.append(compartment_sql(query.resource_types, query.compartment))
    parts.extend(filter_sql(f, query.resource_types, restriction, compartment) for f in query.filters)
    return sql_all(p for p in parts if p is not TRUE)
