"""Duplicate laboratory orders: a recent result inside the minimum retesting interval, or a pending order.

A pure function over FHIR resource dicts. Tests are matched by analyte, so HbA1c in % and in
mmol/mol are one test, and a lipid panel repeats the LDL it contains.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kaari.cds.cards import Action, Card, Coding, Source, Suggestion
from kaari.labs.catalogue import Catalogue
from kaari.labs.fhirtime import fhir_datetime_parse, finnish_date, observation_time
from kaari.labs.intervals import IntervalRule, duration_text
from kaari.labs.rules.context import LabDuplicateContext

RULE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/lab-retesting-rule"
OVERRIDE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/lab-duplicate-override"
PENDING_RULE_ID = "lab-duplicates/pending-order"
OVERRIDE_REASONS = (
    Coding(system=OVERRIDE_SYSTEM, code="acute-setting", display="Akuutti tilanne"),
    Coding(system=OVERRIDE_SYSTEM, code="clinical-change", display="Kliininen tila on muuttunut"),
    Coding(system=OVERRIDE_SYSTEM, code="lost-sample", display="Näyte hävinnyt tai hylätty"),
    Coding(system=OVERRIDE_SYSTEM, code="treatment-change", display="Hoidon muutoksen vasteen arvio"),
    Coding(system=OVERRIDE_SYSTEM, code="earlier-result-unreliable", display="Aiempi tulos epäluotettava"),
)


@dataclass(frozen=True)
class EarlierResult:
    analyte: str
    label: str
    value: str
    moment: datetime
    observation_id: str | None


def lab_duplicate_cards(context: LabDuplicateContext) -> list[Card]:
    catalogue = context.knowledge.catalogue
    cards: list[Card] = []
    for draft in context.draft_orders:
        analytes = catalogue.analytes_of_concept(draft.get("code"))
        if not analytes:
            continue
        cards += _pending_order_cards(context, draft, analytes)
        cards += _recent_result_cards(context, draft, analytes)
    return cards


def _pending_order_cards(
    context: LabDuplicateContext, draft: Mapping[str, Any], analytes: frozenset[str]
) -> list[Card]:
    catalogue = context.knowledge.catalogue
    cards = []
    for pending in context.pending_orders:
        if pending.get("id") and pending.get("id") == draft.get("id"):
            continue
        if not _same_subject(draft, pending):
            continue
        if not analytes & catalogue.analytes_of_concept(pending.get("code")):
            continue
        label = _order_label(catalogue, draft)
        pending_label = _order_label(catalogue, pending)
        authored = fhir_datetime_parse(text=pending.get("authoredOn"))
        when = finnish_date(moment=authored) if authored else "aiemmin"
        who = _ordering_unit(context, pending)
        summary = _fit(f"{label}: {pending_label} on jo tilattu {when} ({who}), tulos odottaa")
        detail = (
            f"Sama tutkimus on jo tilattu eikä tulosta ole vielä.\n\n"
            f"- Tilaus: {pending_label} ({pending.get('status')})\n"
            f"- Tilattu: {when}\n"
            f"- Tilaaja: {who}\n\n"
            f"Tutkimukset on verrattu analyytin mukaan (laboratoriokatalogi {catalogue.version})."
        )
        cards.append(
            _card(
                summary=summary,
                detail=detail,
                draft=draft,
                label=label,
                source=Source(
                    label=f"Kaari laboratoriokatalogi {catalogue.version}: sama analyytti on jo tilattu",
                    topic=Coding(system=RULE_SYSTEM, code="pending-order", display="Odottava tilaus"),
                ),
                rule_id=PENDING_RULE_ID,
            )
        )
    return cards


def _recent_result_cards(
    context: LabDuplicateContext, draft: Mapping[str, Any], analytes: frozenset[str]
) -> list[Card]:
    intervals = context.knowledge.intervals
    latest: dict[str, EarlierResult] = {}
    for result in _results_for(context, draft, analytes):
        rule = intervals.rule_for_analyte(result.analyte)
        if rule is None or result.moment < context.now - rule.interval_for(setting=context.setting):
            continue
        if result.analyte not in latest or result.moment > latest[result.analyte].moment:
            latest[result.analyte] = result
    by_rule: dict[str, list[EarlierResult]] = {}
    for result in latest.values():
        rule = intervals.rule_for_analyte(result.analyte)
        assert rule is not None
        by_rule.setdefault(rule.id, []).append(result)
    return [
        _recent_result_card(context, draft, intervals.rules[rule_id], sorted(found, key=lambda r: r.label))
        for rule_id, found in sorted(by_rule.items())
    ]


def _recent_result_card(
    context: LabDuplicateContext, draft: Mapping[str, Any], rule: IntervalRule, found: list[EarlierResult]
) -> Card:
    catalogue = context.knowledge.catalogue
    source = context.knowledge.intervals.source_of(rule)
    interval = duration_text(delta=rule.interval_for(setting=context.setting))
    hourly = rule.interval_for(setting=context.setting).days < 3
    label = _order_label(catalogue, draft)
    first = found[0]
    first_when = finnish_date(moment=first.moment, with_time=hourly)
    more = f" (+{len(found) - 1} muuta)" if len(found) > 1 else ""
    earlier = "aiempi tulos" if first.label == label else first.label
    summary = _fit(f"{label}: {earlier} {first.value} {first_when}{more}, minimiuusintaväli {interval}")
    lines = "\n".join(f"- {r.label} {r.value}, {finnish_date(moment=r.moment, with_time=hourly)}" for r in found)
    setting = " (akuuttihoito)" if context.setting == "acute" and rule.acute_interval else ""
    detail = (
        f"Aiempi tulos on minimiuusintavälin {interval}{setting} sisällä:\n\n{lines}\n\n"
        f"Perustelu ({source.label}, {rule.reference}): {rule.guidance}"
    )
    return _card(
        summary=summary,
        detail=detail,
        draft=draft,
        label=label,
        source=Source(
            label=f"{source.label}, {rule.reference}",
            url=source.url,
            topic=Coding(system=RULE_SYSTEM, code=rule.id, display=f"Minimiuusintaväli {interval}"),
        ),
        rule_id=f"lab-duplicates/{rule.id}",
    )


def _card(*, summary: str, detail: str, draft: Mapping[str, Any], label: str, source: Source, rule_id: str) -> Card:
    suggestions = []
    if draft.get("id"):
        suggestions.append(
            Suggestion(
                label=f"Poista tilaus {label}",
                isRecommended=True,
                actions=[
                    Action(
                        type="delete",
                        description=f"Poista tilausluonnos {label}",
                        resourceId=f"ServiceRequest/{draft['id']}",
                    )
                ],
            )
        )
    return Card(
        summary=summary,
        detail=detail,
        indicator="warning",
        source=source,
        suggestions=suggestions,
        selectionBehavior="at-most-one" if suggestions else None,
        overrideReasons=list(OVERRIDE_REASONS),
        rule_id=rule_id,
    )


def _results_for(
    context: LabDuplicateContext, draft: Mapping[str, Any], analytes: frozenset[str]
) -> Iterator[EarlierResult]:
    catalogue = context.knowledge.catalogue
    for observation in context.results:
        if not _same_subject(draft, observation):
            continue
        moment = observation_time(observation=observation)
        if moment is None:
            continue
        parts = [observation, *(observation.get("component") or [])]
        for part in parts:
            value = _value_text(part)
            if value is None:
                continue
            for analyte in catalogue.analytes_of_concept(part.get("code")) & analytes:
                yield EarlierResult(
                    analyte=analyte,
                    label=_result_label(catalogue, part, analyte),
                    value=value,
                    moment=moment,
                    observation_id=observation.get("id"),
                )


def _value_text(element: Mapping[str, Any]) -> str | None:
    if "valueQuantity" in element:
        quantity = element["valueQuantity"]
        number = str(quantity.get("value", "")).replace(".", ",")
        comparator = quantity.get("comparator", "")
        unit = quantity.get("unit") or quantity.get("code") or ""
        return f"{comparator}{number} {unit}".strip()
    if "valueString" in element:
        return str(element["valueString"])
    if "valueCodeableConcept" in element:
        concept = element["valueCodeableConcept"]
        codings = concept.get("coding") or [{}]
        return str(concept.get("text") or codings[0].get("display") or codings[0].get("code") or "")
    for key in ("valueInteger", "valueDecimal", "valueBoolean"):
        if key in element:
            return str(element[key])
    return None


def _result_label(catalogue: Catalogue, element: Mapping[str, Any], analyte: str) -> str:
    orderable = catalogue.orderable_of_concept(element.get("code"))
    if orderable is not None and catalogue.analytes_of_orderable(orderable) == frozenset({analyte}):
        return orderable.abbreviation
    for test in catalogue.tests.values():
        if test.analyte == analyte and test.orderable:
            return test.abbreviation
    return catalogue.analytes[analyte].name_fi


def _order_label(catalogue: Catalogue, order: Mapping[str, Any]) -> str:
    orderable = catalogue.orderable_of_concept(order.get("code"))
    if orderable is not None:
        return orderable.abbreviation
    return str((order.get("code") or {}).get("text") or "laboratoriotutkimus")


def _ordering_unit(context: LabDuplicateContext, order: Mapping[str, Any]) -> str:
    """Who ordered it, as far as the order says: requester, performer, encounter."""
    found: list[str] = []
    references = [order.get("requester"), *(order.get("performer") or []), order.get("encounter")]
    for reference in references:
        if not reference:
            continue
        name = reference.get("display") or context.names.get(reference.get("reference") or "")
        if not name:
            name = reference.get("reference")
        if name and name not in found:
            found.append(str(name))
    return ", ".join(found) if found else "tilaaja ei tiedossa"


def _same_subject(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    left = (a.get("subject") or {}).get("reference")
    right = (b.get("subject") or {}).get("reference")
    return left is None or right is None or left == right


def _fit(text: str) -> str:
    # CDS Hooks limits the summary to 140 characters.
    return text if len(text) <= 140 else text[:139] + "…"
