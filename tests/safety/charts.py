"""A patient's chart posted through the FHIR API: medicines, allergies, kidney function, weight."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from tests.cds.clients import KaariHttp
from tests.cds.fixtures import UNIT

ATC = "http://www.whocc.no/atc"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
_drafts = itertools.count(1)


def _medicine(atc: str) -> dict[str, Any]:
    return {"coding": [{"system": ATC, "code": atc}]}


def chart_post(
    kaari: KaariHttp,
    *,
    birth_date: str = "1966-06-01",
    gender: str = "female",
    active: Sequence[str] = (),
    stopped: Sequence[str] = (),
    allergies: Sequence[tuple[str, str]] = (),
    egfr: float | None = 90,
    weight_kg: float | None = None,
    creatinine_umol_l: float | None = None,
) -> str:
    """Admit a patient to the unit, then post their data in one transaction; the patient's id. `allergies` are
    (ATC, verification)."""
    patient_id = kaari.patient_admit(UNIT, birthDate=birth_date, gender=gender)
    subject = {"reference": f"Patient/{patient_id}"}
    resources: list[dict[str, Any]] = []
    for atc, status in [*((a, "active") for a in active), *((s, "stopped") for s in stopped)]:
        resources.append(
            {
                "resourceType": "MedicationRequest",
                "status": status,
                "intent": "order",
                "subject": subject,
                "medicationCodeableConcept": _medicine(atc),
            }
        )
    for atc, verification in allergies:
        resources.append(
            {
                "resourceType": "AllergyIntolerance",
                "clinicalStatus": {"coding": [{"system": CLINICAL, "code": "active"}]},
                "verificationStatus": {"coding": [{"system": VERIFICATION, "code": verification}]},
                "type": "allergy",
                "code": _medicine(atc),
                "patient": subject,
            }
        )
    for code, value, unit in (
        ("98979-8", egfr, "mL/min/{1.73_m2}"),
        ("29463-7", weight_kg, "kg"),
        ("14682-9", creatinine_umol_l, "umol/L"),
    ):
        if value is not None:
            resources.append(
                {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [{"system": LOINC, "code": code}]},
                    "subject": subject,
                    "effectiveDateTime": "2026-11-01",
                    "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
                }
            )
    if resources:
        kaari.fhir_transaction(resources)
    return patient_id


def medication_draft(patient_id: str, atc: str, *, draft_id: str | None = None) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": draft_id or f"draft-{next(_drafts)}",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{patient_id}"},
        "medicationCodeableConcept": _medicine(atc),
    }
