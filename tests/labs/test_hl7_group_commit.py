"""Messages arriving together are committed in one transaction, and a bad one does not hold back the others."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from kaari.access.models import AuditEntry
from kaari.access.services import system_store
from kaari.labs.hl7.batching import BatchingIntake
from kaari.labs.hl7.commit import StoreResultCommit
from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.hl7.loadclient import oru_text
from kaari.labs.hl7.loadprepare import load_orders_prepare
from kaari.labs.models import Hl7Message
from tests.labs.charts import knowledge

pytestmark = pytest.mark.django_db


def intake() -> KeepingIntake:
    return KeepingIntake(catalogue=knowledge().catalogue, commit=StoreResultCommit())


def current(resource_type: str) -> list[dict]:
    latest = {}
    for entry in reversed(system_store("test").history(resource_type=resource_type, count=1000).entries):
        latest[entry.id] = entry
    return [entry.resource for entry in latest.values() if not entry.deleted]


def test_a_batch_answers_each_message_and_stores_the_good_ones_in_one_access_log_entry():
    load_orders_prepare(store=system_store("test"), count=3)
    texts = [
        oru_text(control_id="G0", index=0),
        oru_text(control_id="G1", index=1, kind="bad-number"),
        oru_text(control_id="G2", index=2),
        oru_text(control_id="G3", index=3),  # client and order 3 were never written
    ]

    outcomes = intake().accept_many([(text, None) for text in texts])

    assert [o.ack_code for o in outcomes] == ["AA", "AE", "AA", "AE"]
    assert "no client" in outcomes[3].text
    assert {o["basedOn"][0]["reference"] for o in current("Observation")} == {
        "ServiceRequest/sr-0",
        "ServiceRequest/sr-2",
    }
    statuses = dict(Hl7Message.objects.values_list("control_id", "status"))
    assert statuses == {"G0": "processed", "G1": "failed", "G2": "processed", "G3": "failed"}
    assert AuditEntry.objects.filter(request="HL7 ORU^R01 G0,G2,G3").count() == 1


def test_two_results_for_the_same_order_in_one_batch_are_both_stored():
    load_orders_prepare(store=system_store("test"), count=1)
    first = oru_text(control_id="D0", index=0)
    corrected = first.replace("D0", "D1").replace("|||F|||", "|||C|||")

    outcomes = intake().accept_many([(first, None), (corrected, None)])

    assert [o.ack_code for o in outcomes] == ["AA", "AA"]
    (observation,) = current("Observation")
    assert observation["status"] == "corrected"


def test_a_framing_fault_in_a_batch_is_kept_and_answered_ar():
    load_orders_prepare(store=system_store("test"), count=1)

    outcomes = intake().accept_many([("garbage", "data outside a frame"), (oru_text(control_id="F0", index=0), None)])

    assert [o.ack_code for o in outcomes] == ["AR", "AA"]
    assert Hl7Message.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_each_get_their_own_outcome_through_the_committer():
    load_orders_prepare(store=system_store("test"), count=20)
    batching = BatchingIntake(intake=intake(), max_batch=8)
    kinds = ["valid" if index % 4 else "no-pid" for index in range(20)]
    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            outcomes = list(
                pool.map(
                    lambda index: batching.accept(oru_text(control_id=f"T{index}", index=index, kind=kinds[index])),
                    range(20),
                )
            )
    finally:
        batching.close()

    assert [o.ack_code for o in outcomes] == ["AE" if kind == "no-pid" else "AA" for kind in kinds]
    assert Hl7Message.objects.filter(status="processed").count() == 15
    assert len(current("Observation")) == 15
