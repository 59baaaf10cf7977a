"""Number parameters. A decimal or integer is indexed as the point (value, value), a Range as (low, high)
with open ends infinite.

A search value's precision sets its implicit range for eq, ne and ap: `100` means [99.5, 100.5), `100.0`
means [99.95, 100.05). The other prefixes compare with the value exactly (`lt100` is "less than exactly
100"), as R4 search.html says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment
from kaari.fhir.search.types.base import QueryContext, Rows, SearchError, SearchType, modifier_check
from kaari.fhir.search.types.date import prefix_split

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter

INF = math.inf


@dataclass(frozen=True)
class NumberValue:
    prefix: str
    value: float
    low: float  # the implicit range [low, high) of the value at its precision; for ap, the ±10% range
    high: float


def number_parse(raw: str, what: str) -> NumberValue:
    prefix, text = prefix_split(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise SearchError(f"{what}: {text!r} is not a number") from None
    if not number.is_finite():
        raise SearchError(f"{what}: {text!r} is not a number")
    if prefix == "ap":
        slack = abs(number) / 10
        return NumberValue(prefix, float(number), float(number - slack), float(number + slack))
    exponent = number.as_tuple().exponent
    half = Decimal(5).scaleb(int(exponent) - 1)
    return NumberValue(prefix, float(number), float(number - half), float(number + half))


def number_condition(low: str, high: str, value: NumberValue) -> SqlFragment:
    """Compare the target range (columns `low`, `high`) with a search number."""
    prefix, q = value.prefix, value.value
    if prefix == "eq":
        return SqlFragment(f"{low} >= %s AND {high} < %s", (value.low, value.high))
    if prefix == "ne":
        return SqlFragment(f"({low} < %s OR {high} >= %s)", (value.low, value.high))
    if prefix == "ap":
        return SqlFragment(f"{low} <= %s AND {high} >= %s", (value.high, value.low))
    operator, column = {"gt": (">", high), "lt": ("<", low), "ge": (">=", high), "le": ("<=", low)}.get(
        prefix, ("", "")
    )
    if prefix == "sa":
        operator, column = ">", low
    elif prefix == "eb":
        operator, column = "<", high
    if not operator:
        raise SearchError(f"unknown prefix {prefix}")
    return SqlFragment(f"{column} {operator} %s", (q,))


def decimal_value(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def range_bounds(value: dict[str, Any]) -> tuple[float, float] | None:
    low = decimal_value((value.get("low") or {}).get("value"))
    high = decimal_value((value.get("high") or {}).get("value"))
    if low is None and high is None:
        return None
    return (-INF if low is None else low, INF if high is None else high)


class Number(SearchType):
    name = "number"
    table = "fhir_idx_number"
    columns = ("param", "grp", "low", "high")
    indexable = frozenset({"decimal", "integer", "positiveInt", "unsignedInt", "Range"})

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        rows = out[self.table]
        for value, typed in nodes:
            if typed.code == "Range":
                bounds = range_bounds(value) if type(value) is dict else None
                if bounds is not None:
                    rows.append((param.code, grp, bounds[0], bounds[1]))
                continue
            number = decimal_value(value)
            if number is not None:
                rows.append((param.code, grp, number, number))

    def value_parse(self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext) -> NumberValue:
        modifier_check(modifier, frozenset(), param)
        return number_parse(raw, param.code)

    def condition(self, alias: str, value: NumberValue, modifier: str | None, param: SearchParameter) -> SqlFragment:
        return number_condition(f"{alias}.low", f"{alias}.high", value)

    def sort_key(self, alias: str, descending: bool) -> str:
        return f"max({alias}.high)" if descending else f"min({alias}.low)"
