"""Writes of the prescribing screens: drafts, signing with the medication-safety check, and reconciliation of
the current medication list. Every write goes through the signed-in user's gated store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kaari.access.gate import AccessGate
from kaari.access.models import User
from kaari.cds.errors import CdsError
from kaari.fhir.store import AccessDenied, Store, StoreError
from kaari.safety.prescribing import checks
from kaari.safety.prescribing.checks import ShownCard
from kaari.safety.prescribing.orders import Dosage, prescription_build, reviewed, stopped
from kaari.safety.prescribing.selectors import current_order_get, drafts_get, product_get


class PrescribingError(Exception):
    """Something the prescriber must be told in words; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Override:
    code: str
    comment: str = ""


@dataclass(frozen=True)
class SignOutcome:
    """`signed` lists the orders signed; when a critical card has no valid override, nothing is signed and
    `unresolved` names those cards."""

    signed: tuple[str, ...]
    cards: tuple[ShownCard, ...]
    unresolved: tuple[str, ...] = ()
    drafts: tuple[dict[str, Any], ...] = field(default=())


# Who may write prescriptions and reconcile the list in Kaari (nurses' limited prescribing rights are not modelled).
PRESCRIBER_ROLES = frozenset({"physician"})


def _prescriber_check(store: Store) -> None:
    gate = store.gate
    if not isinstance(gate, AccessGate) or gate.principal.role not in PRESCRIBER_ROLES:
        raise PrescribingError(_("Only physicians can prescribe or change medication orders."))


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _person(store: Store, reference: str) -> dict[str, str]:
    gate = store.gate
    assert isinstance(gate, AccessGate)  # _prescriber_check has made sure
    user = User.objects.filter(pk=gate.principal.user_id).first() if gate.principal.user_id else None
    name = (user.get_full_name() or user.username) if user else gate.principal.username
    return {"reference": reference, "display": name}


def _requester(store: Store) -> dict[str, str]:
    """The prescriber in their role and unit (MedicationRequest.requester)."""
    return _person(store, checks.user_reference(store))


def _author(store: Store) -> dict[str, str]:
    """The prescriber as a person (an Annotation's author may not be a PractitionerRole)."""
    gate = store.gate
    assert isinstance(gate, AccessGate)
    return _person(store, f"Practitioner/{gate.principal.practitioner_id}")


def _reason(exc: StoreError) -> str:
    return "; ".join([exc.message, *(i.diagnostics for i in exc.issues if i.diagnostics != exc.message)][:3])


def _version(resource: dict[str, Any]) -> int | None:
    version = (resource.get("meta") or {}).get("versionId")
    return int(version) if isinstance(version, str) and version.isdigit() else None


def _write(store: Store, resource: dict[str, Any]) -> None:
    """Update an order as read, refusing if someone changed it meanwhile; store refusals become words."""
    try:
        store.update("MedicationRequest", resource["id"], resource, if_match=_version(resource))
    except AccessDenied as exc:
        raise PrescribingError(
            _("You cannot change this order: it is kept by another unit or your access does not cover it.")
        ) from exc
    except StoreError as exc:
        raise PrescribingError(_("The order could not be saved: %(reason)s") % {"reason": _reason(exc)}) from exc


def prescription_draft_create(
    *, store: Store, patient_id: str, product_id: str, dosage: Dosage, prior_id: str | None = None
) -> str:
    """Save a new prescription as a draft MedicationRequest; `prior_id` makes it a change of a current order."""
    _prescriber_check(store)
    product = product_get(product_id=product_id)
    if product is None:
        raise PrescribingError(_("Choose a medicine from the catalogue."))
    if prior_id and current_order_get(store=store, patient_id=patient_id, order_id=prior_id) is None:
        raise PrescribingError(_("The order to change is no longer current."))
    resource = prescription_build(
        patient_id=patient_id,
        product=product,
        dosage=dosage,
        requester=_requester(store),
        authored_on=_now(),
        prior_id=prior_id,
    )
    try:
        return store.create(resource).stored.id
    except AccessDenied as exc:
        raise PrescribingError(_("Your access does not cover prescribing for this client.")) from exc
    except StoreError as exc:
        raise PrescribingError(_("The prescription could not be saved: %(reason)s") % {"reason": _reason(exc)}) from exc


def _draft(store: Store, patient_id: str, draft_id: str) -> dict[str, Any]:
    for draft in drafts_get(store=store, patient_id=patient_id):
        if draft.get("id") == draft_id:
            return draft
    raise PrescribingError(_("That draft is no longer waiting to be signed."))


def draft_remove(*, store: Store, patient_id: str, draft_id: str) -> None:
    """Withdraw an unsigned draft (status cancelled: it stays in the record's history, never signed)."""
    _prescriber_check(store)
    _write(store, {**_draft(store, patient_id, draft_id), "status": "cancelled"})


def _sign_check(store: Store, patient_id: str, drafts: list[dict[str, Any]]) -> list[ShownCard]:
    try:
        return checks.drafts_sign_check(store=store, patient_id=patient_id, drafts=drafts)
    except CdsError as exc:
        raise PrescribingError(_("The medication safety check failed: %(reason)s") % {"reason": exc.message}) from exc


def prescriptions_sign(*, store: Store, patient_id: str, overrides: dict[str, Override]) -> SignOutcome:
    """Sign all of the prescriber's drafts for the client after the order-sign check. A critical card blocks
    unless it is overridden with one of its own reasons; the overrides are sent as CDS feedback."""
    _prescriber_check(store)
    drafts = drafts_get(store=store, patient_id=patient_id)
    if not drafts:
        raise PrescribingError(_("There is nothing to sign."))
    cards = _sign_check(store, patient_id, drafts)
    critical = [c for c in cards if c.interrupts]
    offered = {c.uuid: {r["code"]: r for r in c.override_reasons} for c in critical}
    unresolved = tuple(
        c.uuid for c in critical if c.uuid not in overrides or overrides[c.uuid].code not in offered[c.uuid]
    )
    if unresolved:
        return SignOutcome(signed=(), cards=tuple(cards), unresolved=unresolved, drafts=tuple(drafts))
    with transaction.atomic():
        if critical:
            checks.feedback_send(
                store=store,
                items=[
                    {
                        "card": c.uuid,
                        "outcome": "overridden",
                        "overrideReason": {
                            "reason": offered[c.uuid][overrides[c.uuid].code],
                            **({"userComment": overrides[c.uuid].comment} if overrides[c.uuid].comment else {}),
                        },
                    }
                    for c in critical
                ],
            )
        for draft in drafts:
            _write(store, {**draft, "status": "active"})
            prior = (draft.get("priorPrescription") or {}).get("reference", "").removeprefix("MedicationRequest/")
            if prior:
                _prior_stop(store, patient_id, prior, draft_id=str(draft["id"]))
    return SignOutcome(signed=tuple(str(d["id"]) for d in drafts), cards=tuple(cards), drafts=tuple(drafts))


def _prior_stop(store: Store, patient_id: str, prior_id: str, *, draft_id: str) -> None:
    prior = current_order_get(store=store, patient_id=patient_id, order_id=prior_id)
    if prior is None:
        return  # stopped meanwhile by someone else: nothing left to stop
    note = _("Changed: replaced by a new prescription (MedicationRequest/%(id)s).") % {"id": draft_id}
    now = _now()
    _write(store, stopped(prior, reason="altchoice", note=note, on=now.date(), author=_author(store), now=now))


def suggestion_accept(*, store: Store, patient_id: str, card_uuid: str, suggestion: int) -> tuple[str, ...]:
    """Carry out a sign-time card's suggestion (withdraw the draft it names) and send `accepted` feedback.
    Returns the substances (ATC) the suggestion orders instead, for the prescriber to choose a product and dose."""
    _prescriber_check(store)
    drafts = drafts_get(store=store, patient_id=patient_id)
    cards = _sign_check(store, patient_id, drafts) if drafts else []
    card = next((c for c in cards if c.uuid == card_uuid), None)
    if card is None or not 0 <= suggestion < len(card.suggestions):
        raise PrescribingError(_("That suggestion no longer applies; the drafts have changed."))
    chosen = card.suggestions[suggestion]
    with transaction.atomic():
        for draft_id in chosen.removes:
            _write(store, {**_draft(store, patient_id, draft_id), "status": "cancelled"})
        checks.feedback_send(
            store=store,
            items=[{"card": card.uuid, "outcome": "accepted", "acceptedSuggestions": [{"id": chosen.uuid}]}],
        )
    return chosen.replacement_atc


def _current(store: Store, patient_id: str, order_id: str) -> dict[str, Any]:
    order = current_order_get(store=store, patient_id=patient_id, order_id=order_id)
    if order is None:
        raise PrescribingError(_("That order is no longer on the current medication list."))
    return order


def medication_stop(*, store: Store, patient_id: str, order_id: str, reason: str, note: str, on: date) -> None:
    _prescriber_check(store)
    order = _current(store, patient_id, order_id)
    _write(store, stopped(order, reason=reason, note=note, on=on, author=_author(store), now=_now()))


def medication_continue(*, store: Store, patient_id: str, order_id: str) -> None:
    """Reconciliation's "continue": the order stays as it is, marked as reviewed by this prescriber today."""
    _prescriber_check(store)
    order = _current(store, patient_id, order_id)
    _write(store, reviewed(order, author=_author(store), now=_now(), text=_("Reviewed and continued.")))
