"""order-sign over HTTP for allergies, kidney function, older patients and inactive medicines, read from the store."""

from __future__ import annotations

from kaari.cds.runtime import PRESENTATION_EXTENSION
from tests.cds.hook_requests import order_sign
from tests.safety.charts import chart_post, medication_draft


def sign(kaari, patient_id, *atc_codes):
    drafts = [medication_draft(patient_id, atc) for atc in atc_codes]
    return kaari.cards("medication-safety", order_sign(patient_id=patient_id, drafts=drafts))


def test_a_confirmed_penicillin_allergy_interrupts_with_override_reasons(kaari):
    patient_id = chart_post(kaari, allergies=[("J01CA04", "confirmed")])

    (card,) = sign(kaari, patient_id, "J01CR02")

    assert card["indicator"] == "critical"
    assert card["extension"][PRESENTATION_EXTENSION] == "interrupt"
    assert card["overrideReasons"]
    assert card["source"]["label"]
    assert any(a["type"] == "delete" for s in card["suggestions"] for a in s["actions"])


def test_an_unconfirmed_allergy_warns_without_interrupting(kaari):
    patient_id = chart_post(kaari, allergies=[("J01CA04", "unconfirmed")])

    (card,) = sign(kaari, patient_id, "J01CR02")

    assert card["indicator"] == "warning"
    assert card["extension"][PRESENTATION_EXTENSION] == "passive"


def test_metformin_with_egfr_25_warns_from_the_stored_egfr(kaari):
    patient_id = chart_post(kaari, egfr=25)

    (card,) = sign(kaari, patient_id, "A10BA02")

    assert card["indicator"] == "warning"
    assert "eGFR 25" in card["summary"]


def test_metformin_with_egfr_90_is_silent(kaari):
    patient_id = chart_post(kaari, egfr=90)

    assert sign(kaari, patient_id, "A10BA02") == []


def test_a_long_acting_benzodiazepine_for_an_80_year_old_is_passive_information(kaari):
    patient_id = chart_post(kaari, birth_date="1946-01-15")

    (card,) = sign(kaari, patient_id, "N05BA01")

    assert card["indicator"] == "info"
    assert card["extension"][PRESENTATION_EXTENSION] == "passive"


def test_a_stopped_warfarin_order_does_not_interact(kaari):
    patient_id = chart_post(kaari, stopped=["B01AA03"])

    assert sign(kaari, patient_id, "M01AE01") == []


def test_two_anticoagulants_in_one_signing_are_one_critical_card(kaari):
    patient_id = chart_post(kaari)

    (card,) = sign(kaari, patient_id, "B01AA03", "B01AF02")

    assert card["indicator"] == "critical"
