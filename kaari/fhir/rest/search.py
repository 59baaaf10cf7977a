"""FHIR search over REST: type, system and compartment searches, $everything, conditional update and delete.

Each handler reads the parameters (query string, plus the form body of a POST _search), calls one store
operation and renders the searchset Bundle.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpResponse

from kaari.fhir.outcome import outcome_information
from kaari.fhir.rest import negotiation
from kaari.fhir.rest.context import RequestContext
from kaari.fhir.search.bundle import search_bundle
from kaari.fhir.search.service import SearchOutcome, SearchRequest
from kaari.fhir.store import InvalidRequest, StoredResource
from kaari.fhir.store.bundles import if_match_parse
from kaari.lib.jsonutil import json_dumps

FORM = "application/x-www-form-urlencoded"


def _query_params(ctx: RequestContext) -> list[tuple[str, str]]:
    return parse_qsl(ctx.request.META.get("QUERY_STRING", ""), keep_blank_values=True)


def _form_params(ctx: RequestContext) -> list[tuple[str, str]]:
    negotiation.body_kind(ctx.request, allowed=frozenset({FORM}))
    body = negotiation.body_read(ctx.request)
    return parse_qsl(body.decode(), keep_blank_values=True)


def _request(ctx: RequestContext, types: tuple[str, ...], params: list[tuple[str, str]], **extra: Any) -> SearchRequest:
    strict = ctx.prefer.get("handling", "").lower() == "strict"
    return SearchRequest(types, tuple(params), strict=strict, base_url=ctx.base_url, **extra)


def _disclosed(ctx: RequestContext) -> Any:
    gate = ctx.store.gate

    def disclose(stored: StoredResource) -> dict[str, Any] | None:
        return gate.disclose(stored.resource) if gate.needs_redaction(stored) else None

    return disclose


def _bundle_response(ctx: RequestContext, outcome: SearchOutcome, path: str) -> HttpResponse:
    return ctx.json_response(search_bundle(outcome, base_url=ctx.base_url, path=path, disclose=_disclosed(ctx)))


def search_type(ctx: RequestContext, *, type: str) -> HttpResponse:
    outcome = ctx.store.search(_request(ctx, (type,), _query_params(ctx)))
    return _bundle_response(ctx, outcome, type)


def search_type_post(ctx: RequestContext, *, type: str) -> HttpResponse:
    outcome = ctx.store.search(_request(ctx, (type,), [*_query_params(ctx), *_form_params(ctx)]))
    return _bundle_response(ctx, outcome, type)


def search_system(ctx: RequestContext) -> HttpResponse:
    outcome = ctx.store.search(_request(ctx, (), _query_params(ctx)))
    return _bundle_response(ctx, outcome, "")


def search_system_post(ctx: RequestContext) -> HttpResponse:
    outcome = ctx.store.search(_request(ctx, (), [*_query_params(ctx), *_form_params(ctx)]))
    return _bundle_response(ctx, outcome, "")


def search_compartment(ctx: RequestContext, *, type: str, id: str, target: str) -> HttpResponse:
    if type != "Patient":
        raise InvalidRequest(f"Kaari defines the Patient compartment only, not the {type} compartment")
    ctx.store.read("Patient", id)
    request = _request(ctx, (target,), _query_params(ctx), compartment=("Patient", id))
    return _bundle_response(ctx, ctx.store.search(request), f"Patient/{id}/{target}")


def everything(ctx: RequestContext, *, id: str) -> HttpResponse:
    outcome = ctx.store.everything(id, _request(ctx, ("Patient",), _query_params(ctx)))
    return _bundle_response(ctx, outcome, f"Patient/{id}/$everything")


def _criteria(ctx: RequestContext, interaction: str) -> str:
    criteria = ctx.request.META.get("QUERY_STRING", "")
    if not criteria:
        raise InvalidRequest(f"A conditional {interaction} needs search criteria in the URL")
    return criteria


def conditional_update(ctx: RequestContext, *, type: str) -> HttpResponse:
    resource, _ = negotiation.json_body(ctx.request)
    if_match = if_match_parse(ctx.request.headers.get("If-Match"))
    result = ctx.store.conditional_update(type, _criteria(ctx, "update"), resource, if_match=if_match)
    return ctx.resource_response(result.stored, status=201 if result.created else 200, location=result.created)


def conditional_delete(ctx: RequestContext, *, type: str) -> HttpResponse:
    deletion = ctx.store.conditional_delete(type, _criteria(ctx, "delete"))
    if ctx.prefer_return == "OperationOutcome":
        text = "deleted" if deletion else "nothing matched; nothing deleted"
        response = ctx.raw_response(json_dumps(outcome_information(text)))
    else:
        response = HttpResponse(status=204)
    if deletion is not None:
        response["ETag"] = deletion.etag
    return response
