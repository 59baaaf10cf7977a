"""Date parameters, with the precision semantics of R4 search.

Every value is indexed as the range of instants it covers, in epoch milliseconds, both ends inclusive:
`2020` is the whole year, `2020-05-01T10:00:00Z` the whole second, an instant with milliseconds one
millisecond. A Period runs from its start's low to its end's high, open ends unbounded. A Timing covers
its events and its repeat.boundsPeriod ("only the outer limits matter"). Times without a zone, and dates,
are read as UTC.

A search value is a range too, and each prefix compares the two ranges as R4 search.html defines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, sql_any
from kaari.fhir.search.types.base import QueryContext, Rows, SearchError, SearchType, modifier_check
from kaari.lib.memo import short_text_memo

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter

MIN_MS = -62135596800000  # 0001-01-01T00:00:00.000Z
MAX_MS = 253402300799999  # 9999-12-31T23:59:59.999Z
PREFIXES = frozenset({"eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"})
_DAY_MS = 86_400_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATE = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?"
)


def _day_ms(year: int, month: int, day: int) -> int:
    return (date(year, month, day).toordinal() - _EPOCH_ORDINAL) * _DAY_MS


def _month_end_ms(year: int, month: int) -> int:
    """The last millisecond of the month."""
    if month == 12:
        if year == 9999:
            return MAX_MS
        return _day_ms(year + 1, 1, 1) - 1
    return _day_ms(year, month + 1, 1) - 1


@short_text_memo(maxsize=4096, length=64)  # a client's resources share dates: one encounter's observations
def date_range_ms(text: str) -> tuple[int, int] | None:
    """The instants an ISO date, dateTime or instant covers, at its precision; None when malformed."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year_s, month_s, day_s, hour_s, minute_s, second_s, fraction, zone = match.groups()
    year = int(year_s)
    try:
        if month_s is None:
            return _day_ms(year, 1, 1), _month_end_ms(year, 12)
        month = int(month_s)
        if day_s is None:
            return _day_ms(year, month, 1), _month_end_ms(year, month)
        start = _day_ms(year, month, int(day_s))
    except ValueError:
        return None
    if hour_s is None:
        return start, start + _DAY_MS - 1
    hour, minute = int(hour_s), int(minute_s)
    second = int(second_s) if second_s is not None else 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    low = start + hour * 3_600_000 + minute * 60_000 + second * 1000
    if fraction is not None:
        low += int((fraction + "00")[:3])
        width = 1
    else:
        width = 1000 if second_s is not None else 60_000
    if zone and zone != "Z":
        offset = int(zone[1:3]) * 60 + int(zone[4:6])
        low -= (offset if zone[0] == "+" else -offset) * 60_000
    return low, low + width - 1


def period_range_ms(period: Any) -> tuple[int, int] | None:
    if type(period) is not dict:
        return None
    start, end = period.get("start"), period.get("end")
    if start is None and end is None:
        return None
    low = date_range_ms(start) if isinstance(start, str) else None
    high = date_range_ms(end) if isinstance(end, str) else None
    return (low[0] if low else MIN_MS, high[1] if high else MAX_MS)


def timing_range_ms(timing: Any) -> tuple[int, int] | None:
    if type(timing) is not dict:
        return None
    ranges = [r for r in (date_range_ms(e) for e in timing.get("event") or () if isinstance(e, str)) if r]
    bounds = period_range_ms((timing.get("repeat") or {}).get("boundsPeriod"))
    if bounds:
        ranges.append(bounds)
    if not ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


@dataclass(frozen=True)
class DateValue:
    prefix: str
    low: int
    high: int


def prefix_split(raw: str) -> tuple[str, str]:
    if len(raw) > 2 and raw[:2] in PREFIXES and not raw[:2].isdigit():
        return raw[:2], raw[2:]
    return "eq", raw


def date_condition(low: str, high: str, prefix: str, q_low: int, q_high: int) -> SqlFragment:
    """Compare the target range (columns `low`, `high`) with the search range [q_low, q_high]."""
    if prefix == "eq":
        return SqlFragment(f"{low} >= %s AND {high} <= %s", (q_low, q_high))
    if prefix == "ne":
        return SqlFragment(f"({low} < %s OR {high} > %s)", (q_low, q_high))
    if prefix == "gt":
        return SqlFragment(f"{high} > %s", (q_high,))
    if prefix == "lt":
        return SqlFragment(f"{low} < %s", (q_low,))
    if prefix == "ge":
        return SqlFragment(f"({high} > %s OR ({low} >= %s AND {high} <= %s))", (q_high, q_low, q_high))
    if prefix == "le":
        return SqlFragment(f"({low} < %s OR ({low} >= %s AND {high} <= %s))", (q_low, q_low, q_high))
    if prefix == "sa":
        return SqlFragment(f"{low} > %s", (q_high,))
    if prefix == "eb":
        return SqlFragment(f"{high} < %s", (q_low,))
    if prefix == "ap":  # the caller has already widened [q_low, q_high]
        return SqlFragment(f"{low} <= %s AND {high} >= %s", (q_high, q_low))
    raise SearchError(f"unknown prefix {prefix}")


class Date(SearchType):
    name = "date"
    table = "fhir_idx_date"
    columns = ("param", "grp", "low", "high")
    indexable = frozenset({"date", "dateTime", "instant", "Period", "Timing"})

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        rows = out[self.table]
        code = param.code
        for value, typed in nodes:
            kind = typed.code
            if kind == "Period":
                found = period_range_ms(value)
            elif kind == "Timing":
                found = timing_range_ms(value)
            elif kind in ("date", "dateTime", "instant") and isinstance(value, str):
                found = date_range_ms(value)
            else:
                continue
            if found is not None:
                rows.append((code, grp, found[0], found[1]))

    def value_parse(self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext) -> DateValue:
        modifier_check(modifier, frozenset(), param)
        prefix, text = prefix_split(raw)
        found = date_range_ms(text)
        if found is None:
            raise SearchError(f"{param.code}: {text!r} is not a date")
        low, high = found
        if prefix == "ap":
            # "approximately": 10% of the distance from now, as R4 suggests, and at least a day.
            slack = max(abs(context.now_ms - low) // 10, _DAY_MS)
            low, high = max(low - slack, MIN_MS), min(high + slack, MAX_MS)
        return DateValue(prefix, low, high)

    def condition(self, alias: str, value: DateValue, modifier: str | None, param: SearchParameter) -> SqlFragment:
        return date_condition(f"{alias}.low", f"{alias}.high", value.prefix, value.low, value.high)

    def sort_key(self, alias: str, descending: bool) -> str:
        return f"max({alias}.high)" if descending else f"min({alias}.low)"

    # `_lastUpdated` lives on the resource row (`r.last_updated`), an instant: its range is the point itself.

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
        column = f"r.{param.column}"
        return sql_any(_column_condition(column, value) for value in values)

    def missing(self, param: SearchParameter, missing: bool, resource_types: list[str]) -> SqlFragment:
        if param.column is not None:
            return SqlFragment("1 = 0") if missing else SqlFragment("1 = 1")
        return super().missing(param, missing, resource_types)


def ms_datetime(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def datetime_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def db_datetime(ms: int) -> Any:
    """A millisecond instant as the database's datetime column takes it."""
    return connection.ops.adapt_datetimefield_value(ms_datetime(ms))


def _column_condition(column: str, value: DateValue) -> SqlFragment:
    condition = date_condition(column, column, value.prefix, value.low, value.high)
    return SqlFragment(condition.sql, tuple(db_datetime(ms) for ms in condition.params))
