"""ORU^R01 results matched to the order and the client and written through the store, before the ACK."""

from __future__ import annotations

import pytest

from kaari.access.models import AuditEntry
from kaari.access.services import system_store
from kaari.labs.hl7.commit import StoreResultCommit
from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.hl7.loadclient import oru_text, synthetic_hetu
from kaari.labs.hl7.mapping import HETU_SYSTEM, IDENTIFIER_SYSTEM
from kaari.labs.models import Hl7Message
from kaari.labs.services import hl7_message_correct
from tests.cds.fixtures import UNIT
from tests.labs.charts import knowledge

pytestmark = pytest.mark.django_db
INDEX = 9  # oru_text(index=9) reports LDL 3.4 (22748-8) for synthetic_hetu(index=9), order sr-9^KAARI


def intake() -> KeepingIntake:
    return KeepingIntake(catalogue=knowledge().catalogue, commit=StoreResultCommit())


def client_post(kaari, hetu: str = synthetic_hetu(index=INDEX)) -> str:
    return kaari.patient_admit(UNIT, identifier=[{"system": HETU_SYSTEM, "value": hetu}])


def order_put(kaari, patient_id: str, order_id: str = f"sr-{INDEX}", **extra) -> dict:
    order = {
        "resourceType": "ServiceRequest",
        "id": order_id,
        "status": "active",
        "intent": "order",
        "code": {"coding": [{"system": "http://loinc.org", "code": "22748-8"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        **extra,
    }
    return kaari.fhir_put(order)


def stored(resource_type: str) -> list[dict]:
    """Every current resource of the type, whoever's: what the intake wrote."""
    entries = system_store("test").history(resource_type=resource_type, count=1000).entries
    latest = {}
    for entry in reversed(entries):
        latest[entry.id] = entry
    return [entry.resource for entry in latest.values() if not entry.deleted]


def test_a_result_for_a_kaari_order_is_stored_linked_to_the_order_and_completes_it(kaari):
    patient_id = client_post(kaari)
    order_put(kaari, patient_id)

    outcome = intake().accept(oru_text(control_id="C1", index=INDEX))

    assert (outcome.ack_code, outcome.text) == ("AA", "1 results committed")
    (observation,) = stored("Observation")
    (report,) = stored("DiagnosticReport")
    assert observation["subject"] == {"reference": f"Patient/{patient_id}"}
    assert observation["basedOn"] == [{"reference": f"ServiceRequest/sr-{INDEX}"}]
    assert observation["valueQuantity"]["value"] == 3.4
    assert report["basedOn"] == [{"reference": f"ServiceRequest/sr-{INDEX}"}]
    assert report["result"] == [{"reference": f"Observation/{observation['id']}"}]
    assert kaari.fhir_read(f"ServiceRequest/sr-{INDEX}")["status"] == "completed"
    assert Hl7Message.objects.get().status == Hl7Message.Status.PROCESSED


def test_an_order_placed_elsewhere_is_found_by_its_placer_number(kaari):
    patient_id = client_post(kaari)
    order_put(
        kaari, patient_id, order_id="lis-order", identifier=[{"system": f"{IDENTIFIER_SYSTEM}/LIS", "value": "L-77"}]
    )
    text = oru_text(control_id="C2", index=INDEX).replace(f"sr-{INDEX}^KAARI", "L-77^LIS")

    assert intake().accept(text).ack_code == "AA"

    assert stored("Observation")[0]["basedOn"] == [{"reference": "ServiceRequest/lis-order"}]


def test_an_unknown_order_is_an_ae_kept_for_review_and_goes_through_once_the_order_exists(kaari):
    patient_id = client_post(kaari)

    failed = intake().accept(oru_text(control_id="C3", index=INDEX))

    assert failed.ack_code == "AE"
    assert f"no order ServiceRequest/sr-{INDEX} in Kaari" in failed.text
    message = Hl7Message.objects.get()
    assert message.status == Hl7Message.Status.FAILED and "no order" in message.reason
    assert stored("Observation") == []

    order_put(kaari, patient_id)
    assert intake().process(message).ack_code == "AA"
    assert len(stored("Observation")) == 1


def test_an_unknown_client_is_an_ae_with_the_reason(kaari):
    outcome = intake().accept(oru_text(control_id="C4", index=INDEX))

    assert outcome.ack_code == "AE"
    assert f"no client {synthetic_hetu(index=INDEX)} in Kaari" in outcome.text
    assert stored("Observation") == []


def test_another_clients_order_is_an_ae_and_nothing_is_written(kaari):
    client_post(kaari)
    someone_else = client_post(kaari, hetu=synthetic_hetu(index=INDEX + 1))
    order_put(kaari, someone_else)

    outcome = intake().accept(oru_text(control_id="C5", index=INDEX))

    assert outcome.ack_code == "AE" and "another client's" in outcome.text
    assert stored("Observation") == [] and stored("DiagnosticReport") == []
    assert kaari.fhir_read(f"ServiceRequest/sr-{INDEX}")["status"] == "active"


def test_a_corrected_result_updates_the_same_observation_instead_of_adding_one(kaari):
    order_put(kaari, client_post(kaari))
    first = oru_text(control_id="C6", index=INDEX)
    assert intake().accept(first).ack_code == "AA"

    corrected = first.replace("C6", "C7").replace("|3.4|", "|3.1|").replace("|||F|||", "|||C|||")
    assert intake().accept(corrected).ack_code == "AA"

    (observation,) = stored("Observation")
    assert (observation["valueQuantity"]["value"], observation["status"]) == (3.1, "corrected")
    assert observation["meta"]["versionId"] == "2"
    assert len(stored("DiagnosticReport")) == 1


def test_reprocessing_a_processed_message_does_not_duplicate_results(kaari):
    order_put(kaari, client_post(kaari))
    assert intake().accept(oru_text(control_id="C8", index=INDEX)).ack_code == "AA"
    message = Hl7Message.objects.get(control_id="C8")

    assert intake().process(message).ack_code == "AA"

    assert len(stored("Observation")) == 1 and len(stored("DiagnosticReport")) == 1


def test_a_preliminary_result_leaves_the_order_active(kaari):
    order_put(kaari, client_post(kaari))
    text = oru_text(control_id="C9", index=INDEX).replace("|||F|||", "|||P|||").replace("|||F\r", "|||P\r")

    assert intake().accept(text).ack_code == "AA"

    assert stored("Observation")[0]["status"] == "preliminary"
    assert kaari.fhir_read(f"ServiceRequest/sr-{INDEX}")["status"] == "active"


def test_a_corrected_message_text_is_reprocessed(kaari):
    order_put(kaari, client_post(kaari))
    bad = oru_text(control_id="C10", index=INDEX, kind="bad-number")
    failed = intake().accept(bad)
    assert failed.ack_code == "AE"

    message = hl7_message_correct(
        message=Hl7Message.objects.get(control_id="C10"), raw=oru_text(control_id="C10", index=INDEX)
    )

    assert intake().process(message).ack_code == "AA"
    message.refresh_from_db()
    assert message.status == Hl7Message.Status.PROCESSED and message.original_raw == bad


def test_each_message_is_one_access_log_entry_of_the_intake(kaari):
    patient_id = client_post(kaari)
    order_put(kaari, patient_id)

    intake().accept(oru_text(control_id="C11", index=INDEX))

    entry = AuditEntry.objects.get(request="HL7 ORU^R01 C11")
    assert (entry.actor, entry.actor_kind, entry.patient_id, entry.outcome) == (
        "system:hl7-intake",
        "system",
        patient_id,
        "0",
    )


def test_a_refused_message_still_leaves_its_access_log_entry(kaari):
    client_post(kaari)

    assert intake().accept(oru_text(control_id="C12", index=INDEX)).ack_code == "AE"

    entry = AuditEntry.objects.get(request="HL7 ORU^R01 C12")
    assert entry.outcome == "4"


def test_a_client_whose_identity_code_has_the_plus_century_sign_is_found(kaari):
    hetu = "010199+9056"  # born in 1899: "+" must survive the search's URL encoding
    patient_id = client_post(kaari, hetu=hetu)
    order_put(kaari, patient_id)
    text = oru_text(control_id="C13", index=INDEX).replace(synthetic_hetu(index=INDEX), hetu)

    assert intake().accept(text).ack_code == "AA"

    assert stored("Observation")[0]["subject"] == {"reference": f"Patient/{patient_id}"}
