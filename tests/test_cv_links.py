"""Links in CV pages and CV Markdown: only http/https/mailto are ever links (#12 item 2).

Every payload sets ``window.__pwned`` if it runs. The page is clicked through in Chromium,
and the Markdown is rendered by a CommonMark renderer whose own link filter is switched off
(so that the test judges publist's output, not the renderer's caution)."""

from __future__ import annotations

import re
import sys

import pytest
from helpers import ROOT, require_module, require_tools

from publist.names import name_from_text
from publist.render.cv import render_cv

RUN = "window.__pwned=1"
PAYLOADS = [
    f"javascript:{RUN}",
    f" javascript:{RUN}",
    f"JaVaScRiPt:{RUN}",
    f"java\tscript:{RUN}",
    f"java\nscript:{RUN}",
    f"\x01javascript:{RUN}",
    f"javascript&#58;{RUN}",
    f"&#106;avascript:{RUN}",
    f"%6Aavascript:{RUN}",
    f"data:text/html,<script>{RUN}</script>",
    f"vbscript:{RUN}",
    f"https://example.org/a>[x](javascript:{RUN})",
    f'https://example.org/"onmouseover="{RUN}',
]
OWNER = [name_from_text("Doe, Jane")]


def _items() -> list[dict]:
    return [
        {
            "id": f"p{i}",
            "type": "article-journal",
            "title": f"Paper {i}",
            "author": [{"family": "Doe", "given": "Jane"}],
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
            "URL": url,
        }
        for i, url in enumerate(PAYLOADS)
    ]


def _hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', page)


def test_page_links_are_http_only():
    page = render_cv(_items(), OWNER, format="html")
    hrefs = _hrefs(page)
    assert hrefs == [
        "https://example.org/a%3E[x](javascript:window.__pwned=1)",
        "https://example.org/%22onmouseover=%22window.__pwned=1",
    ]
    assert page.count('class="link-text"') == len(PAYLOADS) - 2  # shown as inert text
    assert "<script>window" not in page


def test_markdown_links_are_http_only():
    markdown = render_cv(_items(), OWNER, format="markdown")
    destinations = re.findall(r"\]\(<([^>]*)>\)", markdown)
    assert destinations == [
        "https://example.org/a%3E[x](javascript:window.__pwned=1)",
        "https://example.org/%22onmouseover=%22window.__pwned=1",
    ]
    assert markdown.count("Link: ") == len(PAYLOADS) - 2


def test_a_doi_cannot_break_out():
    item = dict(_items()[0], DOI='10.1/x"><script>alert(1)</script>', URL=None)
    page = render_cv([item], OWNER, format="html")
    assert _hrefs(page) == ["https://doi.org/10.1/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E"]


@pytest.fixture(scope="module")
def browser():
    require_tools("chromium")
    sync_api = require_module("playwright.sync_api")
    sys.path.insert(0, str(ROOT / "tools"))
    from screenshot import launch

    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def _flag_after_click(page, url: str) -> int:
    """The flag, once a ``javascript:`` link had its chance to run: the browser runs it as a
    task after the click, later still on a loaded machine, so wait up to a second for it.
    A followed link (an http one) leaves the page: then nothing of ours ran."""
    try:
        page.wait_for_function("(window.__pwned || 0) > 0", timeout=1000)
    except Exception as err:  # playwright's TimeoutError, or the page navigated away
        message = f"{type(err).__name__}: {err}"
        if not any(word in message for word in ("Timeout", "destroyed", "navigat")):
            raise
    if page.url != url:
        return 0
    return int(page.evaluate("window.__pwned || 0"))


def _clicked_flag(browser, tmp_path, document: str) -> int:
    """Open ``document`` and click each link in turn (hovering it first, for attribute
    payloads): how many times a payload set the flag."""
    page = browser.new_page()
    # no request leaves the machine: an http(s) link is answered by an empty page
    page.route("http*://**", lambda route: route.fulfill(body="<p>away</p>"))
    path = tmp_path / "doc.html"
    path.write_text(document, encoding="utf-8")
    page.goto(path.as_uri())
    runs = 0
    for index in range(page.locator("a").count()):
        page.goto(path.as_uri())
        page.evaluate("window.__pwned = 0")
        link = page.locator("a").nth(index)
        link.hover()
        runs += page.evaluate("window.__pwned")
        link.click()
        page.wait_for_load_state()
        if page.url == path.as_uri():  # still here (a followed link replaces the page)
            runs += _flag_after_click(page, path.as_uri())
    page.close()
    return runs


def test_the_browser_harness_can_see_a_payload_run(browser, tmp_path):
    document = f'<!DOCTYPE html><a href="javascript:{RUN}">x</a>'
    assert _clicked_flag(browser, tmp_path, document) == 1


def test_no_payload_runs_in_the_page(browser, tmp_path):
    page = render_cv(_items(), OWNER, format="html")
    assert _clicked_flag(browser, tmp_path, page) == 0


def test_no_payload_runs_in_rendered_markdown(browser, tmp_path):
    markdown_it = require_module("markdown_it")
    renderer = markdown_it.MarkdownIt("commonmark")
    renderer.validateLink = lambda url: True  # a renderer that trusts every link
    body = renderer.render(render_cv(_items(), OWNER, format="markdown"))
    assert 'href="javascript' in renderer.render(f"[x](<javascript:{RUN}>)")  # it would link
    assert _clicked_flag(browser, tmp_path, "<!DOCTYPE html>" + body) == 0
