"""Each call is recorded with the orders it checked and the cards it showed: the reports' denominators."""

from __future__ import annotations

from kaari.cds.models import CdsCall
from tests.cds.hook_requests import order_select, order_sign
from tests.safety.charts import chart_post, medication_draft


def test_an_order_sign_records_its_orders_and_cards(kaari):
    patient_id = chart_post(kaari, active=["B01AA03"])
    drafts = [medication_draft(patient_id, "M01AE01"), medication_draft(patient_id, "N02BE01")]

    cards = kaari.cards("medication-safety", order_sign(patient_id=patient_id, drafts=drafts))

    call = CdsCall.objects.get()
    assert (call.service_id, call.hook, call.patient_id, call.user_id) == (
        "medication-safety",
        "order-sign",
        patient_id,
        "Practitioner/laakari-1",
    )
    assert call.order_count == 2
    assert [o["reference"] for o in call.orders] == [f"MedicationRequest/{d['id']}" for d in drafts]
    assert [(c.uuid, c.indicator) for c in call.cards.all()] == [(c["uuid"], c["indicator"]) for c in cards]
    assert call.cards.get().orders == [f"MedicationRequest/{drafts[0]['id']}"]


def test_order_select_counts_only_the_selected_orders(kaari):
    patient_id = chart_post(kaari)
    drafts = [medication_draft(patient_id, "M01AE01"), medication_draft(patient_id, "N02BE01")]

    kaari.cards(
        "medication-safety-select",
        order_select(patient_id=patient_id, drafts=drafts, selections=[f"MedicationRequest/{drafts[1]['id']}"]),
    )

    assert CdsCall.objects.get().order_count == 1


def test_a_retried_hook_instance_replaces_its_record(kaari):
    patient_id = chart_post(kaari, active=["B01AA03"])
    body = order_sign(patient_id=patient_id, drafts=[medication_draft(patient_id, "M01AE01")])

    kaari.cards("medication-safety", body)
    kaari.cards("medication-safety", body)

    assert CdsCall.objects.count() == 1
    assert CdsCall.objects.get().cards.count() == 1


def test_the_lab_service_counts_service_requests_not_medicines(kaari):
    patient_id = chart_post(kaari)
    drafts = [
        medication_draft(patient_id, "M01AE01"),
        {
            "resourceType": "ServiceRequest",
            "id": "lab-1",
            "status": "draft",
            "intent": "order",
            "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
            "subject": {"reference": f"Patient/{patient_id}"},
        },
    ]

    kaari.cards("lab-duplicates", order_sign(patient_id=patient_id, drafts=drafts))

    assert CdsCall.objects.get().order_count == 1
