"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

Without /usr/bin/chromium (or axe-core in ./cache) the tests are skipped, unless KAARI_BROWSER_TESTS=require, as
in `.ci/run`, makes that a failure. Screenshots go to $KAARI_SCREENSHOT_DIR (default ./artifacts/screenshots).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("KAARI_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "cache" / "axe-core" / "package" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("KAARI_SCREENSHOT_DIR", ROOT / "artifacts" / "screenshots"))
REQUIRED = os.environ.get("KAARI_BROWSER_TESTS") == "require"
LOCALES = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-GB"}


def _missing() -> str:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not in ./cache (python -m scripts.fetch_axe_core)"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One chromium per test module. Playwright's sync API keeps an event loop running on the thread while it is
    started, which would break other tests' `asyncio.run` (and Django's async-safety check for the test's own,
    synchronous ORM calls), so it is stopped when the module's tests end."""
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"browser tests are required here but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
    )
    yield chromium
    chromium.close()
    playwright.stop()
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(params=["fi", "en"])
def language(request: pytest.FixtureRequest) -> str:
    """Each browser test that asks for this runs in Finnish and in English."""
    return str(request.param)


@pytest.fixture
def page(browser: Any, language: str, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale=LOCALES[language], viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    # Requests sent and not yet answered: a page's htmx fragments may still be loading when a test ends.
    pending: set[Any] = set()
    context.on("request", lambda request: pending.add(request))
    context.on("requestfinished", lambda request: pending.discard(request))
    context.on("requestfailed", lambda request: pending.discard(request))
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    # The test's database is emptied after this; a request still running on the live server while the tables are
    # truncated can deadlock with the TRUNCATE. A request whose answer has arrived has done its database work.
    deadline = time.monotonic() + 10
    while pending and time.monotonic() < deadline:
        tab.wait_for_timeout(20)
    context.close()


def screenshot(page: Any, name: str, language: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-{language}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def accessibility_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def search_field_focused(page: Any) -> None:
    """Wait until the start page's autofocus has put the cursor in the client search, so that typing goes there
    (typing before the page has applied autofocus would lose the first keys; a user sees the cursor first)."""
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'client-query'")


def sign_in(page: Any, username: str, password: str, *, next_path: str = "/") -> None:
    page.goto(f"{page.base_url}{next_path}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
