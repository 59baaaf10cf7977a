from tests.factories import PatientFactory


def test_update_creates_a_new_version_and_keeps_the_old_one(fhir):
    created = fhir.created(PatientFactory())
    response = fhir.put(f"/Patient/{created['id']}", {**created, "active": True})
    assert response.status_code == 200
    assert response.json()["meta"]["versionId"] == "2"
    assert response["ETag"] == 'W/"2"'
    assert "active" not in fhir.get(f"/Patient/{created['id']}/_history/1").json()


def test_update_with_a_new_client_chosen_id_creates_the_resource(fhir):
    response = fhir.put("/Patient/my-own-id", PatientFactory(id="my-own-id"))
    assert response.status_code == 201
    assert response["Location"].endswith("/Patient/my-own-id/_history/1")
    assert fhir.get("/Patient/my-own-id").status_code == 200


def test_update_whose_body_id_differs_from_the_url_is_rejected(fhir):
    response = fhir.put("/Patient/one", PatientFactory(id="two"))
    assert response.status_code == 400
    assert fhir.get("/Patient/one").status_code == 404


def test_update_with_the_current_version_in_if_match_succeeds(fhir):
    created = fhir.created(PatientFactory())
    response = fhir.put(f"/Patient/{created['id']}", created, **{"If-Match": 'W/"1"'})
    assert response.status_code == 200


def test_update_with_a_stale_if_match_is_412_and_changes_nothing(fhir):
    created = fhir.created(PatientFactory())
    fhir.put(f"/Patient/{created['id']}", {**created, "active": True})
    response = fhir.put(f"/Patient/{created['id']}", {**created, "active": False}, **{"If-Match": 'W/"1"'})
    assert response.status_code == 412
    assert fhir.get(f"/Patient/{created['id']}").json()["active"] is True


def test_update_with_a_malformed_if_match_is_400(fhir):
    created = fhir.created(PatientFactory())
    assert fhir.put(f"/Patient/{created['id']}", created, **{"If-Match": "yesterday"}).status_code == 400


def test_update_of_a_deleted_resource_brings_it_back_as_a_new_version(fhir):
    created = fhir.created(PatientFactory())
    fhir.delete(f"/Patient/{created['id']}")
    response = fhir.put(f"/Patient/{created['id']}", created)
    assert response.status_code == 201
    assert response.json()["meta"]["versionId"] == "3"
