"""FHIR resource dicts for laboratory tests. Plain dicts: the rules take nothing else."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from kaari.labs.catalogue import LAB_TEST_SYSTEM
from kaari.labs.knowledge import lab_knowledge_load
from kaari.labs.loinc import LOINC_SYSTEM

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
PATIENT = "Patient/maija"
KNOWLEDGE = lab_knowledge_load()
_ids = itertools.count(1)


def loinc(code: str, display: str | None = None) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": LOINC_SYSTEM, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def catalogue_concept(test_id: str) -> dict[str, Any]:
    """How Kaari codes an order for a catalogue test or panel: LOINC and the national abbreviation."""
    catalogue = KNOWLEDGE.catalogue
    orderable = catalogue.tests.get(test_id) or catalogue.panels[test_id]
    return catalogue.concept_for_orderable(orderable)


def abbreviation(text: str) -> dict[str, Any]:
    return {"coding": [{"system": LAB_TEST_SYSTEM, "code": text}]}


def service_request(
    code: dict[str, Any],
    *,
    status: str = "draft",
    intent: str = "order",
    request_id: str | None = None,
    authored: datetime | None = None,
    subject: str = PATIENT,
    **extra: Any,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": request_id or f"sr-{next(_ids)}",
        "status": status,
        "intent": intent,
        "code": code,
        "subject": {"reference": subject},
    }
    if authored is not None:
        resource["authoredOn"] = authored.isoformat()
    resource.update(extra)
    return resource


def observation(
    code: dict[str, Any],
    *,
    value: float | None = None,
    unit: str = "",
    ago: timedelta = timedelta(days=1),
    status: str = "final",
    subject: str = PATIENT,
    **extra: Any,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"obs-{next(_ids)}",
        "status": status,
        "code": code,
        "subject": {"reference": subject},
        "effectiveDateTime": (NOW - ago).isoformat(),
    }
    if value is not None:
        resource["valueQuantity"] = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}
    resource.update(extra)
    return resource
