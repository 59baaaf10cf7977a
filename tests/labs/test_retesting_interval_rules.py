"""Every shipped interval rule warns inside its interval and stays silent outside it."""

from datetime import timedelta

import pytest

from kaari.labs.catalogue import LAB_TEST_SYSTEM
from kaari.labs.loinc import LOINC_SYSTEM
from kaari.labs.rules.context import LabDuplicateContext
from kaari.labs.rules.duplicates import lab_duplicate_cards
from tests.labs.factories import KNOWLEDGE, NOW, catalogue_concept, observation, service_request

RULES = list(KNOWLEDGE.intervals.rules.values())
ACUTE_RULES = [rule for rule in RULES if rule.acute_interval]


def _orderable_test_of(analyte):
    return next(t for t in KNOWLEDGE.catalogue.tests.values() if t.analyte == analyte and t.orderable)


def _result_code(analyte):
    # Results arrive with the analyte's LOINC when there is one, otherwise with the national abbreviation.
    terms = KNOWLEDGE.catalogue.analytes[analyte].loinc
    if terms:
        return {"coding": [{"system": LOINC_SYSTEM, "code": terms[-1].code}]}
    return {"coding": [{"system": LAB_TEST_SYSTEM, "code": _orderable_test_of(analyte).abbreviation}]}


def _cards(rule, *, ago, setting="ambulatory"):
    analyte = rule.analytes[0]
    draft = service_request(catalogue_concept(_orderable_test_of(analyte).id))
    earlier = observation(_result_code(analyte), value=4.2, unit="x", ago=ago)
    context = LabDuplicateContext(
        draft_orders=(draft,), results=(earlier,), pending_orders=(), now=NOW, knowledge=KNOWLEDGE, setting=setting
    )
    return lab_duplicate_cards(context)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_a_repeat_inside_the_minimum_retesting_interval_warns(rule):
    interval = rule.interval_for(setting="ambulatory")
    cards = _cards(rule, ago=interval - timedelta(hours=1))
    assert [card.rule_id for card in cards] == [f"lab-duplicates/{rule.id}"]
    assert rule.reference in cards[0].source.label


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_a_repeat_after_the_minimum_retesting_interval_is_silent(rule):
    interval = rule.interval_for(setting="ambulatory")
    assert _cards(rule, ago=interval + timedelta(hours=1)) == []


@pytest.mark.parametrize("rule", ACUTE_RULES, ids=lambda r: r.id)
def test_in_the_acute_setting_the_shorter_acute_interval_applies(rule):
    acute = rule.interval_for(setting="acute")
    assert _cards(rule, ago=acute - timedelta(hours=1), setting="acute")
    assert _cards(rule, ago=acute + timedelta(hours=1), setting="acute") == []
    assert _cards(rule, ago=acute + timedelta(hours=1), setting="ambulatory")


def test_the_shipped_rules_cover_the_tests_the_issue_names():
    covered = {analyte for rule in RULES for analyte in rule.analytes}
    assert {"hba1c", "kol", "hdl", "ldl", "trigly", "tsh", "crp", "ferrit", "d25", "b12", "psa"} <= covered
    assert len(RULES) >= 25
