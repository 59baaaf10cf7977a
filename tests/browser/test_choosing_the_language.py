"""The sign-in page and the workspace can be switched to Swedish (or any of the three languages)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.browser.personas import PASSWORD, browser_world_build

LANGUAGE = {"fi": "Kieli", "en": "Language"}


@pytest.fixture
def region(transactional_db: None) -> None:
    browser_world_build()


def test_the_sign_in_page_switches_to_swedish_and_the_workspace_follows(region: None, page: Any, language: str):
    page.goto(page.base_url + "/")
    page.get_by_label(LANGUAGE[language]).select_option("sv")
    page.locator("form.language button").click()
    page.get_by_label("Användarnamn").wait_for()
    sign_in(page, "nurse_ceder", PASSWORD)
    assert "Sjukskötare" in page.get_by_test_id("whoami").inner_text()
    assert page.get_by_label("Personbeteckning, namn eller födelsedatum").is_visible()
