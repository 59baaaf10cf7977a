"""`python -m benchmarks.cds`: latency of order-sign (medication-safety) over HTTP against `kaari serve`.

A fresh PostgreSQL database; a physician with a bearer token; patients of her unit with 15 active medicines, two
allergies, eGFR, weight, creatinine and a year of laboratory results, posted through the FHIR API. Then order-sign
calls with one to three drafts, one client at a time on a kept-alive connection, measured at the client: once
with the full prefetch in the request, once with no prefetch (Kaari reads the patient's data from its store
through the caller's gate, which checks her care relationship and writes one access log entry per call).
Not a test: it prints figures (target: p95 at most 50 ms).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import time
import uuid
from typing import Any

from benchmarks.support import database_fresh, free_port, kaari, kaari_env, percentile, server_running

ATC = "http://www.whocc.no/atc"
LOINC = "http://loinc.org"
# A common list of an older patient in Finnish primary care: 15 medicines.
ACTIVE = (
    "C09AA05", "C03CA01", "C07AB07", "C10AA05", "B01AC06", "A10BA02", "N02BE01", "A02BC01",
    "N06AB10", "H03AA01", "C08CA01", "G04CA02", "N05CF01", "A12AX", "R03AK06",
)  # fmt: skip
DRAFTS = ("M01AE01", "J01CA04", "N02AX02", "B01AF02", "C03DA01", "J01XE01", "N05BA01", "A10BH01")
UNIT = "hc-bench"
LAB_RESULTS = ("4548-4", "2093-3", "3016-3", "1988-5", "718-7", "2823-3", "2951-2", "1742-6")


def _coded(atc: str) -> dict[str, Any]:
    return {"coding": [{"system": ATC, "code": atc}]}


def admission(patient_number: int) -> list[dict[str, Any]]:
    """A patient and a visit to the physician's unit (her care relationship), as transaction entries."""
    patient_url = f"urn:uuid:{uuid.uuid4()}"
    patient = {"resourceType": "Patient", "birthDate": f"19{40 + patient_number % 30}-03-15", "gender": "female"}
    visit = {
        "resourceType": "Encounter",
        "status": "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "subject": {"reference": patient_url},
        "serviceProvider": {"reference": f"Organization/{UNIT}"},
    }
    return [
        {"fullUrl": patient_url, "resource": patient, "request": {"method": "POST", "url": "Patient"}},
        {"resource": visit, "request": {"method": "POST", "url": "Encounter"}},
    ]


def chart(patient_id: str) -> list[dict[str, Any]]:
    """The patient's medicines, allergies and a year of results, as transaction entries."""
    subject = {"reference": f"Patient/{patient_id}"}
    resources: list[dict[str, Any]] = [
        {"resourceType": "MedicationRequest", "status": "active", "intent": "order", "subject": subject,
         "medicationCodeableConcept": _coded(atc), "authoredOn": "2026-01-10"}
        for atc in ACTIVE
    ]  # fmt: skip
    resources += [
        {"resourceType": "AllergyIntolerance", "patient": subject, "type": "allergy", "code": _coded(atc),
         "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                            "allergyintolerance-verification", "code": "confirmed"}]}}
        for atc in ("J01CE02", "N02BA01")
    ]  # fmt: skip
    for month in range(1, 13):
        for code, value, unit in (
            ("98979-8", 48, "mL/min/{1.73_m2}"),
            ("29463-7", 71, "kg"),
            ("14682-9", 98, "umol/L"),
        ):
            resources.append(_observation(subject, code, value + month % 3, unit, month))
        for code in LAB_RESULTS:
            resources.append(_observation(subject, code, 4.2, "x", month))
    return [{"resource": r, "request": {"method": "POST", "url": r["resourceType"]}} for r in resources]


def _observation(subject: dict[str, str], code: str, value: float, unit: str, month: int) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "subject": subject,
        "effectiveDateTime": f"2026-{month:02d}-05T08:00:00+02:00",
        "valueQuantity": {"value": value, "unit": unit},
    }  # fmt: skip


class Http:
    def __init__(self, base: str, token: str | None) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, body: Any, **headers: str) -> tuple[int, Any, float]:
        data = json.dumps(body).encode()
        started = time.perf_counter()
        self.connection.request("POST", path, body=data, headers={**self.headers, **headers})
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return response.status, json.loads(payload) if payload else None, elapsed


def _transaction(client: Http, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    status, body, _ = client.post(
        "/fhir", {"resourceType": "Bundle", "type": "transaction", "entry": entries}, Prefer="return=representation"
    )
    if status != 200:
        raise SystemExit(f"posting a chart failed: {status} {body}")
    return [entry["resource"] for entry in body["entry"]]


def charts_post(client: Http, count: int) -> list[tuple[str, dict[str, Any]]]:
    """Post the charts; each patient's id and the prefetch an EHR would send for them."""
    posted = []
    for number in range(count):
        patient = _transaction(client, admission(number))[0]
        resources = _transaction(client, chart(patient["id"]))

        def searchset(kind: str, rs: list[dict[str, Any]] = resources) -> dict[str, Any]:
            return {"resourceType": "Bundle", "type": "searchset",
                    "entry": [{"resource": r} for r in rs if r["resourceType"] == kind]}  # fmt: skip

        prefetch = {
            "patient": patient,
            "medications": searchset("MedicationRequest"),
            "statements": None,
            "allergies": searchset("AllergyIntolerance"),
            "kidneyAndWeight": searchset("Observation"),
        }
        posted.append((patient["id"], prefetch))
    return posted


def physician_token(env: dict[str, str]) -> str:
    """A physician of the unit, and a bearer token for her (as an EHR would hold)."""
    code = (
        "from kaari.access.services import system_store, user_create, user_token\n"
        f"system_store('bench').load([{{'resourceType': 'Organization', 'id': '{UNIT}', 'name': 'Kaari'}}])\n"
        f"user_create(username='dr_bench', role='physician', organization='{UNIT}')\n"
        "print(user_token(username='dr_bench', lifetime=7200).token)"
    )
    done = kaari(["shell", "-c", code], env)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return done.stdout.strip().splitlines()[-1]


def order_sign(patient_id: str, call: int, prefetch: dict[str, Any] | None) -> dict[str, Any]:
    drafts = [
        {"resourceType": "MedicationRequest", "id": f"draft-{call}-{n}", "status": "draft", "intent": "order",
         "subject": {"reference": f"Patient/{patient_id}"},
         "medicationCodeableConcept": _coded(DRAFTS[(call + n) % len(DRAFTS)])}
        for n in range(1 + call % 3)
    ]  # fmt: skip
    body: dict[str, Any] = {
        "hook": "order-sign",
        "hookInstance": str(uuid.uuid4()),
        "context": {
            "userId": "Practitioner/bench",
            "patientId": patient_id,
            "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": d} for d in drafts]},
        },
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def measure(client: Http, charts: list[tuple[str, dict[str, Any]]], calls: int, with_prefetch: bool) -> str:
    timings, cards = [], 0
    for call in range(calls):
        patient_id, prefetch = charts[call % len(charts)]
        status, body, elapsed = client.post(
            "/cds-services/medication-safety", order_sign(patient_id, call, prefetch if with_prefetch else None)
        )
        if status != 200:
            raise SystemExit(f"order-sign failed: {status} {body}")
        timings.append(elapsed)
        cards += len(body["cards"])
    return (
        f"p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
        f"p99 {percentile(timings, 0.99):.1f} ms, max {max(timings):.1f} ms; {cards / calls:.2f} cards per call"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database", default="kaari_bench_cds")
    options = parser.parse_args()
    env = kaari_env(database_fresh(options.database))
    done = kaari(["migrate", "-v0"], env)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    port = free_port()
    token = physician_token(env)
    command = [
        sys.executable,
        "-m",
        "kaari",
        "serve",
        "--no-migrate",
        "--port",
        str(port),
        "--workers",
        str(options.workers),
    ]
    with server_running(command, env, port) as base:
        client = Http(base, token)
        charts = charts_post(client, options.patients)
        print(
            f"order-sign (medication-safety) through HTTP, kaari serve (granian, {options.workers} workers), "
            f"PostgreSQL; {options.patients} patients x 15 active medicines, 2 allergies, 36 kidney/weight and "
            f"96 other results; 1-3 drafts per call; {options.calls} sequential calls each"
        )
        for with_prefetch in (True, False):
            measure(client, charts, 50, with_prefetch)  # warm-up: every worker loads its knowledge
            label = "with prefetch   " if with_prefetch else "store fallback  "
            print(f"{label}{measure(client, charts, options.calls, with_prefetch)}")


if __name__ == "__main__":
    main()
