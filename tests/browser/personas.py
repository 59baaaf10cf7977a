"""The access tests' region (tests/access/personas.py) with a browser password for every persona."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from kaari.access.models import Unit, User
from kaari.access.services import system_store
from kaari.fhir.conventions import REGISTER_HEALTH, REGISTER_SOCIAL
from tests.access.personas import World, labelled, world_build

CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
SOCIAL_DOC_SYSTEM = "https://kaari.fi/fhir/CodeSystem/social-welfare-document"

PASSWORD = "kaari-selain-2026"
UNIT_NAMES = {"hc-north": "Pohjoisen terveysasema", "ward-7": "Osasto 7", "sw-east": "Itäinen sosiaalityö"}
PEOPLE = {
    "dr_ahonen": ("Aila", "Ahonen"),
    "dr_berg": ("Bror", "Berg"),
    "nurse_ceder": ("Cecilia", "Ceder"),
    "sw_dahl": ("Doris", "Dahl"),
}


def browser_world_build() -> World:
    world = world_build()
    for unit, name in UNIT_NAMES.items():
        Unit.objects.update_or_create(organization_id=unit, defaults={"name": name})
    for user in User.objects.all():
        user.first_name, user.last_name = PEOPLE.get(user.username, ("", ""))
        user.set_password(PASSWORD)
        user.save()
    return world


# -- the chart's data for the workspace tests: Aino's record in both registers -----------------------------------

AINO = "aino"
AINO_HETU = "131052-9085"


def _health(resource: dict[str, Any]) -> dict[str, Any]:
    return labelled(resource, register=REGISTER_HEALTH, keeper="hc-north")


def _social(resource: dict[str, Any]) -> dict[str, Any]:
    return labelled(resource, register=REGISTER_SOCIAL, keeper="sw-east")


def aino_record() -> list[dict[str, Any]]:
    """Aino's allergy, problem, medication, HbA1c series, appointment, and her social welfare case at sw-east."""
    subject = {"reference": f"Patient/{AINO}"}
    later = (date.today() + timedelta(days=7)).isoformat()
    resources: list[dict[str, Any]] = [
        {"resourceType": "Practitioner", "id": "prac-dahl", "name": [{"family": "Dahl", "given": ["Doris"]}]},
        _health(
            {
                "resourceType": "AllergyIntolerance",
                "id": "aino-allergy",
                "clinicalStatus": {"coding": [{"system": CLINICAL, "code": "active"}]},
                "criticality": "high",
                "code": {"text": "Penisilliini"},
                "patient": subject,
            }
        ),
        _health(
            {
                "resourceType": "Condition",
                "id": "aino-diabetes",
                "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}]},
                "code": {"coding": [{"system": ICD10, "code": "E11.9"}], "text": "Tyypin 2 diabetes"},
                "subject": subject,
                "onsetDateTime": "2019-04-02",
            }
        ),
        _health(
            {
                "resourceType": "MedicationRequest",
                "id": "aino-metformin",
                "status": "active",
                "intent": "order",
                "medicationCodeableConcept": {"text": "Metformiini 500 mg"},
                "subject": subject,
                "dosageInstruction": [{"text": "1 tabl. 2 kertaa päivässä"}],
            }
        ),
        _health(
            {
                "resourceType": "Appointment",
                "id": "aino-appointment",
                "status": "booked",
                "serviceType": [{"text": "Diabeteshoitajan vastaanotto"}],
                "start": f"{later}T09:00:00+02:00",
                "end": f"{later}T09:30:00+02:00",
                "participant": [{"actor": subject, "status": "accepted"}],
            }
        ),
        _social(
            {
                "resourceType": "EpisodeOfCare",
                "id": "aino-case-adult",
                "status": "active",
                "type": [{"text": "Aikuissosiaalityö"}],
                "patient": subject,
                "managingOrganization": {"reference": "Organization/sw-east"},
                "period": {"start": "2026-01-15"},
                "careManager": {"reference": "Practitioner/prac-dahl"},
            }
        ),
        _social(
            {
                "resourceType": "ServiceRequest",
                "id": "aino-decision",
                "status": "active",
                "intent": "order",
                "category": [{"coding": [{"system": SOCIAL_DOC_SYSTEM, "code": "service-decision"}]}],
                "code": {"text": "Kotihoito"},
                "subject": subject,
                "authoredOn": "2026-02-01T10:00:00+02:00",
                "note": [{"text": "Päätös: Myönnetään kotihoito toistaiseksi."}],
            }
        ),
        _social(
            {
                "resourceType": "CarePlan",
                "id": "aino-plan",
                "status": "active",
                "intent": "plan",
                "category": [{"coding": [{"system": SOCIAL_DOC_SYSTEM, "code": "client-plan"}]}],
                "title": "Asiakassuunnitelma: aikuissosiaalityö",
                "description": "Tuetaan kotona asumista.",
                "subject": subject,
                "created": "2026-02-01",
            }
        ),
    ]
    for month, value in enumerate((7.9, 7.4, 7.0, 6.6), start=1):
        resources.append(
            _health(
                {
                    "resourceType": "Observation",
                    "id": f"aino-hba1c-{month}",
                    "status": "final",
                    "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "laboratory"}]}],
                    "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}], "text": "B -HbA1c"},
                    "subject": subject,
                    "effectiveDateTime": f"2026-0{month}-10T08:00:00+02:00",
                    "valueQuantity": {"value": value, "unit": "%"},
                }
            )
        )
    return resources


def workspace_world_build() -> World:
    """The browser region plus Aino's chart; Doris Dahl (sw_dahl) is her responsible social worker."""
    world = browser_world_build()
    outcomes = system_store("test world").load(aino_record())
    problems = [str(o.error) for o in outcomes if o.error is not None]
    assert not problems, problems
    return world


def aino_hba1c_history() -> None:
    """Two earlier HbA1c results of Aino's from hc-north, older than HbA1c's retesting interval, for the trend."""

    def result(days_ago: int, value: int, flag: str) -> dict[str, object]:
        unit = {"unit": "mmol/mol", "system": "http://unitsofmeasure.org", "code": "mmol/mol"}
        resource = {
            "resourceType": "Observation",
            "id": f"aino-hba1c-{days_ago}",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}
                    ]
                }
            ],
            "code": {"coding": [{"system": "http://loinc.org", "code": "59261-8"}], "text": "B -HbA1c"},
            "subject": {"reference": "Patient/aino"},
            "effectiveDateTime": (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(timespec="seconds"),
            "valueQuantity": {"value": value, **unit},
            "referenceRange": [{"low": {"value": 20, **unit}, "high": {"value": 42, **unit}}],
            "interpretation": [
                {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": flag}
                    ]
                }
            ],
        }
        return labelled(resource, register="health-care", keeper="hc-north")

    outcomes = system_store("browser world").load([result(500, 58, "H"), result(250, 51, "H")])
    assert all(o.error is None for o in outcomes), [str(o.error) for o in outcomes]
