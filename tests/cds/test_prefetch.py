"""Prefetch: the client's data is used as sent; keys it leaves out are read from Kaari's store for the caller."""

from __future__ import annotations

from kaari.cds.hooks import CdsRequest
from kaari.cds.models import CdsCall
from kaari.cds.prefetch import template_render
from tests.cds.hook_requests import order_sign
from tests.safety.charts import ATC, chart_post, medication_draft


def warfarin_order(patient_id: str) -> dict:
    return {
        "resourceType": "MedicationRequest",
        "id": "warfarin-1",
        "status": "active",
        "intent": "order",
        "subject": {"reference": f"Patient/{patient_id}"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": "B01AA03"}]},
    }


def searchset(*resources: dict) -> dict:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def full_prefetch(patient_id: str, *medications: dict) -> dict:
    return {
        "patient": {"resourceType": "Patient", "id": patient_id, "birthDate": "1966-06-01"},
        "medications": searchset(*medications),
        "statements": None,
        "allergies": searchset(),
        "kidneyAndWeight": None,
    }


def test_a_complete_prefetch_is_used_and_nothing_is_read_from_the_store(kaari):
    body = order_sign(
        patient_id="not-in-kaari",
        drafts=[medication_draft("not-in-kaari", "M01AE01")],
        prefetch=full_prefetch("not-in-kaari", warfarin_order("not-in-kaari")),
    )

    cards = kaari.cards("medication-safety", body)

    assert [card["indicator"] for card in cards] == ["warning"]
    call = CdsCall.objects.get()
    assert call.prefetch_read == []
    assert sorted(call.prefetch_given) == ["allergies", "kidneyAndWeight", "medications", "patient", "statements"]


def test_the_clients_prefetch_wins_over_the_store(kaari):
    # The store has warfarin; the client says the current orders are none (an empty searchset).
    patient_id = chart_post(kaari, active=["B01AA03"])
    body = order_sign(
        patient_id=patient_id,
        drafts=[medication_draft(patient_id, "M01AE01")],
        prefetch={"medications": searchset()},
    )

    assert kaari.cards("medication-safety", body) == []
    assert "medications" not in CdsCall.objects.get().prefetch_read


def test_keys_the_client_leaves_out_are_read_from_the_store(kaari):
    patient_id = chart_post(kaari, active=["B01AA03"])
    body = order_sign(
        patient_id=patient_id,
        drafts=[medication_draft(patient_id, "M01AE01")],
        prefetch={"patient": {"resourceType": "Patient", "id": patient_id, "birthDate": "1966-06-01"}},
    )

    assert [card["indicator"] for card in kaari.cards("medication-safety", body)] == ["warning"]
    assert sorted(CdsCall.objects.get().prefetch_read) == ["allergies", "kidneyAndWeight", "medications", "statements"]


def test_a_patient_kaari_does_not_know_without_prefetch_is_a_412(kaari):
    body = order_sign(patient_id="nobody", drafts=[medication_draft("nobody", "M01AE01")])

    response = kaari.call("medication-safety", body)

    assert response.status_code == 412
    assert response.json()["error"] == "data-unavailable"


def request_with(context: dict, user_id: str = "Practitioner/p-7") -> CdsRequest:
    return CdsRequest(
        service_id="s",
        hook="patient-view",
        hook_instance="h",
        user_id=user_id,
        patient_id=context["patientId"],
        context=context,
    )


def test_templates_render_context_and_user_tokens():
    request = request_with({"patientId": "p-1", "encounterId": "e-2"})

    assert template_render("Patient/{{context.patientId}}", request) == "Patient/p-1"
    assert template_render("Encounter/{{ context.encounterId }}", request) == "Encounter/e-2"
    assert template_render("PractitionerRole?practitioner={{userPractitionerId}}", request) == (
        "PractitionerRole?practitioner=p-7"
    )


def test_a_template_whose_token_has_no_value_is_not_rendered():
    request = request_with({"patientId": "p-1"})

    assert template_render("Encounter/{{context.encounterId}}", request) is None
    assert template_render("Patient/{{userPatientId}}", request) is None
