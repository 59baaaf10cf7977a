"""FHIR REST operations the access app serves: the access log as AuditEvents, and break-the-glass.

They are lines in the FHIR route table (kaari.fhir.rest.routes) like every other interaction, so they share
its authentication, error handling and access logging.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from kaari.access import services
from kaari.access.audit.events import LOG_ID_PREFIX, audit_event, entries_about
from kaari.access.gate import AccessGate
from kaari.access.scopes import READ
from kaari.fhir.rest import handlers
from kaari.fhir.rest.context import RequestContext
from kaari.fhir.store import AccessDenied, InvalidRequest, ResourceNotFound

MAX_COUNT = 200


def _gate(ctx: RequestContext) -> AccessGate:
    gate = ctx.store.gate
    assert isinstance(gate, AccessGate)
    return gate


def _log_patient(ctx: RequestContext, requested: str | None) -> str:
    """Whose log this caller may read: a resident their own; a system client with AuditEvent scope any."""
    gate = _gate(ctx)
    principal = gate.principal
    if principal.is_resident:
        patient = requested or principal.patient_id
        if patient != principal.patient_id:
            gate.denial_note("Residents read the access log of their own data only", patient=patient, what="AuditEvent")
        return patient
    if principal.is_system and principal.scopes.allows("AuditEvent", READ):
        if not requested:
            raise InvalidRequest("Name the client: AuditEvent?patient=ID")
        return requested
    gate.denial_note("The access log is read by the client it is about", patient=requested, what="AuditEvent")
    raise AssertionError("unreachable")


def audit_event_search(ctx: RequestContext) -> HttpResponse:
    query = ctx.request.GET
    requested = (query.get("patient") or query.get("entity") or "").removeprefix("Patient/") or None
    patient = _log_patient(ctx, requested)
    try:
        count = min(int(query.get("_count", "50")), MAX_COUNT)
        before = int(query["_page"]) if query.get("_page") else None
    except ValueError as exc:
        raise InvalidRequest("_count and _page are numbers") from exc
    entries = entries_about(patient)
    if before is not None:
        entries = entries.filter(id__lt=before)
    page = list(entries[: count + 1])
    base = f"{ctx.base_url}/AuditEvent"
    links = [{"relation": "self", "url": f"{base}?patient={patient}&_count={count}"}]
    if len(page) > count:
        links.append({"relation": "next", "url": f"{base}?patient={patient}&_count={count}&_page={page[count - 1].id}"})
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/{LOG_ID_PREFIX}{entry.id}",
                "resource": audit_event(entry),
                "search": {"mode": "match"},
            }
            for entry in page[:count]
        ],
    }
    _gate(ctx).access_note(action="search-type", patient=patient, what=f"AuditEvent?patient={patient}")
    return ctx.json_response(bundle)


def audit_event_read(ctx: RequestContext, *, id: str) -> HttpResponse:
    """An access-log entry (AuditEvent/log-N), or else an AuditEvent stored like any other resource."""
    if not id.startswith(LOG_ID_PREFIX):
        return handlers.read(ctx, type="AuditEvent", id=id)
    gate = _gate(ctx)
    number = id.removeprefix(LOG_ID_PREFIX)
    if not number.isdigit():
        raise ResourceNotFound(f"AuditEvent/{id} is not known")
    entry = entries_about(_log_patient(ctx, None) if gate.principal.is_resident else "").filter(id=int(number)).first()
    if entry is None:
        if not gate.principal.is_resident:
            _log_patient(ctx, None)
        raise ResourceNotFound(f"AuditEvent/{id} is not known")
    gate.access_note(action="read", patient=entry.patient_id, what=f"AuditEvent/{id}")
    return ctx.json_response(audit_event(entry))


def break_the_glass(ctx: RequestContext, *, id: str) -> HttpResponse:
    """POST /fhir/Patient/{id}/$break-the-glass with Parameters {reason}: open a record in an emergency."""
    from kaari.fhir.rest import negotiation

    body, _ = negotiation.json_body(ctx.request)
    reason = ""
    if isinstance(body, dict) and body.get("resourceType") == "Parameters":
        for parameter in body.get("parameter") or ():
            if parameter.get("name") == "reason":
                reason = str(parameter.get("valueString", ""))
    try:
        access = services.emergency_open(gate=_gate(ctx), patient_id=id, reason=reason)
    except services.AccessError as exc:
        raise AccessDenied(str(exc)) from exc
    result = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "expires", "valueDateTime": access.expires.isoformat()},
            {"name": "reason", "valueString": access.reason},
        ],
    }
    return ctx.json_response(result, status=201)
