"""The labs page on `kaari synth` data: a synthetic resident's every laboratory result is shown, none lost."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from kaari.access.services import system_store, user_create
from kaari.fhir.search.service import SearchRequest
from tests.access.personas import labelled, signed_in


def lab_observations() -> list[dict[str, Any]]:
    params = (("category", "laboratory"), ("_count", "1000"))
    outcome = system_store("test").search(SearchRequest(resource_types=("Observation",), params=params))
    return [s.resource for s in outcome.result.matches]


@pytest.fixture
def resident(db: None, settings: Any) -> tuple[str, int]:
    """The synthetic resident with the most laboratory results, visiting a synthetic health centre now."""
    settings.KAARI_DEFAULT_KEEPER = "county"
    call_command("synth", residents=20, seed=5, load=True, jobs=1)
    observations = lab_observations()
    counts = Counter(o["subject"]["reference"].removeprefix("Patient/") for o in observations)
    patient_id, count = counts.most_common(1)[0]
    unit = next(
        e["valueReference"]["reference"].removeprefix("Organization/")
        for o in observations
        if o["subject"]["reference"] == f"Patient/{patient_id}"
        for e in o["meta"]["extension"]
    )
    visit = {
        "resourceType": "Encounter",
        "id": "synth-visit-now",
        "status": "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "subject": {"reference": f"Patient/{patient_id}"},
        "serviceProvider": {"reference": f"Organization/{unit}"},
    }
    assert system_store("test").load([labelled(visit, register="health-care", keeper=unit)])[0].error is None
    user_create(username="nurse_synth", role="nurse", organization=unit)
    return patient_id, count


def test_every_laboratory_result_of_a_synthetic_resident_is_on_the_page(client, resident):
    patient_id, count = resident
    signed_in(client, "nurse_synth")

    response = client.get(f"/clients/{patient_id}/labs/")

    page = response.content.decode()
    assert response.status_code == 200
    assert count > 0 and page.count('data-testid="result-row"') == count
    assert '<svg class="trend"' in page
