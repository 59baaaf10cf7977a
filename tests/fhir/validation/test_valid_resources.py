import pytest

from .factories import (
    Resource,
    bundle_build,
    condition_build,
    medication_request_build,
    observation_build,
    patient_build,
    problems,
    questionnaire_build,
)

PATIENT = {"reference": "Patient/aino"}
SOCIAL_TASKS = "urn:oid:1.2.246.537.6.1221"

OTHER_RESOURCES: list[Resource] = [
    {"resourceType": "Organization", "id": "hus", "active": True, "name": "HUS", "type": [{"text": "sairaala"}]},
    {
        "resourceType": "Practitioner",
        "id": "lahtinen",
        "name": [{"family": "Lahtinen", "given": ["Leena"], "prefix": ["LL"]}],
        "qualification": [{"code": {"text": "Laillistettu lääkäri"}}],
    },
    {
        "resourceType": "Encounter",
        "id": "visit",
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "subject": PATIENT,
        "period": {"start": "2024-03-01T08:00:00+02:00", "end": "2024-03-01T08:30:00+02:00"},
        "participant": [{"individual": {"reference": "Practitioner/lahtinen"}}],
    },
    {
        "resourceType": "EpisodeOfCare",
        "status": "active",
        "type": [{"coding": [{"system": SOCIAL_TASKS, "code": "12"}], "text": "Lastensuojelu"}],
        "patient": PATIENT,
        "managingOrganization": {"reference": "Organization/hus"},
    },
    {
        "resourceType": "AllergyIntolerance",
        "clinicalStatus": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}
            ]
        },
        "type": "allergy",
        "category": ["medication"],
        "criticality": "high",
        "code": {"text": "Penisilliini"},
        "patient": PATIENT,
        "reaction": [{"manifestation": [{"text": "nokkosihottuma"}], "severity": "moderate"}],
    },
    {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": {"coding": [{"system": "http://www.whocc.no/atc", "code": "J07BB02"}]},
        "patient": PATIENT,
        "occurrenceDateTime": "2023-10-20",
        "doseQuantity": {"value": 0.5, "unit": "ml", "system": "http://unitsofmeasure.org", "code": "mL"},
    },
    {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": {"text": "Laboratoriotulokset"},
        "subject": PATIENT,
        "result": [{"reference": "Observation/hba1c"}],
        "presentedForm": [{"contentType": "text/plain", "data": "dHVsb3M="}],
    },
    {
        "resourceType": "Consent",
        "status": "active",
        "scope": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]
        },
        "category": [{"text": "Luovutuskielto"}],
        "patient": PATIENT,
        "policyRule": {"text": "Laki 703/2023"},
        "provision": {"type": "deny", "period": {"start": "2024-01-01"}},
    },
    {
        "resourceType": "Provenance",
        "target": [PATIENT],
        "recorded": "2024-03-01T10:00:00+02:00",
        "agent": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                            "code": "custodian",
                        }
                    ]
                },
                "who": {"reference": "Organization/hus"},
            }
        ],
    },
    {
        "resourceType": "AuditEvent",
        "type": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110110"},
        "action": "R",
        "recorded": "2024-03-01T10:00:00.123+02:00",
        "outcome": "0",
        "agent": [{"who": {"reference": "Practitioner/lahtinen"}, "requestor": True}],
        "source": {"observer": {"reference": "Organization/hus"}},
        "entity": [{"what": PATIENT}],
    },
    {
        "resourceType": "Appointment",
        "status": "booked",
        "start": "2024-04-02T09:00:00+03:00",
        "end": "2024-04-02T09:20:00+03:00",
        "participant": [{"actor": PATIENT, "status": "accepted"}],
    },
    {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "code": {"text": "Kotihoidon arviointi"},
        "subject": PATIENT,
        "occurrenceTiming": {
            "repeat": {
                "boundsPeriod": {"start": "2024-04-01"},
                "frequency": 1,
                "period": 1,
                "periodUnit": "wk",
                "dayOfWeek": ["mon"],
            }
        },
    },
    {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": "Asiakassuunnitelma",
        "subject": PATIENT,
        "activity": [{"detail": {"status": "in-progress", "description": "Kotikäynti viikoittain"}}],
    },
    {
        "resourceType": "Binary",
        "contentType": "application/pdf",
        "data": "JVBERi0xLjQK",
    },
    {
        "resourceType": "Basic",
        "code": {"text": "palvelupäätös"},
        "subject": PATIENT,
        "created": "2024-03-01",
    },
]


def test_valid_clinical_resources_pass():
    for resource in [
        patient_build(),
        observation_build(),
        condition_build(),
        medication_request_build(),
        questionnaire_build(),
    ]:
        assert problems(resource) == [], resource["resourceType"]


@pytest.mark.parametrize("resource", OTHER_RESOURCES, ids=[r["resourceType"] for r in OTHER_RESOURCES])
def test_a_valid_resource_of_another_type_passes(resource):
    assert problems(resource) == []


def test_a_valid_transaction_bundle_passes():
    assert problems(bundle_build(patient_build(), observation_build(), *OTHER_RESOURCES)) == []


def test_an_observation_with_components_and_reference_ranges_passes():
    component = {
        "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
        "valueQuantity": {"value": 142, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"},
        "referenceRange": [{"high": {"value": 140, "unit": "mmHg"}}],
    }
    resource = observation_build(component=[component])
    del resource["valueQuantity"]
    resource["dataAbsentReason"] = {"text": "komponentit"}
    assert problems(resource) == []
