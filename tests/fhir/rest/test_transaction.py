import json
from pathlib import Path

import pytest

from tests.factories import ObservationFactory, PatientFactory

SYNTHEA = Path(__file__).resolve().parents[4] / "shared" / "data" / "synthea-r4"


def transaction(*entries):
    return {"resourceType": "Bundle", "type": "transaction", "entry": list(entries)}


def test_a_transaction_resolves_urn_uuid_references_to_the_new_ids(fhir):
    bundle = transaction(
        {"fullUrl": "urn:uuid:p1", "resource": PatientFactory(), "request": {"method": "POST", "url": "Patient"}},
        {
            "fullUrl": "urn:uuid:o1",
            "resource": ObservationFactory(subject={"reference": "urn:uuid:p1"}),
            "request": {"method": "POST", "url": "Observation"},
        },
    )
    response = fhir.post("", bundle)
    assert response.status_code == 200
    result = response.json()
    assert result["type"] == "transaction-response"
    patient_location, observation_location = (e["response"]["location"] for e in result["entry"])
    patient_id = patient_location.split("/")[1]
    observation = fhir.get("/" + observation_location.split("/_history")[0]).json()
    assert observation["subject"]["reference"] == f"Patient/{patient_id}"


def test_a_failing_entry_rolls_the_whole_transaction_back(fhir):
    bundle = transaction(
        {"resource": PatientFactory(id="kept-out"), "request": {"method": "PUT", "url": "Patient/kept-out"}},
        {
            "resource": {"resourceType": "Patient", "birthDate": "1970-13-45"},
            "request": {"method": "POST", "url": "Patient"},
        },
    )
    response = fhir.post("", bundle)
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"][0].startswith("Bundle.entry[1]")
    assert fhir.get("/Patient/kept-out").status_code == 404


def test_entries_run_in_the_specified_order_delete_post_put_get(fhir):
    doomed = fhir.created(PatientFactory())
    bundle = transaction(
        {"request": {"method": "GET", "url": "Patient/later"}},
        {"resource": PatientFactory(id="later"), "request": {"method": "PUT", "url": "Patient/later"}},
        {"request": {"method": "DELETE", "url": f"Patient/{doomed['id']}"}},
    )
    response = fhir.post("", bundle)
    assert response.status_code == 200
    statuses = [e["response"]["status"] for e in response.json()["entry"]]
    assert statuses == ["200 OK", "201 Created", "204 No Content"]
    assert response.json()["entry"][0]["resource"]["id"] == "later"
    assert fhir.get(f"/Patient/{doomed['id']}").status_code == 410


def test_the_same_resource_twice_in_a_transaction_is_rejected(fhir):
    bundle = transaction(
        {"resource": PatientFactory(id="twice"), "request": {"method": "PUT", "url": "Patient/twice"}},
        {"resource": PatientFactory(id="twice"), "request": {"method": "PUT", "url": "Patient/twice"}},
    )
    assert fhir.post("", bundle).status_code == 400
    assert fhir.get("/Patient/twice").status_code == 404


def test_a_transaction_with_return_representation_includes_the_resources(fhir):
    bundle = transaction({"resource": PatientFactory(), "request": {"method": "POST", "url": "Patient"}})
    result = fhir.post("", bundle, Prefer="return=representation").json()
    assert result["entry"][0]["resource"]["resourceType"] == "Patient"
    assert result["entry"][0]["fullUrl"].startswith("http://testserver/fhir/Patient/")


def test_a_body_that_is_not_a_bundle_is_rejected(fhir):
    assert fhir.post("", PatientFactory()).status_code == 400
    assert fhir.post("", {"resourceType": "Bundle", "type": "collection"}).status_code == 400


@pytest.mark.parametrize("path", sorted(SYNTHEA.glob("*.json")), ids=lambda p: p.name[:20])
def test_each_synthea_bundle_posts_as_one_transaction_with_every_reference_resolved(fhir, path):
    bundle = json.loads(path.read_text())
    response = fhir.post("", bundle)
    assert response.status_code == 200, response.content[:500]
    locations = [e["response"]["location"].split("/_history")[0] for e in response.json()["entry"]]
    assert len(locations) == len(bundle["entry"])
    stored = {loc: fhir.get(f"/{loc}").json() for loc in locations}
    references = []

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("reference"), str) and not node["reference"].startswith("#"):
                references.append(node["reference"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for resource in stored.values():
        collect(resource)
    assert references
    assert not [r for r in references if r.startswith("urn:")]
    assert set(references) <= set(stored)
