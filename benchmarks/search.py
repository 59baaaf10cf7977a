"""`make bench-search`: FHIR search latency on PostgreSQL with a million resources, next to the issue's targets.

Make the data once (see benchmarks/search_data.py):

    python -m benchmarks.search_data --copies 460 --out var/bench-search-data
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE kaari_bench_search'
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kaari_bench_search kaari migrate
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kaari_bench_search kaari load var/bench-search-data

Then `make bench-search` (KAARI_BENCH_SEARCH_DB names another database). It vacuums and analyses, starts
`kaari serve`, and sends each query sequentially over one keep-alive connection as an integration client
(a bearer token; the access gate's system-level rules and its audit entry per request), with values sampled
from the data. It prints p50/p95 next to the targets, checks every query's plan for sequential scans, and
shows the plan of the slowest query. `--wrk` adds read-by-id and Observation-by-code throughput with wrk
(8 connections); `--compare BASE` drives the same Observation-by-code paths against another FHIR base URL
(e.g. sekmet-fhir), for the side-by-side comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from benchmarks.support import django_setup, query_rows

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/kaari_bench_search"
HETU = "urn:oid:1.2.246.21"
CHAIN = "encounter.participant:Practitioner.identifier"
REVINCLUDE = "Observation:encounter"


@dataclass
class Case:
    name: str
    target_ms: float
    paths: list[str]
    explain: tuple[str, list[tuple[str, str]], tuple[str, str] | None] | None = None  # type, params, compartment


def cases_sample(rng: random.Random, samples: int) -> list[Case]:
    """The issue's queries, each with values drawn from the data."""
    hetus = [
        r[0]
        for r in query_rows(
            "SELECT code FROM fhir_idx_token WHERE resource_type = 'Patient' AND param = 'identifier' AND system = %s"
            " ORDER BY random() LIMIT %s",
            (HETU, samples),
        )
    ]
    families = sorted(
        {
            r[0][:4]
            for r in query_rows(
                "SELECT value FROM fhir_idx_string WHERE resource_type = 'Patient' AND param = 'family'"
                " ORDER BY random() LIMIT %s",
                (samples,),
            )
        }
    )
    pairs = query_rows(
        "SELECT x.target_id, t.system, t.code FROM fhir_idx_reference x JOIN fhir_idx_token t"
        " ON t.resource_id = x.resource_id AND t.param = 'code' AND t.code <> ''"
        " WHERE x.resource_type = 'Observation' AND x.param = 'subject' AND x.target_type = 'Patient'"
        " AND x.resource_id IN (SELECT id FROM fhir_resource WHERE resource_type = 'Observation'"
        " ORDER BY random() LIMIT %s)",
        (samples,),
    )
    encounter_patients = [
        r[0]
        for r in query_rows(
            "SELECT target_id FROM fhir_idx_reference WHERE resource_type = 'Encounter' AND param = 'subject'"
            " ORDER BY random() LIMIT %s",
            (samples,),
        )
    ]
    practitioners = query_rows(
        "SELECT system, code FROM fhir_idx_token WHERE resource_type = 'Practitioner' AND param = 'identifier'"
        " ORDER BY random() LIMIT %s",
        (samples,),
    )
    # The clients whose records come nearest to 2,000 resources (a region of 16,000 residents has none that large).
    heavy_rows = query_rows(
        "SELECT compartment, COUNT(*) FROM fhir_resource WHERE compartment IS NOT NULL GROUP BY compartment"
        " ORDER BY abs(COUNT(*) - 2000), compartment LIMIT %s",
        (max(3, samples // 20),),
    )
    heavy = [r[0] for r in heavy_rows]
    sizes = sorted(int(r[1]) for r in heavy_rows)
    (common,) = query_rows(
        "SELECT resource_type, param, system, code, n FROM (SELECT resource_type, param, system, code, COUNT(*) AS n"
        " FROM fhir_idx_token WHERE code <> '' AND param NOT LIKE '%%$%%' GROUP BY 1, 2, 3, 4) c"
        " ORDER BY abs(n - 100000) LIMIT 1"
    )
    counted_type, counted = common[0], [(common[1], f"{common[2]}|{common[3]}"), ("_total", "accurate")]

    def path(resource_type: str, params: list[tuple[str, str]]) -> str:
        return f"/fhir/{resource_type}?{urlencode(params)}"

    cases = [
        Case("Patient by identifier", 20, [path("Patient", [("identifier", f"{HETU}|{h}")]) for h in hetus],
             ("Patient", [("identifier", f"{HETU}|{hetus[0]}")], None)),
        Case("Patient by family-name prefix", 20, [path("Patient", [("family", f)]) for f in families],
             ("Patient", [("family", families[0])], None)),
        Case("Observation by patient and code", 20,
             [path("Observation", [("patient", p), ("code", f"{s}|{c}")]) for p, s, c in pairs],
             ("Observation", [("patient", pairs[0][0]), ("code", f"{pairs[0][1]}|{pairs[0][2]}")], None)),
        Case("Observation by patient, code, dates, -date, _count=10", 20,
             [path("Observation", [("patient", p), ("code", f"{s}|{c}"), ("date", "ge2000-01-01"),
                                   ("date", "lt2030-01-01"), ("_sort", "-date"), ("_count", "10")])
              for p, s, c in pairs],
             ("Observation", [("patient", pairs[0][0]), ("code", f"{pairs[0][1]}|{pairs[0][2]}"),
                              ("date", "ge2000-01-01"), ("date", "lt2030-01-01"), ("_sort", "-date"),
                              ("_count", "10")], None)),
        Case("Encounter by patient, _revinclude Observations", 20,
             [path("Encounter", [("patient", p), ("_revinclude", REVINCLUDE)]) for p in encounter_patients],
             ("Encounter", [("patient", encounter_patients[0])], None)),
        Case("Two-level chain", 20,
             [path("Observation", [(CHAIN, f"{s}|{c}")]) for s, c in practitioners],
             ("Observation", [(CHAIN, f"{practitioners[0][0]}|{practitioners[0][1]}")], None)),
        Case(f"_total=accurate, {counted_type} token matching {common[4]:,}", 20,
             [path(counted_type, [*counted, ("_count", "10")])], (counted_type, counted, None)),
        Case(f"$everything, {sizes[0]:,}-{sizes[-1]:,} resources", 300,
             [f"/fhir/Patient/{p}/$everything?_count=5000" for p in heavy], None),
    ]  # fmt: skip
    return cases


def integration_token() -> str:
    """A bearer token of an integration client (system-level access), created in the benchmark database."""
    from kaari.access.services import AccessError, user_create, user_token

    with contextlib.suppress(AccessError):  # made by an earlier run
        user_create(username="bench-search", role="integration")
    return user_token(username="bench-search").token


def timed(connection: http.client.HTTPConnection, path: str, token: str) -> float:
    """Milliseconds for one GET, following `next` links (so $everything is timed whole)."""
    started = time.perf_counter()
    headers = {"Accept": "application/fhir+json", "Authorization": f"Bearer {token}"}
    while path:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status} {body[:300]!r}")
        match = re.search(rb'"relation":"next","url":"([^"]+)"', body) if b"$everything" in path.encode() else None
        path = urlsplit(match.group(1).decode())._replace(scheme="", netloc="").geturl() if match else ""
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def explain(case: Case) -> tuple[str, float]:
    """EXPLAIN ANALYZE of the page query (and of the count, for _total) run in-process."""
    from kaari.fhir.search.engine import count_sql, page_sql
    from kaari.fhir.search.query import search_parse
    from kaari.fhir.search.sql import unrestricted

    assert case.explain is not None
    resource_type, params, compartment = case.explain
    query = search_parse([resource_type], params, compartment=compartment)
    plans = []
    total_ms = 0.0
    sqls = [page_sql(query, unrestricted)]
    if query.total == "accurate":
        sqls.append(count_sql(query, unrestricted))
    for sql in sqls:
        rows = query_rows("EXPLAIN (ANALYZE, BUFFERS) " + sql.sql, sql.params)
        text = "\n".join(r[0] for r in rows)
        found = re.search(r"Execution Time: ([\d.]+) ms", text)
        total_ms += float(found.group(1)) if found else 0.0
        plans.append(text)
    return "\n\n".join(plans), total_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=200, help="requests per query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-vacuum", action="store_true")
    parser.add_argument("--wrk", action="store_true", help="also read-by-id and Observation-by-code throughput")
    parser.add_argument("--compare", metavar="BASE", help="also drive Observation-by-code against this FHIR base URL")
    options = parser.parse_args()
    database_url = os.environ.get("KAARI_BENCH_SEARCH_DB", DEFAULT_DB)
    django_setup(database_url, data_dir="/tmp/kaari-bench-search")
    from benchmarks.support import free_port, kaari_env, server_running

    (count,) = query_rows("SELECT COUNT(*) FROM fhir_resource WHERE NOT deleted")[0]
    print(f"{count:,} resources in {database_url.rsplit('/', 1)[-1]}")
    if count < 1_000_000:
        print("!! fewer than 1,000,000 resources: see the docstring for how to make the data", file=sys.stderr)
    if not options.no_vacuum:
        _vacuum(database_url)
    cases = cases_sample(random.Random(options.seed), options.samples)
    token = integration_token()
    port = free_port()
    env = kaari_env(database_url)
    command = [sys.executable, "-m", "kaari", "serve", "--port", str(port), "--no-migrate"]
    results = []
    with server_running(command, env, port):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for case in cases:
            paths = (case.paths * (options.samples // max(1, len(case.paths)) + 1))[: options.samples]
            for warm in paths[:10]:
                timed(connection, warm, token)
            times = [timed(connection, p, token) for p in paths]
            results.append((case, statistics.median(times), percentile(times, 0.95)))
        if options.wrk or options.compare:
            _throughput(f"http://127.0.0.1:{port}", options.compare, token)
    print(f"\n{'query':58} {'p50 ms':>8} {'p95 ms':>8} {'target p95':>11}")
    for case, p50, p95 in results:
        verdict = "ok" if p95 <= case.target_ms else "MISSED"
        print(f"{case.name:58} {p50:8.1f} {p95:8.1f} {case.target_ms:9.0f} ms {verdict}")
    _plans_report(cases, results)


def _vacuum(database_url: str) -> None:
    import subprocess

    name = database_url.rsplit("/", 1)[-1]
    started = time.perf_counter()
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-q", "-c", "VACUUM ANALYZE"], check=True)
    print(f"VACUUM ANALYZE took {time.perf_counter() - started:.0f} s")


def _plans_report(cases: list[Case], results: list[tuple[Case, float, float]]) -> None:
    explained = []
    for case in cases:
        if case.explain is None:
            continue
        plan, ms = explain(case)
        scans = re.findall(r"Seq Scan on (\w+)", plan)
        explained.append((case, plan, ms, scans))
        print(f"plan of {case.name!r}: {ms:.1f} ms in the database, sequential scans: {scans or 'none'}")
    p95_of = {id(case): p95 for case, _, p95 in results}
    slowest, plan, _, _ = max(explained, key=lambda item: p95_of[id(item[0])])
    print(f"\nEXPLAIN ANALYZE of the slowest query with a plan ({slowest.name}):\n{plan}")
    if any(scans for *_, scans in explained):
        print("!! a plan uses a sequential scan", file=sys.stderr)
        raise SystemExit(1)


def observation_code_paths(limit: int = 100) -> list[str]:
    """`Observation?code=system|code&_count=10` for up to `limit` codes in the data, as wrk drives them."""
    codes = query_rows(
        "SELECT DISTINCT system, code FROM fhir_idx_token WHERE resource_type = 'Observation' AND param = 'code'"
        " AND code <> '' LIMIT %s",
        (limit,),
    )
    return [f"/fhir/Observation?{urlencode([('code', f'{s}|{c}'), ('_count', '10')])}" for s, c in codes]


def _throughput(base: str, compare: str | None, token: str) -> None:
    from benchmarks.wrk import wrk_run

    ids = query_rows(
        "SELECT resource_type, logical_id FROM fhir_resource WHERE NOT deleted ORDER BY random() LIMIT 500"
    )
    read_paths = [f"/fhir/{t}/{i}" for t, i in ids]
    code_paths = observation_code_paths()
    runs: list[tuple[str, str, list[str]]] = [
        ("read by id", base, read_paths),
        ("Observation by code", base, code_paths),
    ]
    if compare:
        other = urlsplit(compare)
        root = f"{other.scheme}://{other.netloc}"
        runs.append(("Observation by code, compared", root, [other.path + p.removeprefix("/fhir") for p in code_paths]))
    for name, url, paths in runs:
        own = token if url == base else None
        wrk_run(url, paths, seconds=3, token=own)
        print(f"{name:32} {wrk_run(url, paths, seconds=15, token=own).line()}")


if __name__ == "__main__":
    main()
