"""Acceptance (issue 8): a nurse orders HbA1c twice, sees the warning with the earlier value, and removes the draft.

Nurse Ceder (hc-north, where Aino has an open visit) orders B -HbA1c and signs it; the laboratory's ORU^R01 for
that order arrives through the HL7 intake, as from an outside laboratory; the labs page shows the result with its
range and flag; she orders HbA1c again, is warned with the earlier value and date, and removes the draft. Nothing
new is pending afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from kaari.access.services import system_store
from kaari.fhir.search.service import SearchRequest
from kaari.labs.fhirtime import HELSINKI
from kaari.labs.hl7.commit import StoreResultCommit
from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.knowledge import lab_knowledge
from tests.access.personas import HETUS
from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.browser.personas import PASSWORD, aino_hba1c_history, browser_world_build

LABS = "/clients/aino/labs/"
TEXT = {
    "fi": {
        "search": "Hae tutkimuksia",
        "add": "Lisää B -HbA1c",
        "sign": "Allekirjoita tilaukset",
        "remove": "Poista luonnos B -HbA1c",
        "high": "Korkea",
        "none_pending": "0 tilausta odottaa tulosta.",
        "removed": "Tilausluonnos poistettiin.",
    },
    "en": {
        "search": "Search tests",
        "add": "Add B -HbA1c",
        "sign": "Sign the orders",
        "remove": "Remove the draft B -HbA1c",
        "high": "High",
        "none_pending": "0 orders await their results.",
        "removed": "The draft order was removed.",
    },
}


@pytest.fixture
def region(transactional_db: None, settings: Any) -> None:
    settings.KAARI_DEFAULT_KEEPER = "county"
    browser_world_build()
    aino_hba1c_history()


def aino_orders(status: str) -> list[dict[str, Any]]:
    params = (("patient", "aino"), ("status", status))
    outcome = system_store("browser test").search(SearchRequest(resource_types=("ServiceRequest",), params=params))
    return [s.resource for s in outcome.result.matches]


def laboratory_reports(*, order_id: str, value: int) -> None:
    """The laboratory's ORU^R01 for Kaari's order, taken in by the HL7 intake the MLLP listener uses."""
    now = datetime.now(HELSINKI).strftime("%Y%m%d%H%M%S%z")
    segments = [
        f"MSH|^~\\&|MULTILAB|HUSLAB|KAARI|KAARI-HVA|{now}||ORU^R01^ORU_R01|UI-{order_id[:8]}|P|2.5|||AL|NE",
        f"PID|1||{HETUS['aino']}^^^&1.2.246.21&ISO^NNFIN||Aino^Testi||19700101|F",
        f"ORC|RE|{order_id}^KAARI|L-{order_id[:8]}^HUSLAB||CM",
        f"OBR|1|{order_id}^KAARI|L-{order_id[:8]}^HUSLAB|59261-8^Hemoglobiini A1c^LN|||{now}|||||||||||||||{now}|||F",
        f"OBX|1|NM|59261-8^B -HbA1c^LN||{value}|mmol/mol^mmol/mol^UCUM|20-42|H|||F|||{now}",
    ]
    intake = KeepingIntake(catalogue=lab_knowledge().catalogue, commit=StoreResultCommit())
    outcome = intake.accept("\r".join(segments) + "\r")
    assert outcome.ack_code == "AA", outcome.text


def order_hba1c(page: Any, text: dict[str, str]) -> None:
    page.get_by_label(text["search"]).fill("HbA1c")
    page.get_by_role("button", name=text["add"]).click()
    page.get_by_test_id("drafts").wait_for()
    page.get_by_role("button", name=text["sign"]).click()


def test_a_nurse_orders_hba1c_twice_sees_the_earlier_value_and_removes_the_draft(
    region: None, page: Any, language: str
):
    text = TEXT[language]
    sign_in(page, "nurse_ceder", PASSWORD, next_path=LABS)
    page.get_by_test_id("client-header").wait_for()

    order_hba1c(page, text)
    page.get_by_test_id("signed").wait_for()
    (first,) = aino_orders("active")

    laboratory_reports(order_id=first["id"], value=49)
    page.reload()
    hba1c = page.locator('[data-testid="test-results"][data-analyte="analyte:hba1c"]')
    latest = hba1c.get_by_test_id("result-row").first
    assert "49 mmol/mol" in latest.inner_text()
    assert "20-42 mmol/mol" in latest.inner_text()  # the laboratory's own range (OBX-7)
    assert text["high"] in latest.inner_text()
    chart = hba1c.locator("svg[role=img]")
    assert chart.locator("> title").count() == 1 and chart.locator("> desc").count() == 1
    assert chart.locator(".point").count() == 3  # two earlier results and this one, all in mmol/mol
    assert page.locator('[data-testid="order-row"][data-stage="resulted"]').count() == 1
    screenshot(page, "labs-results-trend", language)
    assert accessibility_violations(page) == []

    order_hba1c(page, text)
    warning = page.get_by_test_id("duplicate-warning")
    warning.wait_for()
    earlier = warning.get_by_test_id("earlier-result").inner_text()
    today = datetime.now(HELSINKI)
    assert "49 mmol/mol" in earlier and f"{today.day}.{today.month}.{today.year}" in earlier
    assert aino_orders("draft") != []
    screenshot(page, "labs-duplicate-warning", language)
    assert accessibility_violations(page) == []

    warning.get_by_role("button", name=text["remove"]).click()
    page.get_by_text(text["removed"]).wait_for()
    assert page.get_by_test_id("duplicate-warning").count() == 0
    assert page.get_by_text(text["none_pending"]).is_visible()
    assert aino_orders("draft") == [] and aino_orders("active") == []
