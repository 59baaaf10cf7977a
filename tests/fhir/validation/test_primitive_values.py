import pytest

from .factories import observation_build, patient_build, problems


@pytest.mark.parametrize("value", ["1970-13-45", "1970-00-10", "2023-02-30", "2023-04-31", "1900-02-29", "70-01-01"])
def test_an_impossible_date_is_rejected(value):
    assert problems(patient_build(birthDate=value)) == [("value", "Patient.birthDate")]


@pytest.mark.parametrize("value", ["1952", "1952-10", "1952-10-13", "2000-02-29", "2024-02-29"])
def test_partial_dates_and_leap_days_are_dates(value):
    assert problems(patient_build(birthDate=value)) == []


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-01T08:30:00",
        "2024-03-01T25:00:00Z",
        "2024-03-01 08:30:00Z",
        "2023-02-29T10:00:00Z",
        "2024-03-01T08:30Z",
    ],
)
def test_an_invalid_date_time_is_rejected(value):
    assert problems(observation_build(effectiveDateTime=value)) == [("value", "Observation.effectiveDateTime")]


@pytest.mark.parametrize(
    "value", ["2024", "2024-03", "2024-03-01", "2024-03-01T08:30:00.123+02:00", "2024-03-01T08:30:00Z"]
)
def test_date_times_of_every_precision_are_accepted(value):
    assert problems(observation_build(effectiveDateTime=value)) == []


@pytest.mark.parametrize("value", ["2024-03-01T10:00:00", "2024-03-01", "2024-03-01T10:00:00+15:00"])
def test_an_instant_needs_a_full_time_and_a_valid_time_zone(value):
    assert problems(observation_build(issued=value)) == [("value", "Observation.issued")]


@pytest.mark.parametrize("value", ["bad id!", "x" * 65, "ääkköset", "a/b"])
def test_a_bad_id_is_rejected(value):
    assert problems(patient_build(id=value)) == [("value", "Patient.id")]


def test_an_element_id_is_a_string_not_an_id():
    assert problems(patient_build(name=[{"id": "name one", "family": "Virtanen"}])) == []


@pytest.mark.parametrize(("value", "valid"), [(0, False), (1, True), (2147483647, True), (2147483648, False)])
def test_a_positive_int_is_between_one_and_the_32_bit_maximum(value, valid):
    resource = patient_build(telecom=[{"system": "phone", "value": "+358 9 1234", "rank": value}])
    assert problems(resource) == ([] if valid else [("value", "Patient.telecom[0].rank")])


@pytest.mark.parametrize(("value", "valid"), [(-1, False), (0, True), (2147483647, True), (2147483648, False)])
def test_an_unsigned_int_is_between_zero_and_the_32_bit_maximum(value, valid):
    resource = patient_build(photo=[{"contentType": "image/png", "size": value}])
    assert problems(resource) == ([] if valid else [("value", "Patient.photo[0].size")])


@pytest.mark.parametrize(("value", "valid"), [(-2147483648, True), (-2147483649, False), (2147483648, False)])
def test_an_integer_is_32_bits(value, valid):
    assert problems(patient_build(multipleBirthInteger=value)) == (
        [] if valid else [("value", "Patient.multipleBirthInteger")]
    )


@pytest.mark.parametrize("value", ["aGVsbG8=", "aGVsbG8h", "aGVs\nbG8h", "aGVsbA=="])
def test_well_formed_base64_is_accepted(value):
    assert problems(patient_build(photo=[{"data": value}])) == []


@pytest.mark.parametrize("value", ["aGVsbG8", "aGV=sbG8", "aGVsbG8!", "====", "aGVsbG8=aGVs"])
def test_malformed_base64_is_rejected(value):
    assert problems(patient_build(photo=[{"data": value}])) == [("value", "Patient.photo[0].data")]


@pytest.mark.parametrize("value", ["http://example.org/a b", " http://example.org", "urn:x\ty"])
def test_a_uri_has_no_whitespace(value):
    resource = patient_build(identifier=[{"system": value, "value": "1"}])
    assert problems(resource) == [("value", "Patient.identifier[0].system")]


@pytest.mark.parametrize("value", [" female", "female ", "fe  male"])
def test_a_code_has_no_leading_trailing_or_double_whitespace(value):
    assert problems(patient_build(gender=value)) == [("value", "Patient.gender")]


def test_a_time_is_checked_by_its_regex():
    resource = observation_build(valueTime="24:00:00")
    del resource["valueQuantity"]
    assert problems(resource) == [("value", "Observation.valueTime")]


def test_an_oid_and_a_uuid_are_checked_by_their_regexes():
    extension = [
        {"url": "http://example.org/a", "valueOid": "urn:oid:1.2.246.21"},
        {"url": "http://example.org/b", "valueOid": "1.2.246.21"},
        {"url": "http://example.org/c", "valueUuid": "urn:uuid:C0E0D027-1250-4278-8F44-33A49DC67916"},
    ]
    assert problems(patient_build(extension=extension)) == [
        ("value", "Patient.extension[1].valueOid"),
        ("value", "Patient.extension[2].valueUuid"),
    ]


def test_a_string_may_hold_a_non_breaking_space_but_not_a_form_feed():
    assert problems(patient_build(name=[{"text": "Aino\u00a0Virtanen"}])) == []
    assert problems(patient_build(name=[{"text": "Aino\fVirtanen"}])) == [("value", "Patient.name[0].text")]


def test_a_string_longer_than_one_megabyte_is_rejected():
    assert problems(patient_build(name=[{"text": "x" * (1024 * 1024 + 1)}])) == [("value", "Patient.name[0].text")]
