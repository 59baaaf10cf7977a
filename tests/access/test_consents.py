"""A client's Consent can forbid disclosure to an organisation; its own data stays visible to the keeper."""

from __future__ import annotations

from django.test import Client

from kaari.access.services import system_store
from tests.access.personas import World, encounter, labelled


def test_a_denial_to_an_organisation_hides_data_other_keepers_hold(world: World, client: Client):
    store = system_store("test")
    store.update("Encounter", "aino-visit-sw-east", {**encounter("aino", "sw-east"), "id": "aino-visit-sw-east"})
    store.update(
        "Consent",
        "aino-deny-sw",
        labelled(
            {
                "resourceType": "Consent",
                "id": "aino-deny-sw",
                "status": "active",
                "scope": {"coding": [{"code": "patient-privacy"}]},
                "category": [{"coding": [{"code": "59284-0"}]}],
                "patient": {"reference": "Patient/aino"},
                "provision": {
                    "type": "deny",
                    "actor": [{"role": {"text": "recipient"}, "reference": {"reference": "Organization/sw-east"}}],
                },
            },
            register="health-care",
            keeper="county",
        ),
    )
    headers = world.headers("sw_dahl")
    assert client.get("/fhir/DocumentReference/aino-doc", headers=headers).status_code == 200  # kept by sw-east
    assert client.get("/fhir/Encounter/aino-visit-hc-north", headers=headers).status_code == 403
    store.delete("Consent", "aino-deny-sw")
    assert client.get("/fhir/Patient/aino", headers=headers).status_code == 200
