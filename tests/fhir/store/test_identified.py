"""Store.identified: the current resources of a type that carry an identifier."""

from __future__ import annotations

import pytest

from kaari.fhir.store import Store, TrustedGate

pytestmark = pytest.mark.django_db
HETU = "urn:oid:1.2.246.21"
PLACER = "urn:oid:1.2.246.10.1234.10.1"


def test_a_patient_is_found_by_personal_identity_code():
    store = Store(TrustedGate())
    aino = store.create({"resourceType": "Patient", "identifier": [{"system": HETU, "value": "020150-9012"}]})
    store.create({"resourceType": "Patient", "identifier": [{"system": HETU, "value": "030150-902R"}]})

    assert [s.id for s in store.identified("Patient", HETU, "020150-9012")] == [aino.stored.id]
    assert store.identified("Patient", HETU, "040150-903D") == []


def test_an_order_is_found_by_its_placer_number_and_a_deleted_one_is_not():
    store = Store(TrustedGate())
    patient = store.create({"resourceType": "Patient"}).stored.id
    order = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "subject": {"reference": f"Patient/{patient}"},
        "identifier": [{"system": PLACER, "value": "L-77"}],
    }
    kept = store.create(order).stored.id
    gone = store.create({**order, "identifier": [{"system": PLACER, "value": "L-78"}]}).stored.id
    store.delete("ServiceRequest", gone)

    assert [s.id for s in store.identified("ServiceRequest", PLACER, "L-77")] == [kept]
    assert store.identified("ServiceRequest", PLACER, "L-78") == []
    assert store.identified("ServiceRequest", "urn:other", "L-77") == []
