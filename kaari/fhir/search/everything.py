"""Patient/{id}/$everything: the patient, everything in its compartment, and the shared resources
(practitioners, organisations, locations, medications...) those refer to.

The compartment is read two ways and united: the `compartment` column (the first Patient compartment the
store recorded) and references to the patient through the CompartmentDefinition's parameters (a resource
can sit in several compartments). Referred-to resources are added only when they belong to no patient.
Pages are cut by the resource key; `_type`, `_since` and `_count` narrow the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from kaari.fhir.search.engine import SearchResult
from kaari.fhir.search.planner import compartment_references
from kaari.fhir.search.query import DEFAULT_COUNT, Cursor, SearchQuery
from kaari.fhir.search.sql import Restriction, SqlFragment, sql_all, sql_any, sql_in, sql_join
from kaari.fhir.search.types import SearchError
from kaari.fhir.search.types.date import date_range_ms, db_datetime
from kaari.fhir.spec import patient_compartment_params, resource_types
from kaari.fhir.store import repository

KNOWN = frozenset({"_type", "_since", "_count", "_cursor", "_format", "_pretty"})
# One patient's record is bounded, so a client may take it whole in one page.
MAX_EVERYTHING_COUNT = 10_000


def _fetch(sql: SqlFragment) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql.sql, list(sql.params))
        return list(cursor.fetchall())


def _compartment_references(patient_id: str) -> SqlFragment:
    alternatives = []
    for resource_type in patient_compartment_params():
        references = compartment_references(resource_type)
        if references is not None:
            alternatives.append(sql_all([SqlFragment("x.resource_type = %s", (resource_type,)), references]))
    return sql_all(
        [
            SqlFragment("x.target_id = %s AND x.target_type = 'Patient' AND x.url = ''", (patient_id,)),
            sql_any(alternatives),
        ]
    ).wrap("SELECT x.resource_id FROM fhir_idx_reference x WHERE ")


def _scope(restriction: Restriction, types: Sequence[str] | None, since_ms: int | None) -> SqlFragment:
    parts = [SqlFragment("NOT r.deleted")]
    if types:
        parts.append(sql_in("r.resource_type", types))
    condition = restriction(types[0] if types and len(types) == 1 else None)
    if condition is not None:
        parts.append(condition.wrap("(", ")"))
    if since_ms is not None:
        parts.append(SqlFragment("r.last_updated >= %s", (db_datetime(since_ms),)))
    return sql_all(parts)


def everything_pks(
    patient_id: str, restriction: Restriction, types: Sequence[str] | None, since_ms: int | None
) -> list[int]:
    """Every key of the result, in order: small enough (thousands) to compute whole for each page."""
    scope = _scope(restriction, types, since_ms)
    # Three indexed ways in, united; an OR of them would make the database scan every resource.
    ways_in = [
        SqlFragment("r.compartment = %s", (patient_id,)),
        _compartment_references(patient_id).wrap("r.id IN (", ")"),
        SqlFragment("r.resource_type = 'Patient' AND r.logical_id = %s", (patient_id,)),
    ]
    members = sql_join(
        (sql_all([scope, way]).wrap("SELECT r.id FROM fhir_resource r WHERE ") for way in ways_in), " UNION "
    )
    member_pks = sorted(int(row[0]) for row in _fetch(members))
    if not member_pks:
        return []
    # Shared resources referred to by the patient's own (visible) resources.
    targets: set[tuple[str, str]] = set()
    for start in range(0, len(member_pks), 500):
        chunk = member_pks[start : start + 500]
        rows = _fetch(
            sql_in("x.resource_id", chunk).wrap(
                "SELECT DISTINCT x.target_type, x.target_id FROM fhir_idx_reference x WHERE ",
                " AND x.url = '' AND x.target_id <> ''",
            )
        )
        targets.update((str(t), str(i)) for t, i in rows)
    shared: set[int] = set()
    by_type: dict[str, list[str]] = {}
    for target_type, target_id in targets:
        by_type.setdefault(target_type, []).append(target_id)
    for target_type, ids in by_type.items():
        if types and target_type not in types:
            continue
        target_scope = _scope(restriction, [target_type], since_ms)
        for start in range(0, len(ids), 500):
            where = sql_all(
                [
                    target_scope,
                    SqlFragment("r.resource_type = %s AND r.compartment IS NULL", (target_type,)),
                    sql_in("r.logical_id", ids[start : start + 500]),
                ]
            )
            shared.update(int(row[0]) for row in _fetch(where.wrap("SELECT r.id FROM fhir_resource r WHERE ")))
    return sorted(set(member_pks) | shared)


def everything_run(
    patient_id: str, params: Sequence[tuple[str, str]], *, restriction: Restriction, strict: bool
) -> tuple[SearchQuery, SearchResult]:
    query = SearchQuery(resource_types=("Patient",), count=DEFAULT_COUNT)
    types: list[str] | None = None
    since_ms: int | None = None
    for name, raw in params:
        if name != "_cursor":
            query.params.append((name, raw))
        if name == "_type":
            types = [t for t in raw.split(",") if t]
            unknown = [t for t in types if t not in resource_types()]
            if unknown:
                raise SearchError(f"_type: unknown resource type {', '.join(unknown)}")
        elif name == "_since":
            found = date_range_ms(raw)
            if found is None:
                raise SearchError(f"_since={raw} is not an instant")
            since_ms = found[0]
        elif name == "_count":
            if not raw.isdigit():
                raise SearchError(f"_count={raw} is not a non-negative integer")
            query.count = min(int(raw), MAX_EVERYTHING_COUNT)
        elif name == "_cursor":
            query.cursor = Cursor.decode(raw)
        elif name not in KNOWN:
            if strict:
                raise SearchError(f"$everything does not take the parameter {name}")
            query.warnings.append(f"$everything does not take the parameter {name}; it was ignored")
    pks = everything_pks(patient_id, restriction, types, since_ms)
    if query.cursor is not None:
        pks = (
            [pk for pk in pks if pk > query.cursor.pk]
            if not query.cursor.backwards
            else [pk for pk in pks if pk < query.cursor.pk]
        )
    if query.cursor is not None and query.cursor.backwards:
        page, more = pks[-query.count :] if query.count else [], len(pks) > query.count
    else:
        page, more = pks[: query.count], len(pks) > query.count
    result = SearchResult(
        matches=[s for s in repository.current_get_by_pks(page) if not s.deleted], warnings=list(query.warnings)
    )
    backwards = query.cursor is not None and query.cursor.backwards
    if page and (more or backwards):
        result.next_cursor = Cursor(False, (), page[-1])
    if page and ((more and backwards) or (query.cursor is not None and not backwards)):
        result.previous_cursor = Cursor(True, (), page[0])
    if query.cursor is None:
        result.total = len(pks)
    return query, result
