"""A signed order is tracked on the page from ordered to resulted, with the reports based on it."""

from __future__ import annotations

from datetime import timedelta

from tests.labs.ordering.conftest import AINO
from tests.labs.ordering.helpers import hba1c_result, service_requests, stored_load


def report(report_id: str, order_id: str, observation_id: str, status: str = "final") -> dict:
    return {
        "resourceType": "DiagnosticReport",
        "id": report_id,
        "status": status,
        "code": {"coding": [{"system": "http://loinc.org", "code": "59261-8"}]},
        "subject": {"reference": "Patient/aino"},
        "basedOn": [{"reference": f"ServiceRequest/{order_id}"}],
        "issued": "2026-11-20T10:00:00+02:00",
        "result": [{"reference": f"Observation/{observation_id}"}],
        "conclusion": "Hoitotavoitteessa",
    }


def signed_hba1c(client) -> str:
    client.post(AINO + "orders", {"test": "b-hba1c"})
    client.post(AINO + "orders/sign")
    (order,) = service_requests()
    return str(order["id"])


def test_a_signed_order_awaits_its_result(sign_in):
    client = sign_in("nurse_ceder")
    signed_hba1c(client)

    page = client.get(AINO).content.decode()

    assert 'data-stage="ordered"' in page and "Tilattu, odottaa tulosta" in page
    assert 'data-testid="pending-count">1 tilaus odottaa tulosta.' in page


def test_a_preliminary_result_is_shown_as_such(sign_in):
    client = sign_in("nurse_ceder")
    order_id = signed_hba1c(client)
    stored_load(hba1c_result("prelim", value=44, ago=timedelta(hours=2), based_on=order_id, status="preliminary"))

    page = client.get(AINO).content.decode()

    assert 'data-stage="partial"' in page and "(alustava)" in page


def test_a_final_report_marks_the_order_resulted_and_shows_its_results(sign_in):
    client = sign_in("nurse_ceder")
    order_id = signed_hba1c(client)
    stored_load(
        hba1c_result("final", value=39, ago=timedelta(hours=2), based_on=order_id),
        report("report-1", order_id, "final"),
    )

    page = client.get(AINO).content.decode()

    assert 'data-stage="resulted"' in page
    assert "B -HbA1c 39 mmol/mol" in page and "Hoitotavoitteessa" in page and "lopullinen" in page
    assert 'data-testid="pending-count">0 tilausta' in page
