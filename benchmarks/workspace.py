"""`make bench-workspace`: server time of the clinician's chart on PostgreSQL with a synthetic region of a million
resources or more, next to the issue's targets.

Make the region once:

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE kaari_bench_region'
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kaari_bench_region kaari migrate
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kaari_bench_region kaari synth --residents 16000 --load

Then `make bench-workspace` (KAARI_BENCH_REGION_DB names another database). It prepares, idempotently and through
the store as the system job `bench-workspace`:

- a client with 2,000 resources: the region's heaviest client copied under new ids (`b2k-...`, a synthetic identity
  code) and padded with copies of their laboratory results, plus a visit in progress at the benchmark's unit;
- a physician `bench-workspace-<unit>` in the health centre with the most open care relationships (the user, a
  Practitioner and a PractitionerRole).

It starts `kaari serve`, signs in over HTTP with a password (a browser session: the gate, the page views' access
log entries, CSRF and sessions as in real use), and times, sequentially over one keep-alive connection:

- the chart's first paint: `GET /clients/<id>/` (the header) for clients of the unit, target p95 80 ms;
- the whole chart of the 2,000-resource client: the header and its five fragments one after another (a browser
  fetches the fragments in parallel, so this sum is the server time of the whole chart), target p95 300 ms.
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
from typing import Any
from urllib.parse import urlencode

from benchmarks.support import django_setup, query_rows

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/kaari_bench_region"
USERNAME = "bench-workspace"  # the system job; the physician is `bench-workspace-<unit>`
PASSWORD = "bench-workspace-password"
COPY_PREFIX = "b2k-"
TARGET_RESOURCES = 2000
COPY_HETU = "010150-999K"  # synthetic (individual number 999), not in the region
FRAGMENTS = ("health", "social", "timeline", "appointments", "documents")
FIRST_PAINT_TARGET_MS = 80.0
WHOLE_CHART_TARGET_MS = 300.0
OPEN_OR_RECENT = "(ends IS NULL OR ends >= now() - interval '90 days')"  # the gate's default recent period
REFERENCE = re.compile(r'"reference":\s*"([A-Za-z]+)/([A-Za-z0-9\-.]{1,64})"')


def busiest_unit() -> str:
    """The health centre (`org-hc-*` in the synthetic region) with the most open or recent care relationships."""
    ((unit,),) = query_rows(
        "SELECT organization_id FROM access_care_relationship WHERE organization_id LIKE 'org-hc-%%'"
        f" AND {OPEN_OR_RECENT} GROUP BY organization_id ORDER BY COUNT(*) DESC LIMIT 1"
    )
    return str(unit)


def heavy_client_ensure(unit: str) -> str:
    """The 2,000-resource client (made once): the heaviest client's record under new ids, padded to 2,000."""
    from kaari.access.services import system_store

    copy_id = f"{COPY_PREFIX}client"
    store = system_store(USERNAME)
    existing = query_rows("SELECT COUNT(*) FROM access_person WHERE patient_id = %s", (copy_id,))[0][0]
    if not existing:
        _heavy_client_copy(store, copy_id)
    related = query_rows(
        "SELECT COUNT(*) FROM access_care_relationship WHERE patient_id = %s AND organization_id = %s AND ends IS NULL",
        (copy_id, unit),
    )[0][0]
    if not related:  # a visit in progress at the unit: the benchmark physician's care relationship
        visit = {
            "resourceType": "Encounter",
            "id": f"{COPY_PREFIX}visit-{unit}"[:64],
            "status": "in-progress",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "subject": {"reference": f"Patient/{copy_id}"},
            "serviceProvider": {"reference": f"Organization/{unit}"},
        }
        store.load([visit])
    return copy_id


def _heavy_client_copy(store: Any, copy_id: str) -> None:
    import json

    from kaari.fhir.search.service import SearchRequest

    ((source,),) = query_rows(
        "SELECT compartment FROM fhir_resource WHERE compartment IS NOT NULL AND NOT deleted"
        " AND compartment NOT LIKE %s GROUP BY compartment ORDER BY COUNT(*) DESC LIMIT 1",
        (f"{COPY_PREFIX}%",),
    )
    record = store.everything(source, SearchRequest(("Patient",), (("_count", "5000"),))).result.matches
    own = {(s.resource_type, s.id) for s in record if s.compartment == source}
    copies: list[dict[str, Any]] = []
    for stored in record:
        if stored.compartment != source:
            continue  # shared resources (units, professionals) are referred to, not copied
        text = REFERENCE.sub(
            lambda m: f'"reference":"{m.group(1)}/{_copied(m.group(1), m.group(2), own, source)}"',
            stored.body.decode(),
        )
        resource = json.loads(text)
        resource["id"] = _copied(stored.resource_type, stored.id, own, source)
        if stored.resource_type == "Patient":
            resource["id"] = copy_id
            resource["identifier"] = [{"system": "urn:oid:1.2.246.21", "value": COPY_HETU}]
            resource.pop("link", None)
        copies.append(resource)
    labs = [c for c in copies if c["resourceType"] == "Observation"]
    for n in range(TARGET_RESOURCES - len(copies)):
        pad = json.loads(json.dumps(labs[n % len(labs)]))
        pad["id"] = f"{COPY_PREFIX}pad-{n}"
        copies.append(pad)
    outcomes = store.load(copies)
    problems = [str(o.error) for o in outcomes if o.error is not None]
    if problems:
        raise SystemExit(f"the 2,000-resource client did not load: {problems[:3]}")
    print(f"made {copy_id}: {len(copies)} resources copied from {source} and padded")


def _copied(resource_type: str, logical_id: str, own: set[tuple[str, str]], source: str) -> str:
    if resource_type == "Patient" and logical_id == source:
        return f"{COPY_PREFIX}client"
    return f"{COPY_PREFIX}{logical_id}"[:64] if (resource_type, logical_id) in own else logical_id


def physician_ensure(unit: str) -> str:
    from kaari.access.models import User
    from kaari.access.services import user_create

    username = f"{USERNAME}-{unit}"[:150]
    if not User.objects.filter(username=username).exists():
        user_create(username=username, role="physician", organization=unit, password=PASSWORD)
    return username


def first_paint_clients(unit: str, count: int, rng: random.Random) -> list[str]:
    rows = query_rows(
        f"SELECT DISTINCT patient_id FROM access_care_relationship WHERE organization_id = %s AND {OPEN_OR_RECENT}"
        " AND patient_id NOT LIKE 'b2k-%%'",
        (unit,),
    )
    clients = sorted(str(r[0]) for r in rows)
    return rng.sample(clients, min(count, len(clients)))


class Browser:
    """One keep-alive connection with cookies: enough of a browser to sign in and fetch pages."""

    def __init__(self, port: int, username: str) -> None:
        self.username = username
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict[str, str]]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.connection.host}:{self.connection.port}"
            headers["Referer"] = headers["Origin"] + "/signin"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, content, {k.lower(): v for k, v in response.getheaders()}

    def sign_in(self) -> None:
        self.request("GET", "/signin")
        form = urlencode(
            {
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                "username": self.username,
                "password": PASSWORD,
                "next": "/",
            }
        )
        status, body, headers = self.request("POST", "/signin", form)
        if status != 302 or headers.get("location") != "/":
            raise SystemExit(f"sign-in failed: HTTP {status} {body[:300]!r}")

    def timed(self, path: str) -> float:
        started = time.perf_counter()
        status, body, _ = self.request("GET", path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status} {body[:300]!r}")
        return elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=200, help="first-paint requests (one per client)")
    parser.add_argument("--charts", type=int, default=50, help="whole-chart loads of the 2,000-resource client")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    database_url = os.environ.get("KAARI_BENCH_REGION_DB", DEFAULT_DB)
    django_setup(database_url, data_dir="/tmp/kaari-bench-workspace")
    from benchmarks.support import free_port, kaari_env, server_running

    (count,) = query_rows("SELECT COUNT(*) FROM fhir_resource WHERE NOT deleted")[0]
    print(f"{count:,} resources in {database_url.rsplit('/', 1)[-1]}")
    if count < 1_000_000:
        print("!! fewer than 1,000,000 resources: see the docstring for how to make the region", file=sys.stderr)
    unit = busiest_unit()
    heavy = heavy_client_ensure(unit)
    username = physician_ensure(unit)
    ((heavy_count,),) = query_rows(
        "SELECT COUNT(*) FROM fhir_resource WHERE compartment = %s AND NOT deleted", (heavy,)
    )
    clients = first_paint_clients(unit, options.samples, random.Random(options.seed))
    print(f"unit {unit}: {len(clients)} clients for the first paint; {heavy} has {heavy_count:,} resources")
    port = free_port()
    command = [sys.executable, "-m", "kaari", "serve", "--port", str(port), "--no-migrate"]
    with server_running(command, kaari_env(database_url), port):
        browser = Browser(port, username)
        browser.sign_in()
        for warm in clients[:10]:
            browser.timed(f"/clients/{warm}/")
        first_paint = [browser.timed(f"/clients/{c}/") for c in clients]
        paths = [f"/clients/{heavy}/", *(f"/clients/{heavy}/{f}" for f in FRAGMENTS)]
        with contextlib.suppress(SystemExit):
            for path in paths:
                browser.timed(path)
        parts: dict[str, list[float]] = {p: [] for p in paths}
        whole = []
        for _ in range(options.charts):
            total = 0.0
            for path in paths:
                elapsed = browser.timed(path)
                parts[path].append(elapsed)
                total += elapsed
            whole.append(total)
    print(f"\n{'measure':62} {'p50 ms':>8} {'p95 ms':>8} {'target p95':>11}")
    rows = [
        ("chart first paint (header), clients of the unit", first_paint, FIRST_PAINT_TARGET_MS),
        (f"whole chart (header + {len(FRAGMENTS)} fragments), {heavy_count:,} resources", whole, WHOLE_CHART_TARGET_MS),
    ]
    for name, times, target in rows:
        verdict = "ok" if percentile(times, 0.95) <= target else "MISSED"
        print(f"{name:62} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} {target:8.0f} ms {verdict}")
    print("\nof which, for the 2,000-resource client:")
    for path, times in parts.items():
        print(
            f"  {path.rsplit('/', 1)[-1] or 'header':60} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f}"
        )


if __name__ == "__main__":
    main()
