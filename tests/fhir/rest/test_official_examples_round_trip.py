"""Acceptance: every non-definition R4 example POSTs and reads back equal, apart from id and meta."""

import pytest

from tests.fhir.examples import MISSING_REASON, PACKAGE, examples

# Examples Kaari rejects, each for a reason the specification itself gives.
EXPECTED_REJECTED: dict[str, str] = {
    "DeviceMetric-example.json": "DeviceMetric.parent must reference a Device, not a DeviceDefinition",
    "DeviceUseStatement-example.json": "DeviceUseStatement.reasonReference may not reference a Procedure",
    "MedicationRequest-medrx0301.json": "dispenseRequest.performer must reference an Organization, not a Practitioner",
    "Observation-clinical-gender.json": "Observation.performer may not reference an Encounter",
    "Questionnaire-qs1.json": "32 nested display items lack Questionnaire.item.linkId, which is required (1..1)",
}


def without_server_fields(resource):
    return {key: value for key, value in resource.items() if key not in ("id", "meta")}


@pytest.mark.slow
@pytest.mark.skipif(not PACKAGE.exists(), reason=MISSING_REASON)
def test_every_official_example_posts_and_reads_back_equal(fhir):
    rejected = {}
    differing = []
    all_examples = examples()
    assert len(all_examples) == 706
    for name, resource in all_examples:
        response = fhir.post(f"/{resource['resourceType']}", resource)
        if response.status_code != 201:
            rejected[name] = response.content.decode()[:300]
            continue
        location = response["Location"].removeprefix("http://testserver/fhir").split("/_history")[0]
        read_back = fhir.get(location).json()
        if without_server_fields(read_back) != without_server_fields(resource):
            differing.append(name)
    assert differing == []
    assert sorted(rejected) == sorted(EXPECTED_REJECTED), rejected
