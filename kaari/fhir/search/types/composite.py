"""Composite parameters such as Observation `code-value-quantity=http://loinc.org|8480-6$gt100`.

The composite expression selects elements (the Observation, each Observation.component); each element is
a group, numbered from 1 in `grp`. Each component is indexed by its own type into that type's table under
the parameter name `<code>$<i>`, so component values of one element share a `grp`. A search joins the
component rows on (resource, grp): all components must match within one element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, sql_all, sql_any, sql_in, sql_join
from kaari.fhir.search.types.base import (
    QueryContext,
    Rows,
    SearchError,
    SearchType,
    modifier_check,
    value_split,
)

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter


class Composite(SearchType):
    name = "composite"
    table = ""  # the components' tables
    columns = ()
    indexable = frozenset({"*"})
    sortable = False

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        # Only elements that give index rows for every component are indexed: no search can match the
        # others, and :missing on a composite means "no element with every component".
        # The components are evaluated first, as that is cheap and pure: an element without a value for one of
        # them (an Observation with a valueQuantity, for code-value-concept) then costs no rows built in vain.
        for group, node in enumerate(nodes, start=1):
            values: list[list[Node]] = []
            for component in param.components:
                assert component.evaluator is not None
                component_values = component.evaluator([node], root)
                if not component_values:
                    break
                values.append(component_values)
            else:
                self._group_rows(param, group, values, out, root)

    @staticmethod
    def _group_rows(
        param: SearchParameter, group: int, values: list[list[Node]], out: Rows, root: dict[str, Any]
    ) -> None:
        found: list[tuple[str, list[tuple[Any, ...]]]] = []
        for component, component_values in zip(param.components, values, strict=True):
            rows: Rows = {component.type.table: []}
            component.type.rows(component, group, component_values, rows, root)
            if not rows[component.type.table]:
                return
            found.append((component.type.table, rows[component.type.table]))
        for table, component_rows in found:
            out[table].extend(component_rows)

    def value_parse(self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext) -> Any:
        modifier_check(modifier, frozenset(), param)
        parts = value_split(raw, "$")
        if len(parts) != len(param.components):
            raise SearchError(f"{param.code} takes {len(param.components)} values separated by '$'")
        return tuple(
            component.type.value_parse(part, None, component, context)
            for component, part in zip(param.components, parts, strict=True)
        )

    def candidates(
        self,
        param: SearchParameter,
        modifier: str | None,
        values: list[Any],
        resource_types: list[str],
        compartment: str | None = None,
    ) -> SqlFragment | None:
        if param.stored_as:
            found = [self.candidates(s, modifier, values, resource_types, compartment) for s in _sources(param)]
            return sql_join((f for f in found if f is not None), " UNION ")
        first = param.components[0]
        joins = [
            SqlFragment(
                f" JOIN {c.type.table} c{i} ON c{i}.resource_id = c0.resource_id AND c{i}.grp = c0.grp"
                f" AND c{i}.param = %s",
                (c.code,),
            )
            for i, c in enumerate(param.components[1:], start=1)
        ]
        matches = sql_any(
            sql_all(
                c.type.condition(f"c{i}", part, None, c)
                for i, (c, part) in enumerate(zip(param.components, value, strict=True))
            )
            for value in values
        )
        scope = [sql_in("c0.resource_type", resource_types), SqlFragment("c0.param = %s", (first.code,))]
        if compartment is not None:
            scope.append(SqlFragment("c0.compartment = %s", (compartment,)))
        query = SqlFragment(f"SELECT c0.resource_id FROM {first.type.table} c0")
        for join in joins:
            query = query + join
        return query + sql_all([*scope, matches]).wrap(" WHERE ")

    def filter(
        self,
        param: SearchParameter,
        modifier: str | None,
        values: list[Any],
        resource_types: list[str],
        compartment: str | None = None,
    ) -> SqlFragment:
        found = self.candidates(param, modifier, values, resource_types, compartment)
        assert found is not None
        return found.wrap("r.id IN (", ")")

    def missing(self, param: SearchParameter, missing: bool, resource_types: list[str]) -> SqlFragment:
        if param.stored_as:
            parts = [self.missing(source, missing, resource_types) for source in _sources(param)]
            return sql_all(parts) if missing else sql_any(parts)
        first = param.components[0]
        return first.type.missing(first, missing, resource_types)

    def sort_key(self, alias: str, descending: bool) -> str:
        raise SearchError("composite parameters cannot sort")


def _sources(param: SearchParameter) -> list[SearchParameter]:
    from kaari.fhir.search.registry import resource_parameters

    supported = resource_parameters(param.resource_type).supported
    return [supported[code] for code in param.stored_as]
