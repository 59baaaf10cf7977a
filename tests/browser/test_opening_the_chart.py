"""From the start page to a client's chart: the header at once, then every block on its own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import accessibility_violations, screenshot, search_field_focused, sign_in
from tests.browser.personas import AINO_HETU, PASSWORD, workspace_world_build

WITHHELD = {
    "fi": "Sosiaalihuollon tietoja on olemassa; niiden luovuttaminen edellyttää suostumusta.",
    "en": "Social welfare data exist; disclosure requires consent.",
}


@pytest.fixture
def region(transactional_db: None) -> None:
    workspace_world_build()


def test_the_chart_opens_with_no_clicks_and_shows_every_block(region: None, page: Any, language: str):
    sign_in(page, "dr_ahonen", PASSWORD)
    # Typing the identity code and pressing Enter is the whole way there: no clicks.
    search_field_focused(page)
    page.keyboard.type(AINO_HETU)
    page.keyboard.press("Enter")
    page.wait_for_url("**/clients/aino/")
    header = page.get_by_test_id("chart-header")
    assert "Penisilliini" in header.get_by_test_id("allergies").inner_text()
    assert WITHHELD[language] in header.inner_text()
    page.get_by_test_id("labs").locator("svg.sparkline").wait_for()
    page.get_by_test_id("appointments").wait_for()
    page.get_by_test_id("timeline").wait_for()
    assert "Metformiini" in page.get_by_test_id("medications").inner_text()
    screenshot(page, "chart", language)
    assert accessibility_violations(page) == []
