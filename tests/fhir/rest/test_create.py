from tests.factories import PatientFactory
from tests.fhir.conftest import outcome_codes


def test_create_assigns_an_id_and_answers_201_with_location_and_etag(fhir):
    response = fhir.post("/Patient", PatientFactory())
    assert response.status_code == 201
    body = response.json()
    assert body["id"]
    assert body["meta"]["versionId"] == "1"
    assert response["ETag"] == 'W/"1"'
    assert response["Location"] == f"http://testserver/fhir/Patient/{body['id']}/_history/1"
    assert response["Content-Type"].startswith("application/fhir+json")


def test_create_ignores_a_client_supplied_id_and_meta_versions(fhir):
    resource = PatientFactory(id="client-chosen", meta={"versionId": "99", "lastUpdated": "2000-01-01T00:00:00Z"})
    body = fhir.post("/Patient", resource).json()
    assert body["id"] != "client-chosen"
    assert body["meta"]["versionId"] == "1"
    assert not body["meta"]["lastUpdated"].startswith("2000")


def test_create_keeps_client_tags_and_security_labels(fhir):
    tag = {"system": "https://example.org/tags", "code": "demo"}
    body = fhir.post("/Patient", PatientFactory(meta={"tag": [tag]})).json()
    assert body["meta"]["tag"] == [tag]


def test_create_with_plain_application_json_is_accepted(fhir):
    assert fhir.post("/Patient", PatientFactory(), content_type="application/json").status_code == 201


def test_create_with_a_type_that_does_not_match_the_url_is_rejected(fhir):
    response = fhir.post("/Observation", PatientFactory())
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["resourceType"]


def test_create_of_an_unknown_resource_type_is_404(fhir):
    response = fhir.post("/Spaceship", {"resourceType": "Spaceship"})
    assert response.status_code == 404
    assert outcome_codes(response) == ["not-found"]


def test_a_subscription_is_kept_as_a_record_as_sent(fhir):
    subscription = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "r",
        "criteria": "Observation?code=1",
        "channel": {"type": "rest-hook", "endpoint": "https://example.org/hook"},
    }
    response = fhir.post("/Subscription", subscription)
    assert response.status_code == 201
    assert response.json()["status"] == "requested"


def test_prefer_return_minimal_answers_without_a_body(fhir):
    response = fhir.post("/Patient", PatientFactory(), Prefer="return=minimal")
    assert response.status_code == 201
    assert response.content == b""
    assert response["Location"]


def test_prefer_return_operation_outcome_answers_with_an_outcome(fhir):
    response = fhir.post("/Patient", PatientFactory(), Prefer="return=OperationOutcome")
    assert response.status_code == 201
    assert response.json()["resourceType"] == "OperationOutcome"
