from tests.factories import PatientFactory
from tests.fhir.conftest import outcome_codes


def test_read_returns_what_was_created(fhir):
    created = fhir.created(PatientFactory())
    response = fhir.get(f"/Patient/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created
    assert response["ETag"] == 'W/"1"'
    assert response["Last-Modified"]


def test_read_of_an_unknown_id_is_404_with_an_outcome(fhir):
    response = fhir.get("/Patient/does-not-exist")
    assert response.status_code == 404
    assert outcome_codes(response) == ["not-found"]


def test_read_of_an_unknown_type_is_404(fhir):
    assert fhir.get("/Dragon/1").status_code == 404


def test_read_with_a_matching_if_none_match_is_304(fhir):
    created = fhir.created(PatientFactory())
    assert fhir.get(f"/Patient/{created['id']}", **{"If-None-Match": 'W/"1"'}).status_code == 304


def test_vread_returns_each_old_version(fhir):
    created = fhir.created(PatientFactory(gender="female"))
    changed = {**created, "gender": "male"}
    assert fhir.put(f"/Patient/{created['id']}", changed).status_code == 200
    first = fhir.get(f"/Patient/{created['id']}/_history/1")
    second = fhir.get(f"/Patient/{created['id']}/_history/2")
    assert first.json()["gender"] == "female"
    assert second.json()["gender"] == "male"
    assert second.json()["meta"]["versionId"] == "2"


def test_vread_of_an_unknown_version_is_404(fhir):
    created = fhir.created(PatientFactory())
    assert fhir.get(f"/Patient/{created['id']}/_history/7").status_code == 404
    assert fhir.get(f"/Patient/{created['id']}/_history/abc").status_code == 404


def test_head_answers_like_get_without_a_body(fhir, client):
    created = fhir.created(PatientFactory())
    response = client.head(f"/fhir/Patient/{created['id']}")
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == 'W/"1"'
