"""Reading .bib as BibTeX and biber read it: one test per rule of README "Reading .bib files"."""

from __future__ import annotations

import io

import pytest

import publist
from publist.formats.bibtex_reader import read_bibtex
from publist.richtext import has_markup, literal, to_latex, to_plain
from publist.texdecode import decode_text


def read(text: str):
    collection = read_bibtex(io.BytesIO(text.encode("utf-8")), "t.bib")
    items = collection.to_list()
    return items, collection


def warnings_of(collection) -> list[tuple[int | None, str]]:
    return [(getattr(w, "line", None), getattr(w, "message", w)) for w in collection.warnings]


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like stdin from a pipe."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# 1. macros and concatenation


def test_concatenation_macros_and_months():
    items, collection = read(
        '@string{stoc = "Symposium on Theory of Computing"}\n'
        '@inproceedings{a, booktitle = "Proc. Fifteenth Annual ACM " # stoc, month = mar,\n'
        "  year = 1983, author = MCDERMOTT # { and Gerald J. Sussman}}\n"
    )
    (item,) = items
    assert item["container-title"] == "Proc. Fifteenth Annual ACM Symposium on Theory of Computing"
    assert item["issued"] == {"date-parts": [[1983, 3]]}
    assert item["author"] == [{"family": "Sussman", "given": "Gerald J."}]
    assert (3, "undefined macro 'MCDERMOTT': expands to nothing (as in BibTeX)") in warnings_of(
        collection
    )


def test_macros_carry_over_between_chunks_and_are_case_insensitive():
    body = "".join(f"@misc{{k{i}, title = {{T{i}}}}}\n" for i in range(600))
    items, _ = read("@String{JML = {J. Mach. Learn.}}\n" + body + "@article{z, journal = jml}\n")
    assert items[-1]["container-title"] == "J. Mach. Learn."


# 2. crossref and xdata


def test_crossref_parent_after_child_with_biber_inheritance():
    items, collection = read(
        "@inproceedings{child, title = {Paper}, author = {Doe, Jane}, crossref = {proc}}\n"
        "@inbook{chap, title = {Chapter}, crossref = {bk}}\n"
        "@proceedings{proc, title = {Proceedings of X}, year = 2001, publisher = {ACM},\n"
        "  editor = {Roe, Rick}, shorttitle = {PX}}\n"
        "@book{bk, title = {The Book}, author = {Knuth, Donald}, year = 1997}\n"
    )
    child, chap, proc, book = items
    assert child["container-title"] == "Proceedings of X" and child["title"] == "Paper"
    assert child["issued"] == {"date-parts": [[2001]]} and child["publisher"] == "ACM"
    assert child["editor"] == [{"family": "Roe", "given": "Rick"}]
    assert "title-short" not in child  # a mapped title's variants are not inherited
    assert chap["container-title"] == "The Book"
    assert chap["container-author"] == [{"family": "Knuth", "given": "Donald"}]
    assert chap["author"] == [{"family": "Knuth", "given": "Donald"}]
    assert proc["title"] == "Proceedings of X" and book["id"] == "bk"
    assert collection.errors == []


def test_crossref_from_a_pipe_missing_parent_and_cycle():
    text = (
        "@article{a, title = {A}, crossref = {b}}\n"
        "@article{b, title = {B}, crossref = {a}}\n"
        "@article{c, title = {C}, crossref = {nowhere}}\n"
        "@book{d, title = {D}, xdata = {shared}}\n"
        "@xdata{shared, publisher = {P}, date = {2011}}\n"
    )
    collection = read_bibtex(io.BufferedReader(_Pipe(text.encode())), "-")
    items = collection.to_list()
    assert [i["id"] for i in items] == ["c", "d"]
    assert items[1]["publisher"] == "P" and items[1]["issued"] == {"date-parts": [[2011]]}
    assert all("cycle refused" in e.message for e in collection.errors)
    assert len(collection.errors) == 2
    assert (3, "c: 'nowhere' (crossref/xdata) not found: nothing inherited") in warnings_of(
        collection
    )


# 3, 12. & and % kept, with warnings


def test_bare_ampersand_and_percent_kept_with_warnings():
    items, collection = read(
        "@book{k, publisher = {John Wiley & Sons},\n  note = {5% more, \\% escaped}}\n"
    )
    assert items[0]["publisher"] == "John Wiley & Sons"
    assert items[0]["note"] == "5% more, % escaped"
    messages = warnings_of(collection)
    assert (1, "k: unescaped '&' in publisher kept (LaTeX would stop on it)") in messages
    assert any(line == 2 and "unescaped '%' in note" in m for line, m in messages)


# 4. whitespace


def test_whitespace_collapsed_except_verbatim_fields():
    items, _ = read(
        "@article{k, title = {A long\n        title\tacross lines},\n"
        "  url = {https://example.org/a%20b}, note = {x~y}}\n"
    )
    assert items[0]["title"] == "A long title across lines"
    assert items[0]["URL"] == "https://example.org/a%20b"
    assert items[0]["note"] == "x\u00a0y"


# 5. accents in names


@pytest.mark.parametrize(
    ("raw", "family", "given"),
    [
        ("Mart\\'{i}n Avenda\\~{n}o, Carlos", "Martín Avendaño", "Carlos"),
        ("Ib\\'a\\~{n}ez, Laura", "Ibáñez", "Laura"),
        ("Mart\\'{i}n Avenda\\~{n}o", "Avendaño", "Martín"),
        ("Erd{\\H o}s, P{\\'a}l", "Erdős", "Pál"),
        ("Llu{\\'{\\i}}s M{\\`{a}}rquez", "Màrquez", "Lluís"),
        ("\\v{S}koda, Ji\\v r\\'\\i", "Škoda", "Jiří"),
    ],
)
def test_accents_decode_inside_names(raw, family, given):
    items, _ = read(f"@article{{k, author = {{{raw}}}}}\n")
    assert items[0]["author"] == [{"family": family, "given": given}]


# 6. keyless entries


def test_thirteen_keyless_entries_all_kept_with_generated_keys():
    body = "".join(
        f"@article{{,\ntitle = {{{{Paper number {i}}}}},\nauthor = {{Doe, Jane}},\n"
        "year = {2020}\n}\n"
        for i in range(13)
    )
    items, collection = read(body)
    keys = [i["id"] for i in items]
    assert len(items) == 13 and len(set(keys)) == 13 and all(keys)
    assert keys[0] == "doe2020paper"
    assert [line for line, m in warnings_of(collection) if "without a key" in m] == list(
        range(1, 66, 5)
    )


# 7. repeated fields


def test_repeated_field_keeps_first_value_and_the_entry():
    items, collection = read("@article{k,\n title = {One},\n title = {Two},\n year = 2020}\n")
    assert items[0]["title"] == "One" and items[0]["issued"] == {"date-parts": [[2020]]}
    assert warnings_of(collection) == [
        (3, "k: field 'title' repeated (first at line 2): the first value is kept")
    ]


# 8. LaTeX commands and rich text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("{\\TeX}: The Program", "TeX: The Program"),
        ("\\mbox{G-Animal's} Journal", "G-Animal's Journal"),
        ("\\mbox{$\\mu$}J", "μJ"),
        ("methodology\\hyphen independent", "methodology-independent"),
        ("\\enquote{open} and \\mkbibquote{closed}", "“open” and “closed”"),
        ("Nanowires\\ding{73}", "Nanowires✩"),
        ("a\\,b", "a\u2009b"),
        ("H$_2$O at 10$^\\circ$C", "H<sub>2</sub>O at 10°C"),
        ("\\emph{Drosophila} and {\\em E. coli}", "<i>Drosophila</i> and <i>E. coli</i>"),
        ("\\textbf{b} \\textsc{Sc} x\\textsuperscript{th}", "<b>b</b> "
         '<span style="font-variant:small-caps;">Sc</span> x<sup>th</sup>'),
        ("\\LaTeX{} pages 1--2---3", "LaTeX pages 1–2—3"),
    ],
)  # fmt: skip
def test_latex_commands_keep_their_text(latex, text):
    assert decode_text(latex) == (text, ())


def test_unknown_command_keeps_its_text_and_is_reported_once():
    items, collection = read(
        "@misc{a, title = {Using \\frobnicate{widgets}}}\n"
        "@misc{b, title = {More \\frobnicate{x}}}\n"
    )
    assert [i["title"] for i in items] == ["Using widgets", "More x"]
    unknown = [(line, m) for line, m in warnings_of(collection) if "unknown LaTeX" in m]
    assert unknown == [(1, "unknown LaTeX command \\frobnicate: its argument text is kept")]


def test_rich_text_maps_back_to_latex_and_round_trips(tmp_path):
    items, _ = read(
        "@article{k, title = {\\emph{A} \\textbf{B} \\textsc{C} H\\textsubscript{2}}}\n"
    )
    title = items[0]["title"]
    assert title == (
        '<i>A</i> <b>B</b> <span style="font-variant:small-caps;">C</span> H<sub>2</sub>'
    )
    out = tmp_path / "k.bib"
    publist.write(items, out, "bibtex")
    written = out.read_text(encoding="utf-8")
    assert "\\emph{A} \\textbf{B} \\textsc{C} H\\textsubscript{2}" in written
    assert publist.read(out).to_list()[0]["title"] == title

    def escape(text: str) -> str:
        return text.replace("&", "\\&")

    nocase = to_latex('The <span class="nocase">iPhone</span> & <i>x</i>', escape)
    assert nocase == "The {iPhone} \\& \\emph{x}"
    assert to_latex("an unclosed <i>x and a stray </b>", escape) == (
        "an unclosed <i>x and a stray </b>"
    )  # tags that pair with nothing are text


def test_plain_text_sources_never_turn_into_markup(tmp_path):
    seed = tmp_path / "s.txt"
    seed.write_text("Doe, Jane\nWhy <i>a</i> < b & c\nDoe, Jane\nnull\n", encoding="utf-8")
    (item,) = publist.read(seed).to_list()
    assert not has_markup(item["title"]) and to_plain(item["title"]) == "Why <i>a</i> < b & c"
    bib = tmp_path / "s.bib"
    publist.write([item], bib, "bibtex")
    assert "\\emph" not in bib.read_text(encoding="utf-8")
    assert literal("a < b & c") == "a < b & c"  # no tag: unchanged
    # "<i>" typed in a .bib is text for LaTeX, so it is text in the model too
    items, _ = read("@misc{k, title = {a <i>b</i> \\emph{c}}}\n")
    assert to_plain(items[0]["title"]) == "a <i>b</i> c" and items[0]["title"].count("<i>") == 1
    ris = tmp_path / "r.ris"
    rich = {"id": "r", "type": "article-journal", "title": "A <i>B</i>"}
    publist.write([rich], ris, "ris")
    assert "TI  - A B" in ris.read_text(encoding="utf-8")


# 9. DOIs


@pytest.mark.parametrize(
    "doi",
    [
        "10.1002/jts.22387",
        "https://doi.org/10.1002/jts.22387",
        "http://dx.doi.org/10.1002/jts.22387",
        "doi:10.1002/jts.22387",
    ],
)
def test_doi_forms_read_as_the_bare_doi(doi):
    items, _ = read(f"@article{{k, doi = {{{doi}}}}}\n")
    assert items[0]["DOI"] == "10.1002/jts.22387" and "URL" not in items[0]


# 10. types


@pytest.mark.parametrize(
    ("entry_type", "csl_type"),
    [
        ("collection", "book"),
        ("mvreference", "book"),
        ("inreference", "entry-encyclopedia"),
        ("movie", "motion_picture"),
        ("music", "song"),
        ("artwork", "graphic"),
        ("legislation", "legislation"),
        ("legal", "treaty"),
        ("jurisdiction", "legal_case"),
        ("presentation", "speech"),
        ("periodical", "periodical"),
        ("standard", "standard"),
        ("nameonly", "document"),
        ("customa", "document"),
    ],
)
def test_biblatex_types(entry_type, csl_type):
    items, _ = read(f"@{entry_type}{{k, title = {{T}}}}\n")
    assert items[0]["type"] == csl_type


# 11. aliases and dates


def test_field_aliases():
    items, _ = read(
        "@article{k, issue = {4}, city = {Paris}, urldate = {2021-03-04}, langid = {french},\n"
        " annotation = {note}, pmid = {123}, eprint = {2303.08774}, archiveprefix = {arXiv}}\n"
        "@misc{w, howpublished = {\\url{https://example.org}}}\n"
    )
    item, web = items
    assert item["issue"] == "4" and item["publisher-place"] == "Paris"
    assert item["accessed"] == {"date-parts": [[2021, 3, 4]]} and item["language"] == "french"
    assert item["annote"] == "note" and item["PMID"] == "123"
    assert item["URL"] == "https://arxiv.org/abs/2303.08774"
    assert web["URL"] == "https://example.org" and "container-title" not in web
    assert web["type"] == "webpage"


@pytest.mark.parametrize(
    ("date", "issued"),
    [
        ("-3000", {"date-parts": [[-3001]]}),
        ("2019~", {"date-parts": [[2019]], "circa": True}),
        ("2019-05?", {"date-parts": [[2019, 5]], "circa": True}),
        ("2020/..", {"date-parts": [[2020], [0]]}),
        ("2020-05/..", {"date-parts": [[2020, 5], [0, 0]]}),
        ("2019/2021", {"date-parts": [[2019], [2021]]}),
        ("Spring 2020", {"literal": "Spring 2020"}),
    ],
)
def test_edtf_dates(date, issued):
    items, _ = read(f"@misc{{k, date = {{{date}}}}}\n")
    assert items[0]["issued"] == issued


# #12 item 6: leftover text


def test_fields_after_an_unbalanced_brace_and_a_lone_at_are_reported():
    items, collection = read("@article{k,\n title = {a}}}},\n year = {2020}\n}\n@\n")
    assert items[0]["title"] == "a"
    assert warnings_of(collection) == [
        (2, "text outside any entry ignored: '}}, year = {2020} }'"),
        (5, "'@' not followed by an entry type and a brace: ignored"),
    ]


def test_comments_between_entries_are_not_reported():
    items, collection = read(
        "% This file was created with JabRef 2.10.\n% Encoding: UTF8\n\n@misc{k, title = {T}}\n"
        "@comment{jabref-meta: databaseType:bibtex;}\nSome prose, an email me@example.org\n"
    )
    assert len(items) == 1
    assert [m for _, m in warnings_of(collection)] == [
        "'@' not followed by an entry type and a brace: ignored"
    ]
