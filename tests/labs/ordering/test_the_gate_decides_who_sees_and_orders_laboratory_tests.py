"""The labs screens read and write only through the signed-in user's gate, and log each page view."""

from __future__ import annotations

from kaari.access.models import AuditEntry
from tests.labs.ordering.conftest import AINO, HTMX
from tests.labs.ordering.helpers import service_requests


def test_a_signed_out_user_is_sent_to_sign_in(client, world):
    response = client.get(AINO)

    assert response.status_code == 302 and response["Location"].startswith("/signin")


def test_a_physician_without_a_care_relationship_is_refused_and_cannot_order(sign_in):
    client = sign_in("dr_berg")

    assert client.get(AINO).status_code == 403
    assert client.post(AINO + "orders", {"test": "p-crp"}).status_code == 403
    assert service_requests() == []


def test_each_page_view_writes_one_access_log_entry_naming_the_nurse_and_the_client(sign_in):
    client = sign_in("nurse_ceder")
    before = AuditEntry.objects.count()

    assert client.get(AINO).status_code == 200

    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.actor == "nurse_ceder" and entry.patient_id == "aino"


def test_another_professionals_drafts_are_neither_shown_nor_removable(sign_in):
    sign_in("dr_ahonen").post(AINO + "orders", {"test": "p-tsh"})
    (draft,) = service_requests()
    nurse = sign_in("nurse_ceder")

    page = nurse.get(AINO).content.decode()
    refused = nurse.post(AINO + "orders/remove", {"order": draft["id"]}, headers=HTMX)

    assert draft["id"] not in page
    assert 'role="alert"' in refused.content.decode()
    assert len(service_requests()) == 1


def test_an_order_pending_from_a_colleague_warns_the_nurse_and_names_it(sign_in):
    doctor = sign_in("dr_ahonen")
    doctor.post(AINO + "orders", {"test": "p-tsh"})
    doctor.post(AINO + "orders/sign")
    nurse = sign_in("nurse_ceder")
    nurse.post(AINO + "orders", {"test": "p-tsh"})

    page = nurse.post(AINO + "orders/sign", headers=HTMX).content.decode()

    warning = page[page.index('data-testid="duplicate-warnings"') :]
    assert 'data-testid="pending-order"' in warning and "P -TSH" in warning
    assert sorted(o["status"] for o in service_requests()) == ["active", "draft"]


def test_a_resident_cannot_order_tests_for_themselves(sign_in):
    client = sign_in("kaisa_r")

    added = client.post("/clients/kaisa/labs/orders", {"test": "p-crp"})
    signed = client.post("/clients/kaisa/labs/orders/sign")

    assert added.status_code == 400 and 'role="alert"' in added.content.decode()
    assert signed.status_code == 400
    assert service_requests(patient="kaisa") == []
