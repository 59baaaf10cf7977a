"""Kaari's URLs plus the bare view the gate is compared with: read the JSON, commit one audit row."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from kaari.urls import urlpatterns as kaari_urlpatterns


def _body(type: str, id: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM fhir_resource WHERE resource_type = %s AND logical_id = %s", [type, id])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def bare_read(request: HttpRequest, type: str, id: str) -> HttpResponse:
    """What an access-logged read costs with no gate at all: one SELECT and one autocommitted INSERT."""
    body = _body(type, id)
    if body is None:
        return HttpResponse(status=404)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_audit (recorded, who, what) VALUES (%s, %s, %s)",
            [datetime.now(UTC), "bench", f"{type}/{id}"],
        )
    return HttpResponse(body, content_type="application/fhir+json")


def bare_json(request: HttpRequest, type: str, id: str) -> HttpResponse:
    """The issue's reference for read by id: a bare Django + psycopg view that reads the JSON by id, nothing else."""
    body = _body(type, id)
    if body is None:
        return HttpResponse(status=404)
    return HttpResponse(body, content_type="application/fhir+json")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bare/<str:type>/<str:id>", bare_read),
    path("bare-json/<str:type>/<str:id>", bare_json),
    *kaari_urlpatterns,
]
