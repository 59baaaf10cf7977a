"""Renal dosing: orders for medicines that need a lower dose, or are contraindicated, below a kidney function
threshold. The measure follows the product information: eGFR, or creatinine clearance by Cockcroft-Gault when a
weight is on record (falling back to eGFR otherwise). Only the most severe tier per medicine fires."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kaari.cds.cards import Card, Indicator
from kaari.safety.knowledge import KnowledgeBase, knowledge_base
from kaari.safety.knowledge.model import RenalMeasure, RenalRule
from kaari.safety.rules.cards import Finding, card_source, card_uuid, suggestions_for, summary_fit
from kaari.safety.rules.context import LabValue, MedicationContext

_ACTION_TEXT = {
    "contraindicated": "contraindicated",
    "avoid": "avoid",
    "max_dose": "maximum dose {max_dose}",
    "reduce_dose": "reduce the dose",
    "monitor": "use with care",
}


@dataclass(frozen=True, slots=True)
class KidneyFunction:
    value: float
    comparator: str | None
    label: str
    note: str


def kidney_function(context: MedicationContext, measure: RenalMeasure) -> KidneyFunction | None:
    """The value a rule written for `measure` is compared with, and how it was obtained."""
    egfr = context.egfr
    clearance = context.cockcroft_gault()

    def from_egfr(lab: LabValue, note: str) -> KidneyFunction:
        when = f" ({lab.when.date().isoformat()})" if lab.when else ""
        return KidneyFunction(lab.value, lab.comparator, f"eGFR {lab.value:g} mL/min/1.73 m²{when}", note)

    def from_clearance(value: float, note: str) -> KidneyFunction:
        return KidneyFunction(round(value, 1), None, f"creatinine clearance {value:.0f} mL/min (Cockcroft-Gault)", note)

    if measure == "crcl":
        if clearance is not None:
            return from_clearance(
                clearance, "Estimated with Cockcroft-Gault from the latest creatinine, weight and age."
            )
        if egfr is not None:
            return from_egfr(
                egfr,
                "The product information uses creatinine clearance; no weight or creatinine is on "
                "record for Cockcroft-Gault, so eGFR is used instead.",
            )
        return None
    if egfr is not None:
        return from_egfr(egfr, "")
    if clearance is not None:
        return from_clearance(clearance, "No eGFR is on record; Cockcroft-Gault creatinine clearance is used instead.")
    return None


def _is_below(function: KidneyFunction, threshold: float) -> bool:
    """Whether the true value is below the threshold, honouring reported comparators such as '>60'."""
    if function.comparator in (">", ">="):
        return False
    if function.comparator in ("<", "<="):
        return function.value <= threshold
    return function.value < threshold


def renal_findings(context: MedicationContext, knowledge: KnowledgeBase | None = None) -> list[Finding]:
    kb = knowledge or knowledge_base()
    findings = []
    for medication in context.subjects:
        tiers: dict[tuple[str, ...], list[RenalRule]] = defaultdict(list)
        for code in medication.substances:
            for rule in kb.renal_rules_for(code):
                if rule not in tiers[rule.atc]:
                    tiers[rule.atc].append(rule)
        for rules in tiers.values():
            applicable = []
            for rule in rules:
                function = kidney_function(context, rule.measure)
                if function is not None and _is_below(function, rule.below):
                    applicable.append((rule, function))
            if not applicable:
                continue
            rule, function = min(applicable, key=lambda pair: pair[0].below)
            action = _ACTION_TEXT[rule.action].format(max_dose=rule.max_dose or "")
            drug = kb.name(rule.atc[0]) if not rule.atc[0].startswith("@") else medication.display
            indicator: Indicator = "info" if rule.action == "monitor" else "warning"
            about = frozenset({medication.key})
            remove = rule.action in ("contraindicated", "avoid")
            suggestions = (
                []
                if context.review
                else suggestions_for(
                    [medication] if remove else [],
                    replace=medication if rule.replace_with else None,
                    alternatives=[(code, kb.name(code)) for code in rule.replace_with],
                )
            )
            detail = [rule.advice, f"Kidney function used: {function.label}."]
            if function.note:
                detail.append(function.note)
            card = Card(
                summary=summary_fit(f"{drug.capitalize()}: {function.label.split(' (')[0]} - {action}"),
                indicator=indicator,
                source=card_source(rule.source),
                uuid=card_uuid(rule.id, about),
                detail="\n\n".join(detail),
                suggestions=suggestions,
                selectionBehavior="at-most-one" if suggestions else None,
                rule_id=rule.id,
            )
            findings.append(Finding(card=card, about=about | {f"renal:{rule.atc}"}))
    return findings


def check_renal_dosing(context: MedicationContext) -> list[Card]:
    return [finding.card for finding in renal_findings(context)]
