from tests.factories import PatientFactory

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"


def test_json_patch_changes_the_resource_and_makes_a_version(fhir):
    created = fhir.created(PatientFactory(gender="female"))
    ops = [{"op": "replace", "path": "/gender", "value": "male"}, {"op": "add", "path": "/active", "value": True}]
    response = fhir.patch(f"/Patient/{created['id']}", ops, JSON_PATCH)
    assert response.status_code == 200
    assert response.json()["gender"] == "male"
    assert response.json()["active"] is True
    assert response.json()["meta"]["versionId"] == "2"


def test_merge_patch_changes_and_removes_members(fhir):
    created = fhir.created(PatientFactory(active=True))
    response = fhir.patch(f"/Patient/{created['id']}", {"active": None, "gender": "other"}, MERGE_PATCH)
    assert response.status_code == 200
    assert "active" not in response.json()
    assert response.json()["gender"] == "other"


def test_a_plain_json_object_sent_as_application_json_is_a_merge_patch(fhir):
    created = fhir.created(PatientFactory())
    response = fhir.patch(f"/Patient/{created['id']}", {"gender": "unknown"}, "application/json")
    assert response.status_code == 200
    assert response.json()["gender"] == "unknown"


def test_a_patch_that_makes_the_resource_invalid_is_rejected_and_changes_nothing(fhir):
    created = fhir.created(PatientFactory())
    response = fhir.patch(f"/Patient/{created['id']}", [{"op": "add", "path": "/colour", "value": "red"}], JSON_PATCH)
    assert response.status_code == 400
    assert fhir.get(f"/Patient/{created['id']}").json() == created


def test_a_failing_test_operation_applies_nothing(fhir):
    created = fhir.created(PatientFactory(gender="female"))
    ops = [{"op": "replace", "path": "/gender", "value": "male"}, {"op": "test", "path": "/gender", "value": "x"}]
    assert fhir.patch(f"/Patient/{created['id']}", ops, JSON_PATCH).status_code == 422
    assert fhir.get(f"/Patient/{created['id']}").json()["gender"] == "female"


def test_a_patch_may_not_change_the_id(fhir):
    created = fhir.created(PatientFactory())
    ops = [{"op": "replace", "path": "/id", "value": "other"}]
    assert fhir.patch(f"/Patient/{created['id']}", ops, JSON_PATCH).status_code == 422


def test_patch_with_a_stale_if_match_is_412(fhir):
    created = fhir.created(PatientFactory())
    fhir.patch(f"/Patient/{created['id']}", {"active": True}, MERGE_PATCH)
    response = fhir.patch(f"/Patient/{created['id']}", {"active": False}, MERGE_PATCH, **{"If-Match": 'W/"1"'})
    assert response.status_code == 412


def test_patch_of_an_unknown_resource_is_404(fhir):
    assert fhir.patch("/Patient/nobody", {"active": True}, MERGE_PATCH).status_code == 404


def test_patch_with_an_unsupported_content_type_is_415(fhir):
    created = fhir.created(PatientFactory())
    assert fhir.patch(f"/Patient/{created['id']}", "x", "text/plain").status_code == 415
