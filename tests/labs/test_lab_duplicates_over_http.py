"""Acceptance over HTTP: results and orders posted through the FHIR API, then lab-duplicates on order-sign.

For every cited retesting rule: a repeat inside the interval warns and one outside it is silent; a pending order
of the same test warns and a pending order of another test is silent; a different test is silent.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from kaari.labs.rules.duplicates import PENDING_RULE_ID
from tests.cds.hook_requests import order_select, order_sign
from tests.labs.charts import knowledge, lab_draft, order_post, orderable_test_of, patient_post, result_post

RULES = list(knowledge().intervals.rules.values())


def other_test_than(rule):
    return next(t for t in knowledge().catalogue.tests.values() if t.orderable and t.analyte not in rule.analytes)


def sign(kaari, patient_id, test_id):
    draft = lab_draft(patient_id, test_id)
    return kaari.cards("lab-duplicates", order_sign(patient_id=patient_id, drafts=[draft])), draft


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_a_repeat_inside_the_interval_warns_with_the_earlier_result(kaari, rule):
    analyte = rule.analytes[0]
    patient_id = patient_post(kaari)
    result_post(kaari, patient_id, analyte, ago=rule.interval_for(setting="ambulatory") - timedelta(hours=1))

    cards, draft = sign(kaari, patient_id, orderable_test_of(analyte).id)

    assert [card["source"]["topic"]["code"] for card in cards] == [rule.id]
    (card,) = cards
    assert card["indicator"] == "warning"
    assert "4,2" in card["summary"]
    assert card["suggestions"][0]["actions"][0] == {
        "type": "delete",
        "description": card["suggestions"][0]["actions"][0]["description"],
        "resourceId": f"ServiceRequest/{draft['id']}",
    }


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_a_repeat_outside_the_interval_is_silent(kaari, rule):
    analyte = rule.analytes[0]
    patient_id = patient_post(kaari)
    result_post(kaari, patient_id, analyte, ago=rule.interval_for(setting="ambulatory") + timedelta(hours=1))

    cards, _ = sign(kaari, patient_id, orderable_test_of(analyte).id)

    assert cards == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_a_different_test_is_silent(kaari, rule):
    patient_id = patient_post(kaari)
    result_post(kaari, patient_id, rule.analytes[0], ago=timedelta(hours=1))

    cards, _ = sign(kaari, patient_id, other_test_than(rule).id)

    assert cards == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_a_pending_order_of_the_same_test_warns_and_one_of_another_test_is_silent(kaari, rule):
    test = orderable_test_of(rule.analytes[0])
    patient_id = patient_post(kaari)
    order_post(kaari, patient_id, test.id)
    other_patient = patient_post(kaari)
    order_post(kaari, other_patient, other_test_than(rule).id)

    warned, _ = sign(kaari, patient_id, test.id)
    silent, _ = sign(kaari, other_patient, test.id)

    assert [card["source"]["topic"]["code"] for card in warned] == ["pending-order"]
    assert silent == []


def test_a_completed_order_is_not_pending(kaari):
    patient_id = patient_post(kaari)
    order_post(kaari, patient_id, "b-hba1c", status="completed")

    cards, _ = sign(kaari, patient_id, "b-hba1c")

    assert cards == []


def test_another_patients_result_is_silent(kaari):
    someone_else = patient_post(kaari)
    result_post(kaari, someone_else, "hba1c", ago=timedelta(days=1))
    patient_id = patient_post(kaari)

    cards, _ = sign(kaari, patient_id, "b-hba1c")

    assert cards == []


def test_a_lipid_panel_draft_warns_about_a_recent_ldl(kaari):
    patient_id = patient_post(kaari)
    result_post(kaari, patient_id, "ldl", ago=timedelta(days=10))

    cards, _ = sign(kaari, patient_id, "fp-lipidit")

    assert [card["source"]["topic"]["code"] for card in cards] == ["mri-lipids"]


def test_order_select_checks_only_the_selected_test(kaari):
    patient_id = patient_post(kaari)
    result_post(kaari, patient_id, "hba1c", ago=timedelta(days=10))
    hba1c, tsh = lab_draft(patient_id, "b-hba1c"), lab_draft(patient_id, "p-tsh")

    selected_tsh = kaari.cards(
        "lab-duplicates-select",
        order_select(patient_id=patient_id, drafts=[hba1c, tsh], selections=[f"ServiceRequest/{tsh['id']}"]),
    )
    selected_hba1c = kaari.cards(
        "lab-duplicates-select",
        order_select(patient_id=patient_id, drafts=[hba1c, tsh], selections=[f"ServiceRequest/{hba1c['id']}"]),
    )

    assert selected_tsh == []
    assert [card["source"]["topic"]["code"] for card in selected_hba1c] == ["mri-hba1c"]


def test_the_pending_rule_id_is_the_documented_one():
    assert PENDING_RULE_ID == "lab-duplicates/pending-order"
