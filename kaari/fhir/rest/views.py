"""The single entry point of the FHIR REST API: negotiate, route, run the handler, turn errors into outcomes."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from kaari.fhir import spec
from kaari.fhir.rest.context import RequestContext, error_response
from kaari.fhir.rest.negotiation import NotAcceptable, response_type_choose
from kaari.fhir.rest.routes import route_match
from kaari.fhir.store import Store, TrustedGate
from kaari.fhir.store.errors import InvalidRequest, ResourceNotFound, StoreError

logger = logging.getLogger("kaari.fhir")


class MethodNotAllowed(StoreError):
    status = 405
    code = "not-supported"


def store_for(request: HttpRequest) -> Store:
    """The store behind the caller's gate."""
    return Store(TrustedGate())


@csrf_exempt
def fhir_endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    try:
        response_type = response_type_choose(request)
    except NotAcceptable as exc:
        return error_response(exc)
    try:
        segments = [s for s in path.split("/") if s] if path else []
        route, params, path_known = route_match(request.method or "GET", segments)
        if route is None:
            if path_known:
                raise MethodNotAllowed(f"{request.method} is not allowed on /fhir/{path}")
            if segments and segments[0][:1].isupper() and segments[0] not in spec.resource_types():
                raise ResourceNotFound(f"Unknown resource type '{segments[0]}'")
            raise ResourceNotFound(f"/fhir/{path} is not a FHIR endpoint")
        ctx = RequestContext(request=request, store=store_for(request), response_type=response_type)
        response = route.handler(ctx, **params)
        if request.method == "HEAD":
            response.content = b""
        return response
    except StoreError as exc:
        return error_response(exc, content_type=response_type)
    except UnicodeDecodeError as exc:
        return error_response(InvalidRequest(f"The request is not valid UTF-8: {exc}"), content_type=response_type)
