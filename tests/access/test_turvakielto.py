"""Turvakielto: address, telecom and home municipality leave every response; the label stays."""

from __future__ import annotations

import json

from django.test import Client

from kaari.access.redaction import turvakielto_redact
from kaari.access.relationships import MUNICIPALITY_EXTENSION
from tests.access.personas import World, patient

PROTECTED = ("address", "telecom")


def test_the_elements_are_removed_and_nothing_stands_in_their_place():
    resource = patient("tuuli", turvakielto=True)
    resource["extension"] = [{"url": MUNICIPALITY_EXTENSION, "valueCoding": {"code": "091"}}]
    resource["contact"] = [{"name": {"text": "Äiti"}, "address": {"city": "Kaarila"}}]
    redacted = turvakielto_redact(resource)
    assert not set(PROTECTED) & set(redacted) and "extension" not in redacted
    assert redacted["contact"] == [{"name": {"text": "Äiti"}}]
    assert redacted["meta"] == resource["meta"]


def test_professionals_never_see_a_protected_address(world: World, client: Client):
    body = client.get("/fhir/Patient/tuuli", headers=world.headers("dr_ahonen")).json()
    assert not set(PROTECTED) & set(body)
    assert "TURVAKIELTO" in json.dumps(body["meta"])
    history = client.get("/fhir/Patient/tuuli/_history", headers=world.headers("dr_ahonen")).json()
    assert all(not set(PROTECTED) & set(e["resource"]) for e in history["entry"])


def test_an_unprotected_clients_address_is_shown(world: World, client: Client):
    assert "address" in client.get("/fhir/Patient/aino", headers=world.headers("dr_ahonen")).json()


def test_the_client_sees_their_own_address(world: World, client: Client):
    assert "address" in client.get("/fhir/Patient/tuuli", headers=world.headers("tuuli_r")).json()


def test_configuration_can_let_a_role_see_it(world: World, client: Client, settings):
    settings.KAARI_TURVAKIELTO_DISCLOSE_ROLES = "integration"
    assert "address" in client.get("/fhir/Patient/tuuli", headers=world.headers("feed")).json()
    assert "address" not in client.get("/fhir/Patient/tuuli", headers=world.headers("dr_ahonen")).json()


def test_only_the_population_register_feed_sets_or_removes_the_label(world: World, client: Client):
    feed = client.get("/fhir/Patient/tuuli", headers=world.headers("feed")).json()
    without = {k: v for k, v in feed.items() if k != "meta"}
    put = client.put(
        "/fhir/Patient/tuuli", data=without, content_type="application/fhir+json", headers=world.headers("dr_ahonen")
    )
    assert put.status_code == 403, put.content
    assert "turvakielto" in put.json()["issue"][0]["diagnostics"]
    aino = client.get("/fhir/Patient/aino", headers=world.headers("feed")).json()
    aino["meta"] = patient("x", turvakielto=True)["meta"]
    assert (
        client.put(
            "/fhir/Patient/aino", data=aino, content_type="application/fhir+json", headers=world.headers("feed")
        ).status_code
        == 200
    )
    assert "address" not in client.get("/fhir/Patient/aino", headers=world.headers("dr_ahonen")).json()
