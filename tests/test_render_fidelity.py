"""Each correction of render/corrections (the table is in its __init__): citeproc-py as
shipped gets it wrong (run in a fresh interpreter, without publist's corrections), publist
prints what citeproc-js prints."""

from __future__ import annotations

import pytest
from helpers import assert_correction_needed, raw_citeproc

from publist.render import render


def person(family, given, **extra):
    return {"family": family, "given": given, **extra}


def article(id_, title, authors, **extra):
    return {
        "id": id_,
        "type": "article-journal",
        "title": title,
        "author": authors,
        "container-title": "Journal",
        "issued": {"date-parts": [[2021]]},
        **extra,
    }


DOE = [person("Doe", "Jane")]
CASES = [
    # (name, style, format, items, what publist prints (citeproc-js), what raw citeproc-py prints)
    (
        "capitalize-first only on lower-case words",
        "apa",
        "text",
        [
            {
                "id": "a",
                "type": "article",
                "title": "WARP",
                "author": DOE,
                "number": "arXiv:2406.16768",
                "publisher": "arXiv",
                "issued": {"date-parts": [[2024]]},
            }
        ],
        "(arXiv:2406.16768)",
        "(ArXiv:2406.16768)",
    ),
    (
        "initialize=false keeps given names",
        "modern-language-association",
        "text",
        [article("a", "T", [person("Botev", "Aleksandar")])],
        "Botev, Aleksandar.",
        "Botev, A.",
    ),
    (
        "hyphenated lower-case given name",
        "apa",
        "text",
        [article("a", "T", [person("Grill", "Jean-bastien")])],
        "Grill, J. (2021)",
        "J.-. bastien",
    ),
    (
        "capital runs initialise as citeproc-js",
        "apa",
        "text",
        [article("a", "T", [person("Martins", "Luiz GUStavo")])],
        "Martins, L. Gus. (2021)",
        "Martins, L. G.",
    ),
    (
        "no period after a question mark",
        "apa",
        "text",
        [article("a", "What Matters for Imitation?", DOE)],
        "What Matters for Imitation? Journal",
        "Imitation?.",
    ),
    (
        "punctuation inside quotes",
        "ieee",
        "text",
        [article("a", "A Title", DOE)],
        "“A Title,”",
        "“A Title”,",
    ),
    (
        "left-margin number apart",
        "ieee",
        "text",
        [article("a", "A Title", DOE)],
        "[1] J. Doe",
        "[1]J. Doe",
    ),
    (
        "left-margin blocks in HTML",
        "ieee",
        "html",
        [article("a", "A Title", DOE)],
        '<div class="csl-left-margin">[1]</div><div class="csl-right-inline">J. Doe',
        "[1]J. Doe",
    ),
    (
        "substituted title not repeated",
        "apa",
        "text",
        [
            {
                "id": "a",
                "type": "article-journal",
                "title": "Anonymous",
                "container-title": "J",
                "issued": {"date-parts": [[2000]]},
            }
        ],
        "Anonymous. (2000). J.",
        "Anonymous. (2000). Anonymous.",
    ),
    (
        "quotes inside a quoted title",
        "ieee",
        "text",
        [article("a", "On “quoted” words", DOE)],
        "“On ‘quoted’ words,”",
        "“On “quoted” words”",
    ),
    (
        "initials get their period with initialize=false",
        "chicago-author-date",
        "text",
        [article("a", "T", [person("Smith", "Samuel L")])],
        "Smith, Samuel L. 2021.",
        "Smith, S. L. 2021",
    ),
    (
        "no period after et al. in markup",
        "nature",
        "html",
        [article("a", "T", [person(f"F{i}", "G") for i in range(8)])],
        "<i>et al.</i> T.",
        "<i>et al.</i>.",
    ),
    (
        "label of an absent variable",
        "american-chemical-society",
        "text",
        [
            {
                "id": "a",
                "type": "paper-conference",
                "title": "T",
                "author": DOE,
                "container-title": "Proc",
                "issued": {"date-parts": [[2024]]},
            }
        ],
        "Proc; 2024.",
        "p .",
    ),
    (
        "sort-only particle demotion",
        "acm-sig-proceedings",
        "text",
        [
            article("b", "B", [person("Freitas", "Nando", **{"non-dropping-particle": "de"})]),
            article("a", "A", [person("Devlin", "Jacob")]),
        ],
        "[2] de Freitas",
        "[1]de Freitas",
    ),
    (
        "localized date delimiter",
        "nlm-citation-sequence",
        "text",
        [article("a", "T", DOE, issued={"date-parts": [[2008, 11]]})],
        "2008 Nov",
        "2008Nov",
    ),
    (
        "implicit year-suffix",
        "springer-basic-author-date",
        "text",
        [article("a", "First", DOE), article("b", "Second", DOE)],
        "Doe J (2021a) First",
        "Doe J (2021) First",
    ),
    (
        "title case of hyphenated words",
        "chicago-author-date",
        "text",
        [article("a", "visualizing data using t-SNE about things", DOE)],
        "“Visualizing Data Using T-SNE about Things.”",
        "Using t-SNE About",
    ),
    (
        "title case of labels",
        "apa",
        "text",
        [
            {
                "id": "a",
                "type": "book",
                "title": "T",
                "editor": DOE,
                "publisher": "P",
                "issued": {"date-parts": [[2012]]},
            }
        ],
        "Doe, J. (Ed.).",
        "Doe, J. (ed.).",
    ),
    (
        "minimal-two page ranges",
        "modern-language-association",
        "text",
        [article("a", "T", DOE, page="1-29")],
        "pp. 1–29",
        "pp. 1–9",
    ),
    (
        "subsequent-author-substitute",
        "modern-language-association",
        "text",
        [article("a", "First", DOE), article("b", "Second", DOE)],
        "———. “Second.”",
        "Doe, J. “Second”",
    ),
    (
        "names added to tell entries apart",
        "modern-language-association",
        "text",
        [
            article(
                "a",
                "One",
                [
                    person("Ramé", "Alexandre"),
                    person("Ferret", "Johan"),
                    person("Vieillard", "Nino"),
                ],
            ),
            article(
                "b",
                "Two",
                [
                    person("Ramé", "Alexandre"),
                    person("Vieillard", "Nino"),
                    person("Hussenot", "Léonard"),
                ],
            ),
        ],
        "Ramé, Alexandre, Johan Ferret, et al.",
        "Ramé, A., et al. “One”",
    ),
    (
        "sort keys without et al.",
        "acm-sig-proceedings",
        "text",
        [
            article("b", "B", [person("Freitas", "N"), person("Smith", "J")]),
            article("a", "A", [person("Freitas", "N"), person("Smith", "J"), person("Roe", "R")]),
        ],
        "[1] Freitas, N. et al.",
        "[2]Freitas, N. et al.",
    ),
    (
        "suffix periods follow initialize-with",
        "nlm-citation-sequence",
        "text",
        [article("a", "T", [person("King", "Martin", suffix="Jr."), person("Doe", "Jane")])],
        "King M Jr, Doe J.",
        "King M Jr., Doe J.",
    ),
    (
        "no delimiter between two organisations",
        "apa",
        "text",
        [article("a", "T", [{"literal": "ATLAS Collaboration"}, {"literal": "CMS Collaboration"}])],
        "ATLAS Collaboration & CMS Collaboration.",
        "ATLAS Collaboration, & CMS",
    ),
    # not fidelity.py but render/__init__.py and formatters.py
    (
        "numbers in sort keys compare as numbers",
        "apa",
        "text",
        [
            {"id": t, "type": "book", "title": t, "author": DOE}
            for t in ("Study 1680", "Study 911", "Study 54")
        ],
        "Study 54. Doe, J. (n.d.-b). Study 911",
        "Study 1680",
    ),
    (
        "accents and punctuation ignored in sort keys",
        "apa",
        "text",
        [article(f, "T", [person(f, "A")]) for f in ("Myers", "Müller", "Mz")],
        "Müller, A. (2021). T. Journal. Myers",
        "Myers",
    ),
    (
        "sort keys through a text macro",
        "apa",
        "text",
        [
            article("a", "T", [person("Addanki", "R."), person("Zhu", "Y.")]),
            article(
                "b", "T", [person("Addanki", "R."), person("Gaffney", "C."), person("Lee", "C.")]
            ),
        ],
        "Lee, C. (2021). T. Journal. Addanki, R., & Zhu",
        "Addanki",
    ),
    (
        "no space after a particle's apostrophe",
        "apa",
        "text",
        [article("a", "T", [{"family": "Medici", "given": "A", "non-dropping-particle": "de’"}])],
        "de’Medici, A.",
        "de’ Medici, A.",
    ),
    (
        "title case capitalises the last word",
        "chicago-author-date",
        "text",
        [article("a", "models of the", DOE)],
        "Models of The",
        "Models of the",
    ),
    (
        "group with only empty variables suppressed",
        "nature",
        "html",
        [{"id": "a", "type": "article", "title": "An Undated Preprint", "author": DOE}],
        "Doe, J. An Undated Preprint.</",
        "Preprint at",
    ),
    (
        "straight quotes as citeproc-js reads them",
        "apa",
        "text",
        [article("a", "Bob's 'big' day and '' marks", DOE)],
        "Bob’s “big” day and ’ ’ marks",
        "Bob's 'big' day",
    ),
    (
        "field text is escaped in HTML",
        "apa",
        "html",
        [article("a", "<script>alert(1)</script>", DOE)],
        "&#60;script&#62;alert(1)&#60;/script&#62;",
        "<script>alert(1)</script>",
    ),
    (
        "ids that differ only in case stay two entries",
        "apa",
        "text",
        [article("Smith2020", "First", DOE), article("smith2020", "Second", DOE)],
        "First",
        "Second",
    ),
]


@pytest.fixture(scope="module")
def raw_outputs(tmp_path_factory):
    cases = [{"style": s, "format": f, "items": i} for _, s, f, i, _, _ in CASES]
    raw = raw_citeproc(cases, tmp_path_factory.mktemp("raw"))
    return dict(zip([c[0] for c in CASES], raw, strict=True))


@pytest.mark.parametrize("name, style, fmt, items, ours, raw", CASES, ids=[c[0] for c in CASES])
def test_correction(raw_outputs, name, style, fmt, items, ours, raw):
    assert_correction_needed(render(items, style, fmt), raw_outputs[name], ours, raw)
