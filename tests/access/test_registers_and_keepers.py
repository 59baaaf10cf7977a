"""Every write carries a register and a keeper, derived from the writer; only integrations may state them."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.test import Client

from kaari.access.models import Unit
from kaari.fhir.conventions import KEEPER_EXTENSION, REGISTER_SYSTEM
from tests.access.personas import World, labelled


def created(client: Client, world: World, persona: str, resource: dict) -> dict:
    response = client.post(
        f"/fhir/{resource['resourceType']}",
        data=json.dumps(resource),
        content_type="application/fhir+json",
        headers=world.headers(persona),
    )
    assert response.status_code == 201, response.content
    return response.json()


def labels(resource: dict) -> tuple[str, str]:
    register = next(c["code"] for c in resource["meta"]["security"] if c["system"] == REGISTER_SYSTEM)
    keeper = next(
        e["valueReference"]["reference"] for e in resource["meta"]["extension"] if e["url"] == KEEPER_EXTENSION
    )
    return register, keeper


def note(client: str = "aino") -> dict:
    return {"resourceType": "Communication", "status": "completed", "subject": {"reference": f"Patient/{client}"}}


def test_a_social_worker_writes_into_social_welfare_and_a_nurse_into_health_care(world: World, client: Client):
    assert labels(created(client, world, "sw_dahl", note())) == ("social-welfare", "Organization/sw-east")
    assert labels(created(client, world, "nurse_ceder", note())) == ("health-care", "Organization/hc-north")


def test_a_professional_cannot_choose_another_register_or_keeper(world: World, client: Client):
    stated = labelled(note(), register="health-care", keeper="ward-7")
    assert labels(created(client, world, "sw_dahl", stated)) == ("social-welfare", "Organization/sw-east")


def test_a_unit_can_be_configured_to_write_into_the_other_register(world: World, client: Client):
    call_command("access", "unit", "joint-team", "--write-register", "social-welfare", stdout=io.StringIO())
    assert Unit.objects.get(organization_id="joint-team").extra_registers == "social-welfare"
    assert labels(created(client, world, "nurse_jokinen", note())) == ("social-welfare", "Organization/joint-team")


def test_an_integration_states_the_register_or_the_type_decides(world: World, client: Client):
    migrated = labelled(note(), register="social-welfare", keeper="sw-west")
    assert labels(created(client, world, "feed", migrated)) == ("social-welfare", "Organization/sw-west")
    assert labels(created(client, world, "feed", note()))[0] == "health-care"


def test_writing_without_a_relationship_is_refused(world: World, client: Client):
    response = client.post(
        "/fhir/Communication",
        data=json.dumps(note()),
        content_type="application/fhir+json",
        headers=world.headers("sw_eklund"),
    )
    assert response.status_code == 403


def test_an_audit_event_written_by_a_system_is_stored_apart_from_the_access_log(world: World, client: Client):
    event = {
        "resourceType": "AuditEvent",
        "type": {"code": "rest"},
        "recorded": "2026-01-01T00:00:00Z",
        "agent": [{"requestor": True}],
        "source": {"observer": {"display": "x"}},
    }
    response = client.post(
        "/fhir/AuditEvent", data=json.dumps(event), content_type="application/fhir+json", headers=world.headers("feed")
    )
    assert response.status_code == 201
    stored_id = response.json()["id"]
    assert not stored_id.startswith("log-")
    read = client.get(f"/fhir/AuditEvent/{stored_id}", headers=world.headers("feed"))
    assert read.status_code == 200
    assert read.json()["recorded"] == "2026-01-01T00:00:00Z"
