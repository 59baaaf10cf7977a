"""Bad input to the ordering forms is a form message (role=alert), never a 500, and changes nothing stored."""

from __future__ import annotations

import pytest

from tests.labs.ordering.conftest import AINO, HTMX
from tests.labs.ordering.helpers import feedback_outcomes, service_requests


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("orders", {}),
        ("orders", {"test": "no-such-test"}),
        ("orders", {"test": "u-prot-o"}),  # a part that cannot be ordered alone
        ("orders", {"test": "x" * 1000}),
        ("orders/sign", {}),  # nothing to sign
        ("orders/remove", {}),
        ("orders/remove", {"order": "../../Patient/aino"}),
        ("orders/remove", {"order": "unknown-order"}),
        ("orders/remove", {"order": "unknown-order", "accepted": ["no-suggestion"]}),
        ("orders/override", {"order": "unknown-order", "cards": ["c1"], "reason": "because"}),
        ("orders/override", {"order": "unknown-order", "reason": "clinical-change"}),
    ],
)
def test_bad_input_is_a_form_message_and_nothing_is_stored(sign_in, path, data):
    client = sign_in("nurse_ceder")

    plain = client.post(AINO + path, data)
    partial = client.post(AINO + path, data, headers=HTMX)

    assert plain.status_code == 400 and 'role="alert"' in plain.content.decode()
    assert partial.status_code == 200 and 'role="alert"' in partial.content.decode()
    assert service_requests() == [] and feedback_outcomes() == []


def test_a_signed_order_is_no_longer_a_draft_one_can_remove(sign_in):
    client = sign_in("nurse_ceder")
    client.post(AINO + "orders", {"test": "p-crp"})
    client.post(AINO + "orders/sign")
    (order,) = service_requests()

    response = client.post(AINO + "orders/remove", {"order": order["id"]})

    assert response.status_code == 400
    assert service_requests()[0]["status"] == "active"


def test_the_pages_answer_only_the_methods_they_serve(sign_in):
    client = sign_in("nurse_ceder")

    assert client.post(AINO).status_code == 405
    assert client.get(AINO + "orders/sign").status_code == 405


def test_an_unknown_client_is_not_found(sign_in):
    assert sign_in("nurse_ceder").get("/clients/nobody/labs/").status_code == 404


def test_ordering_for_an_unknown_client_is_not_found(sign_in):
    client = sign_in("nurse_ceder")

    assert client.post("/clients/nobody/labs/orders", {"test": "p-crp"}).status_code == 404
    assert client.post("/clients/nobody/labs/orders/sign").status_code == 404
    assert service_requests() == []
