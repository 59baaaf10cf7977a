from tests.factories import PatientFactory

HETU = "urn:oid:1.2.246.21"


def patient_with(code):
    return PatientFactory(identifier=[{"system": HETU, "value": code}])


def test_conditional_create_creates_when_nothing_matches_and_returns_the_match_otherwise(fhir):
    first = fhir.post("/Patient", patient_with("131052-308T"), **{"If-None-Exist": f"identifier={HETU}|131052-308T"})
    assert first.status_code == 201
    again = fhir.post("/Patient", patient_with("131052-308T"), **{"If-None-Exist": f"identifier={HETU}|131052-308T"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_conditional_create_with_several_matches_is_412(fhir):
    fhir.created(PatientFactory(name=[{"family": "Sama"}]))
    fhir.created(PatientFactory(name=[{"family": "Sama"}]))
    response = fhir.post("/Patient", PatientFactory(), **{"If-None-Exist": "family=sama"})
    assert response.status_code == 412


def test_conditional_update_updates_the_one_match_or_creates(fhir):
    created = fhir.put(f"/Patient?identifier={HETU}|131052-308T", patient_with("131052-308T"))
    assert created.status_code == 201
    updated = fhir.put(f"/Patient?identifier={HETU}|131052-308T", {**patient_with("131052-308T"), "gender": "male"})
    assert updated.status_code == 200
    assert updated.json()["id"] == created.json()["id"]
    assert updated.json()["gender"] == "male"


def test_conditional_delete_deletes_the_one_match(fhir):
    patient = fhir.created(patient_with("131052-308T"))
    assert fhir.delete(f"/Patient?identifier={HETU}|131052-308T").status_code == 204
    assert fhir.get(f"/Patient/{patient['id']}").status_code == 410
    assert fhir.delete(f"/Patient?identifier={HETU}|131052-308T").status_code == 204


def test_conditional_interactions_need_criteria(fhir):
    assert fhir.put("/Patient", PatientFactory()).status_code == 400
    assert fhir.delete("/Patient").status_code == 400
