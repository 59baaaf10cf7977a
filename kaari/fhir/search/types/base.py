"""The shape every search-parameter type has: how it indexes, filters and sorts.

A type owns one index table. `rows` turns typed values (from the compiled FHIRPath expression) into rows
of that table; `value_parse` turns one search value from a URL into a typed query value; `condition`
turns a query value into SQL over one index row; `sort_key` aggregates a resource's rows into the value
it sorts by. The engine wraps these into sub-queries; a type overrides `filter` only when it searches
something other than its table (`_id` searches the resource row).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, sql_all, sql_any, sql_in

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter

Rows = dict[str, list[tuple[Any, ...]]]


class SearchError(ValueError):
    """The search request is invalid; the edge answers 400 with this message."""


@dataclass(frozen=True)
class QueryContext:
    """What parsing a search value may depend on besides the value itself."""

    base_url: str | None = None  # this server's FHIR base; absolute references to it are local
    now_ms: int = 0  # "now", for the width of `ap` on dates


class SearchType:
    name: ClassVar[str]
    table: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]  # the index row, `param` and `grp` first
    indexable: ClassVar[frozenset[str]]  # the FHIR types whose values it can index
    modifiers: ClassVar[frozenset[str]] = frozenset()  # besides :missing
    sortable: ClassVar[bool] = True

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        """Append the index rows for `nodes`, values of `param`, to `out[self.table]`."""
        raise NotImplementedError

    def value_parse(self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext) -> Any:
        raise NotImplementedError

    def condition(self, alias: str, value: Any, modifier: str | None, param: SearchParameter) -> SqlFragment:
        """SQL over the index row `alias` that is true when the row matches `value`."""
        raise NotImplementedError

    def sort_key(self, alias: str, descending: bool) -> str:
        """An aggregate over the rows `alias` of one resource and parameter, to order resources by."""
        raise NotImplementedError

    def candidates(
        self,
        param: SearchParameter,
        modifier: str | None,
        values: list[Any],
        resource_types: list[str],
        compartment: str | None = None,
    ) -> SqlFragment | None:
        """A SELECT of the keys of the resources one of `values` matches; None when the filter is negative."""
        if modifier == "not":
            return None
        return self._rows_where(param, modifier, values, resource_types, compartment).wrap(
            f"SELECT x.resource_id FROM {self.table} x WHERE "
        )

    def filter(
        self,
        param: SearchParameter,
        modifier: str | None,
        values: list[Any],
        resource_types: list[str],
        compartment: str | None = None,
    ) -> SqlFragment:
        """SQL over the resource row `r`: true when one of `values` matches (they are OR-ed)."""
        if modifier == "not":
            where = self._rows_where(param, modifier, values, resource_types, compartment)
            return where.wrap(f"NOT EXISTS (SELECT 1 FROM {self.table} x WHERE x.resource_id = r.id AND ", ")")
        found = self.candidates(param, modifier, values, resource_types, compartment)
        assert found is not None
        return found.wrap("r.id IN (", ")")

    def _rows_where(
        self,
        param: SearchParameter,
        modifier: str | None,
        values: list[Any],
        resource_types: list[str],
        compartment: str | None,
    ) -> SqlFragment:
        scope = [sql_in("x.resource_type", resource_types), param.rows_scope("x")]
        if compartment is not None:
            scope.append(SqlFragment("x.compartment = %s", (compartment,)))
        matches = sql_any(self.condition("x", value, modifier, param) for value in values)
        return sql_all([*scope, matches])

    def missing(self, param: SearchParameter, missing: bool, resource_types: list[str]) -> SqlFragment:
        exists = param.rows_scope("m").wrap(
            f"EXISTS (SELECT 1 FROM {self.table} m WHERE m.resource_id = r.id AND ", ")"
        )
        return exists.wrap("NOT ") if missing else exists


_ESCAPABLE = frozenset(",$|\\")


def value_split(raw: str, separator: str) -> list[str]:
    """Split on `separator` where it is not escaped with a backslash. Escapes stay in the parts."""
    parts: list[str] = []
    start = 0
    position = 0
    while position < len(raw):
        ch = raw[position]
        if ch == "\\" and raw[position + 1 : position + 2] in _ESCAPABLE:
            position += 2
            continue
        if ch == separator:
            parts.append(raw[start:position])
            start = position + 1
        position += 1
    parts.append(raw[start:])
    return parts


def value_unescape(raw: str) -> str:
    """Remove the backslash escapes (`\\,` `\\|` `\\$` `\\\\`) from one search value."""
    if "\\" not in raw:
        return raw
    out: list[str] = []
    position = 0
    while position < len(raw):
        if raw[position] == "\\" and raw[position + 1 : position + 2] in _ESCAPABLE:
            position += 1
        out.append(raw[position])
        position += 1
    return "".join(out)


def modifier_check(modifier: str | None, allowed: frozenset[str], param: SearchParameter) -> None:
    if modifier is not None and modifier not in allowed:
        raise SearchError(f"modifier :{modifier} is not supported on {param.type.name} parameter {param.code}")
