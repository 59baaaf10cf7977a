from kaari.lib.hetu import hetu_parse
from kaari.synth.fhir import HETU_SYSTEM


def _codes(resources):
    return [i["value"] for r in resources for i in r["identifier"] if i["system"] == HETU_SYSTEM]


def test_every_resident_and_guardian_has_a_valid_synthetic_identity_code(by_type):
    codes = _codes(by_type["Patient"]) + _codes(by_type["RelatedPerson"])
    assert len(_codes(by_type["Patient"])) == len(by_type["Patient"])
    for code in codes:
        assert 900 <= hetu_parse(code).individual_number <= 999


def test_identity_codes_are_unique_per_person(by_type):
    codes = _codes(by_type["Patient"])
    assert len(set(codes)) == len(codes)


def test_the_code_agrees_with_birth_date_and_sex(by_type):
    for patient in by_type["Patient"]:
        parsed = hetu_parse(_codes([patient])[0])
        assert parsed.birth_date.isoformat() == patient["birthDate"]
        assert parsed.sex == patient["gender"]


def test_some_codes_use_the_century_signs_introduced_in_2023(by_type):
    signs = {code[6] for code in _codes(by_type["Patient"])}
    assert signs & set("YXWVUBCDEF")
    assert signs & set("-A")
