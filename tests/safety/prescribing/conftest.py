"""The access tests' region (tests/access/personas.py): Dr Ahonen (hc-north) has a relationship with Aino, Dr Berg
(ward-7) has none. Aino's current orders are kept by hc-north, as if written there earlier."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from kaari.access.services import system_store
from kaari.access.tokens import user_state_forget
from kaari.fhir.conventions import REGISTER_HEALTH
from tests.access.personas import World, labelled, signed_in, world_build

ATC = "http://www.whocc.no/atc"
_ids = itertools.count(1)


@pytest.fixture
def world(db: None, settings: Any) -> World:
    user_state_forget()
    settings.KAARI_DEFAULT_KEEPER = "county"
    return world_build()


@pytest.fixture
def ahonen(client: Client, world: World) -> Client:
    return signed_in(client, "dr_ahonen")


def current_order(
    atc: str,
    *,
    client: str = "aino",
    keeper: str = "hc-north",
    status: str = "active",
    text: str = "",
    product: str = "",
) -> str:
    """Store an order as hc-north wrote it earlier; returns its id."""
    order_id = f"{client}-mr-{next(_ids)}"
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": order_id,
        "status": status,
        "intent": "order",
        "subject": {"reference": f"Patient/{client}"},
        "authoredOn": "2026-05-04",
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": atc}], "text": text or atc},
        "dosageInstruction": [{"text": "1 x 1"}],
    }
    if product:
        coding = {"system": "https://kaari.fi/fhir/CodeSystem/medicine-product", "code": product}
        resource["medicationCodeableConcept"]["coding"].append(coding)
    outcomes = system_store("test orders").load([labelled(resource, register=REGISTER_HEALTH, keeper=keeper)])
    assert outcomes[0].error is None, outcomes[0].error
    return order_id


def stored(resource_type: str, resource_id: str) -> dict[str, Any]:
    return system_store("test read").read(resource_type, resource_id).resource


def prescribe(client: Client, product: str, **fields: str) -> Any:
    data = {
        "product": product,
        "dose": "1",
        "dose_unit": "tablet",
        "route": "oral",
        "frequency": "2/d",
        "duration": "7",
        "duration_unit": "d",
        **fields,
    }
    return client.post("/clients/aino/medications/new", data)
