"""A real Jemput server on a free local port, driven by Debian's headless Chromium.

Playwright cannot download its own browser here, so it launches the system Chromium
(installed by scripts/install-test-packages). Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.personas import Persona

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The flags the machine needs: no sandbox as root, and no calls to Google's services,
# which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.browser


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: run scripts/install-test-packages")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_for(
    browser: Browser, live_server: str, personas: dict[str, Persona]
) -> Iterator[Callable[[str], Page]]:
    """Return a factory: persona name -> a page signed in through the real form."""
    contexts = []

    def make(name: str, *, width: int = 1366, height: int = 768) -> Page:
        context = browser.new_context(base_url=live_server, locale="id-ID",
                                      viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        if name == "outsider":
            return page
        persona = personas[name]
        page.goto("/masuk")
        page.fill("input[name=username]", persona.username)
        page.fill("input[name=password]", persona.password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str) -> Path:
    """Keep a screenshot as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
