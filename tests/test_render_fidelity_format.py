"""The formatting corrections of render/ (display, flip-flop, dates, numbers, quotes, field
variables; the table is in render/corrections/__init__): citeproc-py as shipped gets each one
wrong (run in a fresh interpreter, tests/raw_citeproc.py), publist prints what citeproc-js
prints — checked against citeproc-js itself (tests/conformance/render_js.js) where node is
installed.  The styles and items are self-made, a few lines each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import assert_correction_needed, raw_citeproc, require_tools

from publist.render import render

HERE = Path(__file__).resolve().parent
RENDER_JS = HERE / "conformance" / "render_js.js"


def style(layout: str, options: str = "", locale: str = "en-US") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="{locale}">
  <info><title>publist test</title><id>publist-test</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography {options}>
    <sort><key variable="title"/></sort>
    {layout}
  </bibliography>
</style>"""


def book(id_: str, title: str, **extra: object) -> dict:
    return {"id": id_, "type": "book", "title": title, **extra}


DOE = [{"family": "Doe", "given": "John"}]

CASES = [
    # (name, style, format, items, what publist prints (citeproc-js), what raw citeproc-py
    # prints)
    (
        "display block and margin",
        style(
            '<layout suffix="."><group display="block"><names variable="author"/></group>'
            '<date variable="issued" display="left-margin"><date-part name="year"/></date>'
            '<group display="right-inline"><text variable="title"/></group></layout>'
        ),
        "html",
        [book("a", "Alpha", author=DOE, issued={"date-parts": [[2001]]})],
        '<div class="csl-entry">\n\n    <div class="csl-block">John Doe</div>\n\n'
        '    <div class="csl-left-margin">2001</div>'
        '<div class="csl-right-inline">Alpha.</div>\n  </div>',
        "John Doe2001Alpha.",
    ),
    (
        "display indent",
        style(
            '<layout><text variable="title" suffix=", "/>'
            '<text variable="abstract" display="indent"/></layout>'
        ),
        "html",
        [book("a", "Alpha", abstract="What it is about.")],
        'Alpha, <div class="csl-indent">What it is about.</div>\n  </div>',
        "Alpha, What it is about.",
    ),
    (
        "italics inside italics flip to normal",
        style('<layout><text variable="title" font-style="italic"/></layout>'),
        "html",
        [book("a", "Smith <i>v.</i> Jones")],
        '<i>Smith <span style="font-style:normal;">v.</span> Jones</i>',
        "<i>Smith <i>v.</i> Jones</i>",
    ),
    (
        "nodecor undoes the style's small caps",
        style('<layout><text variable="title" font-variant="small-caps"/></layout>'),
        "html",
        [book("a", 'Smith <span class="nodecor">v.</span> Jones')],
        '<span style="font-variant:small-caps;">Smith '
        '<span style="font-variant:normal;">v.</span> Jones</span>',
        'Smith <span class="nodecor">v.</span> Jones',
    ),
    (
        "journalAbbreviation is container-title-short",
        style(
            '<layout><text variable="container-title" form="short" suffix="; "/>'
            '<text variable="container-title-short"/></layout>'
        ),
        "html",
        [book("a", "T", **{"container-title": "Journal of Tests", "journalAbbreviation": "J T"})],
        "J T; J T",
        "Journal of Tests",
    ),
    (
        "variables from the note field",
        style(
            '<layout><group delimiter=", "><names variable="editor"/>'
            '<text variable="container-title"/><text variable="note"/></group></layout>'
        ),
        "html",
        [book("a", "T", note="container-title: Proceedings\neditor: Roe || Jane\nRead twice.")],
        "Jane Roe, Proceedings, Read twice.",
        "container-title: Proceedings",
    ),
    (
        "date range delimiter",
        style(
            '<layout><date variable="issued" delimiter=" ">'
            '<date-part name="day" range-delimiter="/"/><date-part name="month"/>'
            '<date-part name="year"/></date></layout>'
        ),
        "html",
        [book("a", "T", issued={"date-parts": [[2004, 10, 2], [2004, 10, 14]]})],
        "2/14 October 2004",
        "2–14 October 2004",
    ),
    (
        "day ordinal in the month's gender",
        style(
            '<layout><date variable="issued" delimiter=" ">'
            '<date-part name="day" form="ordinal"/><date-part name="month"/>'
            '<date-part name="year"/></date></layout>',
            locale="fr-FR",
        ),
        "html",
        [book("a", "T", issued={"date-parts": [[2004, 10, 1]]})],
        "1<sup>e</sup><sup>r</sup> octobre 2004",
        "1ʳᵉ octobre 2004",
    ),
    (
        "baseline inside a superscript",
        style(
            '<layout><group vertical-align="sup" delimiter=" "><text variable="title"/>'
            '<text variable="note" vertical-align="baseline"/></group></layout>'
        ),
        "html",
        [book("a", "T", note="n")],
        '<sup>T <span style="baseline">n</span></sup>',
        "<sup>T n</sup>",
    ),
    (
        "issue range with an en dash",
        style('<layout><text variable="issue" prefix="n. "/></layout>'),
        "html",
        [book("a", "T", issue="3-4")],
        "n. 3–4",
        "n. 3-4",
    ),
    (
        "straight quotes in the locale's quotes",
        style('<layout><text variable="title"/></layout>', locale="en-GB"),
        "html",
        [book("a", 'Title with "quotes" in it')],
        "Title with ‘quotes’ in it",
        'Title with "quotes" in it',
    ),
    (
        "period into the quotes past a nocase span",
        style('<layout suffix="."><text variable="title"/></layout>'),
        "html",
        [book("a", '<span class="nocase">"Title"</span>')],
        "“Title.”",
        '"Title".',
    ),
    (
        "an entry's leading space before its first display",
        style(
            '<layout><group display="left-margin"><text variable="title" prefix=" "/></group>'
            '<group display="right-inline"><text variable="note"/></group></layout>'
        ),
        "html",
        [book("a", "T", note="n")],
        '<div class="csl-entry"> \n    <div class="csl-left-margin">T</div>',
        "Tn",
    ),
    (
        "date printed by a substitute not repeated",
        style(
            '<layout><names variable="author"><name/><substitute><text macro="title"/>'
            '</substitute></names><date variable="issued" form="text"/></layout>'
        ).replace(
            "<citation>",
            '<macro name="title"><text variable="title" font-style="italic" suffix=", "/>'
            '<date variable="issued" suffix=". " form="text" date-parts="year"/></macro>'
            "<citation>",
        ),
        "html",
        [book("a", "Act", type="legislation", issued={"date-parts": [[1992, 3, 23]]})],
        '<div class="csl-entry"><i>Act</i>, 1992. </div>',
        "<i>Act</i>, 1992. March 23, 1992",
    ),
    (
        "citation-label made and suffixed",
        style(
            '<layout><text variable="citation-label" prefix="[" suffix="] "/>'
            '<date variable="issued"><date-part name="year"/></date></layout>'
        )
        .replace(
            '<sort><key variable="title"/></sort>', '<sort><key variable="citation-label"/></sort>'
        )
        .replace(
            '<citation><layout><text variable="title"/>',
            '<citation disambiguate-add-year-suffix="true"><layout>'
            '<text variable="citation-label"/>',
        ),
        "html",
        [
            book(
                "a",
                "A",
                author=[{"family": "Roe", "given": "J"}, {"family": "Noakes", "given": "R"}],
                issued={"date-parts": [[1978]]},
            ),
            book("b", "B", author=DOE, issued={"date-parts": [[1965]]}),
            book(
                "c",
                "C",
                author=[{"family": "Roe", "given": "J"}, {"family": "Noakes", "given": "R"}],
                issued={"date-parts": [[1978]]},
            ),
        ],
        '[Doe65] 1965</div> <div class="csl-entry">[RoNo78a] 1978</div>',
        "1978 1965 1978",
    ),
]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("styles")
    paths = {}
    for index, (name, csl, *_) in enumerate(CASES):
        paths[name] = folder / f"{index}.csl"
        paths[name].write_text(csl, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def raw_outputs(written: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    cases = [{"style": str(written[c[0]]), "format": c[2], "items": c[3]} for c in CASES]
    raw = raw_citeproc(cases, tmp_path_factory.mktemp("raw"))
    return dict(zip([c[0] for c in CASES], raw, strict=True))


@pytest.mark.parametrize("name, csl, fmt, items, ours, raw", CASES, ids=[c[0] for c in CASES])
def test_correction(written, raw_outputs, name, csl, fmt, items, ours, raw):
    assert_correction_needed(render(items, str(written[name]), fmt), raw_outputs[name], ours, raw)


@pytest.fixture(scope="module")
def citeproc_js(written: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    require_tools("node", "npm")
    sys.path.insert(0, str(HERE / "conformance"))
    from generate import ensure_node_tools  # type: ignore[import-not-found]

    ensure_node_tools()
    import citeproc

    locales = Path(citeproc.__file__).parent / "data" / "locales"
    folder = tmp_path_factory.mktemp("js")
    results = {}
    for index, (name, _, fmt, items, *_) in enumerate(CASES):
        items_path = folder / f"{index}.json"
        items_path.write_text(json.dumps(items), encoding="utf-8")
        run = subprocess.run(
            ["node", str(RENDER_JS), str(items_path), str(written[name]), str(locales)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        results[name] = list(json.loads(run.stdout)[fmt].values())
    return results


@pytest.mark.parametrize("name", [c[0] for c in CASES if c[2] == "html"])
def test_html_as_citeproc_js_writes_it(written, citeproc_js, name):
    items = next(c[3] for c in CASES if c[0] == name)
    assert [f"  {line}\n" for line in render(items, str(written[name]), "html")] == (
        citeproc_js[name]
    )


def test_displays_on_one_line_in_other_formats(written):
    items = [book("a", "Alpha", author=DOE, issued={"date-parts": [[2001]]})]
    path = str(written["display block and margin"])
    assert render(items, path, "text") == ["John Doe 2001 Alpha."]
    assert render(items, path, "markdown") == ["John Doe 2001 Alpha."]


def test_private_use_markers_are_disjoint():
    # each kind of marker means one thing at the end (the CV highlight once shared the
    # display markers and printed the owner as a block)
    from publist.render import formatters
    from publist.render.cv import highlight

    kinds = [
        set(formatters.PROTECT.values()),
        set(formatters.RICH_MARKERS),
        set(formatters.DISPLAY_MARKERS),
        {highlight.START, highlight.END},
    ]
    assert sum(len(k) for k in kinds) == len(set().union(*kinds))
