"""HL7 v2 TS/DTM values as FHIR dateTime strings.

HL7 v2.5 (2.A.74 TS): YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]. Without an offset the
time is the sender's local time: the offset of MSH-7 when it has one, otherwise the configured
zone (Europe/Helsinki, with its daylight saving). The precision is kept: a day stays a date.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

SENDER_ZONE = ZoneInfo("Europe/Helsinki")
_DTM = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?([+-]\d{4})?$")


class TimestampError(ValueError):
    pass


def offset_parse(*, text: str | None) -> tzinfo | None:
    match = re.search(r"([+-])(\d{2})(\d{2})$", text or "")
    if not match:
        return None
    sign = 1 if match.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))


def v2_timestamp_to_fhir(*, value: str, sender_offset: tzinfo | None = None) -> str:
    """'20250602081000+0300' -> '2025-06-02T08:10:00+03:00'; '20250602' -> '2025-06-02'."""
    text = value.split("^")[0].strip()
    match = _DTM.match(text)
    if not match:
        raise TimestampError(f"{value!r} is not an HL7 v2 timestamp")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if hour is None:
        return "-".join(part for part in (year, month, day) if part)
    if day is None or month is None:
        raise TimestampError(f"{value!r} has a time without a day")
    zone = offset_parse(text=offset) or sender_offset or SENDER_ZONE
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute or 0), int(second or 0), tzinfo=zone)
    except ValueError as exc:
        raise TimestampError(f"{value!r}: {exc}") from exc
    result = moment.isoformat(timespec="seconds")
    if fraction:
        result = result[:19] + fraction + result[19:]
    return result
