"""Valid FHIR R4 resources to start tests from, and a compact view of validation issues."""

from __future__ import annotations

import copy
from typing import Any

from kaari.fhir.validation import validate_resource

Resource = dict[str, Any]

REGISTER = "https://kaari.fi/fhir/CodeSystem/register"
KEEPER = "https://kaari.fi/fhir/StructureDefinition/keeper"


def problems(resource: Resource) -> list[tuple[str, str]]:
    """(code, expression) of every error, in the order found."""
    return [(i.code, i.expression) for i in validate_resource(resource) if i.severity == "error"]


def with_changes(resource: Resource, **fields: Any) -> Resource:
    changed = copy.deepcopy(resource)
    changed.update(fields)
    return changed


def patient_build(**fields: Any) -> Resource:
    patient: Resource = {
        "resourceType": "Patient",
        "id": "aino",
        "meta": {
            "security": [{"system": REGISTER, "code": "health-care"}],
            "extension": [{"url": KEEPER, "valueReference": {"reference": "Organization/hus"}}],
        },
        "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Aino Virtanen</div>'},
        "identifier": [{"system": "urn:oid:1.2.246.21", "value": "131052-308T"}],
        "active": True,
        "name": [{"use": "official", "family": "Virtanen", "given": ["Aino", "Maria"]}],
        "telecom": [{"system": "phone", "value": "+358 40 123 4567", "rank": 1}],
        "gender": "female",
        "birthDate": "1952-10-13",
        "address": [{"line": ["Mannerheimintie 1"], "city": "Helsinki", "postalCode": "00100", "country": "FI"}],
        "contact": [{"name": {"family": "Virtanen", "given": ["Eero"]}, "gender": "male"}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "fi"}]}}],
        "generalPractitioner": [{"reference": "Practitioner/lahtinen"}],
    }
    patient.update(fields)
    return patient


def observation_build(**fields: Any) -> Resource:
    observation: Resource = {
        "resourceType": "Observation",
        "id": "hba1c",
        "status": "final",
        "category": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}
        ],
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}], "text": "B -HbA1c"},
        "subject": {"reference": "Patient/aino"},
        "effectiveDateTime": "2024-03-01T08:30:00+02:00",
        "issued": "2024-03-01T10:00:00.000+02:00",
        "valueQuantity": {"value": 48, "unit": "mmol/mol", "system": "http://unitsofmeasure.org", "code": "mmol/mol"},
        "referenceRange": [{"low": {"value": 20}, "high": {"value": 42.5}}],
    }
    observation.update(fields)
    return observation


def condition_build(**fields: Any) -> Resource:
    condition: Resource = {
        "resourceType": "Condition",
        "id": "diabetes",
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "E11.9"}]},
        "subject": {"reference": "Patient/aino"},
        "onsetDateTime": "2019-05",
    }
    condition.update(fields)
    return condition


def medication_request_build(**fields: Any) -> Resource:
    request: Resource = {
        "resourceType": "MedicationRequest",
        "id": "metformin",
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "A10BA02"}]},
        "subject": {"reference": "Patient/aino"},
        "authoredOn": "2024-03-02",
        "dosageInstruction": [
            {
                "sequence": 1,
                "text": "1 tabletti 2 kertaa päivässä",
                "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
                "doseAndRate": [{"doseQuantity": {"value": 500, "unit": "mg"}}],
            }
        ],
        "dispenseRequest": {"numberOfRepeatsAllowed": 3, "quantity": {"value": 100, "unit": "tablet"}},
    }
    request.update(fields)
    return request


def questionnaire_build(**fields: Any) -> Resource:
    questionnaire: Resource = {
        "resourceType": "Questionnaire",
        "id": "visit-preparation",
        "status": "active",
        "item": [
            {
                "linkId": "1",
                "type": "group",
                "text": "Lääkitys",
                "item": [{"linkId": "1.1", "type": "string", "text": "Mitä lääkkeitä käytät?", "repeats": True}],
            }
        ],
    }
    questionnaire.update(fields)
    return questionnaire


def bundle_build(*resources: Resource) -> Resource:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
                "resource": resource,
                "request": {"method": "POST", "url": resource["resourceType"]},
            }
            for index, resource in enumerate(resources)
        ],
    }
