"""Sensitivity and specificity of the medication-safety checks on reference cases.

Positives are every object-precipitant pair of the ONC high-priority list (both ways round: the object ordered
while the precipitant is in use, and the reverse) and the Finnish-practice interactions in evaluation_cases.toml;
negatives are everyday non-interacting combinations. A case is "alerted" when any card is warning or critical.

The way a case is turned into cards is a parameter, so the same cases run in-process here and through the CDS
Hooks HTTP service later (`case_resources` gives the FHIR resources and draft order to post).

    python -m kaari.safety.evaluation          # prints the figures and any misses
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kaari.cds.cards import Card

CASES_FILE = Path(__file__).resolve().parent / "evaluation_cases.toml"
EVALUATION_DAY = date(2026, 11, 28)
ATC_SYSTEM = "http://www.whocc.no/atc"


@dataclass(frozen=True, slots=True)
class EvaluationCase:
    draft: str
    active: tuple[str, ...]
    expect_alert: bool
    label: str


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    true_positives: int
    false_negatives: int
    true_negatives: int
    false_positives: int
    misses: tuple[EvaluationCase, ...] = field(default=())
    false_alarms: tuple[tuple[EvaluationCase, str], ...] = field(default=())

    @property
    def sensitivity(self) -> float:
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else 1.0

    @property
    def specificity(self) -> float:
        negatives = self.true_negatives + self.false_positives
        return self.true_negatives / negatives if negatives else 1.0


def evaluation_cases() -> list[EvaluationCase]:
    """The ONC pairs from the knowledge base plus the cases in evaluation_cases.toml."""
    from kaari.safety.knowledge import knowledge_base

    kb = knowledge_base()
    cases = []
    for onc in kb.files.onc:
        for obj in onc.objects:
            for precipitant in onc.precipitants:
                if obj == precipitant:
                    continue
                label = f"ONC {onc.number} {onc.title}: {kb.name(obj)} + {kb.name(precipitant)}"
                cases.append(EvaluationCase(obj, (precipitant,), True, label + " (object ordered)"))
                cases.append(EvaluationCase(precipitant, (obj,), True, label + " (precipitant ordered)"))
    with CASES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    for key, expect in (("positive", True), ("negative", False)):
        for row in data[key]:
            cases.append(EvaluationCase(row["draft"], tuple(row["active"]), expect, row["note"]))
    return cases


def _order(resource_id: str, atc: str, status: str) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": resource_id,
        "status": status,
        "intent": "order",
        "subject": {"reference": "Patient/evaluation"},
        "medicationCodeableConcept": {"coding": [{"system": ATC_SYSTEM, "code": atc}]},
    }


def case_resources(case: EvaluationCase) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(patient resources, draft orders) for one case: a 60-year-old with eGFR 90 and no allergies, so that only
    interaction and duplicate checks speak."""
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": "evaluation", "birthDate": "1966-06-01", "gender": "female"},
        {
            "resourceType": "Observation",
            "id": "egfr",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "98979-8"}]},
            "subject": {"reference": "Patient/evaluation"},
            "effectiveDateTime": "2026-11-01",
            "valueQuantity": {"value": 90, "unit": "mL/min/1.73m2", "system": "http://unitsofmeasure.org"},
        },
    ]
    resources.extend(_order(f"active-{i}", atc, "active") for i, atc in enumerate(case.active))
    return resources, [_order("draft-0", case.draft, "draft")]


def case_cards_in_process(case: EvaluationCase) -> list[Card]:
    from kaari.safety.rules import medication_context_build, medication_safety_cards

    resources, drafts = case_resources(case)
    context = medication_context_build(resources=resources, draft_orders=drafts, today=EVALUATION_DAY)
    return medication_safety_cards(context)


def evaluation_run(
    *, cases: Iterable[EvaluationCase], cards_for: Callable[[EvaluationCase], list[Card]] = case_cards_in_process
) -> EvaluationResult:
    tp = fn = tn = fp = 0
    misses: list[EvaluationCase] = []
    false_alarms: list[tuple[EvaluationCase, str]] = []
    for case in cases:
        alerts = [card for card in cards_for(case) if card.indicator in ("warning", "critical")]
        if case.expect_alert and alerts:
            tp += 1
        elif case.expect_alert:
            fn += 1
            misses.append(case)
        elif alerts:
            fp += 1
            false_alarms.append((case, alerts[0].summary))
        else:
            tn += 1
    return EvaluationResult(tp, fn, tn, fp, tuple(misses), tuple(false_alarms))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaari.settings")
    import django

    django.setup()
    cases = evaluation_cases()
    result = evaluation_run(cases=cases)
    positives = result.true_positives + result.false_negatives
    negatives = result.true_negatives + result.false_positives
    print(f"cases: {len(cases)} ({positives} interacting, {negatives} non-interacting)")
    print(f"sensitivity: {result.sensitivity:.3f} ({result.true_positives}/{positives} alerted)")
    print(f"specificity: {result.specificity:.3f} ({result.true_negatives}/{negatives} silent)")
    for case in result.misses:
        print(f"MISSED: {case.label}")
    for case, summary in result.false_alarms:
        print(f"FALSE ALARM: {case.label}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
