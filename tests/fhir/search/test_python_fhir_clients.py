"""fhirpy and fhirclient (both from PyPI) page through a search, follow _include and create conditionally,
against a running `kaari serve` (on its own SQLite database), as an integration client with a bearer token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fhirclient import client as smart_client
from fhirclient.models.bundle import Bundle, BundleEntry, BundleEntryRequest
from fhirclient.models.observation import Observation
from fhirclient.models.patient import Patient
from fhirpy import SyncFHIRClient

pytestmark = pytest.mark.slow
HETU = "urn:oid:1.2.246.21"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base: str
    token: str


def kaari(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kaari", *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {"KAARI_DATA_DIR": str(tmp_path_factory.mktemp("serve")), "KAARI_ENV": "development", "KAARI_DEBUG": "0"}
    )
    kaari(env, "migrate", "-v0")
    kaari(env, "createuser", "fhir-clients", "--role", "integration")
    token = kaari(env, "token", "fhir-clients")
    command = [sys.executable, "-m", "kaari", "serve", "--port", str(port), "--workers", "1", "--no-migrate"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/fhir"
    try:
        deadline = time.time() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kaari serve exited: {process.stderr.read() if process.stderr else ''}")
            try:
                urllib.request.urlopen(f"{base}/metadata", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        yield Server(base, token)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_fhirpy_pages_includes_and_creates_conditionally(server: Server) -> None:
    fhir = SyncFHIRClient(server.base, authorization=f"Bearer {server.token}")
    patient = fhir.resource("Patient", name=[{"family": "Åhlström", "given": ["Aino"]}], gender="female")
    patient.save()
    for day in range(1, 8):
        fhir.resource(
            "Observation",
            status="final",
            code={"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
            subject=patient.to_reference(),
            effectiveDateTime=f"2026-01-0{day}",
        ).save()
    observations = fhir.resources("Observation").search(subject=patient.reference).sort("date").limit(3).fetch_all()
    assert [o["effectiveDateTime"] for o in observations] == [f"2026-01-0{d}" for d in range(1, 8)]

    bundle = (
        fhir.resources("Observation").search(subject=patient.reference).include("Observation", "subject").fetch_raw()
    )
    included = [e.resource for e in bundle.entry if e.search.mode == "include"]
    assert [r["id"] for r in included] == [patient.id]

    wanted = fhir.resource("Patient", identifier=[{"system": HETU, "value": "131052-308T"}], gender="male")
    wanted.create(identifier=f"{HETU}|131052-308T")
    again = fhir.resource("Patient", identifier=[{"system": HETU, "value": "131052-308T"}], gender="male")
    again.create(identifier=f"{HETU}|131052-308T")
    assert again.id == wanted.id
    assert len(fhir.resources("Patient").search(identifier=f"{HETU}|131052-308T").fetch_all()) == 1


def test_fhirclient_pages_includes_and_creates_conditionally(server: Server) -> None:
    smart = smart_client.FHIRClient(settings={"app_id": "kaari-test", "api_base": server.base})
    smart.server.session.headers["Authorization"] = f"Bearer {server.token}"
    patient = Patient({"name": [{"family": "Järvi"}], "gender": "male"})
    created = patient.create(smart.server)
    patient_id = created["id"]
    for day in range(1, 6):
        Observation(
            {
                "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
                "subject": {"reference": f"Patient/{patient_id}"},
                "effectiveDateTime": f"2025-12-0{day}",
            }
        ).create(smart.server)

    search = Observation.where(struct={"subject": f"Patient/{patient_id}", "_count": "2", "_sort": "date"})
    pages = list(search.perform_iter(smart.server))
    assert len(pages) == 3
    assert [e.resource.as_json()["effectiveDateTime"] for p in pages for e in p.entry] == [
        f"2025-12-0{d}" for d in range(1, 6)
    ]

    with_patient = Observation.where(struct={"subject": f"Patient/{patient_id}"}).include("subject")
    resources = list(with_patient.perform_resources_iter(smart.server))
    assert [r.id for r in resources if r.resource_type == "Patient"] == [patient_id]

    entry = BundleEntry(
        {
            "resource": {"resourceType": "Patient", "identifier": [{"system": HETU, "value": "010101-999X"}]},
            "request": BundleEntryRequest(
                {"method": "POST", "url": "Patient", "ifNoneExist": f"identifier={HETU}|010101-999X"}
            ).as_json(),
        }
    )
    transaction = Bundle({"type": "transaction", "entry": [entry.as_json()]})
    first = smart.server.post_json("", transaction.as_json()).json()
    second = smart.server.post_json("", transaction.as_json()).json()
    assert first["entry"][0]["response"]["status"] == "201 Created"
    assert second["entry"][0]["response"]["status"] == "200 OK"
    found = list(Patient.where(struct={"identifier": f"{HETU}|010101-999X"}).perform_resources_iter(smart.server))
    assert len(found) == 1
