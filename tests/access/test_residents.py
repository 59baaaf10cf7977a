"""Residents read their own data through the same gate, guardians their minors', and the log of who looked."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.test import Client

from kaari.access.relationships import RELEASE_DATE_EXTENSION
from kaari.access.services import system_store
from tests.access.personas import World


def test_a_resident_reads_their_own_data_but_not_what_is_not_yet_released(world: World, client: Client):
    headers = world.headers("veeti_r")
    assert client.get("/fhir/Observation/veeti-obs", headers=headers).status_code == 200
    assert client.get("/fhir/Observation/veeti-obs-delayed", headers=headers).status_code == 403
    assert client.get("/fhir/Observation/veeti-obs-delayed", headers=world.headers("dr_ahonen")).status_code == 200


def test_a_release_delay_stated_in_a_provenance_also_applies(world: World, client: Client):
    system_store("test").update(
        "Provenance",
        "delay-1",
        {
            "resourceType": "Provenance",
            "id": "delay-1",
            "target": [{"reference": "Observation/veeti-obs"}],
            "recorded": "2026-01-01T00:00:00Z",
            "agent": [{"who": {"reference": "Organization/hc-north"}}],
            "extension": [{"url": RELEASE_DATE_EXTENSION, "valueDate": (date.today() + timedelta(days=7)).isoformat()}],
        },
    )
    assert client.get("/fhir/Observation/veeti-obs", headers=world.headers("veeti_r")).status_code == 403


def test_a_guardian_reads_the_minors_data_unless_withheld_from_guardians(world: World, client: Client):
    headers = world.headers("maija_r")
    assert client.get("/fhir/Observation/veeti-obs", headers=headers).status_code == 200
    assert client.get("/fhir/Observation/veeti-obs-restricted", headers=headers).status_code == 403
    assert client.get("/fhir/Observation/veeti-obs-restricted", headers=world.headers("veeti_r")).status_code == 200


def test_guardianship_ends_when_the_child_comes_of_age(world: World, client: Client):
    store = system_store("test")
    veeti = store.read("Patient", "veeti").resource
    store.update("Patient", "veeti", {**veeti, "birthDate": "2000-01-01"})
    assert client.get("/fhir/Observation/veeti-obs", headers=world.headers("maija_r")).status_code == 403


def test_residents_write_only_about_themselves(world: World, client: Client):
    mine = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "verenpaine"},
        "subject": {"reference": "Patient/kaisa"},
    }
    post = client.post(
        "/fhir/Observation",
        data=json.dumps(mine),
        content_type="application/fhir+json",
        headers=world.headers("kaisa_r"),
    )
    assert post.status_code == 201
    body = post.json()
    assert {"system": "https://kaari.fi/fhir/CodeSystem/register", "code": "health-care"} in body["meta"]["security"]
    theirs = {**mine, "subject": {"reference": "Patient/aino"}}
    other = client.post(
        "/fhir/Observation",
        data=json.dumps(theirs),
        content_type="application/fhir+json",
        headers=world.headers("kaisa_r"),
    )
    assert other.status_code == 403


def test_a_resident_sees_who_has_looked_at_their_data(world: World, client: Client):
    client.get("/fhir/Observation/kaisa-obs", headers=world.headers("dr_ahonen"))
    client.get("/fhir/DocumentReference/kaisa-doc", headers=world.headers("dr_berg"))
    bundle = client.get("/fhir/AuditEvent", headers=world.headers("kaisa_r")).json()
    events = [e["resource"] for e in bundle["entry"]]
    readers = [(e["agent"][0]["who"]["display"], e["outcome"]) for e in events]
    assert ("dr_ahonen", "0") in readers and ("dr_berg", "4") in readers
    ahonen = next(e for e in events if e["agent"][0]["who"]["display"] == "dr_ahonen")
    assert ahonen["purposeOfEvent"][0]["coding"][0]["code"] == "care-relationship"
    assert {"reference": "Patient/kaisa"} in [entity["what"] for entity in ahonen["entity"]]
    assert ahonen["agent"][0]["location"] == {"reference": "Organization/hc-north"}


def test_a_resident_cannot_read_anothers_log(world: World, client: Client):
    response = client.get("/fhir/AuditEvent?patient=aino", headers=world.headers("kaisa_r"))
    assert response.status_code == 403
    assert client.get("/fhir/AuditEvent?patient=aino", headers=world.headers("dr_ahonen")).status_code == 403
