"""Logging cannot be skipped: every URL route and every store-API entry point that touches client data writes
its access log entry. A new route or store method fails here until it is classified and proven."""

from __future__ import annotations

import ast
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kaari.access.gate import AccessGate
from kaari.access.models import AuditEntry
from kaari.access.tokens import principal_from_token
from kaari.fhir.rest.routes import ROUTES
from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import Store
from tests.access.personas import World, signed_in
from tests.safety.prescribing.pages import PRESCRIBING_URLS

# Django URL patterns that never touch client data: sign-in pages, the token endpoint, discovery, and the
# account page (the signed-in user's own role and unit).
NO_CLIENT_DATA_URLS = {
    "",
    "signin",
    "signin/totp",
    "signin/totp/setup",
    "signout",
    "oauth/token",
    ".well-known/smart-configuration",
    "account",
    "i18n/",
    "i18n/setlang/",
}
# The professional's workspace: each page and fragment is a `client_data_page` (one entry per view), proven below
# and, block by block, in tests/workspace.
WORKSPACE_REQUESTS = {
    "clients": ("dr_ahonen", "GET", "/clients?q=Aino"),
    "clients/<str:patient_id>/": ("dr_ahonen", "GET", "/clients/aino/"),
    "clients/<str:patient_id>/health": ("dr_ahonen", "GET", "/clients/aino/health"),
    "clients/<str:patient_id>/social": ("dr_ahonen", "GET", "/clients/aino/social"),
    "clients/<str:patient_id>/timeline": ("dr_ahonen", "GET", "/clients/aino/timeline"),
    "clients/<str:patient_id>/appointments": ("dr_ahonen", "GET", "/clients/aino/appointments"),
    "clients/<str:patient_id>/documents": ("dr_ahonen", "GET", "/clients/aino/documents"),
    "clients/<str:patient_id>/notes/new": ("dr_ahonen", "GET", "/clients/aino/notes/new"),
    "clients/<str:patient_id>/entries/new": ("sw_dahl", "GET", "/clients/aino/entries/new"),
    "clients/<str:patient_id>/emergency": ("dr_berg", "POST", "/clients/aino/emergency"),
}
# The FHIR API is one URL pattern whose route table is checked route by route below.
FHIR_URLS = {"fhir", "^fhir/(?P<path>.*)$"}
# CDS Hooks: discovery touches no client data; calls and feedback log through the caller's request gate
# (tests/cds/test_bearer_tokens_and_the_gate.py proves it).
CDS_URLS = {"cds-services", "cds-services/<str:service_id>", "cds-services/<str:service_id>/feedback"}
# Workspace pages behind `kaari.access.pages.client_data_page`; each request writes one entry (the catalogue search
# reads no client data and writes none): tests/labs/ordering/test_every_labs_request_writes_one_log_entry.py.
LABS_PAGE_URLS = {
    "clients/<str:patient_id>/labs/",
    "clients/<str:patient_id>/labs/catalogue",
    "clients/<str:patient_id>/labs/orders",
    "clients/<str:patient_id>/labs/orders/sign",
    "clients/<str:patient_id>/labs/orders/remove",
    "clients/<str:patient_id>/labs/orders/override",
}
NO_CLIENT_DATA_ROUTES = {"capabilities", "smart-configuration"}
FORM = "application/x-www-form-urlencoded"


def url_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            found += url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_every_url_is_either_the_fhir_api_or_known_to_touch_no_client_data():
    # The prescribing and laboratory screens are proven in tests/safety/prescribing and tests/labs/ordering.
    known = NO_CLIENT_DATA_URLS | FHIR_URLS | CDS_URLS | set(WORKSPACE_REQUESTS) | PRESCRIBING_URLS | LABS_PAGE_URLS
    unknown = [url for url in url_patterns() if url not in known]
    assert unknown == [], "classify each new URL here and prove that it logs"


@pytest.mark.parametrize("url", sorted(WORKSPACE_REQUESTS))
def test_every_workspace_page_writes_one_entry(url: str, world: World):
    username, method, path = WORKSPACE_REQUESTS[url]
    browser = signed_in(Client(), username)
    before = AuditEntry.objects.count()
    if method == "GET":
        browser.get(path)
    else:
        browser.post(path, {"reason": "Tajuton potilas päivystyksessä"})
    assert AuditEntry.objects.count() == before + 1


def _json(
    client: Client,
    method: str,
    path: str,
    body: Any,
    headers: dict[str, str],
    content_type: str = "application/fhir+json",
) -> Any:
    data = body if content_type == FORM else json.dumps(body)
    return client.generic(method, path, data, content_type=content_type, headers=headers)


def _observation(i: str = "") -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": f"x{i}"},
        "subject": {"reference": "Patient/aino"},
    }


# One concrete request per FHIR route: (persona, method, path, body, content type).
ROUTE_REQUESTS: dict[tuple[str, tuple[str, ...]], tuple[str, str, str, Any, str]] = {
    ("POST", ()): (
        "dr_ahonen",
        "POST",
        "/fhir",
        {"resourceType": "Bundle", "type": "batch", "entry": [{"request": {"method": "GET", "url": "Patient/aino"}}]},
        "application/fhir+json",
    ),
    ("GET", ("_history",)): ("nurse_ceder", "GET", "/fhir/_history?_count=3", None, ""),
    ("POST", ("{type}",)): ("nurse_ceder", "POST", "/fhir/Observation", _observation(), "application/fhir+json"),
    ("GET", ("{type}", "_history")): ("nurse_ceder", "GET", "/fhir/Observation/_history", None, ""),
    ("GET", ("{type}", "{id}")): ("nurse_ceder", "GET", "/fhir/Observation/aino-obs", None, ""),
    ("PUT", ("{type}", "{id}")): (
        "nurse_ceder",
        "PUT",
        "/fhir/Observation/aino-obs",
        "CURRENT",
        "application/fhir+json",
    ),
    ("PATCH", ("{type}", "{id}")): (
        "nurse_ceder",
        "PATCH",
        "/fhir/Observation/aino-obs",
        [{"op": "replace", "path": "/status", "value": "amended"}],
        "application/json-patch+json",
    ),
    ("DELETE", ("{type}", "{id}")): ("nurse_ceder", "DELETE", "/fhir/Observation/aino-obs", None, ""),
    ("GET", ("{type}", "{id}", "_history")): ("nurse_ceder", "GET", "/fhir/Observation/aino-obs/_history", None, ""),
    ("GET", ("{type}", "{id}", "_history", "{vid}")): (
        "nurse_ceder",
        "GET",
        "/fhir/Observation/aino-obs/_history/1",
        None,
        "",
    ),
    ("GET", ()): ("nurse_ceder", "GET", "/fhir?_type=Observation&_count=3", None, ""),
    ("POST", ("_search",)): ("nurse_ceder", "POST", "/fhir/_search", "_type=Observation", FORM),
    ("GET", ("{type}",)): ("nurse_ceder", "GET", "/fhir/Observation?subject=Patient/aino", None, ""),
    ("POST", ("{type}", "_search")): ("nurse_ceder", "POST", "/fhir/Observation/_search", "subject=Patient/aino", FORM),
    ("PUT", ("{type}",)): (
        "nurse_ceder",
        "PUT",
        "/fhir/Observation?_id=aino-obs",
        {**_observation(), "id": "aino-obs"},
        "application/fhir+json",
    ),
    ("DELETE", ("{type}",)): ("nurse_ceder", "DELETE", "/fhir/Observation?_id=aino-obs", None, ""),
    ("GET", ("{type}", "{id}", "{target}")): ("nurse_ceder", "GET", "/fhir/Patient/aino/Observation", None, ""),
    ("GET", ("Patient", "{id}", "$everything")): ("nurse_ceder", "GET", "/fhir/Patient/aino/$everything", None, ""),
    ("GET", ("AuditEvent",)): ("kaisa_r", "GET", "/fhir/AuditEvent", None, ""),
    ("GET", ("AuditEvent", "{id}")): ("kaisa_r", "GET", "/fhir/AuditEvent/LATEST", None, ""),
    ("POST", ("Patient", "{id}", "$break-the-glass")): (
        "dr_berg",
        "POST",
        "/fhir/Patient/aino/$break-the-glass",
        {
            "resourceType": "Parameters",
            "parameter": [{"name": "reason", "valueString": "Tajuton potilas päivystyksessä"}],
        },
        "application/fhir+json",
    ),
}


def test_every_fhir_route_is_classified():
    routes = {(route.method, route.pattern) for route in ROUTES if route.interaction not in NO_CLIENT_DATA_ROUTES}
    assert routes == set(ROUTE_REQUESTS), "give each new route a request here"


@pytest.mark.parametrize("key", sorted(ROUTE_REQUESTS, key=str), ids=lambda k: f"{k[0]} /{'/'.join(k[1])}")
def test_every_fhir_route_that_touches_client_data_writes_one_entry(key, world: World, client: Client):
    persona, method, path, body, content_type = ROUTE_REQUESTS[key]
    headers = world.headers(persona)
    if body == "CURRENT":
        body = client.get(path, headers=headers).json()
    if "LATEST" in path:
        client.get("/fhir/Patient/kaisa", headers=world.headers("dr_ahonen"))
        latest = AuditEntry.objects.filter(patient_id="kaisa").latest("id").id
        path = path.replace("LATEST", f"log-{latest}")
    before = AuditEntry.objects.count()
    if body is None:
        response = client.generic(method, path, headers=headers)
    else:
        response = _json(client, method, path, body, headers, content_type)
    assert response.status_code < 300, response.content[:300]
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.actor == persona and entry.request.startswith(f"{method} /fhir")


def test_routes_that_touch_no_client_data_write_nothing(world: World, client: Client):
    before = AuditEntry.objects.count()
    assert client.get("/fhir/metadata").status_code == 200
    assert client.get("/fhir/.well-known/smart-configuration").status_code == 200
    assert AuditEntry.objects.count() == before


# Store methods that the REST layer and every other caller use, each with a call that touches client data.
def _store_calls() -> dict[str, Callable[[Store], Any]]:
    return {
        "read": lambda s: s.read("Observation", "aino-obs"),
        "vread": lambda s: s.vread("Observation", "aino-obs", "1"),
        "history": lambda s: s.history(resource_type="Observation"),
        "export": lambda s: list(s.export(["Observation"])),
        "create": lambda s: s.create(_observation("c")),
        "update": lambda s: s.update("Observation", "aino-obs", {**s.read("Observation", "aino-obs").resource}),
        "patch": lambda s: s.patch("Observation", "aino-obs", {"status": "amended"}, kind="merge-patch"),
        "delete": lambda s: s.delete("Observation", "aino-obs"),
        "load": lambda s: s.load([{**_observation("l"), "id": "loaded-obs"}]),
        "transaction": lambda s: s.transaction(
            {
                "resourceType": "Bundle",
                "type": "transaction",
                "entry": [{"request": {"method": "POST", "url": "Observation"}, "resource": _observation("t")}],
            },
            base_url="http://x/fhir",
        ),
        "search": lambda s: s.search(SearchRequest(("Observation",), (("subject", "Patient/aino"),))),
        "everything": lambda s: s.everything("aino", SearchRequest(("Patient",), ())),
        "match": lambda s: s.match("Observation", "_id=aino-obs"),
        "withheld_registers": lambda s: s.withheld_registers("aino"),
        "conditional_create": lambda s: s.conditional_create(
            _observation("cc"), expected_type="Observation", if_none_exist="_id=aino-obs"
        ),
        "conditional_update": lambda s: s.conditional_update(
            "Observation", "_id=aino-obs", {**s.read("Observation", "aino-obs").resource}
        ),
        "conditional_delete": lambda s: s.conditional_delete("Observation", "_id=aino-obs"),
        "batch": lambda s: s.batch(
            {
                "resourceType": "Bundle",
                "type": "batch",
                "entry": [{"request": {"method": "GET", "url": "Observation/aino-obs"}}],
            },
            base_url="http://x/fhir",
        ),
    }


# Steps of the write pipeline, public only so that the store's own bundle processing can use them.
STORE_PIPELINE = {"authorize_read", "version_check", "write_plan", "deletion_plan", "plans_apply"}


def test_every_store_method_is_classified():
    public = {name for name, _ in inspect.getmembers(Store, inspect.isfunction) if not name.startswith("_")}
    assert public == set(_store_calls()) | STORE_PIPELINE, "give each new store method a call here"


def test_only_the_store_uses_its_write_pipeline():
    kaari = Path(__file__).resolve().parents[2] / "kaari"
    offenders = []
    for path in kaari.rglob("*.py"):
        if path.is_relative_to(kaari / "fhir" / "store"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in STORE_PIPELINE - {"authorize_read"}:
                offenders.append(f"{path.relative_to(kaari)}: {node.attr}")
    assert offenders == []


@pytest.mark.parametrize("name", sorted(_store_calls()))
def test_every_store_entry_point_writes_its_entry_even_outside_a_request(name: str, world: World):
    # A gate without a request scope (CDS services, commands) logs each operation on its own.
    store = Store(AccessGate(principal_from_token(world.tokens["nurse_ceder"])))
    before = AuditEntry.objects.count()
    _store_calls()[name](store)
    assert AuditEntry.objects.count() > before
    assert AuditEntry.objects.filter(id__gt=0).latest("id").actor == "nurse_ceder"


def test_a_denied_store_read_outside_a_request_is_logged_as_a_denial(world: World):
    store = Store(AccessGate(principal_from_token(world.tokens["dr_berg"])))
    before = AuditEntry.objects.count()
    with pytest.raises(Exception, match="No care relationship"):
        store.read("Observation", "aino-obs")
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.latest("id").outcome == "4"


def test_the_trusted_gate_is_used_by_the_stores_own_unit_tests_only():
    root = Path(__file__).resolve().parents[2]
    # The gate and server benchmarks measure the store without the gate as their baseline.
    allowed = (
        "kaari/fhir/store/",
        "tests/fhir/store/",
        "tests/fhir/search/",
        "benchmarks/gate.py",
        "benchmarks/ungated_wsgi.py",
    )
    users = [
        str(path.relative_to(root))
        for folder in ("kaari", "tests", "benchmarks", "scripts")
        for path in (root / folder).rglob("*.py")
        if "TrustedGate" in path.read_text()
        and not str(path.relative_to(root)).startswith(allowed)
        and path != Path(__file__).resolve()
    ]
    assert users == []
