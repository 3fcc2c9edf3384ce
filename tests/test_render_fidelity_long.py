"""Corrections found on long generated bibliographies (tests/conformance/long_compare.py):
each case is what citeproc-js prints (checked with citeproc-js when written; the items are
made up here) and what citeproc-py as shipped prints instead (run in a fresh interpreter by
tests/raw_citeproc.py, without publist's corrections)."""

from __future__ import annotations

import pytest
from helpers import (
    abbott_group,
    assert_correction_needed,
    book,
    person,
    raw_citeproc,
)

from publist.render import render

DUBOIS = [{"family": "Dubois", "given": "Jean-Luc"}]
LEAD = [person("Aberg", "Chris"), person("Gaulle", "Chris"), person("Mueller", "Anna")]
CASES = [
    # (name, style, format, items, what publist prints (citeproc-js), what raw citeproc-py prints)
    (
        "a name sort key is cut as et-al cuts",
        "springer-basic-author-date",
        "text",
        # springer: <key variable="author"/> under et-al-min="5" et-al-use-first="3": the three
        # lists agree on the names kept, so the entries stay in input order
        [
            book("first", "Zeta", LEAD + [person("Zhu", "Mei"), person("Ngo", "Rahul")], 2022),
            book("second", "Alpha", LEAD + [person("Abbott", "Y."), person("Ngo", "Rahul")], 2020),
        ],
        "Aberg C, Gaulle C, Mueller A, et al (2022) Zeta. Press "
        "Aberg C, Gaulle C, Mueller A, et al (2020) Alpha. Press",
        "(2020) Alpha. Press Aberg C, Gaulle C, Mueller A, et al (2022) Zeta",
    ),
    (
        # (correction 53) the group splits at the second name: a/b are told apart at the
        # third name; c/d then start from the counter a/b left, four names (fewest: three);
        # (citeproc-js's written-out "Gaffney, Mei" is correction 55's, in the disamb cases)
        "names added as citeproc-js widens an ambiguous group",
        "harvard-cite-them-right",
        "text",
        abbott_group(),
        "Ngo, R., Oakes, Z., et al. (2021) Three.",
        "(2021) Three.",
    ),
    (
        # (correction 15 capitalised the last word whatever its length: "In A")
        "title case leaves a one-letter last word",
        "nature",
        "text",
        [book("a", "Self-attention in a", [person("Berg", "Zoë")], 2021)],
        "Berg, Z. Self-Attention in a. (Press, 2021).",
        "Self-attention in a.",
    ),
    (
        "year suffixes after z go on aa, ab",
        "springer-basic-author-date",
        "text",
        [book(f"b{n:02}", f"Volume {n:02}", [person("Berg", "Zoë")], 2020) for n in range(28)],
        "Berg Z (2020aa) Volume 26. Press",
        "Berg Z (2020) Volume 26. Press",
    ),
    (
        # (correction 10 dropped the period only after "<i>… .</i>")
        "no period after markup ending in a question mark",
        "apa",
        "html",
        [{"id": "a", "type": "article", "title": "Why Do Models Forget?", "author": DUBOIS}],
        "<i>Why Do Models Forget?</i></div>",
        "<i>Why Do Models Forget?</i>.",
    ),
    (
        "punctuation-in-quote through closing markup",
        "apa",
        "html",
        [book("a", 'Data graph a "the"', [person("Doe", "Jane")], 2021)],
        "<i>Data graph a “the.”</i> Press.",
        "</i>.",
    ),
    (
        "quoted words in the locale's quotation marks",
        "nature",  # en-GB: open-quote ‘, close-quote ’
        "text",
        [{"id": "a", "type": "article", "title": 'A Note on "Grokking"', "author": DUBOIS}],
        "Dubois, J.-L. A Note on ‘Grokking’.",
        'A Note on "Grokking".',
    ),
]


@pytest.fixture(scope="module")
def raw_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    cases = [{"style": s, "format": f, "items": i} for _, s, f, i, _, _ in CASES]
    raw = raw_citeproc(cases, tmp_path_factory.mktemp("raw"))
    return dict(zip([c[0] for c in CASES], raw, strict=True))


@pytest.mark.parametrize("name, style, fmt, items, ours, raw", CASES, ids=[c[0] for c in CASES])
def test_correction(
    raw_outputs: dict[str, list[str]],
    name: str,
    style: str,
    fmt: str,
    items: list[dict],
    ours: str,
    raw: str,
) -> None:
    assert_correction_needed(render(items, style, fmt), raw_outputs[name], ours, raw)
