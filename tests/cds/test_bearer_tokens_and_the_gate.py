"""CDS services take Kaari bearer tokens like the FHIR API; store reads go through the caller's gate, logged."""

from __future__ import annotations

import json

from kaari.access.models import AuditEntry
from kaari.cds.models import CdsCall, CdsFeedback
from tests.cds.fixtures import OTHER_UNIT, persona_create
from tests.cds.hook_requests import feedback_body, order_sign
from tests.safety.charts import chart_post, medication_draft


def sign_body(patient_id: str, atc: str = "M01AE01", **extra) -> dict:
    return order_sign(patient_id=patient_id, drafts=[medication_draft(patient_id, atc)], **extra)


def test_a_call_without_a_token_is_a_401_with_a_bearer_challenge(kaari):
    patient_id = chart_post(kaari, active=["B01AA03"])
    kaari.headers = {}

    response = kaari.call("medication-safety", sign_body(patient_id))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] == "unauthorized"
    assert not CdsCall.objects.exists()


def test_a_call_with_a_forged_token_is_a_401(kaari):
    patient_id = chart_post(kaari, active=["B01AA03"])
    kaari.headers = {"Authorization": "Bearer kaari1.forged.token"}

    assert kaari.call("medication-safety", sign_body(patient_id)).status_code == 401


def test_feedback_without_a_token_is_a_401(kaari):
    patient_id = chart_post(kaari, allergies=[("J01CA04", "confirmed")])
    (card,) = kaari.cards("medication-safety", sign_body(patient_id, "J01CR02"))
    kaari.headers = {}

    response = kaari.feedback("medication-safety", feedback_body(card, outcome="overridden", comment="x"))

    assert response.status_code == 401
    assert not CdsFeedback.objects.exists()


def test_discovery_needs_no_token(kaari):
    kaari.headers = {}

    assert kaari.discovery().status_code == 200


def test_a_physician_without_a_care_relationship_gets_403_and_the_refusal_is_logged(kaari):
    patient_id = chart_post(kaari, active=["B01AA03"])
    kaari.headers = persona_create("dr_muualla", unit=OTHER_UNIT)

    response = kaari.call("medication-safety", sign_body(patient_id))

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert not CdsCall.objects.exists()
    refusal = AuditEntry.objects.filter(actor="dr_muualla").latest("id")
    assert (refusal.patient_id, refusal.outcome) == (patient_id, "4")
    assert refusal.request == "POST /cds-services/medication-safety"


def test_the_reads_of_one_call_are_one_access_log_entry_of_the_caller(kaari):
    patient_id = chart_post(kaari, active=["B01AA03"], allergies=[("J01CA04", "confirmed")])
    before = AuditEntry.objects.count()

    kaari.cards("medication-safety", sign_body(patient_id))

    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.patient_id, entry.outcome) == ("dr_lahti", patient_id, "0")
    assert entry.request == "POST /cds-services/medication-safety"
    read = {e["what"].split("/")[0] for e in json.loads(entry.entities)}
    assert {"Patient", "MedicationRequest", "AllergyIntolerance", "Observation"} <= read


def test_the_caller_is_recorded_with_the_call_and_feedback_must_come_from_the_same_caller(kaari):
    patient_id = chart_post(kaari, allergies=[("J01CA04", "confirmed")])
    (card,) = kaari.cards("medication-safety", sign_body(patient_id, "J01CR02"))
    assert CdsCall.objects.get().caller == "dr_lahti"
    own_headers = kaari.headers

    kaari.headers = persona_create("dr_toinen")
    assert (
        kaari.feedback("medication-safety", feedback_body(card, outcome="overridden", comment="x")).status_code == 400
    )
    kaari.headers = own_headers
    assert (
        kaari.feedback("medication-safety", feedback_body(card, outcome="overridden", comment="x")).status_code == 200
    )
    assert CdsFeedback.objects.get().caller == "dr_lahti"


def test_a_call_answered_from_prefetch_alone_is_still_logged(kaari):
    patient = {"resourceType": "Patient", "id": "from-ehr", "birthDate": "1960-01-01"}
    body = sign_body("from-ehr", prefetch={"patient": patient, "medications": None, "statements": None,
                                           "allergies": None, "kidneyAndWeight": None})  # fmt: skip
    before = AuditEntry.objects.count()

    assert kaari.call("medication-safety", body).status_code == 200

    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.patient_id, entry.action) == ("dr_lahti", "from-ehr", "operation")


def test_feedback_is_logged_against_the_patient(kaari):
    patient_id = chart_post(kaari, allergies=[("J01CA04", "confirmed")])
    (card,) = kaari.cards("medication-safety", sign_body(patient_id, "J01CR02"))

    kaari.feedback("medication-safety", feedback_body(card, outcome="overridden", comment="x"))

    entry = AuditEntry.objects.latest("id")
    assert (entry.patient_id, entry.request) == (patient_id, "POST /cds-services/medication-safety/feedback")
