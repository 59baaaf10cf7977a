"""Store.compartment_current: the current resources of some types in one patient's compartment."""

from __future__ import annotations

from typing import Any

import pytest

from kaari.fhir.store import SqlRestriction, Store, TrustedGate

pytestmark = pytest.mark.django_db


class OnlyFinalGate(TrustedGate):
    """Admits only rows whose body says final, to show that the gate's restriction applies."""

    def __init__(self) -> None:
        self.recorded: list[str] = []

    def restriction(self, resource_type: str | None) -> SqlRestriction | None:
        return SqlRestriction("r.body LIKE %s", ('%"final"%',))

    def record(self, *, action: str, resources: list[Any], query: str | None = None) -> None:
        self.recorded += [f"{action} {r.reference}" for r in resources]


def observation(patient: str, status: str = "final") -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": status,
        "code": {"text": "HbA1c"},
        "subject": {"reference": f"Patient/{patient}"},
    }


def test_it_returns_only_the_patients_current_resources_of_the_types_asked():
    store = Store(TrustedGate())
    aino = store.create({"resourceType": "Patient"}).stored.id
    other = store.create({"resourceType": "Patient"}).stored.id
    mine = store.create(observation(aino)).stored.id
    store.create(observation(other))
    deleted = store.create(observation(aino)).stored.id
    store.delete("Observation", deleted)
    store.create({"resourceType": "AllergyIntolerance", "patient": {"reference": f"Patient/{aino}"}})

    found = store.compartment_current(aino, ["Observation", "Patient"])

    assert sorted(s.reference for s in found) == sorted([f"Observation/{mine}", f"Patient/{aino}"])


def test_the_gate_restricts_and_records_what_is_disclosed():
    gate = OnlyFinalGate()
    aino = Store(TrustedGate()).create({"resourceType": "Patient"}).stored.id
    final = Store(TrustedGate()).create(observation(aino)).stored.id
    Store(TrustedGate()).create(observation(aino, status="preliminary"))

    found = Store(gate).compartment_current(aino, ["Observation"])

    assert [s.id for s in found] == [final]
    assert gate.recorded == [f"search Observation/{final}"]
