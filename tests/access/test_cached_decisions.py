"""A professional's decisions are cached per client on PostgreSQL (kaari.access.decisions); a change to what the
rules read about the client takes effect at once all the same, and no cached decision outlives a time bound."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from kaari.access import decisions, policy
from kaari.access.gate import AccessGate
from kaari.access.models import EmergencyAccess, PolicyGeneration, User
from kaari.access.scopes import READ
from kaari.access.services import system_store
from kaari.access.tokens import principal_from_token
from tests.access.personas import World, consent, encounter

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="decisions are cached on PostgreSQL only"
)


def found_ids(client: Client, world: World, persona: str, query: str) -> set[str]:
    response = client.get(f"/fhir/{query}", headers=world.headers(persona))
    assert response.status_code == 200, response.content
    return {entry["resource"]["id"] for entry in response.json().get("entry", [])}


def test_withdrawing_consent_hides_the_other_register_at_once_from_a_reader_who_was_just_admitted(
    world: World, client: Client
):
    store = system_store("test")
    headers = world.headers("nurse_jokinen")  # the joint team: reads across the registers by consent
    assert client.get("/fhir/DocumentReference/aino-doc", headers=headers).status_code == 200
    assert "aino-doc" in found_ids(client, world, "nurse_jokinen", "DocumentReference?patient=aino")
    store.update("Consent", "aino-consent", consent("aino", "deny"))
    # The search first, so that it meets decisions cached before the withdrawal.
    assert "aino-doc" not in found_ids(client, world, "nurse_jokinen", "DocumentReference?patient=aino")
    assert client.get("/fhir/DocumentReference/aino-doc", headers=headers).status_code == 403
    store.update("Consent", "aino-consent", consent("aino", "permit"))
    assert client.get("/fhir/DocumentReference/aino-doc", headers=headers).status_code == 200
    assert "aino-doc" in found_ids(client, world, "nurse_jokinen", "DocumentReference?patient=aino")


def test_a_relationship_that_ended_long_ago_closes_the_record_at_once(world: World, client: Client):
    headers = world.headers("dr_ahonen")
    assert client.get("/fhir/Observation/tuuli-obs", headers=headers).status_code == 200
    long_ago = (datetime.now(UTC) - timedelta(days=400)).isoformat()
    ended = {
        **encounter("tuuli", "hc-north"),
        "status": "finished",
        "period": {"start": long_ago, "end": long_ago},
    }
    system_store("test").update("Encounter", "tuuli-visit-hc-north", ended)
    assert "tuuli-obs" not in found_ids(client, world, "dr_ahonen", "Observation?patient=tuuli")
    assert client.get("/fhir/Observation/tuuli-obs", headers=headers).status_code == 403


def test_an_emergency_access_closes_when_it_expires_although_its_decision_was_cached(world: World, client: Client):
    headers = world.headers("dr_berg")
    user = User.objects.get(username="dr_berg")
    now = datetime.now(UTC)
    EmergencyAccess.objects.create(
        user=user, patient_id="aino", reason="Tajuton potilas", starts=now, expires=now + timedelta(seconds=1)
    )
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 200
    time.sleep(1.1)
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 403
    assert "aino-obs" not in found_ids(client, world, "dr_berg", "Observation?patient=aino")


@postgresql_only
def test_cached_decisions_expire_at_the_first_time_bound_the_rules_read(world: World):
    user = User.objects.get(username="dr_berg")
    now = datetime.now(UTC)
    EmergencyAccess.objects.create(
        user=user, patient_id="aino", reason="Tajuton potilas", starts=now, expires=now + timedelta(minutes=3)
    )
    call = policy.actor_call(principal_from_token(world.tokens["dr_berg"]))
    assert call is not None
    before = time.monotonic()
    fetched = decisions.fetch(call, "aino")
    assert fetched.bases[(False, "health-care", False)] == "emergency"
    assert before + 170 < fetched.deadline <= time.monotonic() + 180
    quiet = decisions.fetch(call, "veeti")  # nothing about Veeti ends soon: the longest age
    assert quiet.deadline > before + decisions.MAX_AGE - 5


@postgresql_only
def test_every_change_to_what_the_rules_read_about_a_client_gives_them_a_new_generation(world: World):
    def generation(patient: str) -> Any:
        return PolicyGeneration.objects.filter(patient_id=patient).values_list("generation", flat=True).first()

    user = User.objects.get(username="dr_berg")
    now = datetime.now(UTC)
    seen = [generation("aino")]
    access = EmergencyAccess.objects.create(user=user, patient_id="aino", reason="x", starts=now, expires=now)
    seen.append(generation("aino"))
    EmergencyAccess.objects.filter(pk=access.pk).update(expires=now + timedelta(hours=1))
    seen.append(generation("aino"))
    EmergencyAccess.objects.filter(pk=access.pk).delete()
    seen.append(generation("aino"))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE access_consent_rule")
    seen.append(generation("aino"))
    system_store("test").update("Consent", "aino-consent", consent("aino", "deny"))
    seen.append(generation("aino"))
    assert None not in seen and len(set(seen)) == len(seen), seen


PROFESSIONALS = ("dr_ahonen", "dr_berg", "nurse_ceder", "sw_dahl", "sw_eklund", "pharmacist_fors", "nurse_jokinen")


def client_rows(patient_id: str, resource_type: str | None, condition: str, params: list[Any]) -> set[tuple[str, str]]:
    """(type, id) of the client's current rows (of one type, or of every type) that pass the condition over `r`."""
    of_type = "" if resource_type is None else " AND r.resource_type = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.resource_type, r.logical_id FROM fhir_resource r WHERE r.compartment = %s{of_type}"
            f" AND NOT r.deleted AND ({condition})",
            [patient_id, *([] if resource_type is None else [resource_type]), *params],
        )
        return set(cursor.fetchall())


@postgresql_only
def test_a_search_about_one_client_finds_exactly_what_the_rule_function_admits_for_every_type(
    world: World, client: Client
):
    # The cached filter writes out only the decisions about the searched type's level; the rule function itself,
    # row by row, is the oracle. Every professional persona, every client, every type in the client's record.
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT compartment, resource_type FROM fhir_resource WHERE compartment IS NOT NULL")
        pairs = sorted(cursor.fetchall())
    assert {t for _, t in pairs} >= {"Patient", "Consent", "Observation", "DocumentReference", "Encounter"}
    checked = 0
    for persona in PROFESSIONALS:
        call = policy.actor_call(principal_from_token(world.tokens[persona]))
        assert call is not None
        for patient_id, resource_type in pairs:
            admitted = {i for _, i in client_rows(patient_id, resource_type, f"{call.sql.text} IS NOT NULL", [])}
            parameter = "_id" if resource_type == "Patient" else "patient"
            query = f"{resource_type}?{parameter}={patient_id}&_count=100"
            response = client.get(f"/fhir/{query}", headers=world.headers(persona))
            if response.status_code == 400 and resource_type != "Patient":  # a type without a `patient` parameter
                continue
            assert response.status_code == 200, response.content
            found = {entry["resource"]["id"] for entry in response.json().get("entry", [])}
            assert found == admitted, (persona, patient_id, resource_type)
            checked += 1
    assert checked >= 7 * 15


@postgresql_only
def test_the_cached_filter_for_each_type_and_for_several_types_admits_exactly_what_the_rule_function_admits(
    world: World,
):
    # The gate's own condition, asked as a search engine asks it (one type, or None for several), and asked twice,
    # so that the second comes from the cache; Patient rows included, which no `patient=` search reaches.
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT resource_type FROM fhir_resource WHERE compartment IS NOT NULL")
        types: list[str | None] = [*sorted(row[0] for row in cursor.fetchall()), None]
    checked = 0
    for persona in PROFESSIONALS:
        principal = principal_from_token(world.tokens[persona])
        call = policy.actor_call(principal)
        assert call is not None
        for patient_id in ("aino", "kaisa", "tuuli", "veeti", "maija"):
            for resource_type in types:
                admitted = client_rows(patient_id, resource_type, f"{call.sql.text} IS NOT NULL", [])
                if resource_type is not None and not principal.scopes.allows(resource_type, READ):
                    admitted = set()
                for _ in range(2):
                    restriction = AccessGate(principal).restriction(resource_type, patient=patient_id)
                    assert restriction is not None
                    found = client_rows(patient_id, resource_type, restriction.sql, list(restriction.params))
                    assert found == admitted, (persona, patient_id, resource_type)
                checked += 1
    assert checked == 7 * 5 * len(types)
