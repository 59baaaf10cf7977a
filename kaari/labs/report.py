"""`kaari labs report`: duplicate tests caught, overridden and avoided per test, with the laboratory cost saved.

Counted per draft order (a draft warned at selection and again at signing is one duplicate caught):
- avoided: the clinician accepted a card's suggestion to remove that draft;
- overridden: a card on it was overridden (and none accepted);
- no feedback: warned, but no outcome was recorded.
Cost saved is avoided x the test's price from the catalogue or the region's price list, with the price's
source. A test without a price shows "no price": nothing is estimated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kaari.cds.selectors import CardOutcome, card_outcomes
from kaari.labs.catalogue import Catalogue, Orderable, Price
from kaari.labs.knowledge import lab_knowledge

LAB_SERVICES = ("lab-duplicates", "lab-duplicates-select")


@dataclass
class TestFigures:
    label: str
    name: str
    price: Price | None
    caught: int = 0
    overridden: int = 0
    avoided: int = 0
    rules: set[str] = field(default_factory=set)

    @property
    def no_feedback(self) -> int:
        return self.caught - self.overridden - self.avoided

    @property
    def saved_eur(self) -> float | None:
        return None if self.price is None else self.avoided * self.price.eur


@dataclass(frozen=True)
class LabsReport:
    since: datetime | None
    until: datetime | None
    tests: list[TestFigures]
    price_sources: dict[str, str]

    @property
    def saved_eur(self) -> float:
        return sum(t.saved_eur or 0.0 for t in self.tests)

    @property
    def avoided_unpriced(self) -> int:
        return sum(t.avoided for t in self.tests if t.price is None)


def _orderable(catalogue: Catalogue, codes: list[str]) -> Orderable | None:
    for code in codes:
        system, _, value = code.partition("|")
        orderable = catalogue.orderable_for_coding(system=system, code=value)
        if orderable is not None:
            return orderable
    return None


def _order_outcomes(outcomes: list[CardOutcome]) -> dict[tuple[str, str], list[CardOutcome]]:
    by_order: dict[tuple[str, str], list[CardOutcome]] = {}
    for outcome in outcomes:
        for reference in outcome.orders:
            by_order.setdefault((outcome.patient_id, reference), []).append(outcome)
    return by_order


def _removed(outcome: CardOutcome, reference: str) -> bool:
    return outcome.outcome == "accepted" and any(
        a["type"] == "delete" and a["resourceId"] == reference for a in outcome.accepted_actions()
    )


def labs_report_build(*, since: datetime | None = None, until: datetime | None = None) -> LabsReport:
    catalogue = lab_knowledge().catalogue
    tests: dict[str, TestFigures] = {}
    for (_, reference), outcomes in _order_outcomes(
        card_outcomes(service_ids=LAB_SERVICES, since=since, until=until)
    ).items():
        summary = next((o for c in outcomes for o in c.call_orders if o["reference"] == reference), None)
        codes = list(summary["codes"]) if summary else []
        orderable = _orderable(catalogue, codes)
        if orderable is not None:
            key, name, price = orderable.abbreviation, orderable.name_fi, catalogue.price_of(orderable)
        else:
            key = (summary or {}).get("display") or (codes[0] if codes else reference)
            name, price = "not in the catalogue", None
        figures = tests.setdefault(key, TestFigures(label=key, name=name, price=price))
        figures.caught += 1
        figures.rules |= {o.rule_id for o in outcomes}
        if any(_removed(o, reference) for o in outcomes):
            figures.avoided += 1
        elif any(o.outcome == "overridden" for o in outcomes):
            figures.overridden += 1
    sources = {
        test.price.source: catalogue.data.sources[test.price.source].label
        for test in tests.values()
        if test.price is not None and test.price.source in catalogue.data.sources
    }
    return LabsReport(
        since=since,
        until=until,
        tests=sorted(tests.values(), key=lambda t: (-t.caught, t.label)),
        price_sources=sources,
    )


def _eur(value: float | None) -> str:
    return "no price" if value is None else f"{value:.2f} €"


def labs_report_text(report: LabsReport) -> str:
    period = f"{report.since.date() if report.since else 'start'} .. {report.until.date() if report.until else 'now'}"
    lines = [
        f"Duplicate laboratory tests, {period} (from recorded calls and feedback; counted per draft order)",
        "",
        f"{'test':<14} {'name':<34} {'caught':>6} {'overridden':>10} {'avoided':>7} {'no fb':>6} "
        f"{'price':>10} {'saved':>10}",
    ]
    for test in report.tests:
        price = None if test.price is None else test.price.eur
        lines.append(
            f"{test.label[:14]:<14} {test.name[:34]:<34} {test.caught:>6} {test.overridden:>10} {test.avoided:>7} "
            f"{test.no_feedback:>6} {_eur(price):>10} {_eur(test.saved_eur):>10}"
        )
    if not report.tests:
        lines.append("(no duplicate-test cards recorded in this period)")
    total = {
        "caught": sum(t.caught for t in report.tests),
        "overridden": sum(t.overridden for t in report.tests),
        "avoided": sum(t.avoided for t in report.tests),
    }
    lines.append(
        f"{'total':<49} {total['caught']:>6} {total['overridden']:>10} {total['avoided']:>7} "
        f"{total['caught'] - total['overridden'] - total['avoided']:>6} {'':>10} {_eur(report.saved_eur):>10}"
    )
    if report.avoided_unpriced:
        lines.append(
            f"Cost saved counts priced tests only: {report.avoided_unpriced} avoided tests have no price in the "
            "catalogue or the regional price list (KAARI_LAB_REGIONAL_FILE)."
        )
    for source, label in sorted(report.price_sources.items()):
        lines.append(f"Price source {source}: {label}")
    return "\n".join(lines)
