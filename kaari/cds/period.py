"""The period a report covers, from `--since` and `--until` dates (local days, Europe/Helsinki)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


class PeriodError(ValueError):
    pass


def day_start(text: str | None, *, next_day: bool = False) -> datetime | None:
    """The start of the named day (or of the day after it, for an inclusive `--until`) as an aware datetime."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise PeriodError(f"{text!r} is not a date (YYYY-MM-DD)") from exc
    if next_day:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))
