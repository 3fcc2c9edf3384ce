"""The CV page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import ROOT, SEED, require_module, require_tools

import publist
from publist.render.cv import render_cv

sys.path.insert(0, str(ROOT / "tools"))
# the same browser set-up as `make examples` (screenshot.py imports Playwright only when run)
from screenshot import launch, screenshot  # noqa: E402


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cv") / "cv.html"
    path.write_text(render_cv(publist.read(SEED), format="html"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    require_tools("chromium")
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, page_file):
    context = browser.new_context(viewport={"width": 412, "height": 915})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    page.errors = errors
    yield page
    context.close()


def test_loads_without_console_errors(page):
    assert page.locator("li.entry").count() == 10
    assert page.locator("h1").inner_text() == "Publications of Léonard Hussenot"
    assert page.locator("#count").inner_text() == "10"
    assert page.locator("strong.owner").count() == 10
    assert page.errors == []


def test_filter_hides_non_matching_entries(page):
    page.fill("#filter", "musicrl")
    assert page.locator("li.entry:visible").count() == 1
    assert page.locator("#status").inner_text() == "1 of 10 shown"
    page.fill("#filter", "leonard 2024")  # diacritics-insensitive, every word must match
    assert page.locator("li.entry:visible").count() == 5
    page.fill("#filter", "zzzz-no-such-thing")
    assert page.locator("li.entry:visible").count() == 0
    assert page.locator("section.group:visible").count() == 0
    page.fill("#filter", "")
    assert page.locator("li.entry:visible").count() == 10
    assert page.errors == []


def test_abstract_toggle(page):
    entry = page.locator("li.entry").first
    abstract = entry.locator(".abstract")
    assert not abstract.is_visible()
    entry.locator("button.toggle").click()
    assert abstract.is_visible() and "Gemma 3" in abstract.inner_text()
    entry.locator("button.toggle").click()
    assert not abstract.is_visible()


def test_bibtex_button_copies_the_entry(page):
    entry = page.locator("li.entry").nth(1)
    entry.locator("button.copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{botev2024recurrentgemma,")
    assert "eprint = {2404.07839}" in copied
    assert entry.locator("button.copy").inner_text() == "Copied"


def test_print_hides_controls_and_screenshot(page, tmp_path):
    shot = tmp_path / "cv-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("#filter").is_visible()
    assert not page.locator("li.entry button.copy").first.is_visible()
    assert page.locator("li.entry").first.is_visible()
    assert shot.stat().st_size > 10_000


def test_committed_screenshot_is_the_committed_page(browser, tmp_path):
    """examples/…cv.png is what this browser shows of examples/…cv.html (which
    test_cv.py::test_committed_examples_are_current keeps current): `make examples` again
    when the page (or the browser) changed."""
    examples = ROOT / "examples"
    fresh = tmp_path / "cv.png"
    screenshot(browser, examples / "hussenot-leonard.cv.html", fresh)
    committed = examples / "hussenot-leonard.cv.png"
    assert fresh.read_bytes() == committed.read_bytes(), "stale screenshot: run `make examples`"
