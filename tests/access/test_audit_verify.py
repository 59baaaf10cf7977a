"""`kaari audit verify` passes on an untouched log and fails on a changed, deleted or inserted entry."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test import Client

from kaari.access.audit.chain import entries_seal, log_verify
from kaari.access.models import AuditEntry
from tests.access.personas import World


def sealed_log(world: World, client: Client, reads: int = 5) -> list[AuditEntry]:
    for _ in range(reads):
        client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_ahonen"))
    assert entries_seal(settle=timedelta(0)) > 0
    return list(AuditEntry.objects.order_by("seq"))


def verify_exit_code() -> int:
    try:
        call_command("audit", "verify")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_an_untouched_log_verifies(world: World, client: Client):
    entries = sealed_log(world, client)
    result = log_verify()
    assert result.ok and result.sealed == len(entries) and result.waiting == 0
    assert verify_exit_code() == 0


def test_a_changed_entry_fails_verification(world: World, client: Client):
    entries = sealed_log(world, client)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE access_audit_entry SET actor = 'someone-else' WHERE id = %s", [entries[3].id])
    assert any("changed" in problem for problem in log_verify().problems)
    assert verify_exit_code() == 1


def test_a_deleted_entry_fails_verification(world: World, client: Client):
    entries = sealed_log(world, client)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_audit_entry WHERE id = %s", [entries[2].id])
    assert any("missing" in problem for problem in log_verify().problems)
    assert verify_exit_code() == 1


def test_deleting_the_newest_sealed_entry_fails_verification(world: World, client: Client):
    entries = sealed_log(world, client)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_audit_entry WHERE id = %s", [entries[-1].id])
    assert any("deleted" in problem for problem in log_verify().problems)


def test_an_inserted_entry_fails_verification(world: World, client: Client):
    entries = sealed_log(world, client)
    forged = AuditEntry.objects.get(id=entries[1].id)
    forged.pk = None
    forged.seq = (entries[-1].seq or 0) + 1
    forged.actor = "forger"
    forged.chain_hash = "f" * 64
    forged.save()
    assert any("changed or forged" in problem for problem in log_verify().problems)
    assert verify_exit_code() == 1


def test_an_entry_slipped_in_among_sealed_ones_fails_verification(world: World, client: Client):
    entries = sealed_log(world, client)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_audit_entry WHERE id = %s", [entries[2].id])
    duplicate = AuditEntry.objects.get(id=entries[3].id)
    duplicate.pk, duplicate.seq, duplicate.chain_hash = entries[2].id, None, ""
    duplicate.save(force_insert=True)
    assert any("inserted" in problem for problem in log_verify().problems)


def test_young_entries_wait_for_the_next_sealing_run(world: World, client: Client):
    client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_ahonen"))
    assert entries_seal(settle=timedelta(hours=1)) == 0
    assert log_verify().waiting == AuditEntry.objects.count()
