"""Shared card building for the medication rules: indicators, sources, suggestions and override reasons."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kaari.cds.cards import Action, Card, Coding, Indicator, Source, Suggestion
from kaari.safety.knowledge.model import Severity
from kaari.safety.knowledge.model import Source as KnowledgeSource
from kaari.safety.rules.context import ATC_SYSTEM, Medication

OVERRIDE_REASON_SYSTEM = "https://kaari.fi/fhir/CodeSystem/cds-override-reason"
_UUID_NAMESPACE = uuid.UUID("6b3c1f3e-5d1a-4c3e-9a57-6a1f0d2c7b10")

INDICATOR_BY_SEVERITY: dict[str, Indicator] = {
    "contraindicated": "critical",
    "major": "warning",
    "moderate": "info",
    "minor": "info",
}
INDICATOR_RANK: dict[str, int] = {"critical": 3, "warning": 2, "info": 1}

_OVERRIDE_REASONS = (
    Coding(
        system=OVERRIDE_REASON_SYSTEM, code="benefit-outweighs-risk", display="Benefit outweighs risk; will monitor"
    ),
    Coding(system=OVERRIDE_REASON_SYSTEM, code="tolerated-before", display="Patient has tolerated this before"),
    Coding(system=OVERRIDE_REASON_SYSTEM, code="stopping-other", display="The other medicine is being stopped"),
    Coding(system=OVERRIDE_REASON_SYSTEM, code="specialist-advised", display="Advised by a specialist"),
)
_ALLERGY_OVERRIDE_REASONS = (
    Coding(
        system=OVERRIDE_REASON_SYSTEM,
        code="allergy-not-applicable",
        display="Recorded allergy is wrong or not relevant",
    ),
    Coding(system=OVERRIDE_REASON_SYSTEM, code="tolerated-before", display="Patient has tolerated this before"),
    Coding(
        system=OVERRIDE_REASON_SYSTEM, code="premedicated-monitored", display="Given under supervision or premedication"
    ),
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A card with what it is about: `about` is the set of medicine keys (and allergy key) it concerns, used to
    keep one card per finding when several rules or checks say the same thing."""

    card: Card
    about: frozenset[str]


def card_source(source: KnowledgeSource) -> Source:
    return Source(label=source.label, url=source.url)


def card_uuid(rule_id: str, about: Iterable[str]) -> str:
    """Stable per finding, so that a repeated call (order-select, then order-sign) yields the same card id and
    feedback can be tied to the finding."""
    return str(uuid.uuid5(_UUID_NAMESPACE, rule_id + "|" + "|".join(sorted(about))))


def summary_fit(text: str) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if len(text) <= 140 else text[:139].rstrip() + "…"


def override_reasons(indicator: Indicator, *, allergy: bool = False) -> list[Coding]:
    if indicator != "critical":
        return []
    return list(_ALLERGY_OVERRIDE_REASONS if allergy else _OVERRIDE_REASONS)


def remove_suggestion(medication: Medication) -> Suggestion | None:
    if not medication.draft or not medication.resource_id:
        return None
    return Suggestion(
        label=f"Remove the order for {medication.display}",
        isRecommended=False,
        actions=[
            Action(
                type="delete",
                description=f"Remove the draft order for {medication.display}",
                resourceId=f"MedicationRequest/{medication.resource_id}",
            )
        ],
    )


def replace_suggestion(medication: Medication, *, atc: str, name: str) -> Suggestion | None:
    """Remove the draft and create the same order for another substance; dose and timing are left to the
    prescriber to confirm, since they rarely carry over between substances."""
    if not medication.draft or not medication.resource_id:
        return None
    replacement: dict[str, Any] = copy.deepcopy(medication.resource)
    for key in ("id", "medicationReference", "contained", "dosageInstruction", "meta", "text"):
        replacement.pop(key, None)
    replacement["status"] = "draft"
    replacement["medicationCodeableConcept"] = {
        "coding": [{"system": ATC_SYSTEM, "code": atc, "display": name}],
        "text": name,
    }
    return Suggestion(
        label=f"Replace {medication.display} with {name}",
        actions=[
            Action(
                type="delete",
                description=f"Remove the draft order for {medication.display}",
                resourceId=f"MedicationRequest/{medication.resource_id}",
            ),
            Action(type="create", description=f"Order {name} instead (set the dose)", resource=replacement),
        ],
    )


def suggestions_for(
    medications: Iterable[Medication],
    *,
    replace: Medication | None = None,
    alternatives: Iterable[tuple[str, str]] = (),
) -> list[Suggestion]:
    found: list[Suggestion] = []
    if replace is not None:
        found.extend(s for atc, name in alternatives if (s := replace_suggestion(replace, atc=atc, name=name)))
    found.extend(s for m in medications if (s := remove_suggestion(m)))
    return found


def severity_indicator(severity: Severity) -> Indicator:
    return INDICATOR_BY_SEVERITY[severity]
