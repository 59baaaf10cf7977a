"""Writing the access log: one entry per request, page view or unscoped store operation.

An `AccessScope` gathers what one request disclosed, wrote or was denied, and `entry_write` stores it as
one INSERT (plus one row per further client, when an entry touched several) before the response leaves.
Sealing into the hash chain happens later (kaari.access.audit.chain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from kaari.access.principal import Principal
from kaari.lib.jsonutil import json_dumps

SUCCESS = "0"
MINOR_FAILURE = "4"  # the request failed or was refused
SERIOUS_FAILURE = "8"

_COLUMNS = (
    "recorded, actor_user_id, actor, actor_kind, role, organization_id, practitioner_id, action, outcome,"
    " outcome_desc, basis, patient_id, keepers, entities, query, request, address, chain_hash"
)


@dataclass(slots=True)
class AccessScope:
    """What one request or page view touched, gathered for its single log entry."""

    principal: Principal
    request: str = ""
    address: str = ""
    action: str = ""
    # Each resource disclosed or written, each note and each denial; the entry's clients, keepers and bases are
    # read from these when it is written.
    entities: list[dict[str, Any]] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    denials: list[str] = field(default_factory=list)
    outcome: str = SUCCESS
    outcome_desc: str = ""
    written: bool = False

    @property
    def touched(self) -> bool:
        return bool(self.operations or self.denials)

    def named(self, key: str) -> list[str]:
        """The distinct non-empty values the entities give for `key` (patient, keeper, basis), first seen first."""
        return list(dict.fromkeys(value for entity in self.entities if (value := entity.get(key))))

    def denial_add(self, reason: str, *, patient: str | None, what: str) -> None:
        self.denials.append(reason)
        self.entities.append({"what": what, "patient": patient, "denied": reason})
        self.outcome = MINOR_FAILURE
        self.outcome_desc = reason

    def status_apply(self, status: int) -> None:
        if status >= 400 and self.outcome == SUCCESS:
            self.outcome = MINOR_FAILURE if status < 500 else SERIOUS_FAILURE
            self.outcome_desc = f"HTTP {status}"


def entry_write(scope: AccessScope) -> int:
    """Store the scope's entry durably (autocommit, or the caller's transaction) and return its id."""
    principal = scope.principal
    patients, keepers_named = scope.named("patient"), scope.named("keeper")
    keepers = "," + ",".join(keepers_named) + "," if keepers_named else ""
    row = (
        connection.ops.adapt_datetimefield_value(datetime.now(UTC)),
        principal.user_id,
        principal.username,
        principal.kind,
        principal.role,
        principal.organization_id,
        principal.practitioner_id,
        scope.action or "access",
        scope.outcome,
        scope.outcome_desc[:400],
        ",".join(scope.named("basis"))[:100],
        patients[0] if patients else "",
        keepers[:400],
        json_dumps(scope.entities).decode() if scope.entities else "",
        "\n".join(scope.queries),
        scope.request[:400],
        scope.address[:64],
        "",
    )
    marks = ", ".join(["%s"] * len(row))
    if len(patients) > 1:
        with transaction.atomic():
            entry_id = _insert(marks, row)
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO access_audit_subject (entry_id, patient_id) VALUES (%s, %s)",
                    [(entry_id, patient) for patient in patients[1:]],
                )
    else:
        # One statement in autocommit: durable when it returns, one round trip.
        entry_id = _insert(marks, row)
    scope.written = True
    return entry_id


def _insert(marks: str, row: tuple[Any, ...]) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"INSERT INTO access_audit_entry ({_COLUMNS}) VALUES ({marks}) RETURNING id", row)
            fetched = cursor.fetchone()
            return int(fetched[0]) if fetched else 0
        cursor.execute(f"INSERT INTO access_audit_entry ({_COLUMNS}) VALUES ({marks})", row)
        return int(cursor.lastrowid or 0)
