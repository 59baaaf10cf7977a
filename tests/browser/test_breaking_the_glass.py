"""A physician without a care relationship is refused, states the reason, and then sees the chart."""

from __future__ import annotations

from typing import Any

import pytest

from kaari.access.models import EmergencyAccess
from tests.browser.conftest import accessibility_violations, screenshot, search_field_focused, sign_in
from tests.browser.personas import AINO_HETU, PASSWORD, workspace_world_build

REASON = {"fi": "Hätäkäytön syy", "en": "Reason for emergency access"}
OPEN = {"fi": "Avaa tiedot hätätilanteessa", "en": "Open the record in an emergency"}


@pytest.fixture
def region(transactional_db: None) -> None:
    workspace_world_build()


def test_refused_then_opened_in_an_emergency(region: None, page: Any, language: str):
    sign_in(page, "dr_berg", PASSWORD)
    search_field_focused(page)
    page.keyboard.type(AINO_HETU)
    page.keyboard.press("Enter")
    page.locator("a[href='/clients/aino/']").click()
    assert page.get_by_test_id("chart-header").count() == 0
    screenshot(page, "break-the-glass", language)
    assert accessibility_violations(page) == []
    page.get_by_label(REASON[language]).fill("Tajuton potilas päivystyksessä")
    page.get_by_role("button", name=OPEN[language]).click()
    page.get_by_test_id("chart-header").wait_for()
    assert AINO_HETU in page.get_by_test_id("chart-header").inner_text()
    assert EmergencyAccess.objects.get().reason == "Tajuton potilas päivystyksessä"
