"""Writes of the CDS runtime: record a call with its cards, record feedback on a shown card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaari.cds.cards import Card
from kaari.cds.errors import BadCdsRequest
from kaari.cds.feedback import FeedbackItem
from kaari.cds.hooks import CdsRequest
from kaari.cds.models import CdsCall, CdsCard, CdsFeedback


def order_summary(order: dict[str, Any]) -> dict[str, Any]:
    """How a draft order is remembered: its reference and codes, enough to report per medicine or test."""
    concept = order.get("medicationCodeableConcept") or order.get("code") or {}
    codings = [c for c in concept.get("coding", []) if isinstance(c, dict)] if isinstance(concept, dict) else []
    display = concept.get("text") if isinstance(concept, dict) else None
    return {
        "reference": f"{order['resourceType']}/{order['id']}",
        "codes": [f"{c.get('system', '')}|{c.get('code', '')}" for c in codings],
        "display": str(display or next((c["display"] for c in codings if c.get("display")), "")),
    }


def _card_orders(card: Card, checked: set[str]) -> list[str]:
    """The draft orders a card is about: those its suggestions act on, otherwise every checked draft."""
    named = [
        action.resourceId
        for suggestion in card.suggestions
        for action in suggestion.actions
        if action.resourceId in checked
    ]
    return list(dict.fromkeys(named)) if named else sorted(checked)


def _card_row(call: CdsCall, card: Card, checked: set[str]) -> CdsCard:
    return CdsCard(
        call=call,
        uuid=card.uuid,
        rule_id=card.rule_id,
        indicator=card.indicator,
        summary=card.summary,
        orders=_card_orders(card, checked),
        suggestions=[
            {
                "uuid": s.uuid,
                "label": s.label,
                "actions": [{"type": a.type, "resourceId": a.resourceId} for a in s.actions],
            }
            for s in card.suggestions
        ],
        override_reasons=[r.model_dump(exclude_none=True) for r in card.overrideReasons],
    )


def call_record(
    *,
    request: CdsRequest,
    orders: Sequence[dict[str, Any]],
    cards: Sequence[Card],
    caller: str,
    prefetch_given: Sequence[str],
    prefetch_read: Sequence[str],
    duration_ms: float,
) -> CdsCall:
    summaries = [order_summary(order) for order in orders]
    fields = {
        "hook": request.hook,
        "patient_id": request.patient_id,
        "user_id": request.user_id,
        "caller": caller[:150],
        "orders": summaries,
        "order_count": len(summaries),
        "prefetch_given": list(prefetch_given),
        "prefetch_read": list(prefetch_read),
        "duration_ms": duration_ms,
        "called_at": timezone.now(),
    }
    checked = {summary["reference"] for summary in summaries}
    try:
        # Almost every call is new: insert straight away rather than look first.
        with transaction.atomic():
            call = CdsCall.objects.create(service_id=request.service_id, hook_instance=request.hook_instance, **fields)
            CdsCard.objects.bulk_create([_card_row(call, card, checked) for card in cards])
            return call
    except IntegrityError:
        pass
    with transaction.atomic():
        # A retried hookInstance: its answer replaces the earlier one, except cards that already have feedback.
        call, _ = CdsCall.objects.update_or_create(
            service_id=request.service_id, hook_instance=request.hook_instance, defaults=fields
        )
        call.cards.filter(feedback__isnull=True).delete()
        kept = set(call.cards.values_list("uuid", flat=True))
        CdsCard.objects.bulk_create([_card_row(call, card, checked) for card in cards if card.uuid not in kept])
        return call


def _shown_card(*, service_id: str, card_uuid: str, caller: str) -> CdsCard:
    """The most recent showing of this card by this service, to this caller when the caller is known."""
    shown = CdsCard.objects.select_related("call").filter(uuid=card_uuid, call__service_id=service_id)
    if caller:
        shown = shown.filter(call__caller=caller)
    card = shown.order_by("-call__called_at", "-pk").first()
    if card is None:
        raise BadCdsRequest(f"card {card_uuid} was not returned by {service_id} to this caller", where="card")
    return card


def _item_check(card: CdsCard, item: FeedbackItem) -> None:
    offered = {s["uuid"] for s in card.suggestions}
    unknown = [s for s in item.accepted_suggestions if s not in offered]
    if unknown:
        raise BadCdsRequest(f"suggestion {unknown[0]} is not one of card {card.uuid}'s", where="acceptedSuggestions")
    if item.override is not None and item.override.code:
        reasons = {(r.get("system", ""), r["code"]) for r in card.override_reasons}
        if (item.override.system, item.override.code) not in reasons:
            raise BadCdsRequest(
                f"override reason {item.override.system}|{item.override.code} was not offered on card {card.uuid}",
                where="overrideReason.reason",
            )


@transaction.atomic
def feedback_record(*, service_id: str, items: Sequence[FeedbackItem], caller: str) -> list[CdsFeedback]:
    """Record every item, or none when one of them names a card, suggestion or reason that was not shown."""
    rows = []
    now = timezone.now()
    for item in items:
        card = _shown_card(service_id=service_id, card_uuid=item.card, caller=caller)
        _item_check(card, item)
        override = item.override
        rows.append(
            CdsFeedback(
                card=card,
                service_id=service_id,
                card_uuid=item.card,
                rule_id=card.rule_id,
                patient_id=card.call.patient_id,
                user_id=card.call.user_id,
                caller=caller[:150],
                orders=card.orders,
                outcome=item.outcome,
                accepted_suggestions=list(item.accepted_suggestions),
                override_system=override.system if override else "",
                override_code=override.code if override else "",
                override_display=override.display if override else "",
                user_comment=override.user_comment if override else "",
                outcome_at=item.outcome_at,
                received_at=now,
            )
        )
    return CdsFeedback.objects.bulk_create(rows)
