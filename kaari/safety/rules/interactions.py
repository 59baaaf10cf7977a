"""Drug-drug interactions: every rule whose parts are each matched by a different medicine, at least one of them
an order being checked. One card per set of medicines; the most severe rule speaks, the others are named."""

from __future__ import annotations

import itertools
from collections import defaultdict

from kaari.cds.cards import Card
from kaari.safety.knowledge import KnowledgeBase, knowledge_base
from kaari.safety.knowledge.model import SEVERITIES, InteractionRule
from kaari.safety.rules.cards import (
    Finding,
    card_source,
    card_uuid,
    override_reasons,
    severity_indicator,
    suggestions_for,
    summary_fit,
)
from kaari.safety.rules.context import Medication, MedicationContext

_SEVERITY_LABEL = {"contraindicated": "contraindicated", "major": "major", "moderate": "moderate", "minor": "minor"}

# (medicine, the substance code that matched): a combination product can fill two parts with two components.
_Slot = tuple[int, str]


def _rule_matches(rule: InteractionRule, slots: list[list[_Slot]], subjects: set[int]) -> list[tuple[int, ...]]:
    """Every assignment of medicines to the rule's parts: distinct (medicine, component) per part, at least two
    medicines, at least one of them being checked. Returned as the medicine index of each part."""
    found: dict[frozenset[int], tuple[int, ...]] = {}
    for combination in itertools.product(*slots):
        meds = tuple(slot[0] for slot in combination)
        distinct = set(meds)
        if len(distinct) < 2 or len(set(combination)) < len(combination) or not distinct & subjects:
            continue
        found.setdefault(frozenset(distinct), meds)
    return list(found.values())


def _card(
    rule: InteractionRule,
    assignment: tuple[int, ...],
    medications: tuple[Medication, ...],
    kb: KnowledgeBase,
    also: list[InteractionRule],
    review: bool,
) -> Finding:
    involved = [medications[i] for i in dict.fromkeys(assignment)]
    names = " + ".join(m.display for m in involved)
    indicator = severity_indicator(rule.severity)
    detail = [
        f"**{rule.effect[0].upper()}{rule.effect[1:]}** ({_SEVERITY_LABEL[rule.severity]} interaction).",
        f"**Mechanism:** {rule.mechanism}",
        f"**Recommendation:** {rule.recommendation}",
    ]
    for other in also:
        detail.append(f"Also: {other.effect} ({other.severity}) - {other.recommendation}")
    replace = medications[assignment[rule.replace_part]]
    about = frozenset(m.key for m in involved)
    suggestions = (
        []
        if review
        else suggestions_for(
            [m for m in involved if m.draft],
            replace=replace if replace.draft else None,
            alternatives=[(code, kb.name(code)) for code in rule.replace_with],
        )
    )
    card = Card(
        summary=summary_fit(f"{names}: {rule.effect}"),
        indicator=indicator,
        source=card_source(rule.source),
        uuid=card_uuid(rule.id, about),
        detail="\n\n".join(detail),
        suggestions=suggestions,
        selectionBehavior="at-most-one" if suggestions else None,
        overrideReasons=override_reasons(indicator),
        rule_id=rule.id,
    )
    return Finding(card=card, about=about)


_Matches = dict[frozenset[int], list[tuple[InteractionRule, tuple[int, ...]]]]


def interaction_matches(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> _Matches:
    """Every rule that fires, by the set of medicines (indexes into `context.medications`) it fires on, after
    superseded rules are silenced."""
    kb = knowledge or knowledge_base()
    medications = context.medications
    subject_keys = {m.key for m in context.subjects}
    subjects = {i for i, m in enumerate(medications) if m.key in subject_keys}
    # rule index -> part index -> slots that fill it
    slots: dict[int, dict[int, list[_Slot]]] = defaultdict(lambda: defaultdict(list))
    for index, medication in enumerate(medications):
        for code in medication.substances:
            for hit in kb.interaction_hits(code):
                slots[hit.rule_index][hit.part_index].append((index, code))

    by_medicines: _Matches = defaultdict(list)
    for rule_index, parts in slots.items():
        rule = kb.interactions[rule_index]
        if len(parts) < len(rule.parts):
            continue
        slot_lists = [list(dict.fromkeys(parts[p])) for p in range(len(rule.parts))]
        for assignment in _rule_matches(rule, slot_lists, subjects):
            by_medicines[frozenset(assignment)].append((rule, assignment))

    # A rule that says more about a set of medicines silences the rules it supersedes on any subset of them.
    silenced: set[tuple[str, frozenset[int]]] = set()
    for meds, matches in by_medicines.items():
        for rule, _ in matches:
            for other_meds, other_matches in by_medicines.items():
                if other_meds <= meds:
                    silenced |= {(o.id, other_meds) for o, _ in other_matches if o.id in rule.supersedes}
    kept: _Matches = {}
    for meds, matches in by_medicines.items():
        remaining = [(r, a) for r, a in matches if (r.id, meds) not in silenced]
        if remaining:
            kept[meds] = sorted(remaining, key=lambda match: SEVERITIES.index(match[0].severity))
    return kept


def interaction_findings(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> list[Finding]:
    kb = knowledge or knowledge_base()
    findings = []
    for matches in interaction_matches(context, kb).values():
        rule, assignment = matches[0]
        also = list({r.id: r for r, _ in matches[1:] if r.id != rule.id}.values())
        findings.append(_card(rule, assignment, context.medications, kb, also, context.review))
    return findings


def check_drug_interactions(context: MedicationContext) -> list[Card]:
    return [finding.card for finding in interaction_findings(context)]
