"""Break-the-glass: a stated reason opens a record for a limited time, logged as emergency, for review."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.test import Client

from kaari.access.models import AuditEntry, EmergencyAccess
from tests.access.personas import World

REASON = {
    "resourceType": "Parameters",
    "parameter": [{"name": "reason", "valueString": "Tajuton potilas päivystyksessä"}],
}


def open_glass(client: Client, world: World, persona: str = "dr_berg", body: dict | None = None):
    return client.post(
        "/fhir/Patient/aino/$break-the-glass",
        data=json.dumps(body or REASON),
        content_type="application/fhir+json",
        headers=world.headers(persona),
    )


def test_a_stated_reason_opens_the_record_and_every_read_is_logged_as_emergency(world: World, client: Client):
    headers = world.headers("dr_berg")
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 403
    assert open_glass(client, world).status_code == 201
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 200
    entry = AuditEntry.objects.latest("id")
    assert entry.basis == "emergency" and entry.actor == "dr_berg"


def test_emergency_access_does_not_reach_outside_the_registers_of_ones_tasks(world: World, client: Client):
    open_glass(client, world)
    assert client.get("/fhir/DocumentReference/aino-doc", headers=world.headers("dr_berg")).status_code == 403


def test_without_a_reason_nothing_opens(world: World, client: Client):
    empty = {"resourceType": "Parameters", "parameter": [{"name": "reason", "valueString": "x"}]}
    assert open_glass(client, world, body=empty).status_code == 403
    assert open_glass(client, world, persona="kaisa_r").status_code == 403


def test_the_access_ends_when_its_time_is_up(world: World, client: Client):
    open_glass(client, world)
    EmergencyAccess.objects.update(expires=datetime.now(UTC) - timedelta(seconds=1))
    assert client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_berg")).status_code == 403


def test_the_keeper_of_what_was_read_sees_it_on_the_review_list(world: World, client: Client):
    open_glass(client, world)
    client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_berg"))
    out = io.StringIO()
    call_command("audit", "emergencies", "--keeper", "hc-north", stdout=out)
    assert "dr_berg" in out.getvalue() and "Tajuton" in out.getvalue()
    other = io.StringIO()
    call_command("audit", "emergencies", "--keeper", "sw-east", stdout=other)
    assert other.getvalue() == ""
