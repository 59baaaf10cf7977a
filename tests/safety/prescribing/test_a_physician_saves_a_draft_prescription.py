"""A prescription is saved through the store as a draft MedicationRequest coded with ATC; bad input gets form
messages and stores nothing."""

from __future__ import annotations

from django.test import Client

from kaari.access.services import system_store
from kaari.fhir.search.service import SearchRequest
from tests.access.personas import World
from tests.safety.prescribing.conftest import prescribe, signed_in


def _aino_orders() -> list[dict]:
    search = SearchRequest(resource_types=("MedicationRequest",), params=(("patient", "aino"),))
    return [s.resource for s in system_store("test").search(search).result.matches]


def test_the_draft_is_a_standard_medication_request(ahonen: Client):
    response = prescribe(ahonen, "J01FA09-tabletti-500-mg", duration="10", instructions="Ruoan kanssa")
    assert response.status_code == 302
    (draft,) = _aino_orders()
    assert draft["status"] == "draft" and draft["intent"] == "order"
    assert {"system": "http://www.whocc.no/atc", "code": "J01FA09", "display": "klaritromysiini"} in draft[
        "medicationCodeableConcept"
    ]["coding"]
    assert draft["subject"] == {"reference": "Patient/aino"}
    assert draft["requester"]["reference"].startswith("PractitionerRole/")
    assert draft["authoredOn"]
    dosage = draft["dosageInstruction"][0]
    repeat = dosage["timing"]["repeat"]
    assert (repeat["frequency"], repeat["period"], repeat["periodUnit"]) == (2, 1, "d")
    assert repeat["boundsDuration"] | {"unit": ""} == {
        "value": 10.0,
        "unit": "",
        "system": "http://unitsofmeasure.org",
        "code": "d",
    }
    route = dosage["route"]["coding"][0]
    assert (route["system"], route["code"]) == ("http://snomed.info/sct", "26643006")
    assert dosage["doseAndRate"][0]["doseQuantity"]["value"] == 1.0
    assert dosage["patientInstruction"] == "Ruoan kanssa"
    assert draft["dispenseRequest"]["expectedSupplyDuration"]["value"] == 10.0


def test_a_continuing_medicine_has_no_end(ahonen: Client):
    prescribe(ahonen, "C10AA01-tabletti-20-mg", duration="", continuing="on", frequency="1/d")
    (draft,) = _aino_orders()
    assert "boundsDuration" not in draft["dosageInstruction"][0]["timing"]["repeat"]
    assert "dispenseRequest" not in draft
    assert draft["courseOfTherapyType"]["coding"][0]["code"] == "continuous"


def test_an_as_needed_medicine_has_no_schedule(ahonen: Client):
    prescribe(ahonen, "N02BE01-tabletti-500-mg", frequency="prn", duration="5")
    (draft,) = _aino_orders()
    assert draft["dosageInstruction"][0]["asNeededBoolean"] is True
    assert "frequency" not in draft["dosageInstruction"][0]["timing"]["repeat"]


def test_bad_input_gets_messages_and_stores_nothing(ahonen: Client):
    response = prescribe(ahonen, "J01FA09-tabletti-500-mg", dose="-1", route="", frequency="hourly", duration="")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert html.count('class="field-error"') == 4  # dose, route, frequency, duration
    assert _aino_orders() == []


def test_a_dose_that_is_not_a_number_gets_a_message(ahonen: Client):
    response = prescribe(ahonen, "J01FA09-tabletti-500-mg", dose="kaksi")
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert _aino_orders() == []


def test_a_course_longer_than_a_year_must_be_marked_continuing(ahonen: Client):
    response = prescribe(ahonen, "J01FA09-tabletti-500-mg", duration="13", duration_unit="mo")
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert _aino_orders() == []


def test_a_product_outside_the_catalogue_is_refused(ahonen: Client):
    response = prescribe(ahonen, "X99XX99-made-up")
    assert response.status_code == 302
    assert _aino_orders() == []


def test_a_physician_without_a_relationship_cannot_save_a_draft(client: Client, world: World):
    response = prescribe(signed_in(client, "dr_berg"), "J01FA09-tabletti-500-mg")
    assert response.status_code == 403
    assert _aino_orders() == []


def test_a_nurse_cannot_prescribe(client: Client, world: World):
    response = prescribe(signed_in(client, "nurse_ceder"), "J01FA09-tabletti-500-mg")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert _aino_orders() == []
