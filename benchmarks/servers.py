"""`make bench-servers`: which production server serves Kaari's read path fastest on this machine.

Loads the Synthea bundles into a fresh PostgreSQL database, then drives read-by-id with wrk (8 connections) against
a bare Django view that reads the JSON by id (the reference the issue quotes), then
granian (WSGI), gunicorn (gthread) and uvicorn (ASGI), each with one worker per core.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request

from benchmarks.support import (
    SYNTHEA,
    database_fresh,
    free_port,
    integration_token,
    kaari,
    kaari_env,
    server_running,
)
from benchmarks.wrk import wrk_run

WORKERS = str(os.cpu_count() or 2)


UNGATED = "benchmarks.ungated_wsgi:application"
GATED = "kaari.wsgi:application"


def server_commands(port: int, app: str) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "granian": [
            py, "-m", "granian", "--interface", "wsgi", "--workers", WORKERS, "--blocking-threads", "1",
            "--no-ws", "--port", str(port), app,
        ],
        "gunicorn (gthread)": [
            py, "-m", "gunicorn", "-w", WORKERS, "-k", "gthread", "--threads", "4", "-b", f"127.0.0.1:{port}", app,
        ],
        "gunicorn (sync)": [py, "-m", "gunicorn", "-w", WORKERS, "-b", f"127.0.0.1:{port}", app],
        "uvicorn": [
            py, "-m", "uvicorn", "--interface", "wsgi", "--workers", WORKERS, "--port", str(port),
            "--no-access-log", app,
        ],
    }  # fmt: skip


def measure(
    name: str, command: list[str], env: dict[str, str], port: int, token: str, seconds: int, *, bare: bool = False
) -> None:
    with server_running(command, env, port) as base:
        paths = read_paths(base, token)
        if bare:  # the same resources through the bare reference view
            paths = [path.replace("/fhir/", "/bare-json/", 1) for path in paths]
        wrk_run(base, paths, seconds=2, token=token)  # warm-up
        result = wrk_run(base, paths, seconds=seconds, token=token)
    print(f"{name:34} {result.line()}")


def read_paths(base: str, token: str | None, limit: int = 500) -> list[str]:
    request = urllib.request.Request(f"{base}/fhir/_history?_count={limit}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    bundle = json.loads(urllib.request.urlopen(request).read())
    return [f"/fhir/{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"] if "resource" in e]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database", default="kaari_bench_servers")
    options = parser.parse_args()
    env = kaari_env(database_fresh(options.database))
    for step in (["migrate", "-v0"], ["load", "--quiet", str(SYNTHEA)]):
        done = kaari(step, env)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
    token = integration_token(env)
    print(f"read-by-id, wrk 8 connections, {options.seconds} s, {WORKERS} workers each")
    print("Reference: a bare Django + psycopg view that reads the JSON by id (granian, same run):")
    command = server_commands(port := free_port(), UNGATED)["granian"]
    measure("granian, bare view", command, env, port, token, options.seconds, bare=True)
    print("Store and REST layers before the access gate (the issue's server comparison):")
    for name, command in server_commands(port := free_port(), UNGATED).items():
        measure(name, command, env, port, token, options.seconds)
    print("With the access gate: bearer token, care-relationship rules, one audited log entry per read:")
    command = server_commands(port := free_port(), GATED)["granian"]
    measure("granian, gated and audited", command, env, port, token, options.seconds)


if __name__ == "__main__":
    main()
