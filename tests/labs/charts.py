"""Laboratory data posted through the FHIR API: a patient, their results and orders; drafts for a CDS call."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from kaari.labs.catalogue import LAB_TEST_SYSTEM, LabTest
from kaari.labs.knowledge import lab_knowledge
from kaari.labs.loinc import LOINC_SYSTEM
from tests.cds.clients import KaariHttp
from tests.cds.fixtures import UNIT

CATEGORY = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}
_drafts = itertools.count(1)


def knowledge():
    return lab_knowledge()


def orderable_test_of(analyte: str) -> LabTest:
    return next(t for t in knowledge().catalogue.tests.values() if t.analyte == analyte and t.orderable)


def order_concept(test_id: str) -> dict[str, Any]:
    catalogue = knowledge().catalogue
    return catalogue.concept_for_orderable(catalogue.tests.get(test_id) or catalogue.panels[test_id])


def result_concept(analyte: str) -> dict[str, Any]:
    """Results carry the analyte's LOINC when it has one, otherwise the national abbreviation."""
    terms = knowledge().catalogue.analytes[analyte].loinc
    if terms:
        return {"coding": [{"system": LOINC_SYSTEM, "code": terms[-1].code}]}
    return {"coding": [{"system": LAB_TEST_SYSTEM, "code": orderable_test_of(analyte).abbreviation}]}


def patient_post(kaari: KaariHttp) -> str:
    """A client admitted to the physician's unit (so that she may read and write their chart)."""
    return kaari.patient_admit(UNIT, gender="female", birthDate="1961-04-02")


def result_post(kaari: KaariHttp, patient_id: str, analyte: str, *, ago: timedelta, value: float = 4.2) -> str:
    moment = datetime.now(UTC) - ago
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [CATEGORY],
        "code": result_concept(analyte),
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": moment.isoformat(timespec="seconds"),
        "valueQuantity": {"value": value, "unit": "x"},
    }
    return str(kaari.fhir_post(observation)["id"])


def order_post(kaari: KaariHttp, patient_id: str, test_id: str, *, status: str = "active") -> str:
    order = {
        "resourceType": "ServiceRequest",
        "status": status,
        "intent": "order",
        "code": order_concept(test_id),
        "subject": {"reference": f"Patient/{patient_id}"},
        "authoredOn": (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds"),
    }
    return str(kaari.fhir_post(order)["id"])


def lab_draft(patient_id: str, test_id: str, *, draft_id: str | None = None) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": draft_id or f"lab-draft-{next(_drafts)}",
        "status": "draft",
        "intent": "order",
        "code": order_concept(test_id),
        "subject": {"reference": f"Patient/{patient_id}"},
    }
