"""Drug-allergy: an order for a substance the patient is allergic to, for a member of the allergen's class, or for
a medicine that cross-reacts with the allergen (e.g. a shared beta-lactam R1 side chain)."""

from __future__ import annotations

from dataclasses import dataclass

from kaari.cds.cards import Card, Indicator
from kaari.safety.knowledge import KnowledgeBase, knowledge_base
from kaari.safety.knowledge.index import atc_prefixes
from kaari.safety.knowledge.model import Source
from kaari.safety.rules.cards import Finding, card_source, card_uuid, override_reasons, suggestions_for, summary_fit
from kaari.safety.rules.context import Allergy, Medication, MedicationContext


@dataclass(frozen=True, slots=True)
class _Match:
    kind: str  # "substance", "class" or "cross-reactivity"
    rank: int
    rule_id: str
    what: str
    source: Source
    note: str = ""


def _class_match(kb: KnowledgeBase, allergen: str, substance: str) -> _Match | None:
    explicit = kb.allergy_classes(allergen)
    for allergy_class in explicit:
        if kb.matches(substance, allergy_class.atc):
            return _Match("class", 2, allergy_class.id, allergy_class.name, allergy_class.source)
    if not explicit and len(allergen) == 7 and substance[:5] == allergen[:5]:
        name = kb.name(allergen[:5])
        return _Match("class", 2, "allergy.class.atc-level-4", name, kb.files.allergy_default)
    return None


def _best_match(kb: KnowledgeBase, allergy: Allergy, medication: Medication) -> _Match | None:
    best: _Match | None = None
    for allergen in allergy.substances:
        for substance in medication.substances:
            match: _Match | None = None
            if allergen in atc_prefixes(substance):
                match = _Match("substance", 3, "allergy.substance", kb.name(allergen), kb.files.allergy_default)
            else:
                match = _class_match(kb, allergen, substance)
                if match is None:
                    shared = set(kb.cross_reactivity(allergen)) & set(kb.cross_reactivity(substance))
                    group = next(iter(sorted(shared, key=lambda g: g.id)), None)
                    if group is not None:
                        match = _Match("cross-reactivity", 1, group.id, group.name, group.source, group.note)
            if match is not None and (best is None or match.rank > best.rank):
                best = match
    return best


def _card(allergy: Allergy, medication: Medication, match: _Match, review: bool) -> Finding:
    direct = match.kind in ("substance", "class")
    indicator: Indicator = "critical" if direct and allergy.confirmed and not allergy.intolerance else "warning"
    kind = "intolerance" if allergy.intolerance else "allergy"
    status = "confirmed" if allergy.confirmed else "unconfirmed"
    if match.kind == "substance":
        relation = f"{medication.display} is or contains {match.what}"
    elif match.kind == "class":
        relation = f"{medication.display} is in the same class ({match.what})"
    else:
        relation = f"{medication.display} may cross-react ({match.what})"
    summary = f"{kind.capitalize()} to {allergy.display}: {relation}"
    detail = [
        f"The patient has a recorded {status} {kind} to **{allergy.display}**. {relation[0].upper()}{relation[1:]}.",
    ]
    if match.note:
        detail.append(match.note)
    if indicator != "critical":
        detail.append("Check the reaction history; choose an unrelated alternative or give under supervision.")
    about = frozenset({medication.key, allergy.key})
    suggestions = [] if review else suggestions_for([medication])
    card = Card(
        summary=summary_fit(summary),
        indicator=indicator,
        source=card_source(match.source),
        uuid=card_uuid(match.rule_id, about),
        detail="\n\n".join(detail),
        suggestions=suggestions,
        selectionBehavior="at-most-one" if suggestions else None,
        overrideReasons=override_reasons(indicator, allergy=True),
        rule_id=match.rule_id,
    )
    return Finding(card=card, about=about)


def allergy_findings(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> list[Finding]:
    kb = knowledge or knowledge_base()
    findings = []
    for medication in context.subjects:
        for allergy in context.allergies:
            match = _best_match(kb, allergy, medication)
            if match is not None:
                findings.append(_card(allergy, medication, match, context.review))
    return findings


def check_drug_allergies(context: MedicationContext) -> list[Card]:
    return [finding.card for finding in allergy_findings(context)]
