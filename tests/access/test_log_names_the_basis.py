"""Each resource an entry names carries the basis it was disclosed on: a version read (vread, history) the basis its
resource was read on, not the client's general one."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from kaari.access.models import AuditEntry
from kaari.access.services import system_store
from tests.access.personas import World, social_document


def newest_entities() -> list[dict[str, Any]]:
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    return list(json.loads(entry.entities))


def test_an_older_version_read_across_the_registers_is_logged_on_consent_as_its_resource_is(
    world: World, client: Client
):
    # Aino's social welfare document, read by the joint team's nurse (health care) on Aino's consent; Aino's
    # general basis with the team is their care relationship.
    system_store("test").update("DocumentReference", "aino-doc", {**social_document("aino"), "status": "superseded"})
    headers = world.headers("nurse_jokinen")
    assert client.get("/fhir/DocumentReference/aino-doc", headers=headers).status_code == 200
    assert [e["basis"] for e in newest_entities()] == ["consent"]
    assert client.get("/fhir/DocumentReference/aino-doc/_history/1", headers=headers).status_code == 200
    assert [(e["what"], e["basis"]) for e in newest_entities()] == [
        ("DocumentReference/aino-doc/_history/1", "consent")
    ]
    found = client.get("/fhir/DocumentReference/aino-doc/_history", headers=headers)
    assert found.status_code == 200
    assert {e["basis"] for e in newest_entities()} == {"consent"}
    assert len(newest_entities()) == 2
