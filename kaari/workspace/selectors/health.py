"""The health block: active problems, current medications, latest laboratory results with their trends."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaari.fhir.store import Store, StoredResource
from kaari.workspace.selectors.events import newest
from kaari.workspace.selectors.fhirtext import concept_codes, concept_text, moment_of, search
from kaari.workspace.selectors.sparkline import Sparkline, sparkline

LAB_READ = 300  # the newest results read to find each test's latest value and trend
LAB_DAYS = 730  # from the last two years, or from the whole history when there are none
TREND_POINTS = 8
LATEST_TESTS = 12


@dataclass(frozen=True)
class Problem:
    name: str
    code: str
    since: str


@dataclass(frozen=True)
class Medication:
    name: str
    dosage: str


@dataclass(frozen=True)
class LabResult:
    name: str
    value: str
    unit: str
    when: str
    abnormal: bool
    trend: Sparkline | None


@dataclass
class HealthBlock:
    problems: list[Problem] = field(default_factory=list)
    medications: list[Medication] = field(default_factory=list)
    labs: list[LabResult] = field(default_factory=list)


def health_block(*, store: Store, patient_id: str) -> HealthBlock:
    block = HealthBlock()
    conditions, _ = search(
        store, "Condition", ("patient", patient_id), ("clinical-status", "active,recurrence,relapse"), ("_count", "50")
    )
    block.problems = [_problem(c) for c in conditions]
    requests, _ = search(store, "MedicationRequest", ("patient", patient_id), ("status", "active"), ("_count", "50"))
    block.medications = [
        Medication(
            name=concept_text(r.resource.get("medicationCodeableConcept")),
            dosage="; ".join(str(d.get("text", "")) for d in r.resource.get("dosageInstruction", ()) if d.get("text")),
        )
        for r in requests
    ]
    results, _ = newest(store, "Observation", patient_id, LAB_READ, ("category", "laboratory"), days=LAB_DAYS, enough=1)
    block.labs = labs_latest(results)
    return block


def _problem(condition: StoredResource) -> Problem:
    resource = condition.resource
    code = sorted(concept_codes(resource.get("code")))
    return Problem(
        name=concept_text(resource.get("code")),
        code=code[0] if code else "",
        since=str(resource.get("onsetDateTime") or resource.get("recordedDate") or "")[:10],
    )


def labs_latest(results: list[StoredResource]) -> list[LabResult]:
    """Newest first in, one row per test out: its latest value and a trend of its last few numeric values."""
    by_test: dict[str, list[StoredResource]] = {}
    for stored in results:
        key = concept_text(stored.resource.get("code"))
        by_test.setdefault(key, []).append(stored)
    rows = []
    for name, series in list(by_test.items())[:LATEST_TESTS]:
        latest = series[0].resource
        quantity = latest.get("valueQuantity") or {}
        numbers = [
            float(s.resource["valueQuantity"]["value"])
            for s in series[:TREND_POINTS]
            if isinstance((s.resource.get("valueQuantity") or {}).get("value"), int | float)
        ]
        when = moment_of(latest.get("effectiveDateTime") or latest.get("issued"))
        interpretation = set().union(*(concept_codes(i) for i in latest.get("interpretation", ()))) or set()
        rows.append(
            LabResult(
                name=name,
                value=_value_text(latest),
                unit=str(quantity.get("unit", "")),
                when=when.date().isoformat() if when else "",
                abnormal=bool(interpretation - {"N"}),
                trend=sparkline(list(reversed(numbers))),
            )
        )
    return rows


def _value_text(observation: dict[str, object]) -> str:
    quantity = observation.get("valueQuantity")
    if isinstance(quantity, dict) and "value" in quantity:
        return f"{quantity.get('comparator', '')}{quantity['value']}"
    if isinstance(observation.get("valueString"), str):
        return str(observation["valueString"])
    return concept_text(observation.get("valueCodeableConcept"))
