"""Disambiguation as citeproc-js runs it (corrections 54-59, render/corrections/widening.py),
found on long generated bibliographies (tests/conformance/long_compare.py).

Each case is what citeproc-js prints (the whole HTML bibliography was checked against
citeproc-js 2.4.63 when written; the items are made up here) and what citeproc-py as shipped
prints instead (run in a fresh interpreter by tests/raw_citeproc.py, without publist's
corrections)."""

from __future__ import annotations

import pytest
from helpers import (
    ABBOTT,
    ABBOTT_TAIL,
    abbott_group,
    assert_correction_needed,
    book,
    person,
    raw_citeproc,
)

from publist.render import render

CASES = [
    # (name, style, format, items, what publist prints (citeproc-js), what raw citeproc-py prints)
    (
        # (54) MLA's group "Abbott et al.": the second name splits it (Chen / Gaffney), the
        # Chen half is told apart at the fourth name, the Gaffney half keeps the counter
        # reached and ends with <if disambiguate>; "Three" has three names, shown whole
        "names added as citeproc-js widens a group with <if disambiguate>",
        "modern-language-association",
        "html",
        [
            book("a", "One", [ABBOTT, person("Chen", "Mei"), person("Ngo", "Rahul"), *ABBOTT_TAIL]),
            book("b", "Two", [ABBOTT, person("Chen", "Mei"), person("Zhu", "Rahul"), *ABBOTT_TAIL]),
            book("c", "Three", [ABBOTT, person("Gaffney", "Mei"), person("Ngo", "Rahul")]),
            book(
                "d",
                "Four",
                [ABBOTT, person("Gaffney", "Mei"), person("Zhu", "Rahul"), *ABBOTT_TAIL],
            ),
        ],
        '<div class="csl-entry">Abbott, Anna, Mei Gaffney, Rahul Zhu, et al. <i>Four</i>. '
        'Press, 2020.</div><div class="csl-entry">Abbott, Anna, Mei Chen, Rahul Ngo, Zoë '
        'Oakes, et al. <i>One</i>. Press, 2020.</div><div class="csl-entry">Abbott, Anna, Mei '
        'Gaffney, and Rahul Ngo. <i>Three</i>. Press, 2020.</div><div class="csl-entry">'
        "Abbott, Anna, Mei Chen, Rahul Zhu, Zoë Oakes, et al. <i>Two</i>. Press, 2020.</div>",
        "Abbott, A., et al. <i>One</i>",
    ),
    (
        # (54) APA's group "(Aberg, 2020)": the initials split it; the list left after the
        # Chris pair starts with Jean-Luc, who clashes with nobody, so citeproc-js gives that
        # list (the two Mei Abergs too) no year suffix
        "year suffixes only where the list's first item still clashes",
        "apa",
        "html",
        [
            book("m1", "One", [person("Aberg", "Mei")]),
            book("m2", "Two", [person("Aberg", "Mei")]),
            book("c1", "Three", [person("Aberg", "Chris")]),
            book("c2", "Four", [person("Aberg", "Chris")]),
            book("j1", "Five", [person("Aberg", "Jean-Luc")]),
        ],
        '<div class="csl-entry">Aberg, C. (2020a). <i>Four</i>. Press.</div>'
        '<div class="csl-entry">Aberg, C. (2020b). <i>Three</i>. Press.</div>'
        '<div class="csl-entry">Aberg, J.-L. (2020). <i>Five</i>. Press.</div>'
        '<div class="csl-entry">Aberg, M. (2020). <i>One</i>. Press.</div>'
        '<div class="csl-entry">Aberg, M. (2020). <i>Two</i>. Press.</div>',
        "Aberg, C. (2020). <i>Four</i>",
    ),
    (
        # (55) Harvard's group "Abbott et al.": the second name tells it apart only written
        # out (citeproc-js steps the given name to full before adding a name), and the
        # bibliography prints it so; "Five" has two García Márquez R. in one entry, which
        # citeproc-js's per-item name registry writes out in its sort key and its entry
        "given names written out as citeproc-js writes them",
        "harvard-cite-them-right",
        "html",
        abbott_group()
        + [
            book(
                "e",
                "Five",
                [
                    person("Marquez", "Rahul"),
                    person("Odegard", "R."),
                    person("Marquez", "R."),
                    person("Humboldt", "Zoë"),
                ],
                2019,
            ),
            book("f", "Six", [person("Marquez", "Rahul"), person("Chen", "Anna")]),
            book("h", "Eight", [person("Gaffney", "R.")]),
        ],
        '<div class="csl-entry">Abbott, A., Gaffney, Mei, Zhu, R., Oakes, Z., <i>et al.</i> '
        '(2021) <i>Four</i>. Press.</div><div class="csl-entry">Abbott, A., Chen, M., Ngo, R., '
        '<i>et al.</i> (2021) <i>One</i>. Press.</div><div class="csl-entry">Abbott, A., '
        "Gaffney, Mei, Ngo, R., Oakes, Z., <i>et al.</i> (2021) <i>Three</i>. Press.</div>"
        '<div class="csl-entry">Abbott, A., Chen, M., Zhu, R., <i>et al.</i> (2021) '
        '<i>Two</i>. Press.</div><div class="csl-entry">Gaffney, R. (2020) <i>Eight</i>. '
        'Press.</div><div class="csl-entry">Marquez, R. and Chen, A. (2020) <i>Six</i>. '
        'Press.</div><div class="csl-entry">Marquez, Rahul <i>et al.</i> (2019) <i>Five</i>. '
        "Press.</div>",
        "Abbott, A. <i>et al.</i> (2021) <i>One</i>",
    ),
]


@pytest.fixture(scope="module")
def raw_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    cases = [{"style": s, "format": f, "items": i} for _, s, f, i, _, _ in CASES]
    raw = raw_citeproc(cases, tmp_path_factory.mktemp("raw"))
    return dict(zip([c[0] for c in CASES], raw, strict=True))


def _joined(entries: list[str]) -> str:
    return "".join(entry.strip() for entry in entries)


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
    entries = render(items, style, fmt)
    assert _joined(entries) == ours  # the whole bibliography, as citeproc-js prints it
    assert_correction_needed(entries, raw_outputs[name], ours.split("</div>")[1], raw)
