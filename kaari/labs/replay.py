"""Replay a synthetic county's laboratory testing through the duplicate-test rule, as order-sign would have seen it.

The synthetic county records results, not orders, so each laboratory result stands for the order that produced
it: a draft for that test on the day the sample was taken, checked against the resident's earlier results (taken
before that moment; results of the same sample never count against each other). Pending orders are not modelled
by the generator and so are not replayed. The figures answer issue 8's acceptance: how many orders would have been
warned about, per test.

    kaari labs replay --residents 2000 --seed 1
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kaari.cds.charts import charts_group
from kaari.labs.catalogue import Catalogue, Orderable
from kaari.labs.fhirtime import fhir_datetime_parse
from kaari.labs.knowledge import LabKnowledge, lab_knowledge
from kaari.labs.rules.context import LabDuplicateContext
from kaari.labs.rules.duplicates import lab_duplicate_cards


@dataclass
class TestReplay:
    orders: int = 0
    warned: int = 0
    rules: set[str] = field(default_factory=set)


def _orderable_for_result(catalogue: Catalogue, concept: Any) -> Orderable | None:
    """The test a result came from: its own code's test, else the orderable test of the analyte it measures (a
    result may carry another LOINC of the analyte than the one the catalogue orders by)."""
    orderable = catalogue.orderable_of_concept(concept)
    if orderable is not None:
        return orderable
    analytes = catalogue.analytes_of_concept(concept)
    return next((t for t in catalogue.tests.values() if t.orderable and t.analyte in analytes), None)


def _taken(observation: dict[str, Any]) -> datetime | None:
    return fhir_datetime_parse(text=observation.get("effectiveDateTime") or observation.get("issued"))


def lab_testing_replay(
    *, resources: Iterable[dict[str, Any]], knowledge: LabKnowledge | None = None
) -> tuple[int, dict[str, TestReplay]]:
    """Residents replayed, and per test (national abbreviation) the orders and how many would have been warned."""
    knowledge = knowledge or lab_knowledge()
    catalogue = knowledge.catalogue
    tests: dict[str, TestReplay] = {}
    residents = 0
    for chart in charts_group(resources, kinds=("Observation",)):
        residents += 1
        timed: list[tuple[datetime, dict[str, Any]]] = []
        for r in chart:
            moment = _taken(r) if r["resourceType"] == "Observation" else None
            if moment is not None and _orderable_for_result(catalogue, r.get("code")) is not None:
                timed.append((moment, r))
        timed.sort(key=lambda pair: pair[0])
        for moment, result in timed:
            orderable = _orderable_for_result(catalogue, result.get("code"))
            assert orderable is not None
            draft = {
                "resourceType": "ServiceRequest",
                "id": f"replay-{result.get('id')}",
                "status": "draft",
                "intent": "order",
                "code": catalogue.concept_for_orderable(orderable),
                "subject": result.get("subject"),
            }
            earlier = tuple(r for taken, r in timed if taken < moment)
            context = LabDuplicateContext(
                draft_orders=(draft,), results=earlier, pending_orders=(), now=moment, knowledge=knowledge
            )
            cards = lab_duplicate_cards(context)
            figures = tests.setdefault(orderable.abbreviation, TestReplay())
            figures.orders += 1
            if cards:
                figures.warned += 1
                figures.rules |= {card.rule_id for card in cards}
    return residents, tests


def replay_text(residents: int, tests: dict[str, TestReplay]) -> str:
    orders = sum(t.orders for t in tests.values())
    warned = sum(t.warned for t in tests.values())
    lines = [
        f"{residents} residents, {orders} laboratory orders (one per result) replayed through lab-duplicates",
        f"would have been warned: {warned} ({100.0 * warned / orders if orders else 0:.1f} %)",
        f"{'test':<16} {'orders':>7} {'warned':>7} {'share':>7}",
    ]
    for label, figures in sorted(tests.items(), key=lambda item: (-item[1].warned, item[0])):
        share = 100.0 * figures.warned / figures.orders if figures.orders else 0.0
        lines.append(f"{label:<16} {figures.orders:>7} {figures.warned:>7} {share:>6.1f}%")
    return "\n".join(lines)
