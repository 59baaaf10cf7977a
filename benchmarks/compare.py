"""`make bench-compare`: Observation by code with `_count=10`, Kaari side by side with another FHIR server.

The acceptance asks for at least 1.5 times the throughput of sekmet-fhir 0.1.1 on the same machine and data.
Both servers get the same NDJSON files, the same wrk paths (taken from Kaari's data), 8 connections and the
same duration, in alternating runs (Kaari, other, Kaari, other, ...) so that machine load hits both alike.
Kaari is driven as an integration client with a bearer token (gate and audit included).

46 copies of the Synthea bundles make 101,844 resources. The million of bench-search (460 copies) works too, but
sekmet takes its transactions at about 300 resources/s on this machine, so loading it would take about an hour.
wrk comes from `apt-get install wrk`. The data, into Kaari (KAARI_BENCH_COMPARE_DB names another database):

    python -m benchmarks.search_data --copies 46 --out var/bench-compare-data
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE kaari_bench_compare'
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kaari_bench_compare kaari migrate
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kaari_bench_compare kaari load var/bench-compare-data

sekmet-fhir, in its own venv outside the repository. It keeps its data in SQLite; its request log, workflow
simulator and inbound validation are switched off and it takes a static bearer token:

    python3.11 -m venv /tmp/sekmet/venv && /tmp/sekmet/venv/bin/pip install sekmet-fhir==0.1.1
    printf '%s\\n' 'base_url: http://127.0.0.1:8091/fhir' 'host: 127.0.0.1' 'port: 8091' \\
      'data_dir: /tmp/sekmet/data' 'log_inbound: false' 'simulator: {enabled: false}' \\
      'validation: {inbound: "off"}' 'server_auth: {types: [bearer], tokens: [bench]}' > /tmp/sekmet/settings.yaml
    (cd /tmp/sekmet && venv/bin/sekmet serve -c settings.yaml)
    python -m benchmarks.compare load http://127.0.0.1:8091/fhir var/bench-compare-data --token bench

Then `make bench-compare`, or `python -m benchmarks.compare run --other http://127.0.0.1:8091/fhir`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.wrk import WrkResult, wrk_run

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/kaari_bench_compare"
DEFAULT_OTHER = "http://127.0.0.1:8091/fhir"


def fhir_get(url: str, token: str | None) -> dict[str, Any]:
    headers = {"Accept": "application/fhir+json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=300) as response:
        body: dict[str, Any] = json.load(response)
    return body


def transaction_post(base: str, resources: list[dict[str, Any]], token: str | None) -> None:
    """PUT each resource under its own id in one transaction, so ids and references stay as in the files."""
    entries = [
        {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}} for r in resources
    ]
    bundle = json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}).encode()
    headers = {"Content-Type": "application/fhir+json", "Prefer": "return=minimal"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base, data=bundle, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()


def data_load(base: str, directory: Path, token: str | None, batch: int) -> None:
    started = time.perf_counter()
    total = 0
    files = sorted(directory.glob("*.ndjson"))
    for number, path in enumerate(files, 1):
        resources = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        for start in range(0, len(resources), batch):
            transaction_post(base, resources[start : start + batch], token)
        total += len(resources)
        rate = total / (time.perf_counter() - started)
        print(f"{number}/{len(files)} files, {total:,} resources, {rate:,.0f} resources/s", flush=True)


def load_average() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def totals_check(kaari_base: str, other_base: str, paths: list[str], token: str, other_token: str | None) -> None:
    """Both servers must find the same matches, or they are not doing the same work."""
    other_root = other_base.removesuffix("/fhir")
    mismatches = 0
    for path in paths:
        ours = fhir_get(f"{kaari_base}{path}&_total=accurate", token)
        theirs = fhir_get(f"{other_root}{path}", other_token)
        counts = [(b.get("total"), len(b.get("entry", []))) for b in (ours, theirs)]
        if counts[0] != counts[1]:
            mismatches += 1
            print(f"!! {path}: Kaari (total, entries) {counts[0]}, other {counts[1]}", file=sys.stderr)
    print(f"matches agree on {len(paths) - mismatches} of {len(paths)} sampled paths")
    if mismatches:
        raise SystemExit(1)


def runs_alternate(
    servers: list[tuple[str, str, str | None]], paths: list[str], rounds: int, seconds: int
) -> dict[str, list[WrkResult]]:
    results: dict[str, list[WrkResult]] = {name: [] for name, _, _ in servers}
    for _, root, token in servers:
        wrk_run(root, paths, seconds=5, token=token)  # warm caches and connection pools
    for round_number in range(1, rounds + 1):
        for name, root, token in servers:
            result = wrk_run(root, paths, seconds=seconds, token=token)
            results[name].append(result)
            print(f"round {round_number} {name:8} {result.line()}  ({load_average()})", flush=True)
            if result.non_2xx:
                raise SystemExit(f"{name} answered {result.non_2xx} requests with an error")
    return results


def summary_print(results: dict[str, list[WrkResult]]) -> None:
    medians = {}
    print(f"\n{'median of runs':16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, runs in results.items():
        rps = statistics.median(r.requests_per_second for r in runs)
        p50 = statistics.median(r.p50_ms for r in runs)
        p99 = statistics.median(r.p99_ms for r in runs)
        medians[name] = rps
        print(f"{name:16} {rps:8.0f} {p50:8.2f} {p99:8.2f}")
    kaari, other = medians["Kaari"], medians["other"]
    verdict = "ok" if kaari >= 1.5 * other else "MISSED"
    print(f"\nKaari / other throughput: {kaari / other:.2f} (target at least 1.50) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="load NDJSON files into a FHIR server with transaction bundles")
    load.add_argument("base", help="FHIR base URL")
    load.add_argument("directory", type=Path)
    load.add_argument("--token", help="bearer token")
    load.add_argument("--batch", type=int, default=500, help="resources per transaction")
    run = commands.add_parser("run", help="drive Kaari and the other server side by side")
    run.add_argument("--other", default=DEFAULT_OTHER, help="the other FHIR base URL")
    run.add_argument("--other-token", default="bench", help="bearer token for the other server ('' for none)")
    run.add_argument("--rounds", type=int, default=3, help="runs per server, alternating")
    run.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    run.add_argument("--check", type=int, default=20, help="paths whose matches are compared")
    run.add_argument("--no-vacuum", action="store_true")
    options = parser.parse_args()
    if options.command == "load":
        data_load(options.base, options.directory, options.token, options.batch)
        return
    compare(options)


def compare(options: argparse.Namespace) -> None:
    from benchmarks.support import django_setup

    database_url = os.environ.get("KAARI_BENCH_COMPARE_DB", DEFAULT_DB)
    django_setup(database_url, data_dir="/tmp/kaari-bench-search")
    from django.db import connection

    from benchmarks.search import integration_token, observation_code_paths
    from benchmarks.support import free_port, kaari_env, server_running
    from kaari.fhir.models import Resource

    count = Resource.objects.filter(deleted=False).count()
    print(f"{count:,} resources in {database_url.rsplit('/', 1)[-1]}; {load_average()}")
    if not options.no_vacuum:
        with connection.cursor() as cursor:  # fresh statistics after `kaari load`, as bench-search does
            cursor.execute("VACUUM ANALYZE")
    paths = observation_code_paths()
    token = integration_token()
    other_token = options.other_token or None
    port = free_port()
    command = [sys.executable, "-m", "kaari", "serve", "--port", str(port), "--no-migrate"]
    with server_running(command, kaari_env(database_url), port) as kaari_base:
        totals_check(kaari_base, options.other, paths[:: max(1, len(paths) // options.check)], token, other_token)
        servers = [("Kaari", kaari_base, token), ("other", options.other.removesuffix("/fhir"), other_token)]
        print(f"{len(paths)} Observation?code paths, 8 connections, {options.seconds} s per run")
        results = runs_alternate(servers, paths, options.rounds, options.seconds)
    summary_print(results)


if __name__ == "__main__":
    main()
