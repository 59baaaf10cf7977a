"""Rebuild the search index (and each resource's Patient compartment) from the stored resources.

Resources are taken in key order, in batches of one transaction each. After each batch the last key done
is written to a checkpoint file, so an interrupted run resumes where it stopped; a finished run removes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from kaari.fhir.search.indexing import INDEX_TABLES, index_rows, patient_compartments
from kaari.fhir.search.sql import SqlFragment, sql_all, sql_in
from kaari.lib.jsonutil import json_loads

Progress = Callable[[int], None]  # resources done since the last call


def checkpoint_path(data_dir: Path, resource_type: str | None) -> Path:
    return data_dir / f"reindex-{resource_type or 'all'}.json"


def reindex_count(resource_type: str | None, after: int) -> int:
    where = _scope(resource_type, after)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM fhir_resource r WHERE {where.sql}", list(where.params))
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _scope(resource_type: str | None, after: int) -> SqlFragment:
    parts = [SqlFragment("NOT r.deleted"), SqlFragment("r.id > %s", (after,))]
    if resource_type is not None:
        parts.append(SqlFragment("r.resource_type = %s", (resource_type,)))
    return sql_all(parts)


def reindex(
    *,
    resource_type: str | None,
    checkpoint: Path,
    restart: bool = False,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> int:
    """Re-index every live resource (of one type, or all); the number re-indexed by this run."""
    after = 0
    if checkpoint.exists() and not restart:
        after = int(json.loads(checkpoint.read_text())["after"])
    done = 0
    while True:
        where = _scope(resource_type, after)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.id, r.resource_type, r.body FROM fhir_resource r WHERE {where.sql} ORDER BY r.id LIMIT %s",
                [*where.params, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            break
        with transaction.atomic():
            _batch_reindex(rows)
        after = int(rows[-1][0])
        checkpoint.write_text(json.dumps({"after": after}))
        done += len(rows)
        if progress is not None:
            progress(len(rows))
    checkpoint.unlink(missing_ok=True)
    return done


def _body(value: Any) -> dict[str, Any]:
    if isinstance(value, memoryview):
        value = value.tobytes()
    resource = json_loads(value)
    assert isinstance(resource, dict)
    return resource


def _batch_reindex(rows: list[tuple[Any, ...]]) -> None:
    pks = [int(row[0]) for row in rows]
    planned = []
    for pk, resource_type, body in rows:
        resource = _body(body)
        compartments = patient_compartments(resource)
        planned.append((int(pk), resource_type, compartments[0] if compartments else None, index_rows(resource)))
    with connection.cursor() as cursor:
        for table in INDEX_TABLES:
            delete = sql_in("resource_id", pks)
            cursor.execute(f"DELETE FROM {table} WHERE {delete.sql}", list(delete.params))
        cursor.executemany(
            "UPDATE fhir_resource SET compartment = %s WHERE id = %s", [(c, pk) for pk, _, c, _ in planned]
        )
        for table, columns in INDEX_TABLES.items():
            values = [(pk, kind, c, *row) for pk, kind, c, rows_ in planned for row in rows_.get(table, ())]
            if values:
                marks = ", ".join(["%s"] * (3 + len(columns)))
                cursor.executemany(
                    f"INSERT INTO {table} (resource_id, resource_type, compartment, {', '.join(columns)})"
                    f" VALUES ({marks})",
                    values,
                )
