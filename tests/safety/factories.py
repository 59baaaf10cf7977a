"""FHIR resource dicts for the medication-safety tests, and a one-call way to get the cards for a scenario."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
from typing import Any

from kaari.cds.cards import Card
from kaari.safety.rules import medication_context_build, medication_safety_cards
from kaari.safety.rules.context import MedicationContext

ATC = "http://www.whocc.no/atc"
LOINC = "http://loinc.org"
TODAY = date(2026, 11, 28)
_ids = itertools.count(1)


def _next_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def patient(*, birth_date: str = "1966-06-01", gender: str = "female") -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "pat", "birthDate": birth_date, "gender": gender}


def aged(years: int) -> dict[str, Any]:
    """A patient who turned `years` on the day before TODAY."""
    return patient(birth_date=f"{TODAY.year - years}-{TODAY.month:02d}-{TODAY.day - 1:02d}")


def order(atc: str, *, status: str = "active", resource_id: str | None = None, **extra: Any) -> dict[str, Any]:
    resource = {
        "resourceType": "MedicationRequest",
        "id": resource_id or _next_id("mr"),
        "status": status,
        "intent": "order",
        "subject": {"reference": "Patient/pat"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": atc}]},
    }
    resource.update(extra)
    return resource


def draft(atc: str, **extra: Any) -> dict[str, Any]:
    return order(atc, status="draft", **extra)


def statement(atc: str, *, status: str = "active", **extra: Any) -> dict[str, Any]:
    resource = {
        "resourceType": "MedicationStatement",
        "id": _next_id("ms"),
        "status": status,
        "subject": {"reference": "Patient/pat"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": atc}]},
    }
    resource.update(extra)
    return resource


def allergy(
    atc: str, *, verification: str | None = "confirmed", clinical: str | None = "active", kind: str = "allergy"
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "AllergyIntolerance",
        "id": _next_id("al"),
        "type": kind,
        "patient": {"reference": "Patient/pat"},
        "code": {"coding": [{"system": ATC, "code": atc}]},
    }
    if verification:
        resource["verificationStatus"] = {"coding": [{"code": verification}]}
    if clinical:
        resource["clinicalStatus"] = {"coding": [{"code": clinical}]}
    return resource


def observation(
    loinc: str,
    value: float,
    *,
    unit: str,
    when: str = "2026-11-01",
    status: str = "final",
    comparator: str | None = None,
) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": value, "unit": unit, "code": unit}
    if comparator:
        quantity["comparator"] = comparator
    return {
        "resourceType": "Observation",
        "id": _next_id("obs"),
        "status": status,
        "code": {"coding": [{"system": LOINC, "code": loinc}]},
        "subject": {"reference": "Patient/pat"},
        "effectiveDateTime": when,
        "valueQuantity": quantity,
    }


def egfr(value: float, **extra: Any) -> dict[str, Any]:
    return observation("98979-8", value, unit="mL/min/{1.73_m2}", **extra)


def creatinine(value: float, *, unit: str = "umol/L", **extra: Any) -> dict[str, Any]:
    return observation("14682-9" if unit == "umol/L" else "2160-0", value, unit=unit, **extra)


def weight(kg: float, **extra: Any) -> dict[str, Any]:
    return observation("29463-7", kg, unit="kg", **extra)


def context_for(
    drafts: Iterable[dict[str, Any]] | Iterable[str],
    resources: Iterable[dict[str, Any]] = (),
    *,
    active: Iterable[str] = (),
    person: dict[str, Any] | None = None,
    review: bool = False,
    selections: list[str] | None = None,
    egfr_value: float | None = 90,
) -> MedicationContext:
    draft_orders = [d if isinstance(d, dict) else draft(d) for d in drafts]
    kidney = [egfr(egfr_value)] if egfr_value is not None else []
    everything = [person or patient(), *kidney, *(order(code) for code in active), *resources]
    return medication_context_build(
        resources=everything, draft_orders=draft_orders, selections=selections, review=review, today=TODAY
    )


def cards_for(
    drafts: Iterable[dict[str, Any]] | Iterable[str], resources: Iterable[dict[str, Any]] = (), **kw: Any
) -> list[Card]:
    return medication_safety_cards(context_for(drafts, resources, **kw))


def alerts(cards: list[Card]) -> list[Card]:
    return [card for card in cards if card.indicator in ("warning", "critical")]
