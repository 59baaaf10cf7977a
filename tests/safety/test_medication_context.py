"""Building the rules' context from FHIR resources: how medicines are found, which count, and order-select."""

from __future__ import annotations

from kaari.safety.rules import medication_context_build

from .factories import ATC, TODAY, cards_for, context_for, draft, order, patient, statement


def _context(resources, drafts=(), **kw):
    return medication_context_build(resources=[patient(), *resources], draft_orders=list(drafts), today=TODAY, **kw)


def test_a_medicine_coded_in_a_contained_medication_is_read():
    contained = {
        "resourceType": "MedicationRequest",
        "id": "c1",
        "status": "draft",
        "intent": "order",
        "contained": [
            {"resourceType": "Medication", "id": "m", "code": {"coding": [{"system": ATC, "code": "M01AE01"}]}}
        ],
        "medicationReference": {"reference": "#m"},
    }
    assert [m.codes for m in _context([], [contained]).drafts] == [("M01AE01",)]


def test_a_medicine_referencing_a_medication_resource_is_read():
    medication = {"resourceType": "Medication", "id": "warf", "code": {"coding": [{"system": ATC, "code": "B01AA03"}]}}
    request = order("B01AA03")
    request.pop("medicationCodeableConcept")
    request["medicationReference"] = {"reference": "Medication/warf"}
    assert [m.codes for m in _context([medication, request]).current] == [("B01AA03",)]


def test_a_medicine_without_an_atc_code_is_left_out():
    request = order("B01AA03")
    request["medicationCodeableConcept"] = {"coding": [{"system": "urn:oid:1.2.246.537.6.55", "code": "123456"}]}
    assert _context([request]).current == ()


def test_only_active_and_on_hold_orders_count_as_current():
    statuses = ["active", "on-hold", "stopped", "completed", "cancelled", "entered-in-error", "draft", "unknown"]
    context = _context([order("C10AA05", status=s, resource_id=s) for s in statuses])
    assert sorted(m.resource_id or "" for m in context.current) == ["active", "on-hold"]


def test_medication_statements_count_while_active_and_not_ended():
    current = statement("C10AA05")
    ended = statement("C08CA01", effectivePeriod={"start": "2020-01-01", "end": "2025-01-01"})
    stopped = statement("C09AA05", status="stopped")
    assert [m.codes for m in _context([current, ended, stopped]).current] == [("C10AA05",)]


def test_order_select_checks_only_the_selected_draft_and_counts_the_others_as_current():
    first, second = draft("C01DA14", resource_id="nitrate"), draft("G04BE03", resource_id="pde5")
    context = _context([], [first, second], selections=["MedicationRequest/pde5"])
    assert [m.resource_id for m in context.drafts] == ["pde5"]
    assert [m.resource_id for m in context.current] == ["nitrate"]
    critical = [c for c in cards_for([first, second], selections=["pde5"]) if c.indicator == "critical"]
    assert len(critical) == 1


def test_a_review_context_checks_every_current_medicine():
    context = context_for([], active=["C10AA05", "C08CA01"], review=True)
    assert len(context.subjects) == 2


def test_a_combination_brings_its_components_for_matching():
    context = _context([], [draft("J01EE01")])
    assert set(context.drafts[0].substances) >= {"J01EE01", "J01EA01", "J01EC01"}


def test_patient_age_and_sex_come_from_the_patient_resource():
    context = medication_context_build(
        resources=[patient(birth_date="1950-11-29", gender="male")], draft_orders=[], today=TODAY
    )
    assert (context.age, context.sex) == (75, "male")
