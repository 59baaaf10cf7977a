"""`kaari safety report`: alert rates per 100 orders and override rates per rule, from recorded calls and feedback.

Denominators are real: each order-sign and order-select call records how many medication orders it checked
and which cards it showed; each feedback is tied to the card as shown. A rule's override rate is over the
cards with a recorded outcome; cards without feedback are counted and shown, never guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from kaari.cds.selectors import CallTotals, CardOutcome, call_totals, card_outcomes

ORDER_SERVICES = ("medication-safety", "medication-safety-select")
REVIEW_SERVICES = ("medication-review",)


@dataclass
class RuleFigures:
    rule_id: str
    shown: int = 0
    critical: int = 0
    accepted: int = 0
    overridden: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def with_feedback(self) -> int:
        return self.accepted + self.overridden

    @property
    def override_rate(self) -> float | None:
        return self.overridden / self.with_feedback if self.with_feedback else None


@dataclass(frozen=True)
class SafetyReport:
    since: datetime | None
    until: datetime | None
    services: list[CallTotals]
    rules: list[RuleFigures]


def per_hundred(count: int, orders: int) -> float | None:
    return 100.0 * count / orders if orders else None


def _rule_figures(outcomes: list[CardOutcome]) -> list[RuleFigures]:
    rules: dict[str, RuleFigures] = {}
    for outcome in outcomes:
        figures = rules.setdefault(outcome.rule_id, RuleFigures(outcome.rule_id))
        figures.shown += 1
        figures.critical += outcome.indicator == "critical"
        if outcome.outcome == "accepted":
            figures.accepted += 1
        elif outcome.outcome == "overridden":
            figures.overridden += 1
            figures.reasons[outcome.override_display or outcome.override_code or "comment only"] += 1
    return sorted(rules.values(), key=lambda r: (-r.shown, r.rule_id))


def safety_report_build(*, since: datetime | None = None, until: datetime | None = None) -> SafetyReport:
    services = [*ORDER_SERVICES, *REVIEW_SERVICES]
    return SafetyReport(
        since=since,
        until=until,
        services=call_totals(service_ids=services, since=since, until=until),
        rules=_rule_figures(card_outcomes(service_ids=services, since=since, until=until)),
    )


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f} %"


def safety_report_text(report: SafetyReport) -> str:
    period = f"{report.since.date() if report.since else 'start'} .. {report.until.date() if report.until else 'now'}"
    lines = [f"Medication safety CDS, {period} (from recorded calls and feedback)", ""]
    for totals in report.services:
        cards = totals.cards
        shown = sum(cards.values())
        if totals.service_id in REVIEW_SERVICES:
            lines.append(f"{totals.service_id}: {totals.calls} chart reviews, {shown} cards")
            continue
        lines.append(
            f"{totals.service_id}: {totals.calls} calls, {totals.orders} medication orders, {shown} cards "
            f"(critical {cards['critical']}, warning {cards['warning']}, info {cards['info']})"
        )
        lines.append(
            f"  alerts per 100 orders: {_rate(per_hundred(shown, totals.orders))}; interrupting (critical) "
            f"{_rate(per_hundred(cards['critical'], totals.orders))}, warning "
            f"{_rate(per_hundred(cards['warning'], totals.orders))}, info "
            f"{_rate(per_hundred(cards['info'], totals.orders))}"
        )
    lines += ["", "Override rate per rule (over cards with a recorded outcome)"]
    header = f"{'rule':<48} {'shown':>6} {'crit':>5} {'accepted':>8} {'overridden':>10} {'no fb':>6} {'override':>8}"
    lines.append(header)
    for rule in report.rules:
        lines.append(
            f"{rule.rule_id[:48]:<48} {rule.shown:>6} {rule.critical:>5} {rule.accepted:>8} {rule.overridden:>10} "
            f"{rule.shown - rule.with_feedback:>6} {_percent(rule.override_rate):>8}"
        )
        for reason, count in rule.reasons.most_common(3):
            lines.append(f"    override reason: {reason} ({count})")
    if not report.rules:
        lines.append("(no cards recorded in this period)")
    return "\n".join(lines)
