"""Reads over the recorded calls, cards and feedback, for the services' reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kaari.cds.models import CdsCall, CdsCard, CdsFeedback


@dataclass(frozen=True)
class CallTotals:
    service_id: str
    calls: int
    orders: int
    cards: dict[str, int]  # indicator -> number of cards shown


@dataclass(frozen=True)
class CardOutcome:
    """A shown card and the latest recorded outcome for it (None: no feedback)."""

    service_id: str
    patient_id: str
    rule_id: str
    indicator: str
    orders: tuple[str, ...]
    call_orders: tuple[dict[str, Any], ...]
    suggestions: tuple[dict[str, Any], ...]
    outcome: str | None
    accepted_suggestions: tuple[str, ...]
    override_code: str
    override_display: str
    user_comment: str

    def accepted_actions(self) -> list[dict[str, Any]]:
        """The actions of the suggestions the clinician accepted."""
        chosen = set(self.accepted_suggestions)
        return [a for s in self.suggestions if s["uuid"] in chosen for a in s["actions"]]


def _calls(service_ids: Sequence[str], since: datetime | None, until: datetime | None) -> Any:
    return CdsCall.objects.of_services(list(service_ids)).between(since, until)


def call_totals(
    *, service_ids: Sequence[str], since: datetime | None = None, until: datetime | None = None
) -> list[CallTotals]:
    totals = []
    for service_id in service_ids:
        calls = _calls([service_id], since, until)
        orders = sum(calls.values_list("order_count", flat=True))
        cards = {"critical": 0, "warning": 0, "info": 0}
        for indicator in CdsCard.objects.filter(call__in=calls).values_list("indicator", flat=True):
            cards[indicator] = cards.get(indicator, 0) + 1
        totals.append(CallTotals(service_id=service_id, calls=calls.count(), orders=orders, cards=cards))
    return totals


def card_outcomes(
    *, service_ids: Sequence[str], since: datetime | None = None, until: datetime | None = None
) -> list[CardOutcome]:
    cards = CdsCard.objects.filter(call__in=_calls(service_ids, since, until)).select_related("call").order_by("pk")
    latest: dict[int, CdsFeedback] = {}
    for recorded in CdsFeedback.objects.filter(card__in=cards).order_by("outcome_at", "pk"):
        latest[recorded.card_id] = recorded
    outcomes = []
    for card in cards:
        feedback = latest.get(card.pk)
        outcomes.append(
            CardOutcome(
                service_id=card.call.service_id,
                patient_id=card.call.patient_id,
                rule_id=card.rule_id,
                indicator=card.indicator,
                orders=tuple(card.orders),
                call_orders=tuple(card.call.orders),
                suggestions=tuple(card.suggestions),
                outcome=feedback.outcome if feedback else None,
                accepted_suggestions=tuple(feedback.accepted_suggestions) if feedback else (),
                override_code=feedback.override_code if feedback else "",
                override_display=feedback.override_display if feedback else "",
                user_comment=feedback.user_comment if feedback else "",
            )
        )
    return outcomes
