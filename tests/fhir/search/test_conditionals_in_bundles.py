from tests.factories import ObservationFactory, PatientFactory

HETU = "urn:oid:1.2.246.21"


def transaction(*entries):
    return {"resourceType": "Bundle", "type": "transaction", "entry": list(entries)}


def patient_with(code):
    return PatientFactory(identifier=[{"system": HETU, "value": code}])


def test_a_conditional_reference_becomes_the_one_patient_it_finds(fhir):
    patient = fhir.created(patient_with("131052-308T"))
    observation = ObservationFactory(subject={"reference": f"Patient?identifier={HETU}|131052-308T"})
    response = fhir.post(
        "", transaction({"resource": observation, "request": {"method": "POST", "url": "Observation"}})
    )
    assert response.status_code == 200
    location = response.json()["entry"][0]["response"]["location"]
    stored = fhir.get("/" + location.split("/_history")[0]).json()
    assert stored["subject"]["reference"] == f"Patient/{patient['id']}"


def test_a_conditional_reference_that_finds_nothing_fails_the_whole_transaction(fhir):
    observation = ObservationFactory(subject={"reference": f"Patient?identifier={HETU}|010101-999X"})
    response = fhir.post(
        "",
        transaction(
            {"resource": PatientFactory(), "request": {"method": "POST", "url": "Patient"}},
            {"resource": observation, "request": {"method": "POST", "url": "Observation"}},
        ),
    )
    assert response.status_code == 400
    assert fhir.get("/Patient").json()["total"] == 0


def test_a_conditional_create_that_matches_writes_nothing_and_its_full_url_means_the_match(fhir):
    patient = fhir.created(patient_with("131052-308T"))
    response = fhir.post(
        "",
        transaction(
            {
                "fullUrl": "urn:uuid:0c4b3f0e-0000-4000-8000-000000000001",
                "resource": patient_with("131052-308T"),
                "request": {"method": "POST", "url": "Patient", "ifNoneExist": f"identifier={HETU}|131052-308T"},
            },
            {
                "resource": ObservationFactory(subject={"reference": "urn:uuid:0c4b3f0e-0000-4000-8000-000000000001"}),
                "request": {"method": "POST", "url": "Observation"},
            },
        ),
    )
    assert response.status_code == 200
    assert response.json()["entry"][0]["response"]["status"] == "200 OK"
    assert fhir.get("/Patient").json()["total"] == 1
    (observation,) = fhir.get(f"/Observation?subject=Patient/{patient['id']}").json()["entry"]
    assert observation["resource"]["subject"]["reference"] == f"Patient/{patient['id']}"


def test_conditional_update_and_delete_inside_a_transaction(fhir):
    kept = fhir.created(patient_with("131052-308T"))
    doomed = fhir.created(PatientFactory(name=[{"family": "Poistettava"}]))
    response = fhir.post(
        "",
        transaction(
            {
                "resource": {**patient_with("131052-308T"), "gender": "male"},
                "request": {"method": "PUT", "url": f"Patient?identifier={HETU}|131052-308T"},
            },
            {"request": {"method": "DELETE", "url": "Patient?family=poistettava"}},
        ),
    )
    assert response.status_code == 200
    assert fhir.get(f"/Patient/{kept['id']}").json()["gender"] == "male"
    assert fhir.get(f"/Patient/{doomed['id']}").status_code == 410


def test_a_batch_can_search(fhir):
    fhir.created(PatientFactory(name=[{"family": "Etsittävä"}]))
    batch = {
        "resourceType": "Bundle",
        "type": "batch",
        "entry": [{"request": {"method": "GET", "url": "Patient?family=etsittava"}}],
    }
    (entry,) = fhir.post("", batch).json()["entry"]
    assert entry["response"]["status"] == "200 OK"
    assert entry["resource"]["type"] == "searchset"
    assert entry["resource"]["total"] == 1
