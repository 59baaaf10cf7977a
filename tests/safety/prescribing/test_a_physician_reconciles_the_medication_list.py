"""Reconciling the current list: stop (status stopped with reason and date), change (a new order that replaces
the old one when signed) and continue (the order marked as reviewed), each through the store."""

from __future__ import annotations

from datetime import date

from django.test import Client

from kaari.access.services import system_store
from kaari.fhir.search.service import SearchRequest
from tests.access.personas import World
from tests.safety.prescribing.conftest import current_order, prescribe, signed_in, stored

STOPPED = "https://kaari.fi/fhir/StructureDefinition/medication-stopped"
REVIEWED = "https://kaari.fi/fhir/StructureDefinition/medication-reviewed"


def test_stopping_records_the_reason_and_the_date(ahonen: Client):
    order = current_order("M01AE01", text="Ibuprofeeni 400 mg tabletti")
    response = ahonen.post(
        f"/clients/aino/medications/{order}/stop", {"reason": "sintol", "on": "2026-11-20", "note": "Vatsavaivat"}
    )
    assert response.status_code == 302
    resource = stored("MedicationRequest", order)
    assert resource["status"] == "stopped"
    assert resource["statusReason"]["coding"][0]["code"] == "sintol"
    assert resource["statusReason"]["text"] == "Vatsavaivat"
    assert {"url": STOPPED, "valueDate": "2026-11-20"} in resource["extension"]
    assert "Ibuprofeeni" not in ahonen.get("/clients/aino/medications/").content.decode()


def test_stopping_without_a_reason_gets_a_message_and_changes_nothing(ahonen: Client):
    order = current_order("M01AE01")
    response = ahonen.post(f"/clients/aino/medications/{order}/stop", {"reason": "", "on": "yesterday"})
    assert response.status_code == 200
    assert response.content.decode().count('class="field-error"') == 2
    assert stored("MedicationRequest", order)["status"] == "active"


def test_continuing_marks_the_order_as_reviewed(ahonen: Client):
    order = current_order("C10AA01")
    assert ahonen.post(f"/clients/aino/medications/{order}/continue").status_code == 302
    resource = stored("MedicationRequest", order)
    assert resource["status"] == "active"
    (review,) = [e for e in resource["extension"] if e["url"] == REVIEWED]
    assert review["extension"][0] == {"url": "date", "valueDateTime": review["extension"][0]["valueDateTime"]}
    assert review["extension"][0]["valueDateTime"].startswith(date.today().isoformat()[:4])
    assert review["extension"][1]["valueReference"]["reference"].startswith("Practitioner/")
    assert resource["note"][-1]["authorReference"]["reference"].startswith("Practitioner/")


def test_changing_creates_a_new_order_that_replaces_the_old_one_when_signed(ahonen: Client):
    current = current_order("C10AA01", product="C10AA01-tabletti-20-mg")
    start = ahonen.get(f"/clients/aino/medications/{current}/change")
    assert start["Location"] == f"/clients/aino/medications/new?product=C10AA01-tabletti-20-mg&prior={current}"
    form = ahonen.get(start["Location"]).content.decode()
    assert 'value="C10AA01-tabletti-40-mg"' in form  # the other strengths to change to
    response = prescribe(ahonen, "C10AA01-tabletti-40-mg", prior=current, continuing="on", duration="")
    assert response.status_code == 302
    assert ahonen.post("/clients/aino/medications/sign").status_code == 302
    assert stored("MedicationRequest", current)["status"] == "stopped"
    search = SearchRequest(resource_types=("MedicationRequest",), params=(("patient", "aino"), ("status", "active")))
    (new,) = [s.resource for s in system_store("test").search(search).result.matches]
    assert new["priorPrescription"] == {"reference": f"MedicationRequest/{current}"}
    assert "40 mg" in new["medicationCodeableConcept"]["text"]


def test_changing_a_medicine_outside_the_catalogue_asks_for_a_search(ahonen: Client):
    current = current_order("C10AA01")
    response = ahonen.get(f"/clients/aino/medications/{current}/change", follow=True)
    assert 'role="alert"' in response.content.decode()


def test_an_order_kept_by_another_unit_cannot_be_stopped_here(ahonen: Client):
    order = current_order("C10AA01", keeper="ward-7")
    response = ahonen.post(f"/clients/aino/medications/{order}/stop", {"reason": "altchoice", "on": "2026-11-20"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert stored("MedicationRequest", order)["status"] == "active"


def test_an_order_that_is_not_current_gets_a_message(ahonen: Client):
    order = current_order("C10AA01", status="stopped")
    response = ahonen.post(f"/clients/aino/medications/{order}/continue", follow=True)
    assert 'role="alert"' in response.content.decode()
    response = ahonen.get("/clients/aino/medications/no-such-order/stop", follow=True)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_a_physician_without_a_relationship_cannot_stop_an_order(client: Client, world: World):
    order = current_order("C10AA01")
    response = signed_in(client, "dr_berg").post(
        f"/clients/aino/medications/{order}/stop", {"reason": "altchoice", "on": "2026-11-20"}
    )
    assert response.status_code == 403
    assert stored("MedicationRequest", order)["status"] == "active"
