"""Corrections found on long generated bibliographies (tests/conformance/long_compare.py),
other than disambiguation: each case is what citeproc-js prints (HTML; checked against
citeproc-js live below when node is installed; the items are made up here) and what
citeproc-py as shipped prints instead (run in a fresh interpreter by tests/raw_citeproc.py,
without publist's corrections)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import assert_correction_needed, book, raw_citeproc, require_tools

from publist.render import render

sys.path.insert(0, str(Path(__file__).parent / "conformance"))


ZED = [{"family": "Zed", "given": "Anna"}]
ANNA = {"family": "Abbott", "given": "Anna"}
CASES = [
    # (name, style, items, what publist prints (citeproc-js's HTML), what raw citeproc-py prints)
    (
        # (correction 60) chicago demotes the particle after the given name; en-US has
        # punctuation-in-quote, which moved the delimiter's comma into the apostrophe
        "a particle's apostrophe is no closing quote",
        "chicago-author-date",
        [
            book(
                "a",
                "Models",
                [
                    {"family": "Alembert", "non-dropping-particle": "d'", "given": "Chris"},
                    {"family": "Abbott", "given": "Y."},
                ],
            )
        ],
        "Alembert, Chris d’, and Y. Abbott. 2020. <i>Models</i>. Press.",
        "Alembert, C. d', and Y. Abbott.",
    ),
    (
        "a particle's apostrophe before a period",
        "chicago-author-date",
        [
            book(
                "a",
                "Models",
                [{"family": "Gaulle", "non-dropping-particle": "de'", "given": "José"}],
            )
        ],
        "Gaulle, José de’. 2020. <i>Models</i>. Press.",
        "Gaulle, J. de'. 2020.",
    ),
    (
        # (correction 61) citeproc-js's case engine reads a leading " as a closing quote
        "a leading straight quote keeps the next letter's case",
        "nature",
        [book("a", '"graph models" of data', ZED)],
        "Zed, A. <i>‘graph Models’ of Data</i>. (Press, 2020).",
        '<i>"graph Models" of Data</i>',
    ),
    (
        # (correction 62) a one-letter word is not title-cased, quotes not counted
        "a one-letter quoted word stays lower-case",
        "american-chemical-society",
        [book("a", 'Models "a"', ZED), book("b", 'x "y" data of', ZED, 2021)],
        "Zed, A. <i>X “y” Data Of</i>; Press, 2021.",
        '<i>X "y" Data of</i>',
    ),
    (
        # (correction 63) citeproc-js compares the names printed, not "et al."
        "subsequent-author-substitute after et al.",
        "modern-language-association",
        [
            book(
                "a",
                "Alpha",
                [ANNA, {"family": "Zhang", "given": "Mei"}, {"family": "Ngo", "given": "Rahul"}],
            ),
            book("b", "Beta", [ANNA], 2021),
        ],
        "———. <i>Beta</i>. Press, 2021.",
        "Abbott, A. <i>Beta</i>. Press, 2021.",
    ),
]
IDS = [case[0] for case in CASES]


@pytest.fixture(scope="module")
def raw_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    cases = [{"style": s, "format": "html", "items": i} for _, s, i, _, _ in CASES]
    raw = raw_citeproc(cases, tmp_path_factory.mktemp("raw"))
    return dict(zip(IDS, raw, strict=True))


@pytest.mark.parametrize("name, style, items, ours, raw", CASES, ids=IDS)
def test_correction(
    raw_outputs: dict[str, list[str]], name: str, style: str, items: list[dict], ours: str, raw: str
) -> None:
    assert_correction_needed(render(items, style, "html"), raw_outputs[name], ours, raw)


@pytest.mark.parametrize("name, style, items, ours, raw", CASES, ids=IDS)
def test_citeproc_js_prints_it(
    name: str, style: str, items: list[dict], ours: str, raw: str
) -> None:
    require_tools("node", "npm")
    from long_compare import citeproc_js

    printed = citeproc_js(items, [style])[style]["html"]
    assert any(ours in entry for entry in printed.values()), printed
