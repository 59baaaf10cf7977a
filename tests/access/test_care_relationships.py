"""Care relationships are derived from the store by its write observer, and open, recent or gone as they should."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.test import Client

from kaari.access.models import AuditEntry, CareRelationship
from kaari.access.relationships import relationships_of
from kaari.access.services import system_store
from tests.access.personas import World, encounter


def test_an_ongoing_encounter_relates_its_unit_and_participants():
    visit = encounter("aino", "hc-north")
    visit["participant"] = [{"individual": {"reference": "Practitioner/p1"}}]
    rows = relationships_of(visit)
    assert [(r.organization_id, r.practitioner_id, r.ends) for r in rows] == [("hc-north", "", None), ("", "p1", None)]


def test_a_finished_encounter_ends_when_its_period_ends_and_a_cancelled_one_never_relates():
    visit = {**encounter("aino", "hc-north"), "status": "finished", "period": {"end": "2026-01-02T10:00:00Z"}}
    assert relationships_of(visit)[0].ends == datetime(2026, 1, 2, 10, tzinfo=UTC)
    assert relationships_of({**visit, "status": "cancelled"}) == []


def test_appointments_service_requests_and_care_teams_relate():
    appointment = {
        "resourceType": "Appointment",
        "status": "booked",
        "start": "2027-01-01T10:00:00Z",
        "participant": [{"actor": {"reference": "Patient/aino"}}, {"actor": {"reference": "Practitioner/p2"}}],
    }
    referral = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "subject": {"reference": "Patient/aino"},
        "performer": [{"reference": "Organization/ward-7"}],
    }
    team = {
        "resourceType": "CareTeam",
        "status": "active",
        "subject": {"reference": "Patient/aino"},
        "participant": [{"member": {"reference": "Practitioner/p3"}}],
    }
    assert relationships_of(appointment)[0].practitioner_id == "p2"
    assert relationships_of(referral)[0].organization_id == "ward-7"
    assert relationships_of(team)[0].practitioner_id == "p3"


def test_the_observer_keeps_relationships_in_step_with_every_write(world: World):
    store = system_store("test")
    assert CareRelationship.objects.filter(patient_id="aino", organization_id="ward-7").count() == 0
    store.update("Encounter", "aino-ward", {**encounter("aino", "ward-7"), "id": "aino-ward"})
    assert CareRelationship.objects.filter(patient_id="aino", organization_id="ward-7", ends=None).count() == 1
    finished = {**encounter("aino", "ward-7"), "id": "aino-ward", "status": "finished", "period": {"end": "2020-01-01"}}
    store.update("Encounter", "aino-ward", finished)
    assert CareRelationship.objects.get(patient_id="aino", organization_id="ward-7").ends is not None
    store.delete("Encounter", "aino-ward")
    assert CareRelationship.objects.filter(patient_id="aino", organization_id="ward-7").count() == 0


def test_a_relationship_lasts_the_recent_period_after_it_ends(world: World, client: Client, settings):
    store = system_store("test")
    ended = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    store.update(
        "Encounter",
        "aino-ward",
        {**encounter("aino", "ward-7"), "id": "aino-ward", "status": "finished", "period": {"end": ended}},
    )
    assert client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_berg")).status_code == 200
    settings.KAARI_RECENT_RELATIONSHIP_DAYS = 7
    assert client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_berg")).status_code == 403


def test_opening_an_encounter_in_ones_own_unit_starts_a_relationship_and_is_logged(world: World, client: Client):
    headers = world.headers("dr_berg")
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 403
    visit = {k: v for k, v in encounter("aino", "ward-7").items() if k not in ("id", "meta")}
    created = client.post(
        "/fhir/Encounter", data=json.dumps(visit), content_type="application/fhir+json", headers=headers
    )
    assert created.status_code == 201
    entry = AuditEntry.objects.latest("id")
    assert entry.basis == "new-relationship" and entry.patient_id == "aino" and entry.actor == "dr_berg"
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 200


def test_an_encounter_in_another_unit_does_not_open_a_relationship(world: World, client: Client):
    visit = {k: v for k, v in encounter("aino", "hc-north").items() if k not in ("id", "meta")}
    response = client.post(
        "/fhir/Encounter",
        data=json.dumps(visit),
        content_type="application/fhir+json",
        headers=world.headers("dr_berg"),
    )
    assert response.status_code == 403


def test_rebuild_recreates_the_derived_tables_from_the_store(world: World):
    before = sorted(CareRelationship.objects.values_list("patient_id", "organization_id", "source_id"))
    CareRelationship.objects.all().delete()
    out = io.StringIO()
    call_command("access", "rebuild", stdout=out)
    assert sorted(CareRelationship.objects.values_list("patient_id", "organization_id", "source_id")) == before
    assert "access_care_relationship" in out.getvalue()
