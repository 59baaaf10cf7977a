"""What the access gate costs, on PostgreSQL: `make bench-gate` (or `python -m benchmarks.gate`).

1. In process, without the audit write: the store's read-by-id, a typical search (one client's results of one
   test, newest first) and a filtered history page behind the real gate, against the same calls behind the
   store's unit-test gate that allows everything, in alternating blocks of 100 calls; calls per second from the
   median block (the overhead by the mean block is printed beside it). Target: at most 15% slower.
2. Over HTTP, with the audit write: audited FHIR reads by id (bearer token, gate, one log entry each) against a
   bare Django view that reads the JSON and commits one audit row, both served by granian in the same run and
   driven by wrk with 8 connections. Target: audited reads reach at least 60% of the bare view.

Not a test: it needs PostgreSQL (DATABASE_URL, default a `kaari_gate_bench` database on 127.0.0.1) and wrk.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/kaari_gate_bench"
PATIENTS = 1000
OBSERVATIONS_PER_PATIENT = 10
RELATED_PATIENTS = 200
PORT = 8765


def environment_prepare() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ["KAARI_ENV"] = "production"
    os.environ["KAARI_DEBUG"] = "0"
    os.environ.setdefault("KAARI_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.gate_settings"


def database_recreate() -> None:
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def data_build() -> dict[str, str]:
    from django.core.management import call_command
    from django.db import connection

    from kaari.access.services import system_store, user_create, user_token

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_audit (id bigserial PRIMARY KEY, recorded timestamptz, who text, what text)")
    store = system_store("benchmark")
    resources: list[dict[str, Any]] = [{"resourceType": "Organization", "id": "hc-north", "name": "Terveysasema"}]
    for p in range(PATIENTS):
        resources.append({"resourceType": "Patient", "id": f"p{p}", "name": [{"family": f"Potilas{p}"}]})
        for o in range(OBSERVATIONS_PER_PATIENT):
            resources.append(
                {
                    "resourceType": "Observation",
                    "id": f"p{p}-o{o}",
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
                    "subject": {"reference": f"Patient/p{p}"},
                    "valueQuantity": {"value": 5 + o / 10, "unit": "%"},
                }
            )
        if p < RELATED_PATIENTS:
            resources.append(
                {
                    "resourceType": "Encounter",
                    "id": f"p{p}-visit",
                    "status": "in-progress",
                    "class": {"code": "AMB"},
                    "subject": {"reference": f"Patient/p{p}"},
                    "serviceProvider": {"reference": "Organization/hc-north"},
                }
            )
    for start in range(0, len(resources), 2000):
        store.load(resources[start : start + 2000])
    user_create(username="dr_bench", role="physician", organization="hc-north")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # settled, as autovacuum leaves a database
    return {"token": user_token(username="dr_bench", lifetime=7200).token}


Timing = tuple[str, float, float, float]  # what, calls/s without the gate, with it, overhead by the mean (%)


def timed(bare: Callable[[], Any], gated: Callable[[], Any], seconds: float = 10.0) -> tuple[float, float, float]:
    """Calls per second of each, after a warm-up, from the median time of a block of 100 calls, and the overhead
    by the mean block time too. The two run in alternating blocks, so that both meet the same spells of a busy
    machine (measured one after the other, the same code differed by up to 20 %); the median leaves out the few
    blocks such a spell hit hard (one 50 ms stall moves the mean by a point). The warm-up runs each side over
    every client: before, the two sides shared the warm-up's counter, so each met only half the clients, and the
    gate fetched its decisions about the other half (100 queries of ~3 ms) inside the measured blocks."""
    for call in (bare, gated):  # every client of the read and search loops, on each side (the two share a counter)
        for _ in range(400):
            call()
    blocks: dict[Callable[[], Any], list[float]] = {bare: [], gated: []}
    rounds, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for call in (bare, gated) if rounds % 2 == 0 else (gated, bare):
            block = time.perf_counter()
            for _ in range(100):
                call()
            blocks[call].append(time.perf_counter() - block)
        rounds += 1
    by_mean = 100 * (statistics.mean(blocks[gated]) / statistics.mean(blocks[bare]) - 1)
    return 100 / statistics.median(blocks[bare]), 100 / statistics.median(blocks[gated]), by_mean


def in_process(token: str) -> list[Timing]:
    from kaari.access.audit.log import AccessScope
    from kaari.access.gate import AccessGate
    from kaari.access.tokens import principal_from_token
    from kaari.fhir.search.service import SearchRequest
    from kaari.fhir.store import Store, TrustedGate  # the baseline: the store with no access control

    principal = principal_from_token(token)

    def gated() -> Store:
        # A request's gate with its scope; the scope is never closed, so nothing is written to the log.
        return Store(AccessGate(principal, scope=AccessScope(principal=principal, request="GET bench")))

    def trusted() -> Store:
        return Store(TrustedGate())  # as a request makes its store

    results = []
    ids = [f"p{p}-o{p % OBSERVATIONS_PER_PATIENT}" for p in range(RELATED_PATIENTS)]
    counter = {"i": 0}

    def next_id() -> str:
        counter["i"] = (counter["i"] + 1) % len(ids)
        return ids[counter["i"]]

    def read_with(store_of: Callable[[], Store]) -> Callable[[], Any]:
        def call() -> Any:
            store = store_of()
            stored = store.read("Observation", next_id())
            return store.gate.needs_redaction(stored)

        return call

    results.append(("read by id", *timed(read_with(trusted), read_with(gated))))

    def history_with(store_of: Callable[[], Store]) -> Callable[[], Any]:
        return lambda: store_of().history(resource_type="Observation", count=50)

    def search_with(store_of: Callable[[], Store]) -> Callable[[], Any]:
        # A clinician's typical search: one client's results of one test, newest first, one page.
        def call() -> Any:
            patient = next_id().split("-")[0]
            params = (("patient", patient), ("code", "http://loinc.org|4548-4"), ("_sort", "-date"), ("_count", "10"))
            outcome = store_of().search(SearchRequest(resource_types=("Observation",), params=params))
            assert len(outcome.result.matches) == OBSERVATIONS_PER_PATIENT
            return outcome

        return call

    name = "Observation search: patient, code, -date, _count=10"
    results.append((name, *timed(search_with(trusted), search_with(gated))))
    name = "Observation history page of 50 (filtered)"
    results.append((name, *timed(history_with(trusted), history_with(gated))))
    return results


SEARCH_PATH = "/fhir/Observation?patient={patient}&code=http://loinc.org|4548-4&_sort=-date&_count=10"


def through_django(token: str) -> list[Timing]:
    """Whole requests through Django's WSGI handler and middleware, without the audit write: the gate
    (token check, access rules, redaction test) against the same views behind the store's allow-all gate."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    import kaari.access.gate
    from kaari.fhir.rest import views
    from kaari.fhir.store import TrustedGate

    class TrustedRequestGate(TrustedGate):
        scope = None

        def scope_close(self, *, status: int) -> None:
            return None

    handler = WSGIHandler()
    factory = RequestFactory(HTTP_HOST="127.0.0.1")

    counter = {"i": 0}

    def get(path: str, expected: bytes) -> None:
        environ = factory.get(path, HTTP_AUTHORIZATION=f"Bearer {token}").environ
        response = handler(environ, lambda status, headers, exc_info=None: lambda data: None)
        assert expected in b"".join(response)

    def read() -> None:
        counter["i"] = (counter["i"] + 1) % RELATED_PATIENTS
        get(f"/fhir/Observation/p{counter['i']}-o1", f"p{counter['i']}-o1".encode())

    def search() -> None:
        counter["i"] = (counter["i"] + 1) % RELATED_PATIENTS
        get(SEARCH_PATH.format(patient=f"p{counter['i']}"), b'"total"')

    real_gate, real_principal, real_write = views.request_gate, views.bearer_principal, kaari.access.gate.entry_write

    def trusted(call: Callable[[], None]) -> Callable[[], None]:
        def without_gate() -> None:
            views.request_gate = lambda request, principal: TrustedRequestGate()  # type: ignore[assignment,return-value]
            views.bearer_principal = lambda request: None  # type: ignore[assignment,return-value]
            try:
                call()
            finally:
                views.request_gate, views.bearer_principal = real_gate, real_principal

        return without_gate

    results = []
    kaari.access.gate.entry_write = lambda scope: 0  # measure without the log
    try:
        for name, call in (("read by id", read), ("Observation search (as above)", search)):
            results.append((f"whole request, {name} (Django, no HTTP)", *timed(trusted(call), call)))
    finally:
        kaari.access.gate.entry_write = real_write
    return results


def server_start() -> subprocess.Popen[bytes]:
    workers = str(max(1, os.cpu_count() or 1))
    argv = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(PORT),
        "--workers", workers, "--blocking-threads", "4", "--no-ws", "--log-level", "warning",
        "benchmarks.gate_wsgi:application",
    ]  # fmt: skip
    process = subprocess.Popen(argv, env=os.environ.copy(), start_new_session=True)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("granian did not start")


def wrk(url: str, token: str = "", seconds: int = 10) -> float:
    header = ["-H", f"Authorization: Bearer {token}"] if token else []
    urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}))  # warm
    subprocess.run(["wrk", "-t2", "-c8", "-d3s", *header, url], capture_output=True, check=True)
    run = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", *header, url], capture_output=True, text=True, check=True
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", run.stdout)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses")
    return float(match.group(1)) if match else 0.0


def over_http(token: str) -> tuple[float, float, int]:
    from kaari.access.models import AuditEntry

    before = AuditEntry.objects.count()
    server = server_start()
    try:
        bare = wrk(f"http://127.0.0.1:{PORT}/bare/Observation/p1-o1")
        audited = wrk(f"http://127.0.0.1:{PORT}/fhir/Observation/p1-o1", token)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    return bare, audited, AuditEntry.objects.count() - before


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    environment_prepare()
    database_recreate()
    import django

    django.setup()
    started = time.perf_counter()
    token = data_build()["token"]
    seconds = time.perf_counter() - started
    print(f"data: {PATIENTS} patients, {PATIENTS * OBSERVATIONS_PER_PATIENT} observations ({seconds:.0f} s)")
    print("\nIn process, without the audit write (calls/s from the median block; overhead also by the mean):")
    print(f"  {'operation':62} {'no gate':>8} {'gate':>8} {'overhead':>9} {'by mean':>8}")
    for name, bare, gate, by_mean in [*in_process(token), *through_django(token)]:
        print(f"  {name:62} {bare:8.0f} {gate:8.0f} {100 * (bare / gate - 1):8.1f}% {by_mean:7.1f}%")
    bare, audited, entries = over_http(token)
    print("\nOver HTTP with granian, wrk 8 connections (requests/s):")
    print(f"  bare view (read JSON, commit one audit row)  {bare:10.0f}")
    print(f"  audited FHIR read by id (token, gate, log)   {audited:10.0f}  = {100 * audited / bare:.0f}% of bare")
    print(f"  access log entries written during the run: {entries}")


if __name__ == "__main__":
    main()
