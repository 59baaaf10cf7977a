"""Token parameters: codes, identifiers, booleans, contact points.

Each Coding is a row (system, code, display). An Identifier is (system, value) with its type for
:of-type; a ContactPoint is its value; a boolean is `true`/`false`; a code, id, string or uri is itself.
The `text` column holds the normalised text :text searches: Coding.display, CodeableConcept.text (a row
of its own, with no code) and Identifier.type.text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, prefix_range, sql_all, sql_in
from kaari.fhir.search.types.base import (
    QueryContext,
    Rows,
    SearchError,
    SearchType,
    modifier_check,
    value_split,
    value_unescape,
)
from kaari.lib.text import text_normalise

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter


@dataclass(frozen=True)
class TokenValue:
    system: str | None  # None: any system; "": no system
    code: str | None  # None: any code (`system|`)
    type_system: str | None = None  # :of-type
    type_code: str | None = None
    text: str | None = None  # :text, normalised


def _text(value: Any) -> str:
    return text_normalise(value) if isinstance(value, str) else ""


class Token(SearchType):
    name = "token"
    table = "fhir_idx_token"
    columns = ("param", "grp", "system", "code", "type_system", "type_code", "text")
    indexable = frozenset(
        {"Coding", "CodeableConcept", "Identifier", "ContactPoint", "boolean", "code", "id", "string", "uri"}
    )
    modifiers = frozenset({"not", "text", "of-type"})

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        rows = out[self.table]
        code = param.code
        for value, typed in nodes:
            kind = typed.code
            if kind == "CodeableConcept":
                for coding in value.get("coding") or ():
                    rows.append(_coding_row(code, grp, coding))
                if value.get("text") and not grp:  # composite components never search :text
                    rows.append((code, grp, "", "", "", "", _text(value["text"])))
            elif kind == "Coding":
                rows.append(_coding_row(code, grp, value))
            elif kind == "Identifier":
                system = value.get("system") or ""
                ident = value.get("value") or ""
                kind_of = value.get("type") or {}
                type_text = _text(kind_of.get("text"))
                type_codings = kind_of.get("coding") or ()
                if not type_codings:
                    rows.append((code, grp, system, ident, "", "", type_text))
                for coding in type_codings:
                    rows.append(
                        (code, grp, system, ident, coding.get("system") or "", coding.get("code") or "", type_text)
                    )
            elif kind == "ContactPoint":
                rows.append((code, grp, "", value.get("value") or "", "", "", ""))
            elif kind == "boolean":
                rows.append((code, grp, "", "true" if value else "false", "", "", ""))
            elif kind in self.indexable and isinstance(value, str):
                rows.append((code, grp, "", value, "", "", ""))

    def value_parse(self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext) -> TokenValue:
        modifier_check(modifier, self.modifiers, param)
        if modifier == "text":
            return TokenValue(None, None, text=text_normalise(value_unescape(raw)))
        parts = [value_unescape(part) for part in value_split(raw, "|")]
        if modifier == "of-type":
            if len(parts) != 3 or not all(parts):
                raise SearchError(f"{param.code}:of-type needs type-system|type-code|value")
            return TokenValue(None, parts[2], type_system=parts[0], type_code=parts[1])
        if len(parts) == 1:
            return TokenValue(None, parts[0])
        if len(parts) == 2:
            system, code = parts
            if not system and not code:
                raise SearchError(f"{param.code}: '|' alone is not a token")
            return TokenValue(system, code or None)
        raise SearchError(f"{param.code}: a token has at most one unescaped '|'")

    def condition(self, alias: str, value: TokenValue, modifier: str | None, param: SearchParameter) -> SqlFragment:
        if value.text is not None:
            return prefix_range(f"{alias}.text", value.text) if value.text else SqlFragment(f"{alias}.text <> ''")
        parts = []
        if value.code is not None:
            parts.append(SqlFragment(f"{alias}.code = %s", (value.code,)))
        if value.system is not None:
            parts.append(SqlFragment(f"{alias}.system = %s", (value.system,)))
        if value.type_system is not None:
            parts.append(SqlFragment(f"{alias}.type_system = %s", (value.type_system,)))
            parts.append(SqlFragment(f"{alias}.type_code = %s", (value.type_code,)))
        return sql_all(parts)

    def sort_key(self, alias: str, descending: bool) -> str:
        # Rows that only carry :text have no code; they must not sort first.
        return f"{'max' if descending else 'min'}(NULLIF({alias}.code, ''))"

    def filter(
        self,
        param: SearchParameter,
        modifier: str | None,
        values: list[Any],
        resource_types: list[str],
        compartment: str | None = None,
    ) -> SqlFragment:
        if param.column is None:
            return super().filter(param, modifier, values, resource_types, compartment)
        # `_id` is the resource row's own logical id: no index rows.
        if modifier not in (None, "not") or any(v.system is not None or v.code is None for v in values):
            raise SearchError(f"{param.code} takes plain ids")
        matches = sql_in(f"r.{param.column}", [v.code for v in values])
        return matches.wrap("NOT (", ")") if modifier == "not" else matches

    def candidates(
        self,
        param: SearchParameter,
        modifier: str | None,
        values: list[Any],
        resource_types: list[str],
        compartment: str | None = None,
    ) -> SqlFragment | None:
        if param.column is not None:
            return None
        return super().candidates(param, modifier, values, resource_types, compartment)

    def missing(self, param: SearchParameter, missing: bool, resource_types: list[str]) -> SqlFragment:
        if param.column is not None:
            return SqlFragment("1 = 0") if missing else SqlFragment("1 = 1")
        return super().missing(param, missing, resource_types)


def _coding_row(param: str, grp: int, coding: dict[str, Any]) -> tuple[Any, ...]:
    return (param, grp, coding.get("system") or "", coding.get("code") or "", "", "", _text(coding.get("display")))
