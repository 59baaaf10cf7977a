"""A nurse finds a test, adds it as a draft and signs it; with no warning it is signed at once."""

from __future__ import annotations

from tests.labs.ordering.conftest import AINO, HTMX
from tests.labs.ordering.helpers import feedback_outcomes, service_requests


def test_adding_a_test_creates_a_loinc_coded_draft_requested_by_the_nurse(sign_in):
    client = sign_in("nurse_ceder")

    response = client.post(AINO + "orders", {"test": "b-hba1c"}, headers=HTMX)

    assert response.status_code == 200
    (draft,) = service_requests()
    assert draft["status"] == "draft" and draft["intent"] == "order"
    assert {"system": "http://loinc.org", "code": "59261-8"} in draft["code"]["coding"]
    assert draft["subject"] == {"reference": "Patient/aino"}
    assert draft["requester"]["reference"].startswith("PractitionerRole/")
    assert draft["authoredOn"]
    assert "B -HbA1c" in response.content.decode()


def test_signing_a_draft_without_a_warning_makes_it_an_active_order_awaiting_its_result(sign_in):
    client = sign_in("nurse_ceder")
    client.post(AINO + "orders", {"test": "p-tsh"}, headers=HTMX)

    response = client.post(AINO + "orders/sign", headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="signed"' in page and "P -TSH" in page
    (order,) = service_requests()
    assert order["status"] == "active"
    assert 'data-stage="ordered"' in page
    assert feedback_outcomes() == []


def test_without_javascript_adding_a_test_redirects_back_to_the_page(sign_in):
    client = sign_in("nurse_ceder")

    response = client.post(AINO + "orders", {"test": "p-crp"})

    assert response.status_code == 302 and response["Location"] == AINO
    assert "P -CRP" in client.get(AINO).content.decode()
