"""A mixed run of 1,000 API requests writes exactly one log entry per request that touches client data."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from kaari.access.models import AuditEntry
from tests.access.personas import World

Request = Callable[[Client, World, int], Any]


def read_allowed(client: Client, world: World, i: int) -> Any:
    return client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_ahonen"))


def read_denied(client: Client, world: World, i: int) -> Any:
    return client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_berg"))


def read_missing(client: Client, world: World, i: int) -> Any:
    return client.get(f"/fhir/Observation/none-{i}", headers=world.headers("dr_ahonen"))


def history(client: Client, world: World, i: int) -> Any:
    return client.get("/fhir/Observation/_history?_count=5", headers=world.headers("nurse_ceder"))


def create(client: Client, world: World, i: int) -> Any:
    body = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "paino"},
        "subject": {"reference": "Patient/aino"},
        "valueQuantity": {"value": 70 + i % 10, "unit": "kg"},
    }
    return client.post(
        "/fhir/Observation",
        data=json.dumps(body),
        content_type="application/fhir+json",
        headers=world.headers("nurse_ceder"),
    )


def batch(client: Client, world: World, i: int) -> Any:
    bundle = {
        "resourceType": "Bundle",
        "type": "batch",
        "entry": [
            {"request": {"method": "GET", "url": "Observation/aino-obs"}},
            {"request": {"method": "GET", "url": "Patient/aino"}},
        ],
    }
    return client.post(
        "/fhir", data=json.dumps(bundle), content_type="application/fhir+json", headers=world.headers("dr_ahonen")
    )


def own_log(client: Client, world: World, i: int) -> Any:
    return client.get("/fhir/AuditEvent?_count=5", headers=world.headers("kaisa_r"))


def metadata(client: Client, world: World, i: int) -> Any:
    return client.get("/fhir/metadata")


def no_token(client: Client, world: World, i: int) -> Any:
    return client.get("/fhir/Observation/aino-obs")


# (request, status it answers, log entries it writes)
MIX: list[tuple[Request, int, int]] = [
    (read_allowed, 200, 1),
    (read_denied, 403, 1),
    (read_missing, 404, 0),
    (history, 200, 1),
    (create, 201, 1),
    (batch, 200, 1),
    (own_log, 200, 1),
    (metadata, 200, 0),
    (no_token, 401, 0),
    (read_allowed, 200, 1),
]


def test_a_mixed_run_of_1000_requests_writes_exactly_the_expected_entries(world: World, client: Client):
    before = AuditEntry.objects.count()
    expected = 0
    for i in range(1000):
        request, status, entries = MIX[i % len(MIX)]
        response = request(client, world, i)
        assert response.status_code == status, (request.__name__, response.content[:300])
        expected += entries
    assert expected == 700
    assert AuditEntry.objects.count() - before == expected


def test_a_batch_of_several_reads_is_one_entry_naming_each_resource(world: World, client: Client):
    before = AuditEntry.objects.count()
    batch(client, world, 0)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert [e["what"].split("/_history")[0] for e in json.loads(entry.entities)] == [
        "Observation/aino-obs",
        "Patient/aino",
    ]
