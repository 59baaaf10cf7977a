"""A professional finds a client by name (live results) and by identity code (Enter opens the chart)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.browser.personas import AINO_HETU, PASSWORD, workspace_world_build

SEARCH = {"fi": "Henkilötunnus, nimi tai syntymäaika", "en": "Identity code, name or birth date"}


@pytest.fixture
def region(transactional_db: None) -> None:
    workspace_world_build()


def test_typing_a_name_lists_matching_clients_with_age_and_turvakielto(region: None, page: Any, language: str):
    sign_in(page, "dr_ahonen", PASSWORD)
    search = page.get_by_label(SEARCH[language])
    assert search.evaluate("element => element === document.activeElement")
    search.press_sequentially("testi", delay=20)
    results = page.get_by_test_id("client-results")
    results.wait_for()
    assert "131052-9085" in results.inner_text()
    assert results.get_by_test_id("turvakielto").count() == 1
    screenshot(page, "search-results", language)
    assert accessibility_violations(page) == []


def test_an_identity_code_and_enter_open_the_chart(region: None, page: Any, language: str):
    sign_in(page, "dr_ahonen", PASSWORD)
    page.get_by_label(SEARCH[language]).fill(AINO_HETU)
    page.keyboard.press("Enter")
    page.wait_for_url("**/clients/aino/")
    assert AINO_HETU in page.get_by_test_id("chart-header").inner_text()
