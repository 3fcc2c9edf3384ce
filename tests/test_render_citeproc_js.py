"""Self-made CSL fixtures (a small style, a few items each) rendered by publist and by
citeproc-js (tests/conformance/render_js.js, node), compared exactly in HTML: one case per
CSL-suite root cause fixed in render/ (second-field-align layout, spaces, rich text, …)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import require_tools

sys.path.insert(0, str(Path(__file__).parent / "conformance"))
from generate import ensure_node_tools  # noqa: E402

from publist.render import render

HERE = Path(__file__).resolve().parent
RENDER_JS = HERE / "conformance" / "render_js.js"


def style(bibliography: str, macros: str = "", options: str = "", locale: str = "en-US") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="{locale}">
  <info><title>publist test</title><id>publist-test</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  {macros}
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography {options}>
    {bibliography}
  </bibliography>
</style>"""


def book(id_: str, title: str, **extra: object) -> dict:
    return {"id": id_, "type": "book", "title": title, **extra}


DOE = [{"family": "Doe", "given": "John"}]
ROE = [{"family": "Roe", "given": "Jane"}]

CASES = {
    # citeproc-js writes the margin and the rest on a line of their own, and keeps the
    # margin's trailing space
    "second-field-align": (
        style(
            '<sort><key variable="title"/></sort><layout>'
            '<text variable="citation-number" suffix=". "/>'
            '<text variable="title" prefix=" "/></layout>',
            options='second-field-align="flush"',
        ),
        [book("a", "Alpha"), book("b", "Beta")],
    ),
    # leading and trailing spaces of an entry are kept (citeproc-js compares them)
    "entry spaces kept": (
        style('<layout><text variable="title" prefix=" " suffix=", "/></layout>'),
        [book("a", "Alpha")],
    ),
    # no-break spaces of terms and affixes are not flattened
    "no-break spaces": (
        style(
            '<layout><text variable="title" prefix="«\u00a0" suffix="\u00a0»"/>'
            '<names variable="author" prefix="\u00a0"><name initialize-with="."/></names>'
            "</layout>"
        ),
        [book("a", "Alpha", author=DOE)],
    ),
    # rich text in field values: the subset citeproc-js interprets is markup, the rest text
    "rich text": (
        style('<layout><text variable="title"/></layout>'),
        [
            book("a", "cats (<i>prionailurus planiceps</i>) and 10<sup>2</sup>, H<sub>2</sub>O"),
            book("b", "<b>bold</b> and <sc>caps</sc> <script>alert(1)</script>"),
            book("c", 'the <span class="nocase">iPhone</span> story of <b>open'),
            book("d", '<span style="font-variant:small-caps;">small</span> & <i>a < b</i>'),
        ],
    ),
    "rich text under title case": (
        style('<layout><text variable="title" text-case="title"/></layout>'),
        [
            book("a", "cats (<i>prionailurus planiceps</i>) and 10<sup>2</sup>, H<sub>2</sub>O"),
            book("b", 'the <span class="nocase">iPhone and eBay</span> story of <b>bold</b>'),
        ],
    ),
    # an entry that renders nothing: left out, or (numeric citations) an error in its place
    "entries with no printed form": (
        style('<layout><text variable="title"/></layout>'),
        [book("a", "Alpha"), {"id": "b", "type": "book"}, book("c", "Gamma")],
    ),
    "entries with no printed form, numeric": (
        style(
            '<layout><group delimiter=". "><text variable="citation-number"/>'
            '<text variable="title"/></group></layout>'
        ).replace(
            '<citation><layout><text variable="title"/>',
            '<citation><layout><text variable="citation-number"/>',
        ),
        [book("a", "Alpha"), {"id": "b", "type": "book"}, book("c", "Gamma")],
    ),
}


@pytest.fixture(scope="module")
def citeproc_js(tmp_path_factory):
    require_tools("node", "npm")
    ensure_node_tools()  # citeproc-js from tests/conformance/package-lock.json, on first use
    import citeproc

    locales = Path(citeproc.__file__).parent / "data" / "locales"
    folder = tmp_path_factory.mktemp("js")
    results = {}
    for name, (csl, items) in CASES.items():
        style_path = folder / f"{len(results)}.csl"
        style_path.write_text(csl, encoding="utf-8")
        items_path = folder / f"{len(results)}.json"
        items_path.write_text(json.dumps(items), encoding="utf-8")
        run = subprocess.run(
            ["node", str(RENDER_JS), str(items_path), str(style_path), str(locales)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        data = json.loads(run.stdout)
        results[name] = (style_path, list(data["html"].values()))  # (in order)
    return results


@pytest.mark.parametrize("name", list(CASES))
def test_html_as_citeproc_js_writes_it(citeproc_js, name):
    style_path, expected = citeproc_js[name]
    _, items = CASES[name]
    ours = render(items, str(style_path), "html")
    assert [f"  {line}\n" for line in ours] == expected


@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("markdown", r"cats (*felis*) x^2^ [caps]{.smallcaps} \<script\>"),
        ("latex", r"cats (\textit{felis}) x\textsuperscript{2} \textsc{caps} <script>"),
        ("rst", r"cats (*felis*) x:sup:`2` caps <script>"),
        ("text", "cats (felis) x2 caps <script>"),
        ("html", 'cats (<i>felis</i>) x<sup>2</sup> <span style="font-variant:small-caps;">caps'),
    ],
)
def test_rich_text_subset_mapped_in_other_formats(fmt, expected):
    csl, _ = CASES["rich text"]
    items = [book("a", "cats (<i>felis</i>) x<sup>2</sup> <sc>caps</sc> <script>")]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.csl"
        path.write_text(csl, encoding="utf-8")
        assert expected in render(items, str(path), fmt)[0]
