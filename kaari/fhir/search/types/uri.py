"""URI parameters: exact match, `:below` (the URI or anything under it, at a `/` boundary) and `:above`
(the URI or any of its parents at a `/` boundary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, prefix_range, sql_in
from kaari.fhir.search.types.base import QueryContext, Rows, SearchError, SearchType, modifier_check, value_unescape

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter


@dataclass(frozen=True)
class UriValue:
    uri: str


def uri_parents(uri: str) -> list[str]:
    """`uri` and every prefix of it that ends just before or just after a `/`."""
    found = {uri}
    for position, ch in enumerate(uri):
        if ch == "/" and position > 0:
            found.add(uri[:position])
            found.add(uri[: position + 1])
    return sorted(found)


class Uri(SearchType):
    name = "uri"
    table = "fhir_idx_uri"
    columns = ("param", "grp", "uri")
    indexable = frozenset({"uri", "url", "canonical", "oid", "uuid"})
    modifiers = frozenset({"below", "above"})

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        rows = out[self.table]
        for value, _ in nodes:
            if isinstance(value, str) and value:
                rows.append((param.code, grp, value))

    def value_parse(self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext) -> UriValue:
        modifier_check(modifier, self.modifiers, param)
        uri = value_unescape(raw)
        if not uri:
            raise SearchError(f"{param.code}: empty uri")
        return UriValue(uri)

    def condition(self, alias: str, value: UriValue, modifier: str | None, param: SearchParameter) -> SqlFragment:
        column = f"{alias}.uri"
        if modifier == "below":
            stem = value.uri.rstrip("/")
            if not stem:
                return SqlFragment(f"{column} <> ''")
            below = prefix_range(column, stem + "/")
            return SqlFragment(f"({column} = %s OR ({below.sql}))", (stem, *below.params))
        if modifier == "above":
            return sql_in(column, uri_parents(value.uri))
        return SqlFragment(f"{column} = %s", (value.uri,))

    def sort_key(self, alias: str, descending: bool) -> str:
        return f"{'max' if descending else 'min'}({alias}.uri)"
