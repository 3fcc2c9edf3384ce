"""Screenshot of an HTML file in Debian's Chromium (Playwright drives it; no browser download).

python tools/screenshot.py PAGE.html OUT.png [WIDTH HEIGHT]
"""

from __future__ import annotations

import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"  # Debian's browser: never a downloaded one
# no background traffic: this machine's network is closed
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def screenshot(browser, page_path: Path, out: Path, width: int = 1000, height: int = 1300) -> None:
    """``page_path`` as ``make examples`` shows it (the viewport of the committed PNG)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(page_path.resolve().as_uri())
    page.screenshot(path=str(out))
    page.close()


def launch(playwright):
    """Debian's Chromium, headless, quiet on the network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def main() -> None:
    # imported here: the tests import launch() without needing Playwright to collect
    from playwright.sync_api import sync_playwright

    page_path, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    width, height = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1000, 1300)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        screenshot(browser, page_path, out, width, height)
        browser.close()


if __name__ == "__main__":
    main()
