"""Parsing the ISO 8601 profiles FHIR uses for date, dateTime and instant."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DATETIME = re.compile(
    r"^(?P<y>\d{4})(-(?P<m>\d{2})(-(?P<d>\d{2})(T(?P<H>\d{2}):(?P<M>\d{2})(:(?P<S>\d{2})(\.(?P<f>\d+))?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


def instant_parse(value: str) -> datetime:
    """A point in time from a FHIR date, dateTime or instant; missing parts are the start, no zone means UTC."""
    match = _DATETIME.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a FHIR date or dateTime")
    parts = match.groupdict()
    fraction = (parts["f"] or "0")[:6].ljust(6, "0")
    moment = datetime(
        int(parts["y"]),
        int(parts["m"] or 1),
        int(parts["d"] or 1),
        int(parts["H"] or 0),
        int(parts["M"] or 0),
        int(parts["S"] or 0),
        int(fraction),
        tzinfo=UTC,
    )
    zone = parts["tz"]
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = sign * (int(zone[1:3]) * 60 + int(zone[4:6]))
        moment = moment - timedelta(minutes=offset)
    return moment
