"""CDS Hooks 2.0 request bodies, as an EHR sends them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

USER = "Practitioner/laakari-1"


def draft_bundle(drafts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": d} for d in drafts]}


def hook_body(
    hook: str,
    *,
    patient_id: str,
    drafts: list[dict[str, Any]] | None = None,
    selections: list[str] | None = None,
    prefetch: dict[str, Any] | None = None,
    user_id: str = USER,
    encounter_id: str | None = None,
    hook_instance: str | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {"userId": user_id, "patientId": patient_id}
    if encounter_id:
        context["encounterId"] = encounter_id
    if hook in ("order-sign", "order-select"):
        context["draftOrders"] = draft_bundle(drafts or [])
    if hook == "order-select":
        context["selections"] = selections or [f"{d['resourceType']}/{d['id']}" for d in drafts or []]
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": hook_instance or str(uuid.uuid4()),
        "fhirServer": "https://ehr.example.fi/fhir",
        "context": context,
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def order_sign(*, patient_id: str, drafts: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return hook_body("order-sign", patient_id=patient_id, drafts=drafts, **extra)


def order_select(
    *, patient_id: str, drafts: list[dict[str, Any]], selections: list[str], **extra: Any
) -> dict[str, Any]:
    return hook_body("order-select", patient_id=patient_id, drafts=drafts, selections=selections, **extra)


def feedback_body(
    card: dict[str, Any],
    *,
    outcome: str,
    accepted: list[str] | None = None,
    reason: dict[str, Any] | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "card": card["uuid"],
        "outcome": outcome,
        "outcomeTimestamp": datetime.now(UTC).isoformat(),
    }
    if accepted is not None:
        item["acceptedSuggestions"] = [{"id": s} for s in accepted]
    if reason is not None or comment is not None:
        item["overrideReason"] = {}
        if reason is not None:
            item["overrideReason"]["reason"] = reason
        if comment is not None:
            item["overrideReason"]["userComment"] = comment
    return {"feedback": [item]}
