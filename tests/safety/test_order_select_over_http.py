"""order-select checks only the newly selected drafts; the other drafts count as the patient's medicines."""

from __future__ import annotations

from tests.cds.hook_requests import order_select
from tests.safety.charts import chart_post, medication_draft


def test_selecting_ibuprofen_beside_a_drafted_warfarin_warns(kaari):
    patient_id = chart_post(kaari)
    warfarin = medication_draft(patient_id, "B01AA03")
    ibuprofen = medication_draft(patient_id, "M01AE01")

    cards = kaari.cards(
        "medication-safety-select",
        order_select(
            patient_id=patient_id, drafts=[warfarin, ibuprofen], selections=[f"MedicationRequest/{ibuprofen['id']}"]
        ),
    )

    assert [card["indicator"] for card in cards] == ["warning"]


def test_selecting_paracetamol_beside_a_drafted_warfarin_is_silent(kaari):
    patient_id = chart_post(kaari)
    warfarin = medication_draft(patient_id, "B01AA03")
    paracetamol = medication_draft(patient_id, "N02BE01")

    cards = kaari.cards(
        "medication-safety-select",
        order_select(
            patient_id=patient_id,
            drafts=[warfarin, paracetamol],
            selections=[f"MedicationRequest/{paracetamol['id']}"],
        ),
    )

    assert cards == []
