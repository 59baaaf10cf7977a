"""The access log as FHIR AuditEvents: what a resident sees when asking "who has looked at my data"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet

from kaari.access.models import AuditEntry, AuditSubject
from kaari.fhir.store import instant_format
from kaari.lib.jsonutil import JsonError, json_loads

BASIS_SYSTEM = "https://kaari.fi/fhir/CodeSystem/access-basis"
ROLE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/role"
DCM = "http://dicom.nema.org/resources/ontology/DCM"
REST_TYPE = {"system": DCM, "code": "110112", "display": "Query"}
ACTION_CODES = {"create": "C", "update": "U", "patch": "U", "delete": "D", "read": "R", "vread": "R"}
# v3 ActReason where one fits the basis; Kaari's own code always.
PURPOSE_V3 = {"care-relationship": "TREAT", "emergency": "ETREAT", "own-data": "PATRQT", "guardian": "PATRQT"}


def entries_about(patient_id: str) -> QuerySet[AuditEntry]:
    """Every log entry that touched this client, newest first."""
    others = AuditSubject.objects.filter(patient_id=patient_id).values("entry_id")
    return AuditEntry.objects.filter(Q(patient_id=patient_id) | Q(id__in=others)).order_by("-id")


# Access-log entries are served as AuditEvent/log-N, so they never collide with AuditEvents that other
# systems store in Kaari as ordinary resources.
LOG_ID_PREFIX = "log-"


def audit_event(entry: AuditEntry) -> dict[str, Any]:
    try:
        entities = json_loads(entry.entities) if entry.entities else []
    except JsonError:
        entities = []
    agent: dict[str, Any] = {
        "type": {"coding": [{"system": ROLE_SYSTEM, "code": entry.role}]} if entry.role else {"text": entry.actor_kind},
        "who": {"display": entry.actor},
        "requestor": True,
    }
    if entry.practitioner_id:
        agent["who"]["reference"] = f"Practitioner/{entry.practitioner_id}"
    if entry.organization_id:
        agent["location"] = {"reference": f"Organization/{entry.organization_id}"}
    if entry.address:
        agent["network"] = {"address": entry.address, "type": "2"}
    event: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "id": f"{LOG_ID_PREFIX}{entry.id}",
        "type": REST_TYPE,
        "subtype": [{"system": "http://hl7.org/fhir/restful-interaction", "code": entry.action}],
        "action": ACTION_CODES.get(entry.action, "E"),
        "recorded": instant_format(entry.recorded.astimezone(UTC) if entry.recorded else datetime.now(UTC)),
        "outcome": entry.outcome,
        "agent": [agent],
        "source": {"observer": {"display": "Kaari"}},
        "entity": [],
    }
    if entry.outcome_desc:
        event["outcomeDesc"] = entry.outcome_desc
    bases = [basis for basis in entry.basis.split(",") if basis]
    if bases:
        event["purposeOfEvent"] = [
            {
                "coding": [{"system": BASIS_SYSTEM, "code": basis}]
                + (
                    [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": PURPOSE_V3[basis]}]
                    if basis in PURPOSE_V3
                    else []
                )
            }
            for basis in bases
        ]
    patients = dict.fromkeys(e.get("patient") for e in entities if isinstance(e, dict) and e.get("patient"))
    for patient in patients:
        event["entity"].append({"what": {"reference": f"Patient/{patient}"}, "role": {"code": "1"}})
    for item in entities:
        if isinstance(item, dict) and item.get("what"):
            entity: dict[str, Any] = {"what": {"reference": item["what"]}, "role": {"code": "4"}}
            if item.get("denied"):
                entity["description"] = f"denied: {item['denied']}"
            event["entity"].append(entity)
    if entry.query:
        event["entity"].append({"query": _base64(entry.query), "description": entry.query[:1000]})
    return event


def _base64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()
