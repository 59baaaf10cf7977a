"""Writes of the laboratory screens: draft orders, signing with the duplicate-test check, and what the user did
with a warning (remove the draft, or sign it with an override reason). All through the user's gated store; the
CDS service runs in-process and its calls and feedback are recorded as over HTTP, so `kaari labs report` counts
them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kaari.cds import runtime
from kaari.cds.caller import caller_of_store
from kaari.cds.errors import CdsError
from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import AccessDenied, ResourceGone, ResourceNotFound, Store, StoreError
from kaari.labs.catalogue import Orderable
from kaari.labs.knowledge import lab_knowledge
from kaari.labs.ordering.selectors import requester_reference
from kaari.labs.rules.duplicates import OVERRIDE_REASONS, PENDING_RULE_ID

SERVICE_ID = "lab-duplicates"
LAB_CATEGORY = {"system": "http://snomed.info/sct", "code": "108252007", "display": "Laboratory procedure"}


class OrderingError(Exception):
    """Something the user can correct; shown as a form message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WarningCard:
    uuid: str
    suggestion_uuid: str
    kind: str  # "result" | "pending"
    summary: str
    detail: str
    source: str
    source_url: str


@dataclass(frozen=True)
class DraftWarning:
    order_id: str
    label: str
    code: dict[str, Any]
    cards: tuple[WarningCard, ...]


@dataclass(frozen=True)
class SignOutcome:
    signed: tuple[str, ...]  # labels of the orders signed
    warnings: tuple[DraftWarning, ...]


@contextmanager
def _store_write() -> Iterator[None]:
    """A write the store refuses (a version conflict, a rule) is a message; a refused access stays a 403."""
    try:
        yield
    except AccessDenied:
        raise
    except StoreError as exc:
        raise OrderingError(_("Kaari could not save the order: %(reason)s") % {"reason": exc.message}) from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def lab_order_draft_create(*, store: Store, patient_id: str, orderable: Orderable) -> str:
    """A draft ServiceRequest for the test or panel, requested by the signed-in professional; its id."""
    requester = requester_reference(store)
    if not requester:
        raise OrderingError(_("Only a professional with a role in a unit can order laboratory tests."))
    try:
        store.read("Patient", patient_id)
    except (ResourceNotFound, ResourceGone) as exc:
        raise OrderingError(_("No such client.")) from exc
    draft = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "order",
        "category": [{"coding": [LAB_CATEGORY]}],
        "code": lab_knowledge().catalogue.concept_for_orderable(orderable),
        "subject": {"reference": f"Patient/{patient_id}"},
        "requester": {"reference": requester},
        "authoredOn": _now(),
    }
    with _store_write():
        return store.create(draft).stored.id


def _my_drafts(store: Store, patient_id: str) -> list[dict[str, Any]]:
    requester = requester_reference(store)
    if not requester:
        return []
    params = (("patient", patient_id), ("status", "draft"), ("requester", requester), ("_count", "100"))
    outcome = store.search(SearchRequest(resource_types=("ServiceRequest",), params=params))
    return [s.resource for s in outcome.result.matches]


def _my_draft(store: Store, patient_id: str, order_id: str) -> dict[str, Any]:
    try:
        order = store.read("ServiceRequest", order_id).resource
    except (ResourceNotFound, ResourceGone) as exc:
        raise OrderingError(_("The draft order no longer exists.")) from exc
    if (
        order.get("status") != "draft"
        or (order.get("subject") or {}).get("reference") != f"Patient/{patient_id}"
        or (order.get("requester") or {}).get("reference") != requester_reference(store)
    ):
        raise OrderingError(_("That is not one of your draft orders for this client."))
    return order


def _sign(store: Store, order: dict[str, Any]) -> None:
    signed = {k: v for k, v in order.items() if k != "meta"}
    signed.update(status="active", authoredOn=_now())
    version = int((order.get("meta") or {}).get("versionId") or 0) or None
    with _store_write():
        store.update("ServiceRequest", order["id"], signed, if_match=version)


def _check(store: Store, patient_id: str, drafts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    body = {
        "hook": "order-sign",
        "hookInstance": str(uuid.uuid4()),
        "context": {
            "userId": requester_reference(store),
            "patientId": patient_id,
            "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": d} for d in drafts]},
        },
    }
    try:
        answer = runtime.service_call(service_id=SERVICE_ID, body=body, caller=caller_of_store(store))
    except CdsError as exc:
        raise OrderingError(
            _("The duplicate-test check could not be run: %(reason)s") % {"reason": exc.message}
        ) from exc
    cards: list[dict[str, Any]] = answer["cards"]
    return cards


def _warning_card(card: dict[str, Any]) -> tuple[str, WarningCard]:
    suggestion = (card.get("suggestions") or [{}])[0]
    action = (suggestion.get("actions") or [{}])[0]
    source = card.get("source") or {}
    topic = (source.get("topic") or {}).get("code")
    order_id = str(action.get("resourceId", "")).removeprefix("ServiceRequest/")
    return order_id, WarningCard(
        uuid=card["uuid"],
        suggestion_uuid=str(suggestion.get("uuid", "")),
        kind="pending" if f"lab-duplicates/{topic}" == PENDING_RULE_ID else "result",
        summary=str(card.get("summary", "")),
        detail=str(card.get("detail", "")),
        source=str(source.get("label", "")),
        source_url=str(source.get("url") or ""),
    )


def lab_orders_sign(*, store: Store, patient_id: str) -> SignOutcome:
    """Run `lab-duplicates` (order-sign) over the user's drafts; sign those without a warning, hold the others."""
    drafts = _my_drafts(store, patient_id)
    if not drafts:
        raise OrderingError(_("There are no draft orders to sign."))
    by_order: dict[str, list[WarningCard]] = {}
    for card in _check(store, patient_id, drafts):
        order_id, warning = _warning_card(card)
        by_order.setdefault(order_id, []).append(warning)
    catalogue = lab_knowledge().catalogue
    signed, warnings = [], []
    with transaction.atomic():
        for draft in drafts:
            orderable = catalogue.orderable_of_concept(draft.get("code"))
            label = orderable.abbreviation if orderable else str((draft.get("code") or {}).get("text") or "")
            if draft["id"] in by_order:
                warnings.append(DraftWarning(draft["id"], label, draft.get("code") or {}, tuple(by_order[draft["id"]])))
            else:
                _sign(store, draft)
                signed.append(label)
    return SignOutcome(signed=tuple(signed), warnings=tuple(warnings))


def _feedback(store: Store, items: list[dict[str, Any]]) -> None:
    if not items:
        return
    try:
        runtime.feedback_receive(service_id=SERVICE_ID, body={"feedback": items}, caller=caller_of_store(store))
    except CdsError as exc:
        reason = {"reason": exc.message}
        raise OrderingError(_("The warning could not be answered: %(reason)s") % reason) from exc


def lab_order_draft_remove(*, store: Store, patient_id: str, order_id: str, accepted: list[tuple[str, str]]) -> None:
    """Delete the draft; for each warning whose suggestion this follows, `accepted` feedback (card, suggestion)."""
    with transaction.atomic():
        _my_draft(store, patient_id, order_id)
        moment = _now()
        _feedback(
            store,
            [
                {"card": card, "outcome": "accepted", "acceptedSuggestions": [{"id": s}], "outcomeTimestamp": moment}
                for card, s in accepted
            ],
        )
        with _store_write():
            store.delete("ServiceRequest", order_id)


def lab_order_override(
    *, store: Store, patient_id: str, order_id: str, cards: list[str], reason: str, comment: str
) -> None:
    """Sign a warned draft anyway: every warning gets `overridden` feedback with the reason."""
    coding = next((r for r in OVERRIDE_REASONS if r.code == reason), None)
    if coding is None:
        raise OrderingError(_("Choose the reason for ordering the test again."))
    if not cards:
        raise OrderingError(_("There is no warning to override; sign the order instead."))
    with transaction.atomic():
        order = _my_draft(store, patient_id, order_id)
        moment = _now()
        override = {"reason": coding.model_dump(exclude_none=True), "userComment": comment}
        _feedback(
            store,
            [
                {"card": c, "outcome": "overridden", "overrideReason": override, "outcomeTimestamp": moment}
                for c in cards
            ],
        )
        _sign(store, order)
