"""Quantity parameters: a number with a unit, `[prefix]number|system|code` or `number||unit`.

A Quantity is indexed as the point (value, value), or half-open when it carries a comparator (`<5`
covers everything below 5); a Range as (low, high); Money with its currency as an ISO 4217 code. With
`system|code` the search matches Quantity.system and code exactly; with only a code (`||mg`) it matches
the code or the unit text. Numbers compare as for number parameters. Units are not converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, sql_all
from kaari.fhir.search.types.base import (
    QueryContext,
    Rows,
    SearchError,
    SearchType,
    modifier_check,
    value_split,
    value_unescape,
)
from kaari.fhir.search.types.number import INF, NumberValue, decimal_value, number_condition, number_parse

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter

CURRENCY_SYSTEM = "urn:iso:std:iso:4217"
_QUANTITIES = frozenset({"Quantity", "Age", "Count", "Distance", "Duration", "MoneyQuantity", "SimpleQuantity"})


@dataclass(frozen=True)
class QuantityValue:
    number: NumberValue
    system: str | None
    code: str | None


def _quantity_row(param: str, grp: int, value: dict[str, Any]) -> tuple[Any, ...] | None:
    number = decimal_value(value.get("value"))
    if number is None:
        return None
    comparator = value.get("comparator")
    low, high = number, number
    if comparator in ("<", "<="):
        low = -INF
    elif comparator in (">", ">="):
        high = INF
    return (param, grp, value.get("system") or "", value.get("code") or "", value.get("unit") or "", low, high)


class Quantity(SearchType):
    name = "quantity"
    table = "fhir_idx_quantity"
    columns = ("param", "grp", "system", "code", "unit", "low", "high")
    indexable = _QUANTITIES | {"Money", "Range"}

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        rows = out[self.table]
        code = param.code
        for value, typed in nodes:
            if type(value) is not dict:
                continue
            kind = typed.code
            if kind in _QUANTITIES:
                row = _quantity_row(code, grp, value)
                if row is not None:
                    rows.append(row)
            elif kind == "Money":
                number = decimal_value(value.get("value"))
                if number is not None:
                    rows.append((code, grp, CURRENCY_SYSTEM, value.get("currency") or "", "", number, number))
            elif kind == "Range":
                low, high = value.get("low") or {}, value.get("high") or {}
                low_value, high_value = decimal_value(low.get("value")), decimal_value(high.get("value"))
                if low_value is None and high_value is None:
                    continue
                unit = low if low_value is not None else high
                rows.append(
                    (
                        code,
                        grp,
                        unit.get("system") or "",
                        unit.get("code") or "",
                        unit.get("unit") or "",
                        -INF if low_value is None else low_value,
                        INF if high_value is None else high_value,
                    )
                )

    def value_parse(
        self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext
    ) -> QuantityValue:
        modifier_check(modifier, frozenset(), param)
        parts = value_split(raw, "|")
        if len(parts) not in (1, 3):
            raise SearchError(f"{param.code}: a quantity is number or number|system|code")
        number = number_parse(value_unescape(parts[0]), param.code)
        if len(parts) == 1:
            return QuantityValue(number, None, None)
        system, code = value_unescape(parts[1]), value_unescape(parts[2])
        return QuantityValue(number, system or None, code or None)

    def condition(self, alias: str, value: QuantityValue, modifier: str | None, param: SearchParameter) -> SqlFragment:
        parts = [number_condition(f"{alias}.low", f"{alias}.high", value.number)]
        if value.system is not None:
            parts.append(SqlFragment(f"{alias}.system = %s", (value.system,)))
            if value.code is not None:
                parts.append(SqlFragment(f"{alias}.code = %s", (value.code,)))
        elif value.code is not None:
            parts.append(SqlFragment(f"({alias}.code = %s OR {alias}.unit = %s)", (value.code, value.code)))
        return sql_all(parts)

    def sort_key(self, alias: str, descending: bool) -> str:
        return f"max({alias}.high)" if descending else f"min({alias}.low)"
