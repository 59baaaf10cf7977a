"""Signing a test that repeats a result inside its minimum retesting interval holds the draft behind a warning
with the earlier value and date; removing it deletes the draft and records `accepted`, overriding records the
reason as `overridden` and signs the order."""

from __future__ import annotations

import re
from datetime import timedelta

from kaari.labs.ordering.results import local_date
from tests.labs.ordering.conftest import AINO, HTMX
from tests.labs.ordering.helpers import NOW, feedback_outcomes, hba1c_result, service_requests, stored_load


def _warned(client):
    stored_load(hba1c_result("aino-hba1c-1", value=48, ago=timedelta(days=20)))
    client.post(AINO + "orders", {"test": "b-hba1c"}, headers=HTMX)
    response = client.post(AINO + "orders/sign", headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def _hidden(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', page)


def test_the_warning_shows_the_earlier_value_and_date_and_the_draft_is_not_signed(sign_in):
    page = _warned(sign_in("nurse_ceder"))

    assert 'data-testid="duplicate-warning"' in page
    warning = page[page.index('data-testid="duplicate-warnings"') :]
    assert "48 mmol/mol" in warning
    assert local_date(NOW - timedelta(days=20)) in warning
    assert "H · " in warning  # the earlier result is flagged high against its range
    (draft,) = service_requests()
    assert draft["status"] == "draft"


def test_removing_the_draft_deletes_it_and_records_the_suggestion_accepted(sign_in):
    client = sign_in("nurse_ceder")
    page = _warned(client)
    (order,) = _hidden(page, "order")[:1]

    response = client.post(
        AINO + "orders/remove", {"order": order, "accepted": _hidden(page, "accepted")}, headers=HTMX
    )

    assert response.status_code == 200
    assert service_requests() == []
    assert feedback_outcomes() == [("accepted", "")]
    assert 'data-testid="pending-count">0 ' in response.content.decode()


def test_overriding_with_a_reason_signs_the_order_and_records_the_reason(sign_in):
    client = sign_in("nurse_ceder")
    page = _warned(client)

    response = client.post(
        AINO + "orders/override",
        {"order": _hidden(page, "order")[0], "cards": _hidden(page, "cards"), "reason": "clinical-change"},
        headers=HTMX,
    )

    assert response.status_code == 200
    (order,) = service_requests()
    assert order["status"] == "active"
    assert feedback_outcomes() == [("overridden", "clinical-change")]


def test_overriding_without_a_reason_is_a_form_message_and_nothing_is_signed(sign_in):
    client = sign_in("nurse_ceder")
    page = _warned(client)

    response = client.post(
        AINO + "orders/override", {"order": _hidden(page, "order")[0], "cards": _hidden(page, "cards")}
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert service_requests()[0]["status"] == "draft"
    assert feedback_outcomes() == []


def test_a_card_kaari_did_not_show_is_refused_and_the_draft_stays(sign_in):
    client = sign_in("nurse_ceder")
    page = _warned(client)

    response = client.post(
        AINO + "orders/remove",
        {"order": _hidden(page, "order")[0], "accepted": ["not-a-card:not-a-suggestion"]},
        headers=HTMX,
    )

    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert len(service_requests()) == 1
    assert feedback_outcomes() == []


def test_a_result_older_than_the_interval_does_not_warn(sign_in):
    client = sign_in("nurse_ceder")
    stored_load(hba1c_result("aino-hba1c-old", value=48, ago=timedelta(days=200)))
    client.post(AINO + "orders", {"test": "b-hba1c"}, headers=HTMX)

    page = client.post(AINO + "orders/sign", headers=HTMX).content.decode()

    assert 'data-testid="duplicate-warning"' not in page
    assert service_requests()[0]["status"] == "active"
