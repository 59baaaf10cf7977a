"""Potentially inappropriate medicines for older patients (EU(7)-PIM, AGS Beers 2023), from the age set in
pim.toml. Informational: one passive card per order, naming every list that flags it."""

from __future__ import annotations

from kaari.cds.cards import Card
from kaari.safety.knowledge import KnowledgeBase, knowledge_base
from kaari.safety.knowledge.index import atc_prefixes
from kaari.safety.knowledge.model import PimEntry
from kaari.safety.rules.cards import Finding, card_source, card_uuid, suggestions_for, summary_fit
from kaari.safety.rules.context import MedicationContext


def _specificity(entry: PimEntry, codes: tuple[str, ...]) -> int:
    """How closely an entry names the medicine: a substance entry outranks a class entry."""
    return max((len(term) for term in entry.atc for code in codes if term in atc_prefixes(code)), default=0)


def pim_findings(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> list[Finding]:
    kb = knowledge or knowledge_base()
    if context.age is None or context.age < kb.pim_min_age:
        return []
    findings = []
    for medication in context.subjects:
        entries = list(dict.fromkeys(e for code in medication.substances for e in kb.pims_for(code)))
        if not entries:
            continue
        entries.sort(key=lambda e: -_specificity(e, medication.substances))
        primary = entries[0]
        lists = sorted({name for entry in entries for name in entry.lists})
        detail = [f"**Why:** {primary.reason}"]
        if primary.alternatives:
            detail.append(f"**Alternatives:** {primary.alternatives}")
        if primary.note:
            detail.append(primary.note)
        detail.extend(f"Also ({', '.join(e.lists)}): {e.reason}" for e in entries[1:])
        about = frozenset({medication.key})
        suggestions = [] if context.review else suggestions_for([medication])
        card = Card(
            summary=summary_fit(
                f"{medication.display}: potentially inappropriate at age {context.age} ({', '.join(lists)})"
            ),
            indicator="info",
            source=card_source(primary.source),
            uuid=card_uuid(primary.id, about),
            detail="\n\n".join(detail),
            suggestions=suggestions,
            selectionBehavior="at-most-one" if suggestions else None,
            rule_id=primary.id,
        )
        findings.append(Finding(card=card, about=about | {"pim"}))
    return findings


def check_potentially_inappropriate_medicines(context: MedicationContext) -> list[Card]:
    return [finding.card for finding in pim_findings(context)]
