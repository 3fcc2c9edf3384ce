"""The name, label, sorting and substitution corrections of render/corrections (table in its
__init__), each A/B: citeproc-py as shipped (a fresh interpreter, tests/raw_citeproc.py)
prints something else, publist prints what citeproc-js prints.  Cases use the shipped styles
where one shows the behaviour, else a small style written here (``csl(...)``); every input
is made up for this file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_correction_needed, raw_citeproc

from publist.render import render

CSL_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"{attrs}>'
    "<info><title>publist test</title><id>publist-test</id>"
    "<updated>2024-01-01T00:00:00+00:00</updated></info>"
)


def csl(bibliography: str, macros: str = "", attrs: str = "", bib_attrs: str = "") -> str:
    """A minimal style whose bibliography is ``bibliography`` (a cs:layout, maybe a cs:sort)."""
    return (
        CSL_HEAD.format(attrs=attrs)
        + macros
        + '<citation><layout><text variable="title"/></layout></citation>'
        + f"<bibliography{bib_attrs}>{bibliography}</bibliography></style>"
    )


def book(id_: str, title: str, authors: list[dict], **extra: object) -> dict:
    return {
        "id": id_,
        "type": "book",
        "title": title,
        "author": authors,
        "issued": {"date-parts": [[2001]]},
        **extra,
    }


def edited(id_: str, title: str, editors: list[dict]) -> dict:
    item = book(id_, title, [], editor=editors)
    del item["author"]
    return item


def person(family: str, given: str, **extra: str) -> dict:
    return {"family": family, "given": given, **extra}


ETAL_AUTHORS = (
    "Doe Roe Asthma Bronchitis Cold Dropsy Enteritis Fever Goiter Hiccup Impetigo".split()
)

ROLE_LAYOUT = (
    '<layout><group delimiter=", "><text variable="title" prefix="Review of "/>'
    '<names variable="{role}"><label form="verb-short" suffix=" "/><name/></names>'
    "</group></layout>"
)

CASES = [
    # (name, style name or CSL text, format, items, publist (citeproc-js), raw citeproc-py)
    (
        "family-name particles parsed",
        "chicago-author-date",
        "text",
        [
            book("a", "Alpha", [person("von Hoppel", "Gustav")]),
            book("b", "Beta", [person("Ibsen", "Henrik")]),
        ],
        "Hoppel, Gustav von. 2001. Alpha. Ibsen",
        "von Hoppel, G.",
    ),
    (
        "quoted family name taken literally",
        "chicago-author-date",
        "text",
        [book("a", "Gamma", [person('"van Dyke"', "Dick")])],
        "van Dyke, Dick. 2001. Gamma.",
        '"van Dyke", D.',
    ),
    (
        "hyphenated particle sorts under the family name",
        "chicago-author-date",
        "text",
        [
            book("a", "Alpha", [person("al-Ghazali", "Abu")]),
            book("b", "Beta", [person("Bakr", "Amina")]),
        ],
        "Bakr, Amina. 2001. Beta. Ghazali, Abu al-. 2001. Alpha.",
        "al-Ghazali, A. 2001. Alpha. Bakr",
    ),
    (
        "hyphenated particle written against the name",
        "ieee",
        "text",
        [book("a", "Delta", [person("Ghazali", "Abu", **{"non-dropping-particle": "al-"})])],
        "A. al-Ghazali, Delta",
        "A. al- Ghazali",
    ),
    (
        "delimiter after an inverted name",
        csl(
            '<layout><names variable="author"><name name-as-sort-order="first" and="symbol"'
            ' delimiter=", " delimiter-precedes-last="after-inverted-name" et-al-min="4"'
            ' et-al-use-first="1" delimiter-precedes-et-al="after-inverted-name"/></names>'
            "</layout>"
        ),
        "text",
        [
            book("a", "A", [person("Doe", "Jane"), person("Roe", "Richard")]),
            book(
                "b", "B", [person(f, g) for f, g in (("Doe", "Jane"), ("Roe", "R"), ("Poe", "E"))]
            ),
            book("c", "C", [person(f, "A") for f in ("Doe", "Roe", "Poe", "Moe")]),
        ],
        "Doe, Jane, & Richard Roe Doe, Jane, R Roe & E Poe Doe, A, et al.",
        "Doe, Jane & Richard Roe",
    ),
    (
        "name label left out of sort keys",
        csl(
            '<sort><key macro="author"/></sort><layout><text macro="author"/></layout>',
            macros=(
                '<macro name="author"><names variable="author">'
                '<name name-as-sort-order="all" sort-separator=", "/>'
                '<label form="short" prefix=" "/>'
                '<substitute><names variable="editor"/></substitute></names></macro>'
            ),
        ),
        "text",
        [
            book("a", "A", [person("Doe", "John Eamon")]),
            {"id": "b", "type": "book", "title": "B", "editor": [person("Doe", "John")]},
        ],
        "Doe, John ed. Doe, John Eamon",
        "Doe, John Eamon Doe, John ed.",
    ),
    (
        "subsequent-author-substitute keeps the label",
        "chicago-author-date-17th-edition",
        "text",
        [
            book("a", "Alpha", [person("Doe", "John")]),
            edited("b", "Beta", [person("Doe", "John")]),
        ],
        "Doe, John. 2001a. Alpha. ———, ed. 2001b. Beta.",
        "Beta",
    ),
    (
        "subsequent-author-substitute before a period",
        "chicago-author-date-17th-edition",
        "text",
        [book(i, t, [person(f, "A") for f in ETAL_AUTHORS]) for i, t in (("a", "G"), ("b", "H"))],
        "Enteritis, et al. 2001a. G. ———. 2001b. H.",
        "H",
    ),
    (
        "no substitute for editors after a cs:names of its own",
        "modern-language-association",
        "text",
        [
            book("a", "Alpha", [person("Doe", "John")]),
            edited("b", "Beta", [person("Doe", "John")]),
            book("c", "Gamma", [person("Doe", "John")]),
        ],
        "Doe, John. Alpha. 2001. Doe, John, editor. Beta. 2001. ———. Gamma.",
        "Beta",
    ),
    (
        "substituted editors inside a choose inherit the name format",
        "chicago-author-date",
        "text",
        [edited("b", "Beta", [person("Doe", "John")])],
        "Doe, John, ed. 2001. Beta.",
        "Beta",
    ),
    (
        "et-al-min without et-al-use-first",
        csl(
            '<layout><names variable="author"><name et-al-min="3" delimiter=", "/></names></layout>'
        ),
        "text",
        [book("a", "A", [person(f, "A") for f in ("Doe", "Roe", "Poe")])],
        "A Doe, A Roe, A Poe",
        "A Doe et al.",
    ),
    (
        "et-al-use-first zero",
        csl(
            '<layout><group prefix="[" delimiter=" // "><names variable="author">'
            '<name et-al-min="2" et-al-use-first="0"/></names><names variable="author">'
            '<name et-al-min="2" et-al-use-first="1"/></names></group></layout>'
        ),
        "text",
        [book("a", "A", [person(f, "A") for f in ("Doe", "Roe")])],
        "[A Doe et al.",
        " et al. // ",
    ),
    (
        "names printed once by a substitute",
        csl(
            '<layout><group delimiter=". "><names variable="author"><name/>'
            '<substitute><text macro="editors"/></substitute></names>'
            '<text variable="title"/></group></layout>',
            macros=(
                '<macro name="editors"><names variable="editor"><name/>'
                '<label form="short" prefix=" "/></names><names variable="editor"><name/>'
                '<label prefix=" "/></names></macro>'
            ),
        ),
        "text",
        [edited("a", "Alpha", [person("Doe", "Jane")])],
        "Jane Doe ed. Alpha",
        "Jane Doe ed.Jane Doe editor",
    ),
    (
        "literal and family-only name alike",
        "chicago-author-date-17th-edition",
        "text",
        [
            book("a", "Pandas", [{"family": "City Zoo"}]),
            book("b", "Otters", [{"literal": "City Zoo"}]),
        ],
        "City Zoo. 2001a. Otters. ———. 2001b. Pandas.",
        "Pandas",
    ),
    (
        "reviewed-author printed",
        csl(ROLE_LAYOUT.format(role="reviewed-author")),
        "text",
        [
            {
                "id": "a",
                "type": "review",
                "title": "Tides",
                "reviewed-author": [person("Burt", "Bo")],
            }
        ],
        "Review of Tides, by Bo Burt",
        "Review of Tides",
    ),
    (
        "collection-editor printed",
        csl(ROLE_LAYOUT.format(role="collection-editor")),
        "text",
        [
            {
                "id": "a",
                "type": "book",
                "title": "Tides",
                "collection-editor": [person("Burt", "Bo")],
            }
        ],
        "Review of Tides, ed. by Bo Burt",
        "Review of Tides",
    ),
    (
        "variables in the note",
        csl(
            '<layout><group delimiter=", "><text variable="title"/><text variable="genre"/>'
            '<names variable="reviewed-author"><name/></names><date variable="original-date">'
            '<date-part name="year"/></date></group><text variable="note" prefix=" | "/>'
            "</layout>"
        ),
        "text",
        [
            {
                "id": "a",
                "type": "book",
                "title": "Tides",
                "note": "genre: Peer commentary\nreviewed-author: Hall || W.C.\n"
                "original-date: 1850\nSeen in the archive.",
            }
        ],
        "Tides, Peer commentary, W.C. Hall, 1850 | Seen in the archive.",
        "Tides | genre: Peer commentary",
    ),
    (
        "initials inside markup",
        "apa",
        "html",
        [
            {
                "id": "a",
                "type": "book",
                "title": "Tides",
                "author": [person("Doe", "<b>John</b> Quiggly")],
                "issued": {"date-parts": [[2001]]},
            }
        ],
        "Doe, <b>J.</b> Q. (2001)",
        "Doe",
    ),
    (
        "et-al term without a space",
        csl(
            '<layout><names variable="author"><name delimiter="、" et-al-min="2"'
            ' et-al-use-first="1"/><et-al/></names></layout>',
            attrs=' default-locale="zh-TW"',
        ),
        "text",
        [book("a", "T", [person("Zither", "Ziggy"), person("Yoda", "Y")])],
        "Ziggy Zither等",
        "Ziggy Zither 等",
    ),
    (
        "label of a count",
        csl(
            '<layout><group delimiter=" "><text variable="number-of-volumes" prefix="in "/>'
            '<label variable="number-of-volumes" form="short"/></group></layout>',
            macros='<locale xml:lang="en"><terms><term name="number-of-volumes" form="short">'
            "vols.</term></terms></locale>",
        ),
        "text",
        [{"id": "a", "type": "book", "title": "T", "number-of-volumes": "5"}],
        "in 5 vols.",
        "in 5",
    ),
    (
        "et-al term of white space only",
        csl(
            '<layout><names variable="author" suffix=". "><name et-al-min="2"'
            ' et-al-use-first="1"/><et-al term="and others"/></names>'
            '<text variable="title"/></layout>',
            macros='<locale xml:lang="en"><terms><term name="and others"> </term></terms></locale>',
        ),
        "text",
        [book("a", "Tides", [person("Doe", "A."), person("Roe", "B.")])],
        "A. Doe. Tides",
        "A. Doe",
    ),
    (
        "substitute macro with a date",
        csl(
            '<layout><names variable="author"><name/><substitute><text macro="title-year"/>'
            '</substitute></names><date variable="issued" form="text"/><text value="|"/>'
            "</layout>",
            macros=(
                '<macro name="title-year"><text variable="title" suffix=", "/>'
                '<date variable="issued" form="text" date-parts="year" suffix=". "/></macro>'
            ),
        ),
        "text",
        [
            {
                "id": "a",
                "type": "legislation",
                "title": "Tide Act",
                "issued": {"date-parts": [[1992, 3, 23]]},
            }
        ],
        "Tide Act, 1992. |",
        "March 23, 1992|",
    ),
]


def _style_path(style: str, folder: Path, index: int) -> str:
    if not style.lstrip().startswith("<"):
        return style
    path = folder / f"style{index}.csl"
    path.write_text(style, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def styles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("styles")
    return {c[0]: _style_path(c[1], folder, i) for i, c in enumerate(CASES)}


@pytest.fixture(scope="module")
def raw_outputs(tmp_path_factory: pytest.TempPathFactory, styles: dict[str, str]) -> dict:
    cases = [{"style": styles[n], "format": f, "items": i} for n, _, f, i, _, _ in CASES]
    raw = raw_citeproc(cases, tmp_path_factory.mktemp("raw"))
    return dict(zip([c[0] for c in CASES], raw, strict=True))


@pytest.mark.parametrize("name, style, fmt, items, ours, raw", CASES, ids=[c[0] for c in CASES])
def test_correction(
    raw_outputs: dict,
    styles: dict[str, str],
    name: str,
    style: str,
    fmt: str,
    items: list[dict],
    ours: str,
    raw: str,
) -> None:
    assert_correction_needed(render(items, styles[name], fmt), raw_outputs[name], ours, raw)
