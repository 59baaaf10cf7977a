"""Stored data for the labs screens' tests: results and orders as an outside laboratory or another unit writes
them, through the store behind a system job's gate (the way `kaari load` and the HL7 intake write)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kaari.access.services import system_store
from kaari.cds.models import CdsFeedback
from kaari.fhir.search.service import SearchRequest
from tests.access.personas import labelled

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
LABORATORY = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]
}
NOW = datetime.now(UTC)


def stored_load(*resources: dict[str, Any]) -> None:
    outcomes = system_store("labs ui tests").load(
        [labelled(r, register="health-care", keeper="hc-north") for r in resources]
    )
    assert all(o.error is None for o in outcomes), [str(o.error) for o in outcomes]


def hba1c_result(
    observation_id: str, *, value: float, ago: timedelta, based_on: str | None = None, **extra: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}
        ],
        "code": {"coding": [{"system": LOINC, "code": "59261-8"}]},
        "subject": {"reference": "Patient/aino"},
        "effectiveDateTime": (NOW - ago).isoformat(),
        "valueQuantity": {
            "value": value,
            "unit": "mmol/mol",
            "system": "http://unitsofmeasure.org",
            "code": "mmol/mol",
        },
        "referenceRange": [{"low": {"value": 20, "unit": "mmol/mol"}, "high": {"value": 42, "unit": "mmol/mol"}}],
        **extra,
    }
    if based_on:
        resource["basedOn"] = [{"reference": f"ServiceRequest/{based_on}"}]
    return resource


def service_requests(**criteria: str) -> list[dict[str, Any]]:
    params = tuple(("patient" if k == "patient" else k, v) for k, v in {"patient": "aino", **criteria}.items())
    outcome = system_store("labs ui tests").search(SearchRequest(resource_types=("ServiceRequest",), params=params))
    return [s.resource for s in outcome.result.matches]


def feedback_outcomes() -> list[tuple[str, str]]:
    return list(CdsFeedback.objects.order_by("pk").values_list("outcome", "override_code"))
