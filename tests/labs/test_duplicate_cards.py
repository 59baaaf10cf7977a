"""The duplicate-test card: analyte matching, panels, and what the card offers."""

from datetime import timedelta

from kaari.labs.rules.context import LabDuplicateContext
from kaari.labs.rules.duplicates import OVERRIDE_SYSTEM, lab_duplicate_cards
from tests.labs.factories import KNOWLEDGE, NOW, abbreviation, catalogue_concept, loinc, observation, service_request


def _cards(drafts, results=(), pending=()):
    context = LabDuplicateContext(
        draft_orders=tuple(drafts), results=tuple(results), pending_orders=tuple(pending), now=NOW, knowledge=KNOWLEDGE
    )
    return lab_duplicate_cards(context)


def test_a_repeat_hba1c_in_mmol_per_mol_after_a_percent_result_warns():
    draft = service_request(catalogue_concept("b-hba1c"), request_id="draft-1")
    earlier = observation(loinc("4548-4"), value=6.8, unit="%", ago=timedelta(days=20))
    [card] = _cards([draft], [earlier])
    assert "6,8 %" in card.summary
    assert card.rule_id == "lab-duplicates/mri-hba1c"


def test_a_percent_hba1c_order_after_an_ifcc_result_warns():
    draft = service_request(loinc("17856-6"))
    earlier = observation(loinc("59261-8"), value=51, unit="mmol/mol", ago=timedelta(days=30))
    assert len(_cards([draft], [earlier])) == 1


def test_a_direct_ldl_order_after_a_calculated_ldl_warns():
    draft = service_request(loinc("18262-6"))
    earlier = observation(loinc("39469-2"), value=3.4, unit="mmol/L", ago=timedelta(days=40))
    [card] = _cards([draft], [earlier])
    assert card.rule_id == "lab-duplicates/mri-lipids"


def test_a_lipid_panel_order_warns_about_the_ldl_it_contains():
    draft = service_request(catalogue_concept("fp-lipidit"))
    earlier = observation(loinc("22748-8"), value=2.9, unit="mmol/L", ago=timedelta(days=10))
    [card] = _cards([draft], [earlier])
    assert "fP -Lipidit" in card.summary and "fP -Kol-LDL 2,9 mmol/L" in card.summary


def test_an_ldl_order_warns_about_an_ldl_that_came_from_a_panel():
    draft = service_request(catalogue_concept("fp-kol-ldl"))
    panel_result = observation(
        loinc("24331-1"),
        ago=timedelta(days=10),
        component=[
            {"code": loinc("14647-2"), "valueQuantity": {"value": 5.1, "unit": "mmol/L"}},
            {"code": loinc("13457-7"), "valueQuantity": {"value": 120, "unit": "mg/dL"}},
        ],
    )
    [card] = _cards([draft], [panel_result])
    assert "120 mg/dL" in card.detail
    assert "5,1" not in card.detail


def test_a_blood_count_panel_warns_about_a_haemoglobin_taken_this_morning():
    draft = service_request(catalogue_concept("b-pvk"))
    earlier = observation(loinc("718-7"), value=128, unit="g/L", ago=timedelta(hours=3))
    [card] = _cards([draft], [earlier])
    assert card.rule_id == "lab-duplicates/mri-fbc"
    assert "klo" in card.summary


def test_a_panel_with_several_recent_parts_gives_one_card_listing_them_all():
    draft = service_request(catalogue_concept("fp-lipidit"))
    results = [
        observation(loinc("14647-2"), value=5.0, unit="mmol/L", ago=timedelta(days=5)),
        observation(loinc("14646-4"), value=1.3, unit="mmol/L", ago=timedelta(days=5)),
        observation(loinc("14927-8"), value=1.1, unit="mmol/L", ago=timedelta(days=5)),
    ]
    [card] = _cards([draft], results)
    assert card.detail.count("\n- ") == 3
    assert "(+2 muuta)" in card.summary


def test_only_the_latest_earlier_result_of_an_analyte_is_shown():
    draft = service_request(catalogue_concept("b-hba1c"))
    results = [
        observation(loinc("59261-8"), value=60, unit="mmol/mol", ago=timedelta(days=50)),
        observation(loinc("59261-8"), value=55, unit="mmol/mol", ago=timedelta(days=10)),
    ]
    [card] = _cards([draft], results)
    assert "aiempi tulos 55 mmol/mol" in card.summary and "60 mmol/mol" not in card.detail


def test_a_different_test_is_silent():
    draft = service_request(catalogue_concept("p-tsh"))
    results = [observation(loinc("59261-8"), value=50, unit="mmol/mol", ago=timedelta(days=1))]
    pending = [service_request(catalogue_concept("b-hba1c"), status="active")]
    assert _cards([draft], results, pending) == []


def test_a_result_of_another_patient_is_silent():
    draft = service_request(catalogue_concept("b-hba1c"))
    other = observation(loinc("59261-8"), value=50, unit="mmol/mol", ago=timedelta(days=1), subject="Patient/other")
    assert _cards([draft], [other]) == []


def test_an_order_the_catalogue_does_not_know_is_silent():
    draft = service_request(loinc("94500-6"))
    assert _cards([draft], [observation(loinc("94500-6"), value=1, ago=timedelta(hours=1))]) == []


def test_an_order_by_national_abbreviation_alone_is_matched():
    draft = service_request(abbreviation("P -CRP"))
    earlier = observation(loinc("1988-5"), value=35, unit="mg/L", ago=timedelta(hours=5))
    assert len(_cards([draft], [earlier])) == 1


def test_the_card_shows_the_earlier_value_and_date_and_suggests_removing_the_draft():
    draft = service_request(catalogue_concept("b-hba1c"), request_id="hba1c-draft")
    earlier = observation(loinc("59261-8"), value=48, unit="mmol/mol", ago=timedelta(days=30))
    [card] = _cards([draft], [earlier])
    assert card.indicator == "warning"
    assert "48 mmol/mol" in card.summary and "3.5.2025" in card.summary
    assert len(card.summary) <= 140
    [suggestion] = card.suggestions
    [action] = suggestion.actions
    assert (action.type, action.resourceId) == ("delete", "ServiceRequest/hba1c-draft")
    assert card.selectionBehavior == "at-most-one"
    reasons = {reason.code for reason in card.overrideReasons}
    assert {"acute-setting", "clinical-change", "lost-sample"} <= reasons
    assert all(reason.system == OVERRIDE_SYSTEM for reason in card.overrideReasons)
    assert "G147" in card.source.label and "B-E19" in card.source.label
    assert card.source.topic is not None and card.source.topic.code == "mri-hba1c"
    assert card.to_json()["suggestions"][0]["actions"][0]["resourceId"] == "ServiceRequest/hba1c-draft"
