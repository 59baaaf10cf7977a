"""FHIR dateTime values as instants, and their Finnish display."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def fhir_datetime_parse(*, text: str | None) -> datetime | None:
    """An aware datetime; a date without time is its first moment in Finnish local time."""
    if not text:
        return None
    partial = _PARTIAL.match(text)
    if partial:
        year, month, day = (int(g) if g else 1 for g in partial.groups())
        return datetime(year, month, day, tzinfo=HELSINKI)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=HELSINKI)


def observation_time(*, observation: dict[str, Any]) -> datetime | None:
    """When the specimen reflects the patient: effective[x], falling back to issued."""
    period = observation.get("effectivePeriod") or {}
    for text in (
        observation.get("effectiveDateTime"),
        observation.get("effectiveInstant"),
        period.get("end"),
        period.get("start"),
        observation.get("issued"),
    ):
        parsed = fhir_datetime_parse(text=text)
        if parsed is not None:
            return parsed
    return None


def finnish_date(*, moment: datetime, with_time: bool = False) -> str:
    local = moment.astimezone(HELSINKI)
    text = f"{local.day}.{local.month}.{local.year}"
    return f"{text} klo {local.hour:02d}.{local.minute:02d}" if with_time else text


def utc_now() -> datetime:
    return datetime.now(UTC)
