"""String parameters: names, addresses and other text, matched case- and accent-insensitively.

Every part of a HumanName (family, each given, prefix, suffix, text) and of an Address (each line, city,
district, state, postal code, country, text) is a row of its own. `value` is the normalised text cut to
its first 512 characters, the part that default (starts-with) and :contains searches see; `exact` keeps
the text as written for :exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, like_escape, prefix_range
from kaari.fhir.search.types.base import QueryContext, Rows, SearchError, SearchType, modifier_check, value_unescape
from kaari.lib.text import text_normalise

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter

SEARCHABLE_LENGTH = 512
_NAME_PARTS = ("family", "given", "prefix", "suffix", "text")
_ADDRESS_PARTS = ("line", "city", "district", "state", "postalCode", "country", "text")


@dataclass(frozen=True)
class StringValue:
    text: str  # as given, for :exact
    normalised: str


class String(SearchType):
    name = "string"
    table = "fhir_idx_string"
    columns = ("param", "grp", "value", "exact")
    indexable = frozenset({"string", "markdown", "HumanName", "Address"})
    modifiers = frozenset({"exact", "contains"})

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        rows = out[self.table]
        code = param.code
        for value, typed in nodes:
            kind = typed.code
            if kind == "HumanName":
                _parts_append(rows, code, grp, value, _NAME_PARTS)
            elif kind == "Address":
                _parts_append(rows, code, grp, value, _ADDRESS_PARTS)
            elif isinstance(value, str):
                rows.append((code, grp, text_normalise(value)[:SEARCHABLE_LENGTH], value))

    def value_parse(self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext) -> StringValue:
        modifier_check(modifier, self.modifiers, param)
        text = value_unescape(raw)
        normalised = text_normalise(text)
        if not normalised and modifier != "exact":
            raise SearchError(f"{param.code}: empty string value")
        return StringValue(text, normalised[:SEARCHABLE_LENGTH])

    def condition(self, alias: str, value: StringValue, modifier: str | None, param: SearchParameter) -> SqlFragment:
        if modifier == "exact":
            return SqlFragment(f"{alias}.value = %s AND {alias}.exact = %s", (value.normalised, value.text))
        if modifier == "contains":
            return SqlFragment(f"{alias}.value LIKE %s ESCAPE '\\'", (f"%{like_escape(value.normalised)}%",))
        return prefix_range(f"{alias}.value", value.normalised)

    def sort_key(self, alias: str, descending: bool) -> str:
        return f"{'max' if descending else 'min'}({alias}.value)"


def _parts_append(rows: list[tuple[Any, ...]], code: str, grp: int, value: Any, parts: tuple[str, ...]) -> None:
    if type(value) is not dict:
        return
    for part in parts:
        item = value.get(part)
        if item is None:
            continue
        for text in item if type(item) is list else (item,):
            if isinstance(text, str):
                rows.append((code, grp, text_normalise(text)[:SEARCHABLE_LENGTH], text))
