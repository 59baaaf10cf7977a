"""`make bench-ingest`: resources per second into PostgreSQL, through `kaari load` and through HTTP transactions.

Loads the shared Synthea R4 bundles (validation and indexing on) several times over into a fresh database.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import re
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.support import (
    SYNTHEA,
    database_fresh,
    free_port,
    integration_token,
    kaari,
    kaari_env,
    server_running,
)


def bundles_count(paths: list[Path]) -> int:
    return sum(len(json.loads(p.read_text())["entry"]) for p in paths)


def load_benchmark(env: dict[str, str], paths: list[Path], passes: int) -> tuple[int, float, float]:
    """(resources loaded, seconds the loading took by the command's own clock, seconds of the whole process)."""
    args = ["load", "--quiet", *[str(p) for p in paths] * passes]
    started = time.perf_counter()
    result = kaari(args, env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"kaari load failed:\n{result.stderr[-2000:]}")
    match = re.search(r"Loaded (\d+) resources from \d+ files in [\d.]+ s \((\d+) resources/s\)", result.stdout)
    if match is None:
        raise SystemExit(f"kaari load did not report: {result.stdout[-500:]}")
    loaded = int(match.group(1))
    return loaded, loaded / max(1, int(match.group(2))), elapsed


def http_benchmark(env: dict[str, str], paths: list[Path], passes: int, clients: int) -> tuple[int, float]:
    port = free_port()
    bodies = [p.read_bytes() for p in paths] * passes
    counts = [len(json.loads(b)["entry"]) for b in bodies]
    token = integration_token(env)
    command = [sys.executable, "-m", "kaari", "serve", "--port", str(port), "--no-migrate"]
    with server_running(command, env, port) as base:

        def post(body: bytes) -> int:
            request = urllib.request.Request(
                f"{base}/fhir", data=body, method="POST", headers={"Content-Type": "application/fhir+json"}
            )
            request.add_header("Authorization", f"Bearer {token}")
            with urllib.request.urlopen(request, timeout=300) as response:
                return int(response.status)

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
            statuses = list(pool.map(post, bodies))
        elapsed = time.perf_counter() - started
    if any(status != 200 for status in statuses):
        raise SystemExit(f"HTTP transactions failed: {statuses}")
    return sum(counts), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passes", type=int, default=5, help="times the bundles are loaded")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--database", default="kaari_bench_ingest")
    options = parser.parse_args()
    paths = sorted(SYNTHEA.glob("*.json"))
    per_pass = bundles_count(paths)
    print(f"Synthea bundles: {len(paths)} files, {per_pass} resources per pass, {options.passes} passes")

    env = kaari_env(database_fresh(options.database))
    migrate = kaari(["migrate", "-v0"], env)
    if migrate.returncode != 0:
        raise SystemExit(migrate.stderr)
    loaded, loading, whole = load_benchmark(env, paths, options.passes)
    print(
        f"kaari load:        {loaded:>7} resources in {loading:6.1f} s = {loaded / loading:7.0f} resources/s"
        f" (target 3000); with the process's start-up ({whole - loading:.1f} s): {loaded / whole:.0f} resources/s"
    )

    env = kaari_env(database_fresh(options.database))
    kaari(["migrate", "-v0"], env)
    posted, seconds = http_benchmark(env, paths, options.passes, options.clients)
    print(
        f"HTTP transactions: {posted:>7} resources in {seconds:6.1f} s = {posted / seconds:7.0f} resources/s"
        f" (target 2000; {options.clients} clients)"
    )


if __name__ == "__main__":
    main()
