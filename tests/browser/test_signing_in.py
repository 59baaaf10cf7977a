"""A professional signs in from `/` and always sees their name, role and unit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.browser.personas import PASSWORD, browser_world_build

ROLE = {"fi": "Sairaanhoitaja", "en": "Nurse"}


@pytest.fixture
def region(transactional_db: None) -> None:
    browser_world_build()


def test_a_signed_out_professional_is_taken_to_a_labelled_sign_in_form(region: None, page: Any, language: str):
    page.goto(page.base_url + "/")
    assert "/signin" in page.url
    assert page.get_by_label({"fi": "Käyttäjätunnus", "en": "Username"}[language]).is_visible()
    assert page.get_by_label({"fi": "Salasana", "en": "Password"}[language]).is_visible()
    screenshot(page, "sign-in", language)
    assert accessibility_violations(page) == []


def test_after_signing_in_the_name_role_and_unit_are_shown(region: None, page: Any, language: str):
    sign_in(page, "nurse_ceder", PASSWORD)
    whoami = page.get_by_test_id("whoami")
    assert "Cecilia Ceder" in whoami.inner_text()
    assert ROLE[language] in whoami.inner_text()
    assert "Pohjoisen terveysasema" in whoami.inner_text()
    screenshot(page, "start", language)
    assert accessibility_violations(page) == []


def test_a_wrong_password_is_refused_with_a_message(region: None, page: Any, language: str):
    sign_in(page, "nurse_ceder", "not-the-password")
    assert "/signin" in page.url
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_test_id("whoami").count() == 0
