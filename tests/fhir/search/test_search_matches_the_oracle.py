"""Thousands of generated searches over Synthea and hand-made data return exactly what the oracle finds.

The data is loaded once for the module through the store API; every test only reads. Set
KAARI_ORACLE_QUERIES to run more (or fewer) generated queries; KAARI_ORACLE_SEED to change the seed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from kaari.fhir.search.query import Cursor
from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import Store, TrustedGate
from tests.fhir.search.edge_cases import edge_resources
from tests.fhir.search.generator import Query, QueryGenerator
from tests.fhir.search.oracle import Oracle, Stored

QUERIES = int(os.environ.get("KAARI_ORACLE_QUERIES", "3000"))
SEED = int(os.environ.get("KAARI_ORACLE_SEED", "20261128"))
TABLES = (
    "fhir_idx_string",
    "fhir_idx_token",
    "fhir_idx_reference",
    "fhir_idx_date",
    "fhir_idx_number",
    "fhir_idx_quantity",
    "fhir_idx_uri",
    "fhir_patient_identity",
    "fhir_resource_version",
    "fhir_resource",
    # What the access app derives from the stored resources, so that no later test meets these clients' facts.
    "access_care_relationship",
    "access_consent_rule",
    "access_release_delay",
    "access_guardian_restriction",
    "access_guardianship",
    "access_person",
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def oracle(django_db_setup: Any, django_db_blocker: Any, synthea_resources: list[dict[str, Any]]) -> Iterator[Oracle]:
    with django_db_blocker.unblock():
        try:
            outcomes = Store(TrustedGate()).load([*synthea_resources, *edge_resources()])
            errors = [(o.index, o.error.message, o.error.issues) for o in outcomes if o.error is not None]
            assert errors == []
            yield Oracle([Stored(o.stored.pk, o.stored.resource) for o in outcomes if o.stored is not None])
        finally:
            with connection.cursor() as cursor:
                for table in TABLES:
                    cursor.execute(f"DELETE FROM {table}")


def engine_pages(query: Query, extra: list[tuple[str, str]] | None = None) -> Iterator[Any]:
    """Each page of the engine's answer, following the next cursors."""
    store = Store(TrustedGate())
    params = [*query.params(), *(extra or [])]
    compartment = ("Patient", query.compartment) if query.compartment else None
    for _ in range(1000):
        outcome = store.search(SearchRequest((query.resource_type,), tuple(params), compartment=compartment))
        yield outcome.result
        if outcome.result.next_cursor is None:
            return
        params = [*query.params(), *(extra or []), ("_cursor", outcome.result.next_cursor.encode())]
    raise AssertionError("paging does not end")


def engine_keys(query: Query) -> list[tuple[str, str]]:
    return [(s.resource_type, s.id) for page in engine_pages(query) for s in page.matches]


def test_generated_searches_find_exactly_what_the_oracle_finds(oracle: Oracle) -> None:
    generator = QueryGenerator(oracle, SEED)
    failures = []
    matched = 0
    for _ in range(QUERIES):
        query = generator.query()
        expected = oracle.search(query.resource_type, query.criteria, query.compartment)
        found = engine_keys(query)
        matched += bool(expected)
        if len(found) != len(set(found)) or set(found) != expected:
            extra, missing = sorted(set(found) - expected)[:5], sorted(expected - set(found))[:5]
            failures.append(f"{query}: the engine has {extra} too many and misses {missing}")
    assert failures == [], f"{len(failures)} of {QUERIES} differ:\n" + "\n".join(failures[:25])
    assert matched > QUERIES // 2  # the generator keeps most queries meaningful


def test_sorted_pages_come_in_the_oracle_order_forwards_and_backwards(oracle: Oracle) -> None:
    generator = QueryGenerator(oracle, SEED + 1)
    failures = []
    for _ in range(max(QUERIES // 12, 20)):
        query = generator.sorted_query()
        expected = oracle.sorted_keys(oracle.search(query.resource_type, query.criteria), query.sort)
        query.count = max(query.count, len(expected) // 30)  # a few dozen pages at most
        pages = list(engine_pages(query))
        found = [(s.resource_type, s.id) for page in pages for s in page.matches]
        if found != expected:
            failures.append(f"{query}: engine {found[:8]} oracle {expected[:8]}")
            continue
        if len(pages) > 1 and pages[-1].previous_cursor is not None:
            back = backwards_walk(query, pages[-1].previous_cursor)
            if back + [(s.resource_type, s.id) for s in pages[-1].matches] != expected:
                failures.append(f"{query}: walking back gives {back[:8]}")
    assert failures == [], "\n".join(failures[:25])


def backwards_walk(query: Query, cursor: Cursor) -> list[tuple[str, str]]:
    store = Store(TrustedGate())
    collected: list[tuple[str, str]] = []
    current: Cursor | None = cursor
    while current is not None:
        params = (*query.params(), ("_cursor", current.encode()))
        result = store.search(SearchRequest((query.resource_type,), params)).result
        collected = [(s.resource_type, s.id) for s in result.matches] + collected
        current = result.previous_cursor
    return collected


INCLUDES = [
    ("Observation", "_include", "Observation:subject", "subject"),
    ("Observation", "_include", "Observation:encounter", "encounter"),
    ("Encounter", "_revinclude", "Observation:encounter", "encounter"),
    ("Patient", "_revinclude", "Condition:patient", "patient"),
    ("Claim", "_include", "Claim:provider", "provider"),
    ("MedicationRequest", "_include", "MedicationRequest:requester", "requester"),
]


def test_includes_and_revincludes_add_exactly_the_referenced_resources(oracle: Oracle) -> None:
    generator = QueryGenerator(oracle, SEED + 2)
    failures = []
    for position in range(max(QUERIES // 20, 30)):
        resource_type, kind, spec, code = INCLUDES[position % len(INCLUDES)]
        query = Query(resource_type, [])
        for _ in range(20):
            candidate = generator.filtered()
            if candidate.resource_type == resource_type:
                query = candidate
                break
        query.count = 1000
        source_type = spec.split(":")[0]
        expected_matches = oracle.search(resource_type, query.criteria)
        if kind == "_include":
            expected = oracle.included(expected_matches, source_type, code)
        else:
            expected = oracle.revincluded(expected_matches, source_type, code)
        # The included types differ from the matched ones, so the pages' includes simply add up.
        found = {(s.resource_type, s.id) for page in engine_pages(query, [(kind, spec)]) for s in page.included}
        if found != expected:
            failures.append(
                f"{query}&{kind}={spec}: extra {sorted(found - expected)[:3]} missing {sorted(expected - found)[:3]}"
            )
    assert failures == [], "\n".join(failures[:25])


def test_accurate_totals_count_every_match_once(oracle: Oracle) -> None:
    generator = QueryGenerator(oracle, SEED + 3)
    store = Store(TrustedGate())
    for _ in range(max(QUERIES // 30, 20)):
        query = generator.filtered()
        expected = len(oracle.search(query.resource_type, query.criteria))
        for extra in (("_total", "accurate"), ("_summary", "count")):
            params = (*query.criteria, ("_count", "3"), extra)
            result = store.search(SearchRequest((query.resource_type,), params)).result
            assert result.total == expected, f"{query} {extra}"
