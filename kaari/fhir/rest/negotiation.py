"""Content negotiation and request bodies for the FHIR REST API: JSON only, 10 MB at most."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kaari.fhir.store.errors import StoreError
from kaari.lib.jsonutil import JsonError, json_loads

FHIR_JSON = "application/fhir+json"
JSON_TYPES = frozenset({"application/fhir+json", "application/json", "application/json+fhir"})
ACCEPT_ANY = frozenset({"*/*", "application/*"})
FORMAT_ALIASES = frozenset({"json", "application/json", "application/fhir+json", "application/json+fhir"})
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"


class NotAcceptable(StoreError):
    status = 406
    code = "not-supported"


class UnsupportedMediaType(StoreError):
    status = 415
    code = "not-supported"


class PayloadTooLarge(StoreError):
    status = 413
    code = "too-long"


class MalformedBody(StoreError):
    status = 400
    code = "structure"


def media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def response_type_choose(request: HttpRequest) -> str:
    """The JSON media type to answer with, or NotAcceptable when the client wants something else."""
    requested = request.GET.get("_format")
    if requested is not None:
        if requested.strip().lower() not in FORMAT_ALIASES:
            raise NotAcceptable(f"_format={requested} is not supported; Kaari speaks FHIR JSON")
        return FHIR_JSON
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return FHIR_JSON
    offered = [media_type(part) for part in accept.split(",") if part.strip()]
    if FHIR_JSON in offered or any(t in ACCEPT_ANY for t in offered) or "application/json+fhir" in offered:
        return FHIR_JSON
    if "application/json" in offered:
        return "application/json"
    raise NotAcceptable(f"Accept: {accept} is not supported; Kaari speaks application/fhir+json")


def body_read(request: HttpRequest) -> bytes:
    limit = int(settings.KAARI_MAX_BODY_BYTES)
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.strip():
        try:
            length = int(declared)
        except ValueError as exc:
            raise MalformedBody("Content-Length is not a number") from exc
        if length > limit:
            raise PayloadTooLarge(f"The body is {length} bytes; the limit is {limit}")
    data = request.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"The body exceeds the limit of {limit} bytes")
    return data


def body_kind(request: HttpRequest, *, allowed: frozenset[str] = JSON_TYPES) -> str:
    content_type = media_type(request.META.get("CONTENT_TYPE", "") or "")
    if not content_type:
        return FHIR_JSON
    if content_type not in allowed:
        raise UnsupportedMediaType(
            f"Content-Type {content_type} is not supported here; send one of {', '.join(sorted(allowed))}"
        )
    return content_type


def json_body(request: HttpRequest, *, allowed: frozenset[str] = JSON_TYPES) -> tuple[Any, str]:
    kind = body_kind(request, allowed=allowed)
    data = body_read(request)
    if not data.strip():
        raise MalformedBody("The request has no body")
    try:
        return json_loads(data), kind
    except JsonError as exc:
        raise MalformedBody(str(exc)) from exc
