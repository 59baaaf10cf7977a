"""Malformed service requests are 400s with a JSON error naming the field; nothing is recorded."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kaari.cds.models import CdsCall
from tests.cds.hook_requests import hook_body, order_select, order_sign
from tests.safety.charts import medication_draft

PATIENT = "p-1"
DRAFT = medication_draft(PATIENT, "M01AE01", draft_id="d-1")


def valid_sign() -> dict[str, Any]:
    return order_sign(patient_id=PATIENT, drafts=[copy.deepcopy(DRAFT)])


def broken(change) -> dict[str, Any]:
    body = valid_sign()
    change(body)
    return body


def _draft(body):
    return body["context"]["draftOrders"]["entry"][0]["resource"]


CASES = {
    "hook missing": (broken(lambda b: b.pop("hook")), "hook"),
    "another hook": (broken(lambda b: b.update(hook="patient-view")), "hook"),
    "hookInstance missing": (broken(lambda b: b.pop("hookInstance")), "hookInstance"),
    "hookInstance with spaces": (broken(lambda b: b.update(hookInstance="a b")), "hookInstance"),
    "context missing": (broken(lambda b: b.pop("context")), "context"),
    "context a list": (broken(lambda b: b.update(context=[])), "context"),
    "userId missing": (broken(lambda b: b["context"].pop("userId")), "context.userId"),
    "userId not a reference": (broken(lambda b: b["context"].update(userId="dr-who")), "context.userId"),
    "patientId missing": (broken(lambda b: b["context"].pop("patientId")), "context.patientId"),
    "patientId not an id": (broken(lambda b: b["context"].update(patientId="a/b")), "context.patientId"),
    "draftOrders missing": (broken(lambda b: b["context"].pop("draftOrders")), "context.draftOrders"),
    "draftOrders not a Bundle": (
        broken(lambda b: b["context"].update(draftOrders={"resourceType": "List"})),
        "context.draftOrders",
    ),
    "a draft of a wrong type": (
        broken(lambda b: _draft(b).update(resourceType="Observation")),
        "context.draftOrders.entry[0].resource",
    ),
    "a draft without an id": (broken(lambda b: _draft(b).pop("id")), "context.draftOrders.entry[0].resource"),
    "a draft not in draft status": (
        broken(lambda b: _draft(b).update(status="active")),
        "context.draftOrders.entry[0].resource",
    ),
    "a draft for another patient": (
        broken(lambda b: _draft(b).update(subject={"reference": "Patient/other"})),
        "context.draftOrders.entry[0].resource",
    ),
    "a draft that is not valid FHIR": (
        broken(lambda b: _draft(b).update(intent="wish")),
        "context.draftOrders.entry[0].resource.MedicationRequest.intent",
    ),
    "prefetch a list": (broken(lambda b: b.update(prefetch=[])), "prefetch"),
    "prefetch value not a resource": (broken(lambda b: b.update(prefetch={"patient": 3})), "prefetch.patient"),
    "prefetch about another patient": (
        broken(lambda b: b.update(prefetch={"patient": {"resourceType": "Patient", "id": "other"}})),
        "prefetch.patient",
    ),
    "fhirAuthorization without its fields": (
        broken(lambda b: b.update(fhirAuthorization={"access_token": "x"})),
        "fhirAuthorization.token_type",
    ),
}


@pytest.mark.parametrize("body, where", CASES.values(), ids=CASES.keys())
def test_a_malformed_order_sign_is_a_400_naming_the_field(kaari, body, where):
    response = kaari.call("medication-safety", body)

    assert response.status_code == 400, response.content
    assert response.json()["error"] == "bad-request"
    assert response.json()["where"] == where
    assert response.json()["message"]
    assert not CdsCall.objects.exists()


def test_a_body_that_is_not_json_is_a_400(kaari):
    response = kaari.call("medication-safety", b"{not json")

    assert response.status_code == 400
    assert "not JSON" in response.json()["message"]


def test_a_json_array_body_is_a_400(kaari):
    assert kaari.call("medication-safety", b"[]").status_code == 400


def test_order_select_needs_selections_that_name_drafts(kaari):
    body = order_select(patient_id=PATIENT, drafts=[copy.deepcopy(DRAFT)], selections=["MedicationRequest/nope"])

    response = kaari.call("medication-safety-select", body)

    assert response.status_code == 400
    assert response.json()["where"] == "context.selections[0]"


def test_order_select_without_selections_is_a_400(kaari):
    body = order_select(patient_id=PATIENT, drafts=[copy.deepcopy(DRAFT)], selections=["MedicationRequest/d-1"])
    body["context"].pop("selections")

    assert kaari.call("medication-safety-select", body).json()["where"] == "context.selections"


def test_patient_view_needs_a_patient(kaari):
    body = hook_body("patient-view", patient_id=PATIENT)
    body["context"].pop("patientId")

    assert kaari.call("medication-review", body).status_code == 400


def test_an_unknown_service_is_a_404(kaari):
    response = kaari.call("no-such-service", valid_sign())

    assert response.status_code == 404
    assert response.json()["error"] == "unknown-service"


def test_a_service_answers_only_post(kaari):
    response = kaari.client.get("/cds-services/medication-safety")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
