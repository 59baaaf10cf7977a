"""The medication-safety CDS services, called in-process with the signed-in user's gated store.

Calls and feedback go through `kaari.cds.runtime`, so they are recorded exactly as an EHR's HTTP calls are and
`kaari safety report` counts them. A hook instance is derived from the user, the client and the drafts (ids and
versions): showing the same drafts again, or signing them again after a blocked attempt, is the same hook
event, and the runtime records it once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kaari.access.gate import AccessGate
from kaari.cds import runtime
from kaari.cds.caller import caller_of_store
from kaari.fhir.store import Store

SIGN_SERVICE = "medication-safety"
SELECT_SERVICE = "medication-safety-select"
REVIEW_SERVICE = "medication-review"
_NAMESPACE = uuid.UUID("0f0d7c52-9a2e-4d55-8a43-3c9e2b5e7a61")


@dataclass(frozen=True)
class ShownSuggestion:
    uuid: str
    label: str
    removes: tuple[str, ...]  # draft ids the suggestion removes
    replacement_atc: tuple[str, ...]  # substances it orders instead


@dataclass(frozen=True)
class ShownCard:
    uuid: str
    indicator: str
    summary: str
    detail: str
    source_label: str
    source_url: str
    suggestions: tuple[ShownSuggestion, ...]
    override_reasons: tuple[dict[str, str], ...]

    @property
    def interrupts(self) -> bool:
        return self.indicator == "critical"


def user_reference(store: Store) -> str:
    principal = _gate(store).principal
    if principal.practitioner_role_id:
        return f"PractitionerRole/{principal.practitioner_role_id}"
    return f"Practitioner/{principal.practitioner_id}"


def _gate(store: Store) -> AccessGate:
    if not isinstance(store.gate, AccessGate):
        raise TypeError("prescribing needs a store behind a user's AccessGate")
    return store.gate


def _hook_instance(service_id: str, store: Store, patient_id: str, drafts: list[dict[str, Any]]) -> str:
    versions = sorted(f"{d['id']}/{(d.get('meta') or {}).get('versionId', '')}" for d in drafts)
    key = "|".join([service_id, _gate(store).principal.username, patient_id, *versions])
    return str(uuid.uuid5(_NAMESPACE, key))


def _suggestion(raw: dict[str, Any]) -> ShownSuggestion:
    actions = [a for a in raw.get("actions", []) if isinstance(a, dict)]
    removes = tuple(
        str(a["resourceId"]).removeprefix("MedicationRequest/")
        for a in actions
        if a.get("type") == "delete" and a.get("resourceId")
    )
    replacement = tuple(
        str(c.get("code"))
        for a in actions
        if a.get("type") == "create"
        for c in ((a.get("resource") or {}).get("medicationCodeableConcept") or {}).get("coding", [])
        if c.get("code")
    )
    return ShownSuggestion(uuid=str(raw["uuid"]), label=str(raw["label"]), removes=removes, replacement_atc=replacement)


def _card(raw: dict[str, Any]) -> ShownCard:
    source = raw.get("source") or {}
    return ShownCard(
        uuid=str(raw["uuid"]),
        indicator=str(raw["indicator"]),
        summary=str(raw["summary"]),
        # CDS Hooks details are Markdown; Kaari's rules use only bold, which plain text can do without.
        detail=str(raw.get("detail") or "").replace("**", ""),
        source_label=str(source.get("label", "")),
        source_url=str(source.get("url") or ""),
        suggestions=tuple(_suggestion(s) for s in raw.get("suggestions", [])),
        override_reasons=tuple(
            {"system": str(r.get("system", "")), "code": str(r["code"]), "display": str(r.get("display", ""))}
            for r in raw.get("overrideReasons", [])
        ),
    )


def _call(
    service_id: str, hook: str, *, store: Store, patient_id: str, drafts: list[dict[str, Any]], select: bool = False
) -> list[ShownCard]:
    context: dict[str, Any] = {"userId": user_reference(store), "patientId": patient_id}
    if hook != "patient-view":
        context["draftOrders"] = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": d} for d in drafts],
        }
    if select:
        context["selections"] = [f"MedicationRequest/{d['id']}" for d in drafts]
    body = {
        "hook": hook,
        "hookInstance": _hook_instance(service_id, store, patient_id, drafts)
        if hook != "patient-view"
        else str(uuid.uuid4()),
        "context": context,
    }
    answer = runtime.service_call(service_id=service_id, body=body, caller=caller_of_store(store))
    return [_card(card) for card in answer["cards"]]


def drafts_sign_check(*, store: Store, patient_id: str, drafts: list[dict[str, Any]]) -> list[ShownCard]:
    """order-sign: what signing these drafts would meet."""
    return _call(SIGN_SERVICE, "order-sign", store=store, patient_id=patient_id, drafts=drafts)


def drafts_select_check(*, store: Store, patient_id: str, drafts: list[dict[str, Any]]) -> list[ShownCard]:
    """order-select: the passive view of the drafts while they wait to be signed."""
    if not drafts:
        return []
    return _call(SELECT_SERVICE, "order-select", store=store, patient_id=patient_id, drafts=drafts, select=True)


def medication_review(*, store: Store, patient_id: str) -> list[ShownCard]:
    """patient-view: the review of the current medication list."""
    return _call(REVIEW_SERVICE, "patient-view", store=store, patient_id=patient_id, drafts=[])


def feedback_send(*, store: Store, items: list[dict[str, Any]]) -> int:
    """Record what the prescriber did with sign-time cards (CDS Hooks feedback)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    body = {"feedback": [{**item, "outcomeTimestamp": now} for item in items]}
    return runtime.feedback_receive(service_id=SIGN_SERVICE, body=body, caller=caller_of_store(store))
