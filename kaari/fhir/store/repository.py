"""SQL over the store's tables. The only module that reads or writes them (search has its own query module).

Raw SQL through Django's connection keeps the write path fast (executemany, one statement per table per
batch) and portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from kaari.fhir.conventions import REGISTER_HEALTH
from kaari.fhir.store.records import StoredResource
from kaari.lib.prepared import prepared_cursor

RESOURCE_COLUMNS = (
    "id, resource_type, logical_id, version_id, last_updated, deleted, body, compartment, register, keeper"
)
VERSION_COLUMNS = (
    "id, resource_type, logical_id, version_id, last_updated, deleted, body, compartment, register, keeper, method"
)
# The current row's columns on the alias `r`, for queries that add the gate's condition over `r`.
_R_COLUMNS = ", ".join(f"r.{c.strip()}" for c in RESOURCE_COLUMNS.split(","))


@dataclass
class WritePlan:
    """Everything one write puts into the tables, prepared before any SQL runs."""

    resource_type: str
    logical_id: str
    version_id: int
    last_updated: datetime
    deleted: bool
    body: bytes
    method: str
    compartment: str | None = None
    register: str = ""
    keeper: str = ""
    pk: int | None = None  # the current row's key when it exists already
    index_rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    identities: list[tuple[str, str]] = field(default_factory=list)

    def stored(self) -> StoredResource:
        assert self.pk is not None
        return StoredResource(
            pk=self.pk,
            resource_type=self.resource_type,
            id=self.logical_id,
            version_id=self.version_id,
            last_updated=self.last_updated,
            deleted=self.deleted,
            body=self.body,
            compartment=self.compartment,
            register=self.register,
            keeper=self.keeper,
            method=self.method,
        )


def _db_datetime(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _py_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _body_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, memoryview):
        return value.tobytes()
    return str(value).encode()


def _stored(row: Sequence[Any], method: str = "") -> StoredResource:
    return StoredResource(
        pk=row[0],
        resource_type=row[1],
        id=row[2],
        version_id=row[3],
        last_updated=_py_datetime(row[4]),
        deleted=bool(row[5]),
        body=_body_bytes(row[6]),
        compartment=row[7],
        register=row[8],
        keeper=row[9],
        method=row[10] if len(row) > 10 else method,
    )


def current_get(resource_type: str, logical_id: str, *, for_update: bool = False) -> StoredResource | None:
    lock = " FOR UPDATE" if for_update and connection.vendor == "postgresql" else ""
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT {RESOURCE_COLUMNS} FROM fhir_resource WHERE resource_type = %s AND logical_id = %s{lock}",
            [resource_type, logical_id],
        )
        row = cursor.fetchone()
    return _stored(row) if row else None


def current_get_checked(
    resource_type: str, logical_id: str, check: tuple[str, tuple[Any, ...]]
) -> tuple[StoredResource | None, str | None]:
    """The current row and the gate's check evaluated on it, in one query."""
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT {_R_COLUMNS}, ({check[0]}) FROM fhir_resource r WHERE r.resource_type = %s AND r.logical_id = %s",
            [*check[1], resource_type, logical_id],
        )
        row = cursor.fetchone()
    if not row:
        return None, None
    return _stored(row[:-1]), (None if row[-1] is None else str(row[-1]))


def check_evaluate(pk: int, check: tuple[str, tuple[Any, ...]]) -> str | None:
    """The gate's check evaluated on one current row."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({check[0]}) FROM fhir_resource r WHERE r.id = %s", [*check[1], pk])
        row = cursor.fetchone()
    return None if not row or row[0] is None else str(row[0])


def current_page(
    *, resource_types: Sequence[str], after: int, count: int, restriction: tuple[str, tuple[Any, ...]] | None
) -> list[StoredResource]:
    """Current, not deleted rows of the types in key order after `after` (export and rebuilds)."""
    marks = ", ".join(["%s"] * len(resource_types))
    where = f"r.resource_type IN ({marks}) AND r.deleted = %s AND r.id > %s"
    params: list[Any] = [*resource_types, False, after]
    if restriction is not None:
        where += f" AND ({restriction[0]})"
        params.extend(restriction[1])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_R_COLUMNS} FROM fhir_resource r WHERE {where} ORDER BY r.id LIMIT %s", [*params, count]
        )
        return [_stored(row) for row in cursor.fetchall()]


def compartment_registers_withheld(patient_id: str, restriction: tuple[str, tuple[Any, ...]]) -> list[str]:
    """The registers holding current resources of the patient's compartment that the restriction excludes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT COALESCE(NULLIF(r.register, ''), %s) FROM fhir_resource r"
            f" WHERE r.compartment = %s AND r.deleted = %s AND NOT COALESCE(({restriction[0]}), %s)",
            [REGISTER_HEALTH, patient_id, False, *restriction[1], False],
        )
        return sorted(str(row[0]) for row in cursor.fetchall())


def current_get_many(
    keys: Iterable[tuple[str, str]], *, for_update: bool = False
) -> dict[tuple[str, str], StoredResource]:
    by_type: dict[str, list[str]] = defaultdict(list)
    for resource_type, logical_id in keys:
        by_type[resource_type].append(logical_id)
    lock = " FOR UPDATE" if for_update and connection.vendor == "postgresql" else ""
    found: dict[tuple[str, str], StoredResource] = {}
    with connection.cursor() as cursor:
        for resource_type, ids in by_type.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT {RESOURCE_COLUMNS} FROM fhir_resource"
                    f" WHERE resource_type = %s AND logical_id IN ({marks}){lock}",
                    [resource_type, *chunk],
                )
                for row in cursor.fetchall():
                    stored = _stored(row)
                    found[(stored.resource_type, stored.id)] = stored
    return found


def current_get_by_pks(pks: Sequence[int]) -> list[StoredResource]:
    """Current rows by key, in the order of `pks`."""
    rows: dict[int, StoredResource] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chunk = list(pks[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {RESOURCE_COLUMNS} FROM fhir_resource WHERE id IN ({marks})", chunk)
            for row in cursor.fetchall():
                rows[row[0]] = _stored(row)
    return [rows[pk] for pk in pks if pk in rows]


def version_get(resource_type: str, logical_id: str, version_id: int) -> StoredResource | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {VERSION_COLUMNS} FROM fhir_resource_version"
            " WHERE resource_type = %s AND logical_id = %s AND version_id = %s",
            [resource_type, logical_id, version_id],
        )
        row = cursor.fetchone()
    return _stored(row) if row else None


def history_page(
    *,
    resource_type: str | None,
    logical_id: str | None,
    since: datetime | None,
    before: int | None,
    count: int,
    restriction: tuple[str, tuple[Any, ...]] | None = None,
) -> tuple[list[StoredResource], bool]:
    """Versions newest first, at most `count`, and whether more follow. `before` is a version-row key."""
    where: list[str] = []
    params: list[Any] = []
    if resource_type is not None:
        where.append("v.resource_type = %s")
        params.append(resource_type)
    if logical_id is not None:
        where.append("v.logical_id = %s")
        params.append(logical_id)
    if since is not None:
        where.append("v.last_updated >= %s")
        params.append(_db_datetime(since))
    if before is not None:
        where.append("v.id < %s")
        params.append(before)
    join = ""
    if restriction is not None:
        # The gate's condition applies to the resource as it stands now.
        join = " JOIN fhir_resource r ON r.resource_type = v.resource_type AND r.logical_id = v.logical_id"
        where.append(f"({restriction[0]})")
        params.extend(restriction[1])
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    columns = ", ".join(f"v.{c.strip()}" for c in VERSION_COLUMNS.split(","))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM fhir_resource_version v{join}{clause} ORDER BY v.id DESC LIMIT %s",
            [*params, count + 1],
        )
        rows = cursor.fetchall()
    return [_stored(row) for row in rows[:count]], len(rows) > count


def identity_owners(identities: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Which current resource holds each unique identifier."""
    owners: dict[tuple[str, str], int] = {}
    with connection.cursor() as cursor:
        for system, value in identities:
            cursor.execute(
                "SELECT resource_id FROM fhir_patient_identity WHERE system = %s AND value = %s", [system, value]
            )
            row = cursor.fetchone()
            if row:
                owners[(system, value)] = int(row[0])
    return owners


def _pks_allocate(count: int) -> list[int]:
    """Keys for new current rows, taken before inserting so that index rows can refer to them in bulk."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('fhir_resource', 'id')) FROM generate_series(1, %s)",
                [count],
            )
            return [int(row[0]) for row in cursor.fetchall()]
        # SQLite has one writer at a time (IMMEDIATE transactions), so the maximum is stable here.
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM fhir_resource")
        row = cursor.fetchone()
        first = int(row[0] if row else 0) + 1
        return list(range(first, first + count))


def writes_apply(plans: Sequence[WritePlan], index_tables: dict[str, tuple[str, ...]]) -> None:
    """Write every plan: current rows, versions, index rows and unique identities. Runs in the caller's transaction."""
    if not plans:
        return
    fresh = [plan.pk is None for plan in plans]
    new = [plan for plan in plans if plan.pk is None]
    updated = [plan for plan in plans if plan.pk is not None]
    existing = [plan.pk for plan in updated if plan.pk is not None]
    for plan, pk in zip(new, _pks_allocate(len(new)) if new else [], strict=True):
        plan.pk = pk
    # One row per plan serves both the current table (new resources) and the version table.
    rows = [_current_row(plan) for plan in plans]
    with connection.cursor() as cursor:
        new_rows = [row for row, is_new in zip(rows, fresh, strict=True) if is_new]
        _bulk_insert(cursor, "fhir_resource", RESOURCE_COLUMNS.split(", "), new_rows)
        if updated:
            cursor.executemany(
                "UPDATE fhir_resource SET version_id = %s, last_updated = %s, deleted = %s, body = %s,"
                " compartment = %s, register = %s, keeper = %s WHERE id = %s",
                [
                    (
                        plan.version_id,
                        _db_datetime(plan.last_updated),
                        plan.deleted,
                        plan.body.decode(),
                        plan.compartment,
                        plan.register,
                        plan.keeper,
                        plan.pk,
                    )
                    for plan in updated
                ],
            )
        _bulk_insert(
            cursor,
            "fhir_resource_version",
            VERSION_COLUMNS.split(", ")[1:],
            [row[1:] + (plan.method,) for plan, row in zip(plans, rows, strict=True)],
        )
        if existing:
            _index_rows_delete(cursor, existing, index_tables)
        _index_rows_insert(cursor, plans, index_tables)
        _identities_replace(cursor, plans, existing)


def _bulk_insert(cursor: Any, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster than INSERTs), executemany elsewhere."""
    if not rows:
        return
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _current_row(plan: WritePlan) -> tuple[Any, ...]:
    return (
        plan.pk,
        plan.resource_type,
        plan.logical_id,
        plan.version_id,
        _db_datetime(plan.last_updated),
        plan.deleted,
        plan.body.decode(),
        plan.compartment,
        plan.register,
        plan.keeper,
    )


def _index_rows_delete(cursor: Any, pks: list[int], index_tables: dict[str, tuple[str, ...]]) -> None:
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        for table in index_tables:
            cursor.execute(f"DELETE FROM {table} WHERE resource_id IN ({marks})", chunk)


def _index_rows_insert(cursor: Any, plans: Sequence[WritePlan], index_tables: dict[str, tuple[str, ...]]) -> None:
    for table, columns in index_tables.items():
        rows = [
            (plan.pk, plan.resource_type, plan.compartment, *row)
            for plan in plans
            for row in plan.index_rows.get(table, ())
        ]
        _bulk_insert(cursor, table, ("resource_id", "resource_type", "compartment", *columns), rows)


def _identities_replace(cursor: Any, plans: Sequence[WritePlan], pks: list[int]) -> None:
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"DELETE FROM fhir_patient_identity WHERE resource_id IN ({marks})", chunk)
    rows = [(system, value, plan.pk) for plan in plans for system, value in plan.identities]
    if rows:
        cursor.executemany("INSERT INTO fhir_patient_identity (system, value, resource_id) VALUES (%s, %s, %s)", rows)
