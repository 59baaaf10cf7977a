"""Replay a synthetic county's prescribing through the medication-safety rules, as order-sign would have seen it.

Each MedicationRequest of each resident, in the order written, is the draft; the context is what the chart held
on that day: the resident's other orders authored earlier whose validity covers the day, allergies recorded by
then, and results taken by then; ages are on that day. An order for the same ATC code as an order still valid
that day is a renewal: it names that order as its `priorPrescription`, as a prescribing system sends a renewal,
so the rules see it replacing the old order rather than duplicating it. The figures answer issue 7's acceptance:
interrupting (critical) alerts per 100 orders, and whether every critical card cites a source.

    kaari safety replay --residents 2000 --seed 1
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kaari.cds.charts import charts_group
from kaari.safety.rules import medication_context_build, medication_safety_cards

KINDS = ("MedicationRequest", "AllergyIntolerance", "Observation")


@dataclass
class ReplayFigures:
    residents: int = 0
    orders: int = 0
    cards: Counter[str] = field(default_factory=Counter)
    rules: Counter[tuple[str, str]] = field(default_factory=Counter)
    critical_without_source: int = 0

    def per_hundred(self, indicator: str) -> float:
        return 100.0 * self.cards[indicator] / self.orders if self.orders else 0.0


def _day(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and len(value) >= 10 else None


def _atc(order: dict[str, Any]) -> tuple[str, ...]:
    return tuple(c.get("code", "") for c in (order.get("medicationCodeableConcept") or {}).get("coding", []))


def _valid_on(order: dict[str, Any], day: date) -> bool:
    period = (order.get("dispenseRequest") or {}).get("validityPeriod") or {}
    start, end = _day(period.get("start")) or _day(order.get("authoredOn")), _day(period.get("end"))
    return start is not None and start <= day and (end is None or day <= end)


def chart_on(chart: list[dict[str, Any]], order: dict[str, Any], day: date) -> list[dict[str, Any]]:
    """The chart as it stood when `order` was written."""
    authored = order.get("authoredOn", "")
    seen = []
    for resource in chart:
        kind = resource["resourceType"]
        if kind == "Patient":
            seen.append(resource)
        elif kind == "MedicationRequest":
            if resource is not order and resource.get("authoredOn", "") < authored and _valid_on(resource, day):
                seen.append({**resource, "status": "active"})
        elif kind == "AllergyIntolerance":
            recorded = _day(resource.get("recordedDate"))
            if recorded is None or recorded <= day:
                seen.append(resource)
        elif kind == "Observation":
            taken = _day(resource.get("effectiveDateTime") or resource.get("issued"))
            if taken is not None and taken <= day:
                seen.append(resource)
    return seen


def prescribing_replay(*, resources: Iterable[dict[str, Any]]) -> ReplayFigures:
    figures = ReplayFigures()
    for chart in charts_group(resources, kinds=KINDS):
        figures.residents += 1
        orders = sorted(
            (r for r in chart if r["resourceType"] == "MedicationRequest" and _day(r.get("authoredOn"))),
            key=lambda r: str(r["authoredOn"]),
        )
        for order in orders:
            day = _day(order["authoredOn"])
            assert day is not None
            seen = chart_on(chart, order, day)
            draft = {**order, "status": "draft"}
            renewed = [r for r in seen if r["resourceType"] == "MedicationRequest" and _atc(r) == _atc(order)]
            if renewed:
                draft["priorPrescription"] = {"reference": f"MedicationRequest/{renewed[-1]['id']}"}
            context = medication_context_build(resources=seen, draft_orders=[draft], today=day)
            figures.orders += 1
            for card in medication_safety_cards(context):
                figures.cards[card.indicator] += 1
                figures.rules[(card.indicator, card.rule_id)] += 1
                if card.indicator == "critical" and not (card.source.label and card.source.url):
                    figures.critical_without_source += 1
    return figures


def replay_text(figures: ReplayFigures) -> str:
    lines = [
        f"{figures.residents} residents, {figures.orders} medication orders replayed through order-sign's rules",
        f"cards per 100 orders: critical (interrupting) {figures.per_hundred('critical'):.2f}, "
        f"warning {figures.per_hundred('warning'):.2f}, info {figures.per_hundred('info'):.2f}",
        f"critical cards without a cited source: {figures.critical_without_source}",
        "most frequent rules:",
    ]
    for (indicator, rule_id), count in figures.rules.most_common(15):
        lines.append(f"  {indicator:<8} {rule_id:<50} {count}")
    return "\n".join(lines)
