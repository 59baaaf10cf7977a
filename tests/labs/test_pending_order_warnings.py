"""An order already placed and not yet resulted, from any unit the caller may see."""

from datetime import timedelta

from kaari.labs.rules.context import LabDuplicateContext
from kaari.labs.rules.duplicates import PENDING_RULE_ID, lab_duplicate_cards
from tests.labs.factories import KNOWLEDGE, NOW, catalogue_concept, loinc, service_request


def _cards(drafts, pending, names=None):
    context = LabDuplicateContext(
        draft_orders=tuple(drafts),
        results=(),
        pending_orders=tuple(pending),
        now=NOW,
        knowledge=KNOWLEDGE,
        names=names or {},
    )
    return lab_duplicate_cards(context)


def test_a_test_already_ordered_by_another_unit_warns_and_names_that_unit():
    draft = service_request(catalogue_concept("p-tsh"), request_id="tsh-draft")
    pending = service_request(
        loinc("3016-3"),
        status="active",
        authored=NOW - timedelta(days=2),
        requester={"reference": "PractitionerRole/endo", "display": "Endokrinologian poliklinikka"},
        performer=[{"reference": "Organization/huslab"}],
    )
    [card] = _cards([draft], [pending], names={"Organization/huslab": "HUSLAB Meilahti"})
    assert card.rule_id == PENDING_RULE_ID
    assert "Endokrinologian poliklinikka" in card.summary
    assert "HUSLAB Meilahti" in card.detail
    assert "31.5.2025" in card.summary
    assert card.suggestions[0].actions[0].resourceId == "ServiceRequest/tsh-draft"


def test_an_ldl_draft_warns_about_a_pending_lipid_panel():
    draft = service_request(catalogue_concept("fp-kol-ldl"))
    pending = service_request(catalogue_concept("fp-lipidit"), status="active")
    assert [c.rule_id for c in _cards([draft], [pending])] == [PENDING_RULE_ID]


def test_a_lipid_panel_draft_warns_about_a_pending_ldl():
    draft = service_request(catalogue_concept("fp-lipidit"))
    pending = service_request(loinc("18262-6"), status="on-hold")
    assert len(_cards([draft], [pending])) == 1


def test_the_unit_falls_back_to_the_encounter_when_no_requester_is_given():
    draft = service_request(catalogue_concept("b-hba1c"))
    pending = service_request(loinc("4548-4"), status="active", encounter={"reference": "Encounter/e1"})
    [card] = _cards([draft], [pending], names={"Encounter/e1": "Terveysasema Kaari"})
    assert "Terveysasema Kaari" in card.summary


def test_a_pending_order_for_a_different_test_is_silent():
    draft = service_request(catalogue_concept("p-crp"))
    assert _cards([draft], [service_request(catalogue_concept("p-ferrit"), status="active")]) == []


def test_the_draft_itself_is_not_its_own_pending_duplicate():
    draft = service_request(catalogue_concept("p-crp"), request_id="same")
    assert _cards([draft], [dict(draft, status="active")]) == []
