"""The pure medication-safety rules. Each `check_*` takes a MedicationContext and returns CDS Hooks cards; the two
entry points below run them all for a CDS service and keep one card per finding.

- `medication_safety_cards(context)`: order-sign and order-select (the context's drafts are the orders checked).
- `medication_review_cards(context)`: patient-view review of the whole current list (a context built with
  `review=True`).
"""

from __future__ import annotations

from collections.abc import Callable

from kaari.cds.cards import Card
from kaari.safety.knowledge import KnowledgeBase, knowledge_base
from kaari.safety.rules.allergy import allergy_findings, check_drug_allergies
from kaari.safety.rules.cards import INDICATOR_RANK, Finding
from kaari.safety.rules.context import MedicationContext, medication_context_build
from kaari.safety.rules.duplicates import check_duplicate_therapy, duplicate_findings
from kaari.safety.rules.elderly import check_potentially_inappropriate_medicines, pim_findings
from kaari.safety.rules.interactions import check_drug_interactions, interaction_findings
from kaari.safety.rules.renal import check_renal_dosing, renal_findings

__all__ = [
    "MedicationContext",
    "check_drug_allergies",
    "check_drug_interactions",
    "check_duplicate_therapy",
    "check_potentially_inappropriate_medicines",
    "check_renal_dosing",
    "medication_context_build",
    "medication_review_cards",
    "medication_safety_cards",
]

FindingCheck = Callable[[MedicationContext, KnowledgeBase | None], list[Finding]]
FINDING_CHECKS: tuple[FindingCheck, ...] = (
    interaction_findings,
    allergy_findings,
    duplicate_findings,
    renal_findings,
    pim_findings,
)


def _one_card_per_finding(findings: list[Finding]) -> list[Card]:
    """Checks can meet on the same medicines (two anticoagulants are both an interaction and a duplicate): keep the
    most severe card and name the others in its detail, so the prescriber reads each finding once."""
    kept: dict[frozenset[str], Finding] = {}
    also: dict[frozenset[str], list[str]] = {}
    for finding in sorted(findings, key=lambda f: -INDICATOR_RANK[f.card.indicator]):
        if finding.about in kept:
            also.setdefault(finding.about, []).append(finding.card.summary)
        else:
            kept[finding.about] = finding
    cards = []
    for about, finding in kept.items():
        card = finding.card
        if about in also:
            extra = "\n\n".join(f"Also: {summary}" for summary in also[about])
            card = card.model_copy(update={"detail": f"{card.detail}\n\n{extra}" if card.detail else extra})
        cards.append(card)
    return sorted(cards, key=lambda c: -INDICATOR_RANK[c.indicator])


def medication_safety_cards(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> list[Card]:
    """All findings about the orders being signed or selected, most severe first."""
    kb = knowledge or knowledge_base()
    return _one_card_per_finding([f for check in FINDING_CHECKS for f in check(context, kb)])


def medication_review_cards(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> list[Card]:
    """All findings about the current medication list, for a patient-view review."""
    if not context.review:
        context = MedicationContext(
            drafts=(),
            current=context.medications,
            allergies=context.allergies,
            egfr=context.egfr,
            creatinine_umol_l=context.creatinine_umol_l,
            weight_kg=context.weight_kg,
            age=context.age,
            sex=context.sex,
            review=True,
        )
    return medication_safety_cards(context, knowledge)
