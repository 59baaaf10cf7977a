"""FHIR REST interactions. Each handler parses, calls one store operation, and renders."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse

from kaari.fhir.outcome import outcome_information
from kaari.fhir.rest import capability, negotiation
from kaari.fhir.rest.context import RequestContext
from kaari.fhir.store import HistoryPage, InvalidRequest, StoredResource, resource_type_check
from kaari.fhir.store.bundles import if_match_parse
from kaari.lib.dates import instant_parse
from kaari.lib.jsonutil import json_dumps

MAX_COUNT = 1000
DEFAULT_COUNT = 50


def capabilities(ctx: RequestContext) -> HttpResponse:
    return ctx.json_response(capability.capability_statement(base_url=ctx.base_url))


def read(ctx: RequestContext, *, type: str, id: str) -> HttpResponse:
    stored = ctx.store.read(type, id)
    if_none_match = ctx.request.headers.get("If-None-Match")
    if if_none_match and if_none_match.strip() == stored.etag:
        response = HttpResponse(status=304)
        response["ETag"] = stored.etag
        return response
    return ctx.resource_response(stored, body=_disclosed(ctx, stored))


def vread(ctx: RequestContext, *, type: str, id: str, vid: str) -> HttpResponse:
    stored = ctx.store.vread(type, id, vid)
    return ctx.resource_response(stored, body=_disclosed(ctx, stored))


def _disclosed(ctx: RequestContext, stored: StoredResource) -> bytes | None:
    """The body this caller may see, or None when the stored bytes may go out as they are."""
    gate = ctx.store.gate
    if not gate.needs_redaction(stored):
        return None
    return json_dumps(gate.disclose(stored.resource))


def create(ctx: RequestContext, *, type: str) -> HttpResponse:
    resource_type_check(type)
    resource, _ = negotiation.json_body(ctx.request)
    if_none_exist = ctx.request.headers.get("If-None-Exist") or _criteria_in_url(ctx)
    if if_none_exist:
        result = ctx.store.conditional_create(resource, expected_type=type, if_none_exist=if_none_exist)
        if result.matched_existing:
            return ctx.resource_response(result.stored)
    else:
        result = ctx.store.create(resource, expected_type=type)
    return ctx.resource_response(result.stored, status=201, location=True)


def _criteria_in_url(ctx: RequestContext) -> str:
    """Search criteria on the URL of a POST: a conditional create, as fhirpy sends it (`POST /Patient?identifier=`)."""
    criteria = [(k, v) for k, v in ctx.request.GET.items() if k not in ("_format", "_pretty")]
    return urlencode(criteria) if criteria else ""


def update(ctx: RequestContext, *, type: str, id: str) -> HttpResponse:
    resource_type_check(type)
    resource, _ = negotiation.json_body(ctx.request)
    if_match = if_match_parse(ctx.request.headers.get("If-Match"))
    result = ctx.store.update(type, id, resource, if_match=if_match)
    return ctx.resource_response(result.stored, status=201 if result.created else 200, location=result.created)


PATCH_TYPES = frozenset({negotiation.JSON_PATCH, negotiation.MERGE_PATCH, "application/json"})


def patch(ctx: RequestContext, *, type: str, id: str) -> HttpResponse:
    resource_type_check(type)
    document, kind = negotiation.json_body(ctx.request, allowed=PATCH_TYPES)
    if kind == negotiation.JSON_PATCH:
        patch_kind = "json-patch"
    elif isinstance(document, dict):
        patch_kind = "merge-patch"
    else:
        raise InvalidRequest("A merge patch is a JSON object; a JSON Patch needs application/json-patch+json")
    if_match = if_match_parse(ctx.request.headers.get("If-Match"))
    result = ctx.store.patch(type, id, document, kind=patch_kind, if_match=if_match)
    return ctx.resource_response(result.stored)


def delete(ctx: RequestContext, *, type: str, id: str) -> HttpResponse:
    if_match = if_match_parse(ctx.request.headers.get("If-Match"))
    deletion = ctx.store.delete(type, id, if_match=if_match)
    if ctx.prefer_return == "OperationOutcome":
        text = f"{type}/{id} deleted" if deletion else f"{type}/{id} was already deleted"
        response = ctx.json_response(outcome_information(text))
    else:
        response = HttpResponse(status=204)
    if deletion is not None:
        response["ETag"] = deletion.etag
    return response


def bundle(ctx: RequestContext) -> HttpResponse:
    document, _ = negotiation.json_body(ctx.request)
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        raise InvalidRequest("POST /fhir takes a batch or transaction Bundle")
    prefer = ctx.prefer_return or "minimal"
    if document.get("type") == "transaction":
        result = ctx.store.transaction(document, base_url=ctx.base_url, prefer=prefer)
    elif document.get("type") == "batch":
        result = ctx.store.batch(document, base_url=ctx.base_url, prefer=prefer)
    else:
        raise InvalidRequest(f"Bundle.type '{document.get('type')}' is neither batch nor transaction")
    return ctx.json_response(result)


def history_system(ctx: RequestContext) -> HttpResponse:
    return _history(ctx, resource_type=None, logical_id=None)


def history_type(ctx: RequestContext, *, type: str) -> HttpResponse:
    return _history(ctx, resource_type=type, logical_id=None)


def history_instance(ctx: RequestContext, *, type: str, id: str) -> HttpResponse:
    return _history(ctx, resource_type=type, logical_id=id)


def count_parse(value: str | None, *, default: int = DEFAULT_COUNT) -> int:
    if value is None or value == "":
        return default
    try:
        count = int(value)
    except ValueError as exc:
        raise InvalidRequest(f"_count={value} is not a number") from exc
    if count < 0:
        raise InvalidRequest(f"_count={value} is negative")
    return min(count, MAX_COUNT)


def _history(ctx: RequestContext, *, resource_type: str | None, logical_id: str | None) -> HttpResponse:
    query = ctx.request.GET
    since: datetime | None = None
    if query.get("_since"):
        try:
            since = instant_parse(query["_since"])
        except ValueError as exc:
            raise InvalidRequest(f"_since={query['_since']} is not an instant: {exc}") from exc
    count = count_parse(query.get("_count"))
    before: int | None = None
    if query.get("_page"):
        if not query["_page"].isdigit():
            raise InvalidRequest("_page is not a page token Kaari issued")
        before = int(query["_page"])
    page = ctx.store.history(
        resource_type=resource_type, logical_id=logical_id, since=since, count=count, before=before
    )
    return ctx.json_response(_history_bundle(ctx, page, resource_type, logical_id, count))


def _history_bundle(
    ctx: RequestContext, page: HistoryPage, resource_type: str | None, logical_id: str | None, count: int
) -> dict[str, Any]:
    path = "/".join(p for p in (resource_type, logical_id) if p)
    base = f"{ctx.base_url}/{path}/_history" if path else f"{ctx.base_url}/_history"
    params = [(k, v) for k, v in ctx.request.GET.items() if k not in ("_page",)]
    if not any(k == "_count" for k, _ in params):
        params.append(("_count", str(count)))
    links = [{"relation": "self", "url": f"{base}?{ctx.request.GET.urlencode()}" if ctx.request.GET else base}]
    if page.next_cursor is not None:
        links.append({"relation": "next", "url": f"{base}?{urlencode([*params, ('_page', str(page.next_cursor))])}"})
    entries = []
    for stored in page.entries:
        entry: dict[str, Any] = {"fullUrl": f"{ctx.base_url}/{stored.resource_type}/{stored.id}"}
        if not stored.deleted:
            entry["resource"] = ctx.store.gate.disclose(stored.resource)
        method = stored.method or "PUT"
        url = stored.resource_type if method == "POST" else f"{stored.resource_type}/{stored.id}"
        entry["request"] = {"method": "PUT" if method == "PATCH" else method, "url": url}
        status = "201 Created" if stored.version_id == 1 else ("204 No Content" if stored.deleted else "200 OK")
        entry["response"] = {"status": status, "etag": stored.etag, "lastModified": stored.last_modified}
        entries.append(entry)
    return {"resourceType": "Bundle", "type": "history", "link": links, "entry": entries}
