"""The responsible social worker opens the same client: the social welfare record, and word that health data exist."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.browser.personas import PASSWORD, workspace_world_build


@pytest.fixture
def region(transactional_db: None) -> None:
    workspace_world_build()


def test_the_social_worker_sees_the_case_and_not_the_health_record(region: None, page: Any, language: str):
    sign_in(page, "sw_dahl", PASSWORD, next_path="/clients/aino/")
    header = page.get_by_test_id("chart-header")
    assert "Doris Dahl" in header.get_by_test_id("care-team").inner_text()
    assert header.get_by_test_id("withheld-health").is_visible()
    assert "Penisilliini" not in header.inner_text()
    assert "Kotihoito" in page.get_by_test_id("decisions").inner_text()
    page.get_by_test_id("cases").wait_for()
    page.get_by_test_id("timeline").wait_for()
    screenshot(page, "social-worker-view", language)
    assert accessibility_violations(page) == []
