"""The clients and orders a load run's messages refer to, so that the listener can match every valid one.

`kaari hl7 load --prepare` writes, for message index i, a Patient with `synthetic_hetu(index=i)` and the order
`ServiceRequest/sr-<i>` for the test the message reports, through the intake's store (bulk load).
"""

from __future__ import annotations

from typing import Any

from kaari.fhir.store import Store
from kaari.labs.hl7.loadclient import RESULTS, synthetic_hetu
from kaari.labs.hl7.mapping import HETU_SYSTEM

BATCH = 1000


def load_patient_id(index: int) -> str:
    return f"load-patient-{index}"


def _resources(index: int) -> list[dict[str, Any]]:
    loinc, text = RESULTS[index % len(RESULTS)][:2]
    patient_id = load_patient_id(index)
    return [
        {
            "resourceType": "Patient",
            "id": patient_id,
            "identifier": [{"system": HETU_SYSTEM, "value": synthetic_hetu(index=index)}],
            "name": [{"family": "Testinen", "given": ["Tiina"]}],
        },
        {
            "resourceType": "ServiceRequest",
            "id": f"sr-{index}",
            "status": "active",
            "intent": "order",
            "code": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": text}]},
            "subject": {"reference": f"Patient/{patient_id}"},
        },
    ]


def load_orders_prepare(*, store: Store, count: int) -> int:
    """Write (or rewrite, active again) the clients and orders for messages 0..count-1; how many failed."""
    failed = 0
    for start in range(0, count, BATCH):
        batch = [r for index in range(start, min(count, start + BATCH)) for r in _resources(index)]
        failed += sum(1 for outcome in store.load(batch) if outcome.error is not None)
    return failed
