"""Bad input gets an OperationOutcome with a fitting status, never a 500, and changes nothing stored."""

import pytest

from kaari.fhir.models import ResourceVersion
from tests.factories import PatientFactory
from tests.fhir.conftest import outcome_codes


@pytest.fixture
def stored_patient(fhir):
    return fhir.created(PatientFactory())


def versions() -> int:
    return ResourceVersion.objects.count()


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"resourceType": "Patient",}', b"\xff\xfe", b"[1, 2", b"null", b"", b"NaN"],
    ids=["unclosed", "trailing-comma", "not-utf8", "array", "null", "empty", "nan"],
)
def test_malformed_json_is_400_and_stores_nothing(fhir, stored_patient, body):
    before = versions()
    response = fhir.post("/Patient", body)
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert versions() == before


def test_a_body_of_50_mb_is_413_and_stores_nothing(fhir, stored_patient):
    before = versions()
    huge = b'{"resourceType": "Patient", "text": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    response = fhir.post("/Patient", huge)
    assert response.status_code == 413
    assert outcome_codes(response) == ["too-long"]
    assert versions() == before


def test_a_body_just_under_10_mb_is_accepted(fhir):
    # FHIR strings are limited to 1 MB each, so the bulk comes from several of them.
    notes = [{"url": "https://e.org/n", "valueString": "x" * 1_000_000} for _ in range(9)]
    response = fhir.post("/Patient", {"resourceType": "Patient", "extension": notes})
    assert response.status_code == 201, response.content[:300]


def test_a_wrong_content_type_is_415(fhir, stored_patient):
    before = versions()
    response = fhir.post("/Patient", b"<Patient/>", content_type="application/fhir+xml")
    assert response.status_code == 415
    assert versions() == before


def test_asking_for_xml_is_406(fhir, stored_patient):
    assert fhir.get(f"/Patient/{stored_patient['id']}", Accept="application/fhir+xml").status_code == 406
    assert fhir.get(f"/Patient/{stored_patient['id']}?_format=xml").status_code == 406


def test_common_accept_headers_get_json(fhir, stored_patient):
    for accept in ("application/fhir+json", "application/json", "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"):
        assert fhir.get(f"/Patient/{stored_patient['id']}", Accept=accept).status_code == 200


def test_an_unknown_resource_type_is_404(fhir):
    assert fhir.get("/Unicorn").status_code in (404,)
    assert fhir.post("/Unicorn", {"resourceType": "Unicorn"}).status_code == 404


@pytest.mark.parametrize("count", ["-5", "99999999999999999999", "1e9", ""])
def test_odd_count_values_never_fail_the_server(fhir, stored_patient, count):
    assert fhir.get(f"/_history?_count={count}").status_code in (200, 400)


def test_a_deeply_nested_document_is_rejected_cleanly(fhir, stored_patient):
    before = versions()
    nested = b'{"resourceType": "Patient", "extension": ' + b'{"extension": [' * 5000 + b"]}" * 5000 + b"}"
    response = fhir.post("/Patient", nested)
    assert response.status_code == 400
    assert versions() == before


def test_a_moderately_nested_invalid_document_is_rejected_cleanly(fhir):
    inner = b'{"url": "https://e.org/x", "extension": [' * 900 + b'{"url": "https://e.org/x"}' + b"]}" * 900
    response = fhir.post("/Patient", b'{"resourceType": "Patient", "bogus": 1, "extension": [' + inner + b"]}")
    assert response.status_code == 400
    assert outcome_codes(response)[0] in ("structure", "too-costly")


def test_an_unknown_method_on_a_known_path_is_405(fhir, client, stored_patient):
    assert (
        client.post(f"/fhir/Patient/{stored_patient['id']}/_history", content_type="application/fhir+json").status_code
        == 405
    )


def test_an_invalid_id_in_a_put_url_is_rejected(fhir):
    response = fhir.put("/Patient/bad$id", PatientFactory(id="bad$id"))
    assert response.status_code == 400
