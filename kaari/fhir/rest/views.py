"""The single entry point of the FHIR REST API: authenticate, negotiate, route, run the handler, log, answer."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from kaari.access.authentication import ANONYMOUS, NotAuthenticated, bearer_principal, request_gate
from kaari.fhir import spec
from kaari.fhir.rest.context import RequestContext, error_response
from kaari.fhir.rest.negotiation import NotAcceptable, response_type_choose
from kaari.fhir.rest.routes import route_match
from kaari.fhir.store import Store
from kaari.fhir.store.errors import InvalidRequest, ResourceNotFound, StoreError

logger = logging.getLogger("kaari.fhir")

# The only paths answered without a token: what the server is and how to get a token.
PUBLIC_PATHS = frozenset({"metadata", ".well-known/smart-configuration"})


class MethodNotAllowed(StoreError):
    status = 405
    code = "not-supported"


@csrf_exempt
def fhir_endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    segments = [s for s in path.split("/") if s] if path else []
    try:
        principal = ANONYMOUS if "/".join(segments) in PUBLIC_PATHS else bearer_principal(request)
    except NotAuthenticated as exc:
        response = error_response(exc)
        response["WWW-Authenticate"] = 'Bearer realm="kaari", error="invalid_token"'
        return response
    try:
        response_type = response_type_choose(request)
    except NotAcceptable as exc:
        return error_response(exc)
    gate = request_gate(request, principal)
    try:
        route, params, path_known = route_match(request.method or "GET", segments)
        if route is None:
            if path_known:
                raise MethodNotAllowed(f"{request.method} is not allowed on /fhir/{path}")
            if segments and segments[0][:1].isupper() and segments[0] not in spec.resource_types():
                raise ResourceNotFound(f"Unknown resource type '{segments[0]}'")
            raise ResourceNotFound(f"/fhir/{path} is not a FHIR endpoint")
        if gate.scope is not None:
            gate.scope.action = route.interaction
        ctx = RequestContext(request=request, store=Store(gate), response_type=response_type)
        response = route.handler(ctx, **params)
        if request.method == "HEAD":
            response.content = b""
    except StoreError as exc:
        response = error_response(exc, content_type=response_type)
    except UnicodeDecodeError as exc:
        response = error_response(InvalidRequest(f"The request is not valid UTF-8: {exc}"), content_type=response_type)
    # The access log entry is stored before the response leaves; if it cannot be, nothing leaves.
    gate.scope_close(status=response.status_code)
    return response
