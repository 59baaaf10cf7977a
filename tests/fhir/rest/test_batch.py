from tests.factories import PatientFactory


def batch(*entries):
    return {"resourceType": "Bundle", "type": "batch", "entry": list(entries)}


def test_each_batch_entry_succeeds_or_fails_on_its_own(fhir):
    response = fhir.post(
        "",
        batch(
            {"resource": PatientFactory(), "request": {"method": "POST", "url": "Patient"}},
            {
                "resource": {"resourceType": "Patient", "gender": "plenty"},
                "request": {"method": "POST", "url": "Patient"},
            },
            {"request": {"method": "GET", "url": "Patient/nobody"}},
        ),
    )
    assert response.status_code == 200
    entries = response.json()["entry"]
    assert entries[0]["response"]["status"] == "201 Created"
    assert entries[1]["response"]["status"].startswith("400")
    assert entries[1]["response"]["outcome"]["resourceType"] == "OperationOutcome"
    assert entries[2]["response"]["status"].startswith("404")
    assert response.json()["type"] == "batch-response"


def test_a_batch_entry_with_an_unknown_method_is_reported_in_its_entry(fhir):
    response = fhir.post("", batch({"request": {"method": "FETCH", "url": "Patient/x"}}))
    assert response.status_code == 200
    assert response.json()["entry"][0]["response"]["status"].startswith("400")
