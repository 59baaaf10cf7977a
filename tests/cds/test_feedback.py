"""POST /cds-services/{id}/feedback records what the clinician did with a card, tied to the card as shown."""

from __future__ import annotations

from kaari.cds.models import CdsFeedback
from tests.cds.hook_requests import feedback_body, order_sign
from tests.safety.charts import chart_post, medication_draft


def critical_allergy_card(kaari):
    patient_id = chart_post(kaari, allergies=[("J01CA04", "confirmed")])
    draft = medication_draft(patient_id, "J01CR02")
    (card,) = kaari.cards("medication-safety", order_sign(patient_id=patient_id, drafts=[draft]))
    return patient_id, draft, card


def test_an_override_with_a_reason_is_recorded_with_rule_patient_user_and_order(kaari):
    patient_id, draft, card = critical_allergy_card(kaari)
    reason = card["overrideReasons"][0]

    response = kaari.feedback(
        "medication-safety", feedback_body(card, outcome="overridden", reason=reason, comment="Tolerated in 2024")
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"recorded": 1}
    feedback = CdsFeedback.objects.get()
    assert (feedback.outcome, feedback.override_code, feedback.user_comment) == (
        "overridden",
        reason["code"],
        "Tolerated in 2024",
    )
    assert (feedback.service_id, feedback.rule_id, feedback.patient_id, feedback.user_id) == (
        "medication-safety",
        "allergy.substance",
        patient_id,
        "Practitioner/laakari-1",
    )
    assert feedback.orders == [f"MedicationRequest/{draft['id']}"]


def test_an_accepted_suggestion_is_recorded(kaari):
    _, _, card = critical_allergy_card(kaari)
    suggestion = card["suggestions"][0]["uuid"]

    response = kaari.feedback("medication-safety", feedback_body(card, outcome="accepted", accepted=[suggestion]))

    assert response.status_code == 200
    assert CdsFeedback.objects.get().accepted_suggestions == [suggestion]


def test_an_override_with_only_a_comment_is_recorded(kaari):
    _, _, card = critical_allergy_card(kaari)

    response = kaari.feedback("medication-safety", feedback_body(card, outcome="overridden", comment="Desensitised"))

    assert response.status_code == 200
    assert CdsFeedback.objects.get().override_code == ""


def test_feedback_on_a_card_the_service_never_showed_is_a_400(kaari):
    response = kaari.feedback("medication-safety", feedback_body({"uuid": "nope"}, outcome="overridden", comment="x"))

    assert response.status_code == 400
    assert response.json()["where"] == "card"
    assert not CdsFeedback.objects.exists()


def test_feedback_on_another_services_card_is_a_400(kaari):
    _, _, card = critical_allergy_card(kaari)

    response = kaari.feedback("lab-duplicates", feedback_body(card, outcome="overridden", comment="x"))

    assert response.status_code == 400


def test_an_override_reason_the_card_did_not_offer_is_a_400(kaari):
    _, _, card = critical_allergy_card(kaari)
    invented = {"system": "https://example.org/reasons", "code": "felt-like-it"}

    response = kaari.feedback("medication-safety", feedback_body(card, outcome="overridden", reason=invented))

    assert response.status_code == 400
    assert not CdsFeedback.objects.exists()


def test_accepting_without_naming_a_suggestion_is_a_400(kaari):
    _, _, card = critical_allergy_card(kaari)

    response = kaari.feedback("medication-safety", feedback_body(card, outcome="accepted"))

    assert response.status_code == 400
    assert response.json()["where"] == "feedback[0].acceptedSuggestions"


def test_accepting_a_suggestion_of_another_card_is_a_400(kaari):
    _, _, card = critical_allergy_card(kaari)

    response = kaari.feedback("medication-safety", feedback_body(card, outcome="accepted", accepted=["other"]))

    assert response.status_code == 400


def test_an_unknown_outcome_or_a_missing_timestamp_is_a_400(kaari):
    _, _, card = critical_allergy_card(kaari)
    body = feedback_body(card, outcome="ignored")
    assert kaari.feedback("medication-safety", body).json()["where"] == "feedback[0].outcome"
    body = feedback_body(card, outcome="overridden", comment="x")
    body["feedback"][0].pop("outcomeTimestamp")
    assert kaari.feedback("medication-safety", body).json()["where"] == "feedback[0].outcomeTimestamp"
    assert kaari.feedback("medication-safety", {"feedback": []}).status_code == 400
