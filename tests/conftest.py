"""Shared fixtures. Tests that read the real course material in ../shared skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the checkout (seeds, corpus, labels.yaml)."""
    if not (SHARED / "corpus" / "labels.yaml").is_file():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


# Property tests draw the same examples on every run: a CI result (and its run time) does not depend on luck, and
# a failure seen once is seen again. Set HYPOTHESIS_PROFILE=explore to draw fresh examples while developing.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# ---------------------------------------------------------------------------------------------------------------
# The real browser: Debian's chromium, headless, driven by Playwright (`make test` installs chromium when it is
# missing; Playwright's own browser downloads are never used). Every page test — reports here, the review pages of
# the class-grading server — takes `browser_page`. Outside CI a machine without chromium skips these tests; in CI
# (CI=true) a missing browser fails them, so they can never silently stop running there.
# ---------------------------------------------------------------------------------------------------------------

CHROMIUM = Path(os.environ.get("CHAINRULE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
]


def _no_browser(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason} (make test installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium per test process (Playwright launches it with a fresh, temporary profile)."""
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class BrowserPage:
    """A fresh page, plus what it did: dialogs opened, console messages, uncaught errors, requests made.

    ``open_html(html)`` writes a page into a temporary folder and opens it from disk (``file://``), as a TA
    opens a report; ``goto(url)`` opens a served page (``http://127.0.0.1:PORT/...``).
    """

    def __init__(self, page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def open_html(self, html: str, name: str = "page.html") -> BrowserPage:
        target = self.folder / name
        target.write_text(html, encoding="utf-8")
        self.page.goto(target.as_uri(), wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return self

    def open_file(self, path: Path) -> BrowserPage:
        self.page.goto(Path(path).resolve().as_uri(), wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return self

    def goto(self, url: str) -> BrowserPage:
        self.page.goto(url, wait_until="load")
        return self

    def evaluate(self, script: str, argument=None):
        return self.page.evaluate(script, argument)


@pytest.fixture
def browser_page(chromium, tmp_path):
    """A fresh browser context and page (no cookies or storage shared between tests)."""
    context = chromium.new_context(java_script_enabled=True)
    page = context.new_page()
    try:
        yield BrowserPage(page, tmp_path)
    finally:
        context.close()


@pytest.fixture
def browser_page_without_csp(chromium, tmp_path):
    """Like ``browser_page`` but ignoring pages' Content-Security-Policy: shows what escaping alone prevents."""
    context = chromium.new_context(java_script_enabled=True, bypass_csp=True)
    page = context.new_page()
    try:
        yield BrowserPage(page, tmp_path)
    finally:
        context.close()
