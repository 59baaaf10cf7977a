"""The access tests' region (tests/access/personas.py) with a browser password for every persona."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kaari.access.models import Unit, User
from kaari.access.services import system_store
from tests.access.personas import World, labelled, world_build

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
