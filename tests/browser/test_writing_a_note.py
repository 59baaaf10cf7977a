"""A physician writes a note under the national headings and sees it on the timeline."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.browser.personas import PASSWORD, workspace_world_build

WRITE = {"fi": "Kirjoita potilaskertomusmerkintä", "en": "Write a clinical note"}
REASON = {"fi": "Tulosyy", "en": "Reason for visit (Tulosyy)"}
SAVE = {"fi": "Tallenna merkintä", "en": "Save the note"}


@pytest.fixture
def region(transactional_db: None) -> None:
    workspace_world_build()


def test_a_saved_note_appears_on_the_timeline(region: None, page: Any, language: str):
    sign_in(page, "dr_ahonen", PASSWORD, next_path="/clients/aino/")
    page.get_by_role("link", name=WRITE[language]).click()
    form = page.get_by_test_id("note-form")
    form.wait_for()
    screenshot(page, "note-form", language)
    assert accessibility_violations(page) == []
    page.get_by_label(REASON[language], exact=True).fill("Verensokerin seuranta")
    page.get_by_role("button", name=SAVE[language]).click()
    page.wait_for_url("**/clients/aino/**")
    assert "Verensokerin seuranta" in page.get_by_test_id("timeline").inner_text()
