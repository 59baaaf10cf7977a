"""Run a parsed search: one page of matches, keyset-paged, then includes, revincludes and the total.

Pages are cut by keyset, not offset: a cursor holds the sort values and key of the row a page ends at, and
the next page starts strictly after it. Rows written or deleted meanwhile neither shift nor repeat others.
Every query over `fhir_resource` carries the caller's restriction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection

from kaari.fhir.search.planner import filter_candidates, resource_scope, where_sql
from kaari.fhir.search.query import Cursor, Include, SearchQuery, SortKey
from kaari.fhir.search.registry import resource_parameters
from kaari.fhir.search.sql import Restriction, SqlFragment, sql_all, sql_any, sql_in, sql_join, unrestricted
from kaari.fhir.search.types import SearchError
from kaari.fhir.search.types.date import datetime_ms, db_datetime
from kaari.fhir.spec import resource_types
from kaari.fhir.store import repository
from kaari.fhir.store.records import StoredResource

MAX_INCLUDED = 5000  # per page; beyond it the Bundle says the includes were cut
MAX_ITERATIONS = 8


@dataclass
class SearchResult:
    matches: list[StoredResource]
    included: list[StoredResource] = field(default_factory=list)
    total: int | None = None
    next_cursor: Cursor | None = None
    previous_cursor: Cursor | None = None
    warnings: list[str] = field(default_factory=list)


def _fetch(sql: SqlFragment) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql.sql, list(sql.params))
        return list(cursor.fetchall())


def text_collated(expression: str) -> str:
    """Text compared in code-point order on both databases (SQLite's default already is)."""
    return f'{expression} COLLATE "C"' if connection.vendor == "postgresql" else expression


def _sort_expression(key: SortKey) -> SqlFragment:
    if key.param is None:
        return SqlFragment(text_collated("r.logical_id"))
    if key.param.column is not None:
        return SqlFragment(f"r.{key.param.column}")
    kind = key.param.type
    aggregate = kind.sort_key("s", key.descending)
    return key.param.rows_scope("s").wrap(
        f"(SELECT {aggregate} FROM {kind.table} s WHERE s.resource_id = r.id AND ", ")"
    )


def _keyset(keys: Sequence[SortKey], cursor: Cursor) -> SqlFragment:
    """Rows strictly after (or, going back, before) the cursor row in the order of `keys`, missing last."""
    if len(cursor.values) != len(keys):
        raise SearchError("_cursor does not belong to this search")
    alternatives: list[SqlFragment] = []
    equal_so_far: list[SqlFragment] = []
    for position, (key, value) in enumerate(zip(keys, cursor.values, strict=True)):
        column = f"q.k{position}"
        if key.param is not None and key.param.column is not None and value is not None:
            value = db_datetime(int(value))
        ascending = not key.descending
        if cursor.backwards:
            if value is None:
                beyond = SqlFragment(f"{column} IS NOT NULL")
            else:
                beyond = SqlFragment(f"{column} {'<' if ascending else '>'} %s", (value,))
        elif value is None:
            beyond = None  # nothing sorts after a missing value except by key
        else:
            beyond = SqlFragment(f"({column} {'>' if ascending else '<'} %s OR {column} IS NULL)", (value,))
        if beyond is not None:
            alternatives.append(sql_all([*equal_so_far, beyond]))
        equal_so_far.append(
            SqlFragment(f"{column} IS NULL") if value is None else SqlFragment(f"{column} = %s", (value,))
        )
    alternatives.append(
        sql_all([*equal_so_far, SqlFragment(f"q.pk {'<' if cursor.backwards else '>'} %s", (cursor.pk,))])
    )
    return sql_any(alternatives)


def page_sql(query: SearchQuery, restriction: Restriction) -> SqlFragment:
    """The SQL of one page: (pk, sort values...) of at most `count + 1` rows, in page order."""
    backwards = query.cursor is not None and query.cursor.backwards
    limit = query.count + 1
    if not query.sort:
        # With one filter, in key order from the indexes alone: a chain matching 50,000 resources visits none of
        # their rows. With several, the planner's own join order (a small set probing a large one) is faster than
        # intersecting whole sets.
        keys = _matching_keys(query, restriction) if len(query.filters) == 1 else None
        if keys is not None:
            source, pk, parts = keys.wrap("SELECT k.resource_id FROM (", ") k"), "k.resource_id", []
        else:
            source, pk, parts = (
                SqlFragment("SELECT r.id FROM fhir_resource r"),
                "r.id",
                [where_sql(query, restriction)],
            )
        if query.cursor is not None:
            parts.append(SqlFragment(f"{pk} {'<' if backwards else '>'} %s", (query.cursor.pk,)))
        if parts:
            source = source + sql_all(parts).wrap(" WHERE ")
        return source + SqlFragment(f" ORDER BY {pk} {'DESC' if backwards else 'ASC'} LIMIT %s", (limit,))
    where = where_sql(query, restriction)
    expressions = [_sort_expression(key) for key in query.sort]
    select = SqlFragment("SELECT r.id AS pk")
    for position, expression in enumerate(expressions):
        select = select + expression.wrap(", ", f" AS k{position}")
    # OFFSET 0 keeps PostgreSQL from inlining the sort sub-queries twice (once for IS NULL, once for the value).
    subqueries = not all(_never_missing(key) for key in query.sort)
    fence = " OFFSET 0" if subqueries and connection.vendor == "postgresql" else ""
    inner = select + where.wrap(" FROM fhir_resource r WHERE ", fence)
    order = []
    for position, key in enumerate(query.sort):
        descending = key.descending != backwards
        if not _never_missing(key):
            order.append(f"(q.k{position} IS NULL) {'DESC' if backwards else 'ASC'}")
        order.append(f"q.k{position} {'DESC' if descending else 'ASC'}")
    order.append(f"q.pk {'DESC' if backwards else 'ASC'}")
    columns = ", ".join(["q.pk", *(f"q.k{i}" for i in range(len(expressions)))])
    sql = inner.wrap(f"SELECT {columns} FROM (", ") q")
    if query.cursor is not None:
        sql = sql + _keyset(query.sort, query.cursor).wrap(" WHERE ")
    return sql + SqlFragment(f" ORDER BY {', '.join(order)} LIMIT %s", (limit,))


def _never_missing(key: SortKey) -> bool:
    """Keys on resource-row columns always have a value: ordering by them can follow their index."""
    return key.param is None or key.param.column is not None


def _matching_keys(query: SearchQuery, restriction: Restriction) -> SqlFragment | None:
    """A SELECT of the distinct keys of every match (`resource_id`) from the search indexes alone, when it can be
    had: index rows exist only for live resources, so when nothing restricts the resource rows themselves (no gate
    condition, no compartment) and every filter is a positive index lookup, no resource row need be visited."""
    types = query.resource_types
    unconditioned = restriction(types[0] if len(types) == 1 else None) is None and query.compartment is None
    candidates = [filter_candidates(f, types, restriction) for f in query.filters]
    if not (unconditioned and candidates and all(c is not None for c in candidates)):
        return None
    if len(candidates) == 1:
        only = candidates[0]
        assert only is not None
        return only.wrap("SELECT DISTINCT m.resource_id FROM (", ") m")
    # Each operand as a sub-query of its own: a candidate may itself be a UNION, and INTERSECT binds tighter.
    operands = (c.wrap("SELECT i.resource_id FROM (", ") i") for c in candidates if c is not None)
    return sql_join(operands, " INTERSECT ").wrap("SELECT d.resource_id FROM (", ") d")


def count_sql(query: SearchQuery, restriction: Restriction) -> SqlFragment:
    """The SQL counting every match, from the indexes alone when it can be (`_matching_keys`)."""
    keys = _matching_keys(query, restriction)
    if keys is not None:
        return keys.wrap("SELECT COUNT(*) FROM (", ") k")
    return where_sql(query, restriction).wrap("SELECT COUNT(*) FROM fhir_resource r WHERE ")


def _page_keys(query: SearchQuery, restriction: Restriction) -> tuple[list[tuple[Any, ...]], bool]:
    """(pk, sort values...) of the page's rows in order, and whether more rows lie beyond."""
    rows = _fetch(page_sql(query, restriction))
    more = len(rows) > query.count
    rows = rows[: query.count]
    if query.cursor is not None and query.cursor.backwards:
        rows.reverse()
    return rows, more


def _cursor_of(row: tuple[Any, ...], backwards: bool, keys: Sequence[SortKey]) -> Cursor:
    values = tuple(_cursor_value(v, k) for v, k in zip(row[1:], keys, strict=True))
    return Cursor(backwards, values, int(row[0]))


def _cursor_value(value: Any, key: SortKey) -> Any:
    """Sort values as JSON carries them: the last_updated column (a datetime, text on SQLite) as epoch ms."""
    if value is None or key.param is None or key.param.column is None:
        return value
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return datetime_ms(moment)


def search_run(query: SearchQuery, *, restriction: Restriction = unrestricted) -> SearchResult:
    result = SearchResult(matches=[], warnings=list(query.warnings))
    rows: list[tuple[Any, ...]] = []
    more = False
    if query.summary != "count" and query.count > 0:
        rows, more = _page_keys(query, restriction)
        stored = {s.pk: s for s in repository.current_get_by_pks([int(r[0]) for r in rows])}
        result.matches = [stored[int(r[0])] for r in rows if int(r[0]) in stored and not stored[int(r[0])].deleted]
        backwards = query.cursor is not None and query.cursor.backwards
        if rows:
            if more or backwards:
                result.next_cursor = _cursor_of(rows[-1], False, query.sort)
            if (more and backwards) or (query.cursor is not None and not backwards):
                result.previous_cursor = _cursor_of(rows[0], True, query.sort)
        elif query.cursor is not None:
            # An empty page (everything beyond was deleted): offer the way back.
            result.previous_cursor = Cursor(True, query.cursor.values, query.cursor.pk) if not backwards else None
        if query.summary is None or query.summary in ("true", "text", "data"):
            result.included = includes_fetch(query, result.matches, restriction, result.warnings)
    result.total = _total(query, restriction, len(result.matches), more)
    return result


def _total(query: SearchQuery, restriction: Restriction, found: int, more: bool) -> int | None:
    mode = query.total
    if mode is None:
        if query.summary == "count" or query.count == 0:
            mode = "accurate"
        elif query.cursor is None and not more:
            return found  # the whole result is on this page
        else:
            return None
    if mode == "none":
        return None
    where = where_sql(query, restriction)
    if mode == "estimate" and connection.vendor == "postgresql":
        return _estimate(where)
    (row,) = _fetch(count_sql(query, restriction))
    return int(row[0])


def _estimate(where: SqlFragment) -> int:
    plan = _fetch(where.wrap("EXPLAIN (FORMAT JSON) SELECT 1 FROM fhir_resource r WHERE "))
    document = plan[0][0]
    document = json.loads(document) if isinstance(document, str) else document
    return int(document[0]["Plan"]["Plan Rows"])


# --- _include and _revinclude ---------------------------------------------------------------------------


def _reference_scope(resource_type: str, include: Include) -> SqlFragment | None:
    """Index rows (aliased `x`) of the reference parameters an include follows from `resource_type`."""
    supported = resource_parameters(resource_type).supported
    if include.param_code is not None:
        chosen = [supported[include.param_code]] if include.param_code in supported else []
    else:
        chosen = [p for p in supported.values() if p.type.name == "reference" and not p.stored_as]
    return sql_any(p.rows_scope("x") for p in chosen) if chosen else None


def _forward(include: Include, sources: Sequence[StoredResource], restriction: Restriction) -> list[StoredResource]:
    by_type: dict[str, list[int]] = defaultdict(list)
    for source in sources:
        if include.source_type in (None, source.resource_type):
            by_type[source.resource_type].append(source.pk)
    targets: set[tuple[str, str]] = set()
    for source_type, source_pks in by_type.items():
        codes = _reference_scope(source_type, include)
        if codes is None:
            continue
        for chunk in _chunks(source_pks):
            parts = [
                sql_in("x.resource_id", chunk),
                codes,
                SqlFragment("x.url = '' AND x.target_id <> ''"),
            ]
            if include.target_type is not None:
                parts.append(SqlFragment("x.target_type = %s", (include.target_type,)))
            rows = _fetch(
                sql_all(parts).wrap("SELECT DISTINCT x.target_type, x.target_id FROM fhir_idx_reference x WHERE ")
            )
            targets.update((str(t), str(i)) for t, i in rows)
    ids_by_type: dict[str, list[str]] = defaultdict(list)
    for target_type, target_id in sorted(targets):
        ids_by_type[target_type].append(target_id)
    pks: list[int] = []
    for target_type, ids in ids_by_type.items():
        for chunk in _chunks(ids):
            scope = sql_all([resource_scope([target_type], restriction), sql_in("r.logical_id", chunk)])
            pks.extend(int(row[0]) for row in _fetch(scope.wrap("SELECT r.id FROM fhir_resource r WHERE ")))
    return repository.current_get_by_pks(sorted(pks))


def _reverse(include: Include, targets: Sequence[StoredResource], restriction: Restriction) -> list[StoredResource]:
    ids_by_type: dict[str, list[str]] = defaultdict(list)
    for target in targets:
        if include.target_type in (None, target.resource_type):
            ids_by_type[target.resource_type].append(target.id)
    if not ids_by_type:
        return []
    source_types = [include.source_type] if include.source_type else _all_types()
    pks: set[int] = set()
    for source_type in source_types:
        codes = _reference_scope(source_type, include)
        if codes is None:
            continue
        for target_type, ids in ids_by_type.items():
            for chunk in _chunks(ids):
                references = sql_all(
                    [
                        SqlFragment("x.resource_type = %s", (source_type,)),
                        codes,
                        SqlFragment("x.url = '' AND x.target_type = %s", (target_type,)),
                        sql_in("x.target_id", chunk),
                    ]
                )
                scope = sql_all(
                    [
                        resource_scope([source_type], restriction),
                        references.wrap("r.id IN (SELECT x.resource_id FROM fhir_idx_reference x WHERE ", ")"),
                    ]
                )
                pks.update(int(row[0]) for row in _fetch(scope.wrap("SELECT r.id FROM fhir_resource r WHERE ")))
    return repository.current_get_by_pks(sorted(pks))


def _chunks(items: Sequence[Any], size: int = 500) -> list[list[Any]]:
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def _all_types() -> list[str]:
    return sorted(resource_types())


def includes_fetch(
    query: SearchQuery, matches: list[StoredResource], restriction: Restriction, warnings: list[str]
) -> list[StoredResource]:
    """The resources `_include` and `_revinclude` add to a page, each once, none of them a match."""
    if not matches or not (query.includes or query.revincludes):
        return []
    seen = {s.pk for s in matches}
    included: list[StoredResource] = []
    frontier = list(matches)
    for iteration in range(MAX_ITERATIONS):
        found: list[StoredResource] = []
        for include in query.includes:
            if iteration == 0 or include.iterate:
                found.extend(_forward(include, frontier, restriction))
        for include in query.revincludes:
            if iteration == 0 or include.iterate:
                found.extend(_reverse(include, frontier, restriction))
        fresh = []
        for stored in found:
            if stored.pk not in seen and not stored.deleted:
                seen.add(stored.pk)
                fresh.append(stored)
        included.extend(fresh)
        if len(included) > MAX_INCLUDED:
            warnings.append(f"More than {MAX_INCLUDED} resources were included; the rest were left out")
            return included[:MAX_INCLUDED]
        iterating = any(i.iterate for i in (*query.includes, *query.revincludes))
        if not fresh or not iterating:
            break
        frontier = fresh
    return included
