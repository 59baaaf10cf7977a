"""patient-view reviews the stored current medication list."""

from __future__ import annotations

from tests.cds.hook_requests import hook_body
from tests.safety.charts import chart_post


def test_the_review_warns_about_warfarin_with_ibuprofen_on_the_current_list(kaari):
    patient_id = chart_post(kaari, active=["B01AA03", "M01AE01"])

    cards = kaari.cards("medication-review", hook_body("patient-view", patient_id=patient_id))

    assert [card["indicator"] for card in cards] == ["warning"]
    assert "arfarin" in cards[0]["summary"]


def test_the_review_of_a_list_without_problems_is_empty(kaari):
    patient_id = chart_post(kaari, active=["C10AA05", "N02BE01"])

    assert kaari.cards("medication-review", hook_body("patient-view", patient_id=patient_id)) == []
