"""The CDS Hooks HTTP edge: parse JSON, call one runtime function, answer JSON. Errors become JSON 4xx."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from kaari.cds.caller import Caller, CdsNotAuthenticated, caller_open
from kaari.cds.errors import BadCdsRequest, CdsError
from kaari.cds.registry import discovery_json
from kaari.cds.runtime import feedback_receive, service_call
from kaari.lib.jsonutil import JsonError, json_dumps, json_loads

logger = logging.getLogger("kaari.cds")


def _json(value: Any, *, status: int = 200) -> HttpResponse:
    return HttpResponse(json_dumps(value), status=status, content_type="application/json")


def _method_not_allowed(allowed: str) -> HttpResponse:
    response = _json({"error": "method-not-allowed", "message": f"Use {allowed}"}, status=405)
    response["Allow"] = allowed
    return response


def _body(request: HttpRequest) -> Any:
    try:
        return json_loads(request.body)
    except JsonError as exc:
        raise BadCdsRequest(f"The body is not JSON: {exc}") from exc


@csrf_exempt
def discovery(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _method_not_allowed("GET")
    return _json(discovery_json())


def _answer(request: HttpRequest, run: Any) -> HttpResponse:
    try:
        caller: Caller = caller_open(request)
    except CdsNotAuthenticated as exc:
        response = _json(exc.to_json(), status=exc.status)
        response["WWW-Authenticate"] = 'Bearer realm="kaari", error="invalid_token"'
        return response
    # The call's records and its access log entry commit together, once; a failed call rolls back to the
    # savepoint, and its log entry is still written.
    with transaction.atomic():
        try:
            with transaction.atomic():
                response = _json(run(caller))
        except CdsError as exc:
            response = _json(exc.to_json(), status=exc.status)
        except Exception:
            # A fault of Kaari's, not of the request: logged, and answered in the same JSON shape.
            logger.exception("CDS request %s failed", request.path)
            response = _json({"error": "internal", "message": "Kaari could not process the request"}, status=500)
        caller.close(status=response.status_code)
    return response


@csrf_exempt
def service_endpoint(request: HttpRequest, service_id: str) -> HttpResponse:
    if request.method != "POST":
        return _method_not_allowed("POST")
    return _answer(request, lambda caller: service_call(service_id=service_id, body=_body(request), caller=caller))


@csrf_exempt
def feedback_endpoint(request: HttpRequest, service_id: str) -> HttpResponse:
    if request.method != "POST":
        return _method_not_allowed("POST")

    def run(caller: Caller) -> dict[str, Any]:
        return {"recorded": feedback_receive(service_id=service_id, body=_body(request), caller=caller)}

    return _answer(request, run)
