"""Renal dosing: every renal rule fires just below its threshold and not at it; Cockcroft-Gault is used when the
product information is written for creatinine clearance and a weight is on record."""

from __future__ import annotations

import pytest

from kaari.safety.knowledge import knowledge_base
from kaari.safety.rules import check_renal_dosing

from .factories import aged, context_for, creatinine, egfr, observation, patient, weight
from .representatives import representative

KB = knowledge_base()
RULES = KB.renal_rules


def _renal(code, resources, *, person=None):
    return check_renal_dosing(context_for([code], resources, person=person, egfr_value=None))


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_renal_rule_fires_just_below_its_threshold(rule):
    code = representative(rule.atc)
    cards = _renal(code, [egfr(rule.below - 0.5)])
    assert rule.id in [c.rule_id for c in cards]
    card = next(c for c in cards if c.rule_id == rule.id)
    assert card.indicator == ("info" if rule.action == "monitor" else "warning")


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_no_renal_rule_fires_at_its_threshold(rule):
    code = representative(rule.atc)
    assert rule.id not in [c.rule_id for c in _renal(code, [egfr(rule.below)])]


def test_only_the_most_severe_tier_fires_for_one_medicine():
    cards = _renal("A10BA02", [egfr(25)])
    assert [c.rule_id for c in cards] == ["renal.metformin.lt30"]


def test_metformin_with_normal_kidney_function_is_silent():
    assert _renal("A10BA02", [egfr(75)]) == []


def test_without_any_kidney_function_on_record_nothing_fires():
    assert _renal("A10BA02", []) == []


def test_a_clearance_rule_uses_cockcroft_gault_when_a_weight_is_on_record():
    # 80-year-old woman, 60 kg, creatinine 100 umol/L: CrCl = (140-80)*60/(0.815*100)*0.85 = 37.5 mL/min,
    # although eGFR is 25: apixaban's 30 mL/min threshold is not crossed.
    person = aged(80)
    resources = [egfr(25), weight(60), creatinine(100)]
    assert _renal("B01AF02", resources, person=person) == []
    context = context_for(["B01AF02"], resources, person=person, egfr_value=None)
    assert context.cockcroft_gault() == pytest.approx(37.5, abs=0.1)


def test_a_clearance_rule_falls_back_to_egfr_without_a_weight():
    cards = _renal("B01AF02", [egfr(25), creatinine(100)], person=aged(80))
    assert [c.rule_id for c in cards] == ["renal.apixaban.lt30"]
    assert "eGFR is used instead" in (cards[0].detail or "")


def test_an_egfr_rule_keeps_using_egfr_when_cockcroft_gault_is_available():
    cards = _renal("A10BA02", [egfr(25), weight(90), creatinine(60)], person=aged(50))
    assert [c.rule_id for c in cards] == ["renal.metformin.lt30"]


def test_creatinine_in_mg_per_dl_is_converted_for_cockcroft_gault():
    person = patient(birth_date="1946-01-01", gender="male")
    context = context_for(["B01AF02"], [weight(70), creatinine(1.0, unit="mg/dL")], person=person, egfr_value=None)
    assert context.cockcroft_gault() == pytest.approx((140 - 80) * 70 / (0.815 * 88.42), abs=0.1)


def test_the_latest_egfr_counts_not_an_older_lower_one():
    cards = _renal("A10BA02", [egfr(20, when="2025-01-01"), egfr(70, when="2026-10-01")])
    assert cards == []


def test_an_egfr_entered_in_error_is_ignored():
    assert _renal("A10BA02", [egfr(20, status="entered-in-error")]) == []


def test_an_egfr_reported_as_above_sixty_does_not_trigger_lower_thresholds():
    assert _renal("A10BA02", [egfr(60, comparator=">")]) == []


@pytest.mark.parametrize(
    "loinc", ["33914-3", "62238-1", "98979-8", "48642-3", "48643-1", "50044-7", "69405-9", "77147-7"]
)
def test_each_egfr_loinc_code_is_read(loinc):
    cards = _renal("A10BA02", [observation(loinc, 25, unit="mL/min/{1.73_m2}")])
    assert [c.rule_id for c in cards] == ["renal.metformin.lt30"]


def test_a_contraindicated_renal_card_offers_removal_and_an_alternative():
    card = _renal("J01XE01", [egfr(20)])[0]
    labels = [s.label for s in card.suggestions]
    assert any(label.startswith("Replace") for label in labels)
    assert any(label.startswith("Remove") for label in labels)


def test_the_card_names_the_renal_function_it_used():
    card = _renal("A10BA02", [egfr(25)])[0]
    assert "eGFR 25" in card.summary
