from tests.factories import PatientFactory
from tests.fhir.conftest import outcome_codes


def test_delete_makes_a_later_read_410_gone(fhir):
    created = fhir.created(PatientFactory())
    response = fhir.delete(f"/Patient/{created['id']}")
    assert response.status_code == 204
    assert response["ETag"] == 'W/"2"'
    gone = fhir.get(f"/Patient/{created['id']}")
    assert gone.status_code == 410
    assert outcome_codes(gone) == ["deleted"]


def test_history_keeps_the_deleted_version(fhir):
    created = fhir.created(PatientFactory())
    fhir.delete(f"/Patient/{created['id']}")
    entries = fhir.get(f"/Patient/{created['id']}/_history").json()["entry"]
    assert [e["request"]["method"] for e in entries] == ["DELETE", "POST"]
    assert "resource" not in entries[0]
    assert fhir.get(f"/Patient/{created['id']}/_history/1").status_code == 200


def test_deleting_twice_is_harmless_and_writes_no_new_version(fhir):
    created = fhir.created(PatientFactory())
    fhir.delete(f"/Patient/{created['id']}")
    assert fhir.delete(f"/Patient/{created['id']}").status_code == 204
    assert len(fhir.get(f"/Patient/{created['id']}/_history").json()["entry"]) == 2


def test_delete_of_an_unknown_resource_is_404(fhir):
    assert fhir.delete("/Patient/nobody").status_code == 404


def test_delete_with_a_stale_if_match_is_412_and_keeps_the_resource(fhir):
    created = fhir.created(PatientFactory())
    fhir.put(f"/Patient/{created['id']}", created)
    assert fhir.delete(f"/Patient/{created['id']}", **{"If-Match": 'W/"1"'}).status_code == 412
    assert fhir.get(f"/Patient/{created['id']}").status_code == 200


def test_delete_with_prefer_operation_outcome_answers_with_an_outcome(fhir):
    created = fhir.created(PatientFactory())
    response = fhir.delete(f"/Patient/{created['id']}", Prefer="return=OperationOutcome")
    assert response.status_code == 200
    assert response.json()["resourceType"] == "OperationOutcome"
