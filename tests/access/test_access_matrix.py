"""The access matrix: persona × client (relationship, consent, turvakielto, guardian) × register × operation.

Each cell says what must happen and is checked through the REST API with the persona's own token. The
expectations are written out by hand from the rules in docs/access.md, not computed from the code.
Search, _include/_revinclude and $everything cells need the search engine (branch wip/search); until it is
merged they are skipped, loudly, rather than faked.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaari.fhir.conventions import REGISTER_HEALTH, REGISTER_SOCIAL
from kaari.fhir.store import Store
from tests.access.personas import CLIENTS, PERSONAS, REGISTERS, World

H, S = REGISTER_HEALTH, REGISTER_SOCIAL
ALL: dict[str, tuple[str, ...]] = dict.fromkeys(CLIENTS, (H, S))
NONE: dict[str, tuple[str, ...]] = {}

# Which registers of which clients each persona may read.
Registers = dict[str, tuple[str, ...]]
READ: dict[str, Registers] = {
    "dr_ahonen": {"aino": (H,), "kaisa": (H,), "tuuli": (H,), "veeti": (H,)},
    "dr_berg": NONE,
    "nurse_ceder": {"aino": (H,), "kaisa": (H,), "tuuli": (H,), "veeti": (H,)},
    "sw_dahl": {"aino": (S,), "kaisa": (S,)},
    "sw_eklund": NONE,
    "pharmacist_fors": {"aino": (H,), "kaisa": (H,), "tuuli": (H,), "veeti": (H,)},
    "nurse_jokinen": Registers(aino=(H, S), kaisa=(H,)),  # Aino consents across registers, Kaisa forbids it
    "feed": ALL,
    "veeti_r": Registers(veeti=(H, S)),
    "maija_r": Registers(veeti=(H, S)),
    "tuuli_r": Registers(tuuli=(H, S)),
    "kaisa_r": Registers(kaisa=(H, S)),
}

# Which existing resources each persona may update: only in their own register and unit, with a relationship.
WRITE: dict[str, Registers] = {
    "dr_ahonen": {"aino": (H,), "kaisa": (H,), "tuuli": (H,), "veeti": (H,)},
    "dr_berg": NONE,
    "nurse_ceder": {"aino": (H,), "kaisa": (H,), "tuuli": (H,), "veeti": (H,)},
    "sw_dahl": {"aino": (S,), "kaisa": (S,)},
    "sw_eklund": NONE,
    "pharmacist_fors": NONE,  # reads, prescribes and dispenses; records no observations
    "nurse_jokinen": NONE,  # the data is kept by hc-north and sw-east, not by the joint team
    "feed": ALL,
    "veeti_r": NONE,
    "maija_r": NONE,
    "tuuli_r": NONE,
    "kaisa_r": NONE,
}

# Veeti's two special Observations: withheld from guardians, and not yet released to residents.
SPECIAL = ("veeti-obs-restricted", "veeti-obs-delayed")
SPECIAL_READ: dict[str, tuple[str, ...]] = {
    "dr_ahonen": SPECIAL,
    "nurse_ceder": SPECIAL,
    "pharmacist_fors": SPECIAL,
    "feed": SPECIAL,
    "veeti_r": ("veeti-obs-restricted",),
}

SEARCH_ENGINE = hasattr(Store, "search")
needs_search = pytest.mark.skipif(not SEARCH_ENGINE, reason="search engine (wip/search) not merged yet")


def cell_resource(client: str, register: str) -> tuple[str, str]:
    return ("Observation", f"{client}-obs") if register == H else ("DocumentReference", f"{client}-doc")


def cells() -> list[tuple[str, str, str, str]]:
    return [(client, register, *cell_resource(client, register)) for client in CLIENTS for register in REGISTERS]


def test_the_matrix_names_every_persona():
    assert set(READ) == set(WRITE) == set(PERSONAS)


def ids(response: Any) -> set[str]:
    return {e["resource"]["id"] for e in response.json().get("entry", []) if "resource" in e}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_read_history_and_write_decisions(persona: str, world: World, client: Client):
    wrong: list[str] = []
    headers = world.headers(persona)
    type_history = {
        t: ids(client.get(f"/fhir/{t}/_history?_count=1000", headers=headers))
        for t in ("Observation", "DocumentReference")
    }
    for patient, register, resource_type, logical_id in cells():
        allowed = register in READ[persona].get(patient, ())
        read = client.get(f"/fhir/{resource_type}/{logical_id}", headers=headers)
        if read.status_code != (200 if allowed else 403):
            wrong.append(f"read {logical_id}: {read.status_code}, expected {'200' if allowed else '403'}")
        history = client.get(f"/fhir/{resource_type}/{logical_id}/_history", headers=headers)
        if history.status_code != (200 if allowed else 403):
            wrong.append(f"history {logical_id}: {history.status_code}")
        if (logical_id in type_history[resource_type]) != allowed:
            wrong.append(f"type history {'lacks' if allowed else 'shows'} {logical_id}")
        may_write = register in WRITE[persona].get(patient, ())
        body = client.get(f"/fhir/{resource_type}/{logical_id}", headers=world.headers("feed")).json()
        update = client.put(
            f"/fhir/{resource_type}/{logical_id}", data=body, content_type="application/fhir+json", headers=headers
        )
        if update.status_code != (200 if may_write else 403):
            wrong.append(f"write {logical_id}: {update.status_code}, expected {'200' if may_write else '403'}")
    for logical_id in SPECIAL:
        allowed = logical_id in SPECIAL_READ.get(persona, ())
        read = client.get(f"/fhir/Observation/{logical_id}", headers=headers)
        if read.status_code != (200 if allowed else 403):
            wrong.append(f"read {logical_id}: {read.status_code}")
        if (logical_id in type_history["Observation"]) != allowed:
            wrong.append(f"type history {'lacks' if allowed else 'shows'} {logical_id}")
    assert wrong == []


@needs_search
@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_search_include_everything_and_total_decisions(persona: str, world: World, client: Client):
    wrong: list[str] = []
    headers = world.headers(persona)
    for patient, register, resource_type, logical_id in cells():
        allowed = register in READ[persona].get(patient, ())
        found = client.get(f"/fhir/{resource_type}?subject=Patient/{patient}&_total=accurate", headers=headers)
        if (logical_id in ids(found)) != allowed:
            wrong.append(f"search {'lacks' if allowed else 'shows'} {logical_id}")
        if found.status_code == 200 and found.json().get("total") != len(ids(found)):
            wrong.append(f"search total for {patient} counts what it does not show")
        included = client.get(f"/fhir/Patient?_id={patient}&_revinclude={resource_type}:subject", headers=headers)
        if (logical_id in ids(included)) != allowed:
            wrong.append(f"_revinclude {'lacks' if allowed else 'shows'} {logical_id}")
        everything = client.get(f"/fhir/Patient/{patient}/$everything", headers=headers)
        shown = everything.status_code == 200 and logical_id in ids(everything)
        if shown != allowed:
            wrong.append(f"$everything {'lacks' if allowed else 'shows'} {logical_id}")
    assert wrong == []


def test_the_matrix_covers_every_cell():
    operations = ("read", "history", "write", "search", "_include", "$everything")
    assert len(PERSONAS) * len(CLIENTS) * len(REGISTERS) * len(operations) == 576
