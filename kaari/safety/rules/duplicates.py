"""Duplicate therapy: an order for a substance, or a member of a therapeutic class, that the patient already has.
A class is ATC level 4 unless a cited class in duplicates.toml is wider; cited exceptions are intended pairs."""

from __future__ import annotations

from kaari.cds.cards import Card
from kaari.safety.knowledge import KnowledgeBase, knowledge_base
from kaari.safety.knowledge.model import DuplicateException, Source
from kaari.safety.rules.cards import Finding, card_source, card_uuid, suggestions_for, summary_fit
from kaari.safety.rules.context import Medication, MedicationContext


def _shared_class(kb: KnowledgeBase, a: Medication, b: Medication) -> tuple[str, str, Source] | None:
    """(rule id, class name, source) of a class both medicines belong to, wider cited classes first."""
    for code_a in a.substances:
        for dup_class in kb.duplicate_classes(code_a):
            if any(kb.matches(code_b, dup_class.atc) for code_b in b.substances):
                return dup_class.id, dup_class.name, dup_class.source
    level4_b = {code[:5] for code in b.substances if len(code) == 7}
    for code_a in a.substances:
        if len(code_a) == 7 and code_a[:5] in level4_b:
            return "dup.same-class", kb.name(code_a[:5]), kb.files.duplicate_same_class
    return None


def _exception_applies(kb: KnowledgeBase, exception: DuplicateException, a: Medication, b: Medication) -> bool:
    if exception.when_one_as_needed and a.as_needed == b.as_needed:
        return False
    # The very same product twice is never an intended pair, unless one is the as-needed dose.
    if set(a.codes) & set(b.codes) and not exception.when_one_as_needed:
        return False
    parts = exception.parts if len(exception.parts) == 2 else (exception.parts[0], exception.parts[0])

    def fills(med: Medication, part: tuple[str, ...]) -> bool:
        return any(kb.matches(code, part) for code in med.substances)

    return (fills(a, parts[0]) and fills(b, parts[1])) or (fills(b, parts[0]) and fills(a, parts[1]))


def duplicate_findings(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> list[Finding]:
    kb = knowledge or knowledge_base()
    findings = []
    seen: set[frozenset[str]] = set()
    for subject in context.subjects:
        for other in context.medications:
            pair = frozenset({subject.key, other.key})
            if other.key == subject.key or pair in seen:
                continue
            seen.add(pair)
            shared = [code for code in subject.substances if code in other.substances and len(code) == 7]
            if shared:
                rule_id, what, source = "dup.same-substance", kb.name(shared[0]), kb.files.duplicate_same_substance
                relation = f"both contain {what}"
            else:
                found = _shared_class(kb, subject, other)
                if found is None:
                    continue
                rule_id, what, source = found
                relation = f"both are {what}"
            exceptions = {
                e for code in (*subject.substances, *other.substances) for e, _ in kb.duplicate_exception_parts(code)
            }
            if any(_exception_applies(kb, e, subject, other) for e in exceptions):
                continue
            already = "already ordered" if other.draft else "already in use"
            suggestions = [] if context.review else suggestions_for([subject] if subject.draft else [])
            card = Card(
                summary=summary_fit(f"Duplicate therapy: {subject.display} and {other.display} ({relation})"),
                indicator="warning",
                source=card_source(source),
                uuid=card_uuid(rule_id, pair),
                detail=(
                    f"{subject.display} and {other.display} ({already}) {relation}. Taking both adds up the dose and "
                    "the adverse effects. Stop one of them, unless the combination is intended."
                ),
                suggestions=suggestions,
                selectionBehavior="at-most-one" if suggestions else None,
                rule_id=rule_id,
            )
            findings.append(Finding(card=card, about=pair))
    return findings


def check_duplicate_therapy(context: MedicationContext) -> list[Card]:
    return [finding.card for finding in duplicate_findings(context)]
