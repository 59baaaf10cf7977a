"""The search parameters of each resource type, compiled from the official R4 definitions.

Every definition either compiles into a SearchParameter (its expression typed against the R4 structure
definitions, its values indexable by its type's class) or is recorded as unsupported with the reason.
Nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from kaari.fhir.search.fhirpath import Evaluator, FhirPathError, expression_compile, subexpression_compile
from kaari.fhir.search.sql import SqlFragment, sql_in
from kaari.fhir.search.types import SEARCH_TYPES, SearchType
from kaari.fhir.spec import resource_types, search_parameter_definitions

_ANY_RESOURCE = frozenset({"Resource", "DomainResource"})


@dataclass(frozen=True, eq=False)
class SearchParameter:
    code: str
    resource_type: str
    type: SearchType
    url: str
    expression: str
    evaluator: Evaluator | None
    value_types: frozenset[str] = frozenset()
    targets: tuple[str, ...] = ()
    components: tuple[SearchParameter, ...] = ()
    column: str | None = None  # searched on the resource row instead of an index table
    description: str = ""
    branch: str = ""  # the part of `expression` that applies to `resource_type`
    # The parameters whose index rows this one's values are, when it derives from others instead of having
    # rows of its own: `combo-code` is `code` ∪ `component-code`; `patient` is `subject` narrowed to Patient.
    stored_as: tuple[str, ...] = ()
    target_filter: str | None = None

    @property
    def stored_codes(self) -> tuple[str, ...]:
        return self.stored_as or (self.code,)

    @property
    def indexed(self) -> bool:
        """Whether index_rows writes rows for this parameter itself."""
        return self.evaluator is not None and not self.stored_as

    def rows_scope(self, alias: str) -> SqlFragment:
        """SQL over index row `alias`: the row is one of this parameter's values."""
        scope = sql_in(f"{alias}.param", self.stored_codes)
        if self.target_filter is not None:
            scope = SqlFragment(f"{scope.sql} AND {alias}.target_type = %s", (*scope.params, self.target_filter))
        return scope


def expression_branch(expression: str, resource_type: str) -> str:
    """The union branches of `expression` rooted at `resource_type` (or at no type), joined again."""
    branches = split_union(expression)
    kept = [b for b in branches if b.lstrip("(").split(".")[0] in (resource_type, "Resource", "DomainResource")]
    return " | ".join(kept)


@dataclass(frozen=True)
class UnsupportedParameter:
    code: str
    url: str
    type: str
    reason: str


@dataclass(frozen=True)
class ResourceParameters:
    supported: dict[str, SearchParameter] = field(default_factory=dict)
    unsupported: dict[str, UnsupportedParameter] = field(default_factory=dict)


@cache
def _definitions_by_url() -> dict[str, dict[str, Any]]:
    return {d["url"]: d for d in search_parameter_definitions()}


def _applies(definition: dict[str, Any], resource_type: str) -> bool:
    bases = set(definition["base"])
    if resource_type in bases or "Resource" in bases:
        return True
    return "DomainResource" in bases and resource_type not in ("Bundle", "Binary", "Parameters")


class _Unsupported(Exception):
    pass


def _compile(definition: dict[str, Any], resource_type: str) -> SearchParameter | None:
    code = definition["code"]
    kind = SEARCH_TYPES[definition["type"]]
    common = {
        "code": code,
        "resource_type": resource_type,
        "type": kind,
        "url": definition["url"],
        "expression": definition.get("expression") or "",
        "targets": tuple(definition.get("target") or ()),
        "description": definition.get("description") or "",
        "branch": expression_branch(definition.get("expression") or "", resource_type),
    }
    if definition["url"] == "http://hl7.org/fhir/SearchParameter/Resource-id":
        return SearchParameter(evaluator=None, column="logical_id", value_types=frozenset({"id"}), **common)
    if definition["url"] == "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated":
        # The resource row's own indexed column, the same instant as meta.lastUpdated.
        return SearchParameter(evaluator=None, column="last_updated", value_types=frozenset({"instant"}), **common)
    if not definition.get("expression"):
        raise _Unsupported("the definition has no FHIRPath expression to index")
    if kind.name == "special":
        raise _Unsupported("special parameters (geographic distance) are not implemented")
    try:
        compiled = expression_compile(definition["expression"], resource_type)
    except FhirPathError as exc:
        raise _Unsupported(f"expression not supported: {exc}") from exc
    if compiled is None:
        return None
    evaluator, types = compiled
    codes = frozenset(t.code for t in types)
    if kind.name == "composite":
        components = _components(definition, resource_type, types)
        return SearchParameter(evaluator=evaluator, value_types=codes, components=components, **common)
    indexable = codes & kind.indexable
    if not indexable:
        raise _Unsupported(f"its values ({', '.join(sorted(codes))}) cannot be indexed as {kind.name}")
    return SearchParameter(evaluator=evaluator, value_types=indexable, **common)


def _components(definition: dict[str, Any], resource_type: str, context: frozenset[Any]) -> tuple[SearchParameter, ...]:
    components = []
    for position, component in enumerate(definition.get("component") or ()):
        target = _definitions_by_url().get(component["definition"])
        if target is None:
            raise _Unsupported(f"component {component['definition']} is not defined")
        kind = SEARCH_TYPES[target["type"]]
        try:
            evaluator, types = subexpression_compile(component["expression"], context)
        except FhirPathError as exc:
            raise _Unsupported(f"component expression not supported: {exc}") from exc
        found = frozenset(t.code for t in types)
        codes = found & kind.indexable
        if not codes or kind.name in ("composite", "special"):
            raise _Unsupported(
                f"component {target['code']}: its values ({', '.join(sorted(found))}) cannot be indexed as {kind.name}"
            )
        components.append(
            SearchParameter(
                code=f"{definition['code']}${position}",
                resource_type=resource_type,
                type=kind,
                url=target["url"],
                expression=component["expression"],
                evaluator=evaluator,
                value_types=codes,
            )
        )
    if len(components) < 2:
        raise _Unsupported("a composite needs at least two components")
    return tuple(components)


@cache
def resource_parameters(resource_type: str) -> ResourceParameters:
    if resource_type not in resource_types():
        raise KeyError(resource_type)
    result = ResourceParameters()
    for definition in search_parameter_definitions():
        if not _applies(definition, resource_type):
            continue
        try:
            parameter = _compile(definition, resource_type)
        except _Unsupported as exc:
            result.unsupported[definition["code"]] = UnsupportedParameter(
                definition["code"], definition["url"], definition["type"], str(exc)
            )
            continue
        if parameter is not None:
            result.supported[parameter.code] = parameter
    _aliases_find(result.supported)
    return result


_NARROWED = re.compile(r"^(?P<base>.+)\.where\(resolve\(\) is (?P<type>[A-Za-z]+)\)$")


def _signature(parameter: SearchParameter, branch: str) -> tuple[Any, ...]:
    components = tuple((c.type.name, c.expression) for c in parameter.components)
    return (parameter.type.name, branch, components)


def _aliases_find(supported: dict[str, SearchParameter]) -> None:
    """Point parameters that only re-read other parameters' values at those parameters' rows.

    Derived parameters are common in R4 (every `patient` narrows a `subject`; Observation's `combo-*` unite
    the observation's and its components' parameters). Sharing rows keeps the index ~25% smaller; the
    answers are the same because the values are the same.
    """
    plain = {p.code: p for p in supported.values() if p.evaluator is not None}
    by_signature = {_signature(p, p.branch): p.code for p in plain.values()}
    for code, parameter in plain.items():
        narrowed = _NARROWED.match(parameter.branch)
        if narrowed and parameter.type.name == "reference":
            base = by_signature.get(("reference", narrowed.group("base"), ()))
            if base is not None and base != code:
                supported[code] = replace(parameter, stored_as=(base,), target_filter=narrowed.group("type"))
            continue
        parts = split_union(parameter.branch)
        if len(parts) < 2:
            continue
        sources = _union_cover(parameter, parts, by_signature)
        if sources and code not in sources:
            supported[code] = replace(parameter, stored_as=sources)


def _union_cover(
    parameter: SearchParameter, parts: list[str], by_signature: dict[tuple[Any, ...], str]
) -> tuple[str, ...] | None:
    """Other parameters whose expressions, one after the other, are exactly the branches `parts`."""
    sources: list[str] = []
    position = 0
    while position < len(parts):
        for end in range(len(parts), position, -1):
            if end - position == len(parts):
                continue  # the parameter itself
            found = by_signature.get(_signature(parameter, " | ".join(parts[position:end])))
            if found is not None:
                sources.append(found)
                position = end
                break
        else:
            return None
    return tuple(sources)


def split_union(expression: str) -> list[str]:
    """The top-level `|` branches of an expression."""
    branches, depth, start = [], 0, 0
    for position, ch in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            branches.append(expression[start:position].strip())
            start = position + 1
    branches.append(expression[start:].strip())
    return branches


def search_parameter(resource_type: str, code: str) -> SearchParameter | None:
    return resource_parameters(resource_type).supported.get(code)
