"""Days as proleptic ordinals and their FHIR text in Finnish local time.

The generator counts days as integers (fast, exact) and turns them into FHIR `date`/`dateTime` text only when a
resource is written. Local time is Europe/Helsinki under the EU summer-time rule, computed here rather than read from
the host's time zone database so that output is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import functools

DEFAULT_TODAY = dt.date(2026, 11, 1)


def _last_sunday(year: int, month: int) -> int:
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return last.toordinal() - (last.weekday() + 1) % 7


@functools.cache
def _summer_days(year: int) -> tuple[int, int]:
    """First and last local day fully or partly in EEST (+03:00) for a year."""
    return _last_sunday(year, 3), _last_sunday(year, 10)


def utc_offset(day: int, minute: int) -> str:
    """The Helsinki offset at local `minute` of `day`; the switch happens at 03:00 or 04:00 local time."""
    year = dt.date.fromordinal(day).year
    start, end = _summer_days(year)
    summer = (start < day < end) or (day == start and minute >= 180) or (day == end and minute < 240)
    return "+03:00" if summer else "+02:00"


_date_cache: dict[int, str] = {}


def iso_date(day: int) -> str:
    text = _date_cache.get(day)
    if text is None:
        text = dt.date.fromordinal(day).isoformat()
        _date_cache[day] = text
    return text


def fi_date(day: int) -> str:
    """A date as Finns write it in running text: 5.10.2023."""
    d = dt.date.fromordinal(day)
    return f"{d.day}.{d.month}.{d.year}"


def iso_datetime(day: int, minute: int) -> str:
    return f"{iso_date(day)}T{minute // 60:02d}:{minute % 60:02d}:00{utc_offset(day, minute)}"


def year_of(day: int) -> int:
    return dt.date.fromordinal(day).year


def age_on(*, birth: int, day: int) -> int:
    born = dt.date.fromordinal(birth)
    then = dt.date.fromordinal(day)
    return then.year - born.year - ((then.month, then.day) < (born.month, born.day))
