from tests.factories import PatientFactory

HETU = "urn:oid:1.2.246.21"


def patient_with(code: str, **fields):
    return PatientFactory(identifier=[{"system": HETU, "value": code}], **fields)


def test_a_patient_with_a_valid_identity_code_is_stored(fhir):
    assert fhir.post("/Patient", patient_with("131052-308T")).status_code == 201


def test_an_invalid_identity_code_is_rejected_at_the_identifier(fhir):
    response = fhir.post(
        "/Patient",
        PatientFactory(identifier=[{"system": "x:y", "value": "1"}, {"system": HETU, "value": "131052-308A"}]),
    )
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["Patient.identifier[1].value"]


def test_the_new_century_signs_are_valid(fhir):
    # 010594Y9032 uses the 1900s sign Y introduced in 2023.
    assert fhir.post("/Patient", patient_with("010594Y9032")).status_code == 201


def test_a_second_patient_with_the_same_code_is_a_conflict(fhir):
    fhir.created(patient_with("131052-308T"))
    response = fhir.post("/Patient", patient_with("131052-308T"))
    assert response.status_code == 409


def test_updating_the_patient_who_holds_the_code_is_fine(fhir):
    created = fhir.created(patient_with("131052-308T"))
    assert fhir.put(f"/Patient/{created['id']}", {**created, "active": True}).status_code == 200


def test_after_deleting_the_holder_the_code_can_be_used_again(fhir):
    created = fhir.created(patient_with("131052-308T"))
    fhir.delete(f"/Patient/{created['id']}")
    assert fhir.post("/Patient", patient_with("131052-308T")).status_code == 201


def test_two_patients_with_one_code_in_a_transaction_are_a_conflict(fhir):
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"resource": patient_with("131052-308T"), "request": {"method": "POST", "url": "Patient"}},
            {"resource": patient_with("131052-308T"), "request": {"method": "POST", "url": "Patient"}},
        ],
    }
    assert fhir.post("", bundle).status_code == 409
