"""A physician prescribes from the client's medication page. A contraindicated combination interrupts signing with
the critical card; she overrides it with a reason and the override shows in `kaari safety report`. A major
interaction is shown beside the draft and does not interrupt."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from kaari.access.services import system_store
from kaari.fhir.conventions import REGISTER_HEALTH
from tests.access.personas import labelled
from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.browser.personas import PASSWORD, browser_world_build

TEXT = {
    "fi": {
        "dose": "Annos",
        "often": "Kuinka usein",
        "duration": "Kesto",
        "save": "Tallenna luonnos",
        "sign": "Allekirjoita lääkemääräykset",
        "override": "Ohita ja allekirjoita",
        "signed": "Allekirjoitettu",
        "comment": "Kommentti (vapaaehtoinen)",
        "search": "Hae lääkettä nimellä, vaikuttavalla aineella tai ATC-koodilla",
    },
    "en": {
        "dose": "Dose",
        "often": "How often",
        "duration": "Duration",
        "save": "Save draft",
        "sign": "Sign prescriptions",
        "override": "Override and sign",
        "signed": "Signed",
        "comment": "Comment (optional)",
        "search": "Search medicines by name, substance or ATC code",
    },
}


def _current(order_id: str, atc: str, text: str) -> dict[str, Any]:
    resource = {
        "resourceType": "MedicationRequest",
        "id": order_id,
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/aino"},
        "authoredOn": "2026-05-04",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": atc}], "text": text},
        "dosageInstruction": [{"text": "1 tabl. kerran päivässä"}],
    }
    return labelled(resource, register=REGISTER_HEALTH, keeper="hc-north")


@pytest.fixture
def region(transactional_db: None) -> None:
    browser_world_build()
    outcomes = system_store("browser test orders").load(
        [
            _current("aino-simvastatin", "C10AA01", "Simvastatiini 40 mg tabletti"),
            _current("aino-warfarin", "B01AA03", "Marevan 3 mg tabletti"),
        ]
    )
    assert all(o.error is None for o in outcomes)


def _prescribe(page: Any, language: str, query: str, product: str, *, check_form: bool = False) -> None:
    text = TEXT[language]
    page.get_by_label(text["search"]).fill(query)
    page.get_by_test_id("search-results").wait_for()
    page.locator(f'a[href*="product={product}"]').click()
    if check_form:  # an empty form is refused with messages, and they are accessible
        page.get_by_role("button", name=text["save"]).click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").is_visible()
        screenshot(page, "prescription-form-errors", language)
        assert accessibility_violations(page) == []
    page.get_by_label(text["dose"], exact=True).fill("1")
    page.get_by_label(text["often"]).select_option("2/d")
    page.get_by_label(text["duration"], exact=True).fill("7")
    page.get_by_role("button", name=text["save"]).click()
    page.wait_for_load_state()


def test_a_critical_alert_interrupts_signing_and_its_override_is_reported(region: None, page: Any, language: str):
    text = TEXT[language]
    sign_in(page, "dr_ahonen", PASSWORD, next_path="/clients/aino/medications/")
    assert "Simvastatiini 40 mg tabletti" in page.get_by_test_id("current").inner_text()
    page.get_by_label(text["search"]).fill("J01FA")  # live search by ATC code
    assert "J01FA09" in page.get_by_test_id("search-results").inner_text()
    screenshot(page, "prescribing", language)
    assert accessibility_violations(page) == []

    _prescribe(page, language, "klaritro", "J01FA09-tabletti-500-mg")
    page.get_by_role("button", name=text["sign"]).click()
    page.wait_for_load_state()
    blocked = page.get_by_test_id("blocked")
    assert "myopathy and rhabdomyolysis" in blocked.inner_text()
    assert blocked.get_by_role("link", name="Simvastatin SmPC", exact=False).count() == 1
    screenshot(page, "critical-card", language)
    assert accessibility_violations(page) == []

    page.get_by_role("button", name=text["override"]).click()  # no reason yet: refused
    page.wait_for_load_state()
    assert page.get_by_test_id("blocked").is_visible()
    page.get_by_label("Advised by a specialist").check()
    page.get_by_label(text["comment"]).fill("Infektiolääkärin konsultaatio")
    page.get_by_role("button", name=text["override"]).click()
    page.wait_for_load_state()
    assert text["signed"] in page.get_by_role("status").first.inner_text()
    assert "Klaritromysiini 500 mg tabletti" in page.get_by_test_id("current").inner_text()

    out = io.StringIO()
    call_command("safety", "report", stdout=out)
    assert "ddi.statin-cyp3a4-inhibitor" in out.getvalue()
    assert "override reason: Advised by a specialist (1)" in out.getvalue()


def test_a_warning_is_shown_beside_the_draft_and_signing_goes_through(region: None, page: Any, language: str):
    text = TEXT[language]
    sign_in(page, "dr_ahonen", PASSWORD, next_path="/clients/aino/medications/")
    _prescribe(page, language, "ibuprof", "M01AE01-tabletti-400-mg", check_form=True)
    cards = page.get_by_test_id("draft-cards")
    assert "serious bleeding" in cards.inner_text()
    assert cards.locator('[data-indicator="critical"]').count() == 0
    screenshot(page, "draft-with-warning", language)
    assert accessibility_violations(page) == []
    page.get_by_role("button", name=text["sign"]).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("blocked").count() == 0
    assert "Ibuprofeeni 400 mg tabletti" in page.get_by_test_id("current").inner_text()
