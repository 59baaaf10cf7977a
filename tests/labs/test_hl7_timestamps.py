from datetime import timedelta, timezone

import pytest

from kaari.labs.hl7.timestamps import TimestampError, v2_timestamp_to_fhir


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025", "2025"), ("202506", "2025-06"), ("20250602", "2025-06-02")],
)
def test_a_date_keeps_its_precision(value, expected):
    assert v2_timestamp_to_fhir(value=value) == expected


def test_an_explicit_offset_is_kept():
    assert v2_timestamp_to_fhir(value="202506020810-0500") == "2025-06-02T08:10:00-05:00"


def test_fractions_of_a_second_are_kept():
    assert v2_timestamp_to_fhir(value="20250602081005.25+0300") == "2025-06-02T08:10:05.25+03:00"


def test_without_an_offset_the_senders_offset_applies():
    sender = timezone(timedelta(hours=1))
    assert v2_timestamp_to_fhir(value="20250602081000", sender_offset=sender) == "2025-06-02T08:10:00+01:00"


def test_without_any_offset_finnish_time_applies_with_daylight_saving():
    assert v2_timestamp_to_fhir(value="20250114073000") == "2025-01-14T07:30:00+02:00"
    assert v2_timestamp_to_fhir(value="20250714073000") == "2025-07-14T07:30:00+03:00"


@pytest.mark.parametrize("value", ["2025-06-02", "20251345990000", "abc", "2025060"])
def test_a_malformed_timestamp_is_rejected(value):
    with pytest.raises(TimestampError):
        v2_timestamp_to_fhir(value=value)
