"""The FHIR REST route table: one line per interaction. `{type}` must name a known resource type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse

from kaari.access import oauth
from kaari.access import rest as access_rest
from kaari.fhir import spec
from kaari.fhir.rest import handlers, search
from kaari.fhir.rest.context import RequestContext

Handler = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: tuple[str, ...]
    handler: Handler
    interaction: str


ROUTES: tuple[Route, ...] = (
    Route("GET", ("metadata",), handlers.capabilities, "capabilities"),
    Route("GET", (".well-known", "smart-configuration"), oauth.smart_configuration_route, "smart-configuration"),
    # The access log is served from the log itself, not from stored AuditEvents (kaari.access).
    Route("GET", ("AuditEvent",), access_rest.audit_event_search, "search-type"),
    Route("GET", ("AuditEvent", "{id}"), access_rest.audit_event_read, "read"),
    Route("POST", ("Patient", "{id}", "$break-the-glass"), access_rest.break_the_glass, "operation"),
    Route("POST", (), handlers.bundle, "batch/transaction"),
    Route("GET", (), search.search_system, "search-system"),
    Route("POST", ("_search",), search.search_system_post, "search-system"),
    Route("GET", ("_history",), handlers.history_system, "history-system"),
    Route("POST", ("{type}",), handlers.create, "create"),
    Route("GET", ("{type}",), search.search_type, "search-type"),
    Route("POST", ("{type}", "_search"), search.search_type_post, "search-type"),
    Route("PUT", ("{type}",), search.conditional_update, "conditional-update"),
    Route("DELETE", ("{type}",), search.conditional_delete, "conditional-delete"),
    Route("GET", ("{type}", "_history"), handlers.history_type, "history-type"),
    Route("GET", ("{type}", "{id}"), handlers.read, "read"),
    Route("PUT", ("{type}", "{id}"), handlers.update, "update"),
    Route("PATCH", ("{type}", "{id}"), handlers.patch, "patch"),
    Route("DELETE", ("{type}", "{id}"), handlers.delete, "delete"),
    Route("GET", ("{type}", "{id}", "_history"), handlers.history_instance, "history-instance"),
    Route("GET", ("{type}", "{id}", "_history", "{vid}"), handlers.vread, "vread"),
    Route("GET", ("Patient", "{id}", "$everything"), search.everything, "everything"),
    Route("GET", ("{type}", "{id}", "{target}"), search.search_compartment, "search-compartment"),
)


def route_match(method: str, segments: list[str]) -> tuple[Route | None, dict[str, str], bool]:
    """The route for this request, its path parameters, and whether the path exists for another method."""
    path_known = False
    for route in ROUTES:
        params = _pattern_match(route.pattern, segments)
        if params is None:
            continue
        if route.method == method or (method == "HEAD" and route.method == "GET"):
            return route, params, True
        path_known = True
    return None, {}, path_known


def _pattern_match(pattern: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
    if len(pattern) != len(segments):
        return None
    params: dict[str, str] = {}
    for part, segment in zip(pattern, segments, strict=True):
        if part in ("{type}", "{target}"):
            if segment not in spec.resource_types():
                return None
            params[part[1:-1]] = segment
        elif part.startswith("{"):
            if segment.startswith("_") or segment.startswith("$"):
                return None
            params[part[1:-1]] = segment
        elif part != segment:
            return None
    return params


__all__ = ["ROUTES", "RequestContext", "Route", "route_match"]
