"""The review queue end to end in real headless Chromium: open, override, reload, still there, export.

The server runs in a thread on 127.0.0.1 with a random port; the browser is the shared ``browser_page``
fixture (Debian's chromium driven by Playwright). No script a student wrote may run at any point.
"""

import csv
import io
import threading
import urllib.request

import pytest

from chainrule.review.server import serve

TOKEN = "browser-test-token"


@pytest.fixture
def server(review_session):
    running = serve(review_session, TOKEN, "127.0.0.1", 0)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.server_port}", review_session
    finally:
        running.shutdown()
        running.server_close()
        thread.join(timeout=10)


def test_override_persists_across_a_restart_and_reaches_the_export(server, browser_page, review_session):
    base, _ = server
    page = browser_page.page
    browser_page.goto(f"{base}/go?token={TOKEN}")
    assert "/q/1a.1" in page.url
    page.goto(f"{base}/q/2?token={TOKEN}")
    assert page.locator("article.answer").count() == 3
    card = page.locator('article.answer[data-key="mallory"]')
    assert "awaiting a person" in card.locator('[data-field="status"]').inner_text()
    card.locator("input.marks").fill("1.5")
    card.locator("button.override").click()
    page.wait_for_selector('article.answer[data-key="mallory"] [data-field="status"]:text-matches("^reviewed")')
    assert "1.5 reviewed" in card.locator('[data-field="total"]').inner_text()  # the student's total, live
    card.locator("textarea.comment").fill("state why F(c) = τ")
    card.locator("button.save-comment").click()
    page.wait_for_selector('article.answer[data-key="mallory"] .message:text("comment saved")')

    page.reload()
    card = page.locator('article.answer[data-key="mallory"]')
    assert card.locator('[data-field="status"]').inner_text().startswith("reviewed: 1.5")
    assert card.locator("textarea.comment").input_value() == "state why F(c) = τ"

    page.goto(f"{base}/?token={TOKEN}")
    with page.expect_download() as download:
        page.click("#gradebook")
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO(download.value.path().read_text()))}
    assert rows["mallory"]["2"] == "1.5"
    assert browser_page.dialogs == [] and browser_page.errors == []  # no student script ran


def test_keyboard_accepts_and_moves_on(server, browser_page):
    base, _ = server
    page = browser_page.page
    browser_page.goto(f"{base}/q/2?token={TOKEN}")
    page.wait_for_selector("article.answer.current")
    first = page.locator("article.answer").nth(0)
    page.keyboard.press("a")
    page.wait_for_selector("article.answer.reviewed")
    assert "reviewed" in first.get_attribute("class")
    assert "current" in page.locator("article.answer").nth(1).get_attribute("class")
    page.keyboard.press("k")
    assert "current" in first.get_attribute("class")
    assert browser_page.dialogs == []


def test_a_restarted_server_shows_what_was_decided(review_session, browser_page):
    from chainrule.classroom.session import Session

    with Session.open(review_session) as session:
        session.decide("ada", "2", "override", 2.0, comment="clear")
    for _ in range(2):  # two servers, one after the other, on the same file
        running = serve(review_session, TOKEN, "127.0.0.1", 0)
        thread = threading.Thread(target=running.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{running.server_port}/q/2?token={TOKEN}"
            assert urllib.request.urlopen(url, timeout=30).status == 200
            browser_page.goto(url)
            card = browser_page.page.locator('article.answer[data-key="ada"]')
            assert card.locator('[data-field="status"]').inner_text().startswith("reviewed: 2")
        finally:
            running.shutdown()
            running.server_close()
            thread.join(timeout=10)
