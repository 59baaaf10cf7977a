"""Sealing the access log into a keyed hash chain, and verifying it (`kaari audit seal`, `kaari audit verify`).

Each sealed entry gets the next sequence number and chain_hash = HMAC(key, previous hash, seq, its content).
The key (KAARI_AUDIT_KEY) lives outside the database, so whoever can edit the table cannot reseal it. Each
sealing run also records the head of the chain in AuditSeal, so a deleted tail is noticed; publishing that
head elsewhere (printed by `kaari audit verify`) protects against a rollback of the whole database.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction

from kaari.access import conf
from kaari.access.models import AuditEntry, AuditSeal

GENESIS = "0" * 64
# Entries younger than this wait for the next run, so that an entry committed late never lands behind one
# already sealed (each entry is a single autocommitted INSERT, so a few seconds is ample).
SETTLE = timedelta(seconds=2)
CONTENT_FIELDS = (
    "id",
    "recorded",
    "actor_user_id",
    "actor",
    "actor_kind",
    "role",
    "organization_id",
    "practitioner_id",
    "action",
    "outcome",
    "outcome_desc",
    "basis",
    "patient_id",
    "keepers",
    "entities",
    "query",
    "request",
    "address",
)


def _content(values: dict[str, object]) -> bytes:
    parts = []
    for name in CONTENT_FIELDS:
        value = values[name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        parts.append("" if value is None else str(value))
    return "\x1f".join(parts).encode()


def link_hash(previous: str, seq: int, values: dict[str, object]) -> str:
    message = previous.encode() + b"\x1e" + str(seq).encode() + b"\x1e" + _content(values)
    return hmac.new(conf.audit_key(), message, hashlib.sha256).hexdigest()


def entries_seal(*, batch: int = 10_000, settle: timedelta = SETTLE) -> int:
    """Seal the waiting entries in id order; the number sealed."""
    sealed = 0
    while True:
        count = _seal_batch(batch, settle)
        sealed += count
        if count < batch:
            return sealed


@transaction.atomic
def _seal_batch(batch: int, settle: timedelta) -> int:
    head = AuditSeal.objects.select_for_update().order_by("-last_seq").first()
    previous, seq = (head.head_hash, head.last_seq) if head else (GENESIS, 0)
    cutoff = datetime.now(UTC) - settle
    waiting = list(
        AuditEntry.objects.select_for_update().filter(seq__isnull=True).order_by("id").values(*CONTENT_FIELDS)[:batch]
    )
    sealed_ids: list[tuple[int, int, str]] = []
    for values in waiting:
        recorded = values["recorded"]
        assert isinstance(recorded, datetime)
        if recorded > cutoff:
            break
        seq += 1
        previous = link_hash(previous, seq, values)
        sealed_ids.append((int(str(values["id"])), seq, previous))
    for entry_id, entry_seq, chain_hash in sealed_ids:
        AuditEntry.objects.filter(id=entry_id, seq__isnull=True).update(seq=entry_seq, chain_hash=chain_hash)
    if sealed_ids:
        AuditSeal.objects.create(
            sealed_at=datetime.now(UTC), last_seq=seq, last_entry_id=sealed_ids[-1][0], head_hash=previous
        )
    return len(sealed_ids)


@dataclass
class Verification:
    sealed: int = 0
    waiting: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sealed_entries() -> Iterator[dict[str, object]]:
    query = AuditEntry.objects.filter(seq__isnull=False).order_by("seq").values(*CONTENT_FIELDS, "seq", "chain_hash")
    yield from query.iterator(chunk_size=5000)


def log_verify(*, limit_problems: int = 20) -> Verification:
    """Recompute the chain; report a changed, missing, reordered or inserted entry, and a cut-off tail."""
    result = Verification()
    checkpoints = {seal.last_seq: seal.head_hash for seal in AuditSeal.objects.all()}
    previous, expected_seq, last_id = GENESIS, 0, 0
    for values in _sealed_entries():
        expected_seq += 1
        seq = int(str(values["seq"]))
        entry_id = int(str(values["id"]))
        if seq != expected_seq:
            result.problems.append(f"entries {expected_seq}..{seq - 1} of the chain are missing (deleted)")
            expected_seq = seq
        if entry_id <= last_id:
            result.problems.append(f"entry {entry_id} (seq {seq}) is out of order: inserted")
        computed = link_hash(previous, seq, values)
        if computed != values["chain_hash"]:
            result.problems.append(f"entry {entry_id} (seq {seq}) does not match its seal: changed or forged")
        if seq in checkpoints and checkpoints[seq] != values["chain_hash"]:
            result.problems.append(f"the seal recorded at seq {seq} does not match the chain")
        previous, last_id = str(values["chain_hash"]), entry_id
        result.sealed += 1
        if len(result.problems) >= limit_problems:
            break
    if checkpoints and max(checkpoints) > expected_seq:
        result.problems.append(f"the chain ends at seq {expected_seq} but was sealed up to {max(checkpoints)}: deleted")
    early = AuditEntry.objects.filter(seq__isnull=True, id__lt=last_id).values_list("id", flat=True)[:5]
    for entry_id in early:
        result.problems.append(f"entry {entry_id} sits inside the sealed part without a seal: inserted")
    result.waiting = AuditEntry.objects.filter(seq__isnull=True).count()
    result.head_hash = previous
    return result
