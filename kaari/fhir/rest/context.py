"""What every FHIR REST handler works with: the request, the store behind the caller's gate, and how to answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from kaari.fhir.outcome import outcome_from_error, outcome_information
from kaari.fhir.store import Store, StoredResource
from kaari.fhir.store.errors import StoreError
from kaari.lib.jsonutil import json_dumps, json_dumps_pretty

PREFER_RETURN = ("minimal", "representation", "OperationOutcome")


def prefer_parse(header: str) -> dict[str, str]:
    preferences: dict[str, str] = {}
    for part in header.split(","):
        for token in part.split(";"):
            if "=" in token:
                key, value = token.split("=", 1)
                preferences[key.strip().lower()] = value.strip().strip('"')
    return preferences


@dataclass
class RequestContext:
    request: HttpRequest
    store: Store
    response_type: str

    @property
    def base_url(self) -> str:
        configured = str(getattr(settings, "KAARI_BASE_URL", "") or "")
        return f"{configured}/fhir" if configured else self.request.build_absolute_uri("/fhir")

    @property
    def prefer(self) -> dict[str, str]:
        return prefer_parse(self.request.headers.get("Prefer", ""))

    @property
    def prefer_return(self) -> str:
        value = self.prefer.get("return", "")
        return value if value in PREFER_RETURN else ""

    @property
    def pretty(self) -> bool:
        return self.request.GET.get("_pretty", "").lower() == "true"

    def json_response(self, value: Any, *, status: int = 200) -> HttpResponse:
        body = json_dumps_pretty(value) if self.pretty else json_dumps(value)
        return self.raw_response(body, status=status)

    def raw_response(self, body: bytes, *, status: int = 200) -> HttpResponse:
        response = HttpResponse(body, status=status, content_type=f"{self.response_type}; charset=utf-8")
        return response

    def resource_response(
        self, stored: StoredResource, *, status: int = 200, location: bool = False, body: bytes | None = None
    ) -> HttpResponse:
        """A resource answer honouring Prefer: return=minimal | representation | OperationOutcome."""
        choice = self.prefer_return or "representation"
        if choice == "minimal":
            response = HttpResponse(status=status)
        elif choice == "OperationOutcome":
            response = self.json_response(
                outcome_information(f"{stored.reference} version {stored.version_id}"), status=status
            )
        elif body is not None or self.pretty:
            response = (
                self.json_response(stored.resource, status=status)
                if body is None
                else self.raw_response(body, status=status)
            )
        else:
            response = self.raw_response(stored.body, status=status)
        response["ETag"] = stored.etag
        response["Last-Modified"] = http_date(stored.last_updated.timestamp())
        if location:
            response["Location"] = f"{self.base_url}/{stored.resource_type}/{stored.id}/_history/{stored.version_id}"
        return response


def error_response(exc: StoreError, *, content_type: str = "application/fhir+json") -> HttpResponse:
    return HttpResponse(
        json_dumps(outcome_from_error(exc)), status=exc.status, content_type=f"{content_type}; charset=utf-8"
    )
