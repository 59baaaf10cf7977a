"""Building the rule's context from the FHIR resources the caller may see."""

from datetime import timedelta

from kaari.labs.rules.context import context_from_resources
from kaari.labs.rules.duplicates import lab_duplicate_cards
from tests.labs.factories import KNOWLEDGE, NOW, catalogue_concept, loinc, observation, service_request


def _context(resources, **kwargs):
    return context_from_resources(resources=resources, now=NOW, knowledge=KNOWLEDGE, **kwargs)


def test_drafts_results_and_pending_orders_are_told_apart():
    draft = service_request(catalogue_concept("b-hba1c"))
    pending = service_request(catalogue_concept("p-tsh"), status="active")
    proposal = service_request(catalogue_concept("p-crp"), status="active", intent="proposal")
    completed = service_request(catalogue_concept("p-ferrit"), status="completed")
    result = observation(loinc("59261-8"), value=50, unit="mmol/mol")
    cancelled = observation(loinc("59261-8"), value=50, unit="mmol/mol", status="cancelled")
    context = _context([draft, pending, proposal, completed, result, cancelled])
    assert context.draft_orders == (draft,)
    assert context.pending_orders == (pending,)
    assert context.results == (result,)


def test_an_active_order_with_a_final_report_is_no_longer_pending():
    resulted = service_request(catalogue_concept("p-tsh"), status="active", request_id="tsh-1")
    report = {"resourceType": "DiagnosticReport", "status": "final", "basedOn": [{"reference": "ServiceRequest/tsh-1"}]}
    still_waiting = service_request(catalogue_concept("p-crp"), status="active", request_id="crp-1")
    partial = {
        "resourceType": "DiagnosticReport",
        "status": "partial",
        "basedOn": [{"reference": "ServiceRequest/crp-1"}],
    }
    assert _context([resulted, report, still_waiting, partial]).pending_orders == (still_waiting,)


def test_a_lost_sample_without_a_value_is_not_a_result():
    lost = observation(loinc("59261-8"), dataAbsentReason={"text": "Näyte hemolysoitunut"})
    draft = service_request(catalogue_concept("b-hba1c"))
    context = _context([draft, lost])
    assert context.results == ()
    assert lab_duplicate_cards(context) == []


def test_a_draft_in_an_inpatient_encounter_uses_the_acute_intervals():
    encounter = {"resourceType": "Encounter", "id": "ward", "class": {"code": "IMP"}}
    draft = service_request(catalogue_concept("p-alat"), encounter={"reference": "Encounter/ward"})
    alt_four_days_ago = observation(loinc("1742-6"), value=80, unit="U/L", ago=timedelta(days=4))
    acute = _context([encounter, draft, alt_four_days_ago])
    assert acute.setting == "acute"
    assert lab_duplicate_cards(acute) == []
    ambulatory = _context([draft, alt_four_days_ago])
    assert ambulatory.setting == "ambulatory"
    assert len(lab_duplicate_cards(ambulatory)) == 1


def test_listed_draft_ids_are_drafts_whatever_their_status():
    order = service_request(catalogue_concept("b-hba1c"), status="active", request_id="being-signed")
    context = _context([order], draft_ids=["being-signed"])
    assert context.draft_orders == (order,) and context.pending_orders == ()


def test_names_of_units_come_from_the_visible_resources():
    organization = {"resourceType": "Organization", "id": "hc", "name": "Terveysasema Kaari"}
    assert _context([organization]).names == {"Organization/hc": "Terveysasema Kaari"}
