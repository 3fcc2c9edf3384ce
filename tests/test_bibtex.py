"""BibTeX / biblatex writers and the .bib reader (publist's side; real tools in test_bibtex_tex)."""

from __future__ import annotations

import io

import bibtexparser
import pytest
from corpus import hard_cases
from helpers import SEED, SEED_AUTHOR_COUNTS

import publist
from publist.errors import PublistError


def bib(items, fmt="bibtex", **options) -> tuple[str, list[str]]:
    out = io.StringIO()
    warnings = publist.write(items, out, fmt, **options)
    return out.getvalue(), warnings


def read_bib(text: str) -> publist.Collection:
    return publist.read(io.BytesIO(text.encode("utf-8")), "bibtex")


def one(**fields) -> dict:
    item = {
        "id": "k",
        "type": "article-journal",
        "title": "T",
        "author": [{"family": "Doe", "given": "Jane"}],
    }
    item.update(fields)
    return item


def fields_of(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text, parse_stack=[])
    assert len(library.entries) == 1 and not library.failed_blocks
    return {f.key: f.value for f in library.entries[0].fields}


@pytest.mark.parametrize(
    "csl, bibtex, biblatex",
    [
        ("article-journal", "article", "article"),
        ("paper-conference", "inproceedings", "inproceedings"),
        ("report", "techreport", "report"),
        ("article", "misc", "online"),
        ("book", "book", "book"),
        ("chapter", "incollection", "incollection"),
        ("thesis", "phdthesis", "thesis"),
        ("webpage", "misc", "online"),
        ("interview", "misc", "misc"),
    ],
)
def test_types(csl, bibtex, biblatex):
    linked = one(type=csl, URL="https://example.org/k")
    assert bib([linked])[0].startswith(f"@{bibtex}{{k,")
    assert bib([linked], "biblatex")[0].startswith(f"@{biblatex}{{k,")


@pytest.mark.parametrize("csl", ["article", "webpage"])
def test_biblatex_online_without_a_link_is_misc(csl):
    # biber's data model: @online needs one of url, doi, eprint
    assert bib([one(type=csl)], "biblatex")[0].startswith("@misc{k,")
    assert bib([one(type=csl, DOI="10.1/x")], "biblatex")[0].startswith("@online{k,")
    arxiv = one(type=csl, number="arXiv:2406.16768")
    assert bib([arxiv], "biblatex")[0].startswith("@online{k,")


def test_eprinttype_beside_archiveprefix_for_zotero():
    # Zotero's BibTeX import reads eprinttype (not archivePrefix) into Extra as `arXiv: ID`
    fields = fields_of(bib([one(type="article", number="arXiv:2406.16768")])[0])
    assert fields["eprinttype"] == "{arxiv}" and fields["archiveprefix"] == "{arXiv}"


def test_biblatex_report_subtype():
    assert fields_of(bib([one(type="report")], "biblatex")[0])["type"] == "{techreport}"


def test_names_von_last_jr_first():
    names = [
        {"literal": "Gemma Team"},
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"family": "Dmitry"},
        {"literal": "Barnes and Noble, Inc."},
    ]
    author = fields_of(bib([one(author=names)])[0])["author"]
    assert author == (
        "{{Gemma Team} and van der Maaten, Laurens and Smith, Jr., John and Dmitry"
        " and {Barnes and Noble, Inc.}}"
    )


def test_max_authors_and_others():
    names = [{"family": f"F{i}", "given": "G"} for i in range(20)]
    author = fields_of(bib([one(author=names)], max_authors=3)[0])["author"]
    assert author == "{F0, G and F1, G and F2, G and others}"
    assert bib([one(author=names)])[0].count(" and ") == 19


def test_extended_names():
    names = [
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
    ]
    author = fields_of(bib([one(author=names)], "biblatex", extended_names=True)[0])["author"]
    assert author == (
        "{family={Maaten}, given={Laurens}, prefix={van der}, useprefix=true and "
        "family={Beethoven}, given={Ludwig}, prefix={van}, useprefix=false}"
    )
    back = read_bib(bib([one(author=names)], "biblatex", extended_names=True)[0]).to_list()
    assert back[0]["author"] == names


def test_ascii_by_default_with_latex_commands():
    text, warnings = bib([one(title="Ramé Łukasz Çağlar Øystein über")])
    title = fields_of(text)["title"]
    assert title.isascii()
    for command in (r"{\'e}", r"{\L}", r"{\c{C}}", r"{\O}", r"{\"u}"):
        assert command in title
    assert warnings == []


def test_no_latex_form_kept_and_reported_once():
    items = [one(id="a", title="王 Привет Nguyễn"), one(id="b", title="王 again")]
    text, warnings = bib(items)
    assert "王" in text and "Привет" in text and "ễ" in text and "?" not in text
    reported = [w for w in warnings if "no LaTeX form" in w]
    assert len(reported) == 1
    assert "王 (U+738B, first in a)" in reported[0]


def test_unicode_option_and_biblatex_keep_utf8():
    for text, _ in (bib([one(title="Ramé")], unicode=True), bib([one(title="Ramé")], "biblatex")):
        assert "Ram{\\'e}" not in text and "title = {Ramé}" in text


@pytest.mark.parametrize(
    "plain, latex",
    [
        ("A & B", r"A \& B"),
        ("100%", r"100\%"),
        ("$5", r"\$5"),
        ("#1", r"\#1"),
        ("a_b", r"a\_b"),
        ("a~b", r"a\textasciitilde{}b"),
        ("x^2", r"x\textasciicircum{}2"),
        ("a\\b", r"a\textbackslash{}b"),
        ("{x}", r"\textbraceleft{}x\textbraceright{}"),
        ("data --demonstrations", "data -{}-demonstrations"),
        ("a---b", "a-{}-{}-b"),
        ("``q''", "`{}`q'{}'"),
    ],
)
def test_escaping_in_text_fields(plain, latex):
    fields = fields_of(bib([one(abstract=plain, note=plain)])[0])
    assert fields["abstract"] == "{" + latex + "}"
    assert fields["note"] == "{" + latex + "}"


def test_urls_touch_only_what_latex_needs():
    url = "https://example.org/a_b?x=1&y=%20z#frag"
    bibtex_url = r"{https://example.org/a_b?x=1&y=\%20z\#frag}"
    assert fields_of(bib([one(URL=url)])[0])["url"] == bibtex_url
    assert fields_of(bib([one(URL=url)], "biblatex")[0])["url"] == "{" + url + "}"
    assert read_bib(bib([one(URL=url)])[0]).to_list()[0]["URL"] == url


@pytest.mark.parametrize(
    "field, hostile",
    [
        ("title", "}@misc{evil, title={pwned}"),
        ("abstract", r"\input{/etc/passwd}"),
        ("title", "} , author = {x"),
        ("note", "\\end{document}"),
    ],
)
def test_injection_stays_inert(field, hostile):
    text, _ = bib([one(**{field: hostile})])
    library = bibtexparser.parse_string(text, parse_stack=[])
    assert [e.key for e in library.entries] == ["k"] and not library.failed_blocks
    assert "\\input" not in text and "\\end{" not in text
    assert read_bib(text).to_list()[0][field] == hostile


def test_title_case_protection_is_markup():
    title = "WARP: GPT-4, BERT and LSTM in MusicRL and RecurrentGemma, not Gemma"
    written = fields_of(bib([one(title=title)])[0])["title"]
    assert written == (
        "{{WARP}: {GPT-4}, {BERT} and {LSTM} in {MusicRL} and {RecurrentGemma}, not Gemma}"
    )
    assert read_bib(bib([one(title=title)])[0]).to_list()[0]["title"] == title


def test_fields_order_and_layout():
    item = one(
        **{
            "container-title": "J",
            "volume": "3",
            "issue": "4",
            "page": "5-9",
            "DOI": "10.1/x",
            "issued": {"date-parts": [[2020, 2]]},
            "publisher": "P",
        }
    )
    text, _ = bib([item, one(id="k2")])
    first = text.split("\n\n")[0]
    keys = [line.split(" = ")[0].strip() for line in first.splitlines()[1:-1]]
    assert keys == [
        "author",
        "title",
        "journal",
        "volume",
        "number",
        "pages",
        "publisher",
        "year",
        "month",
        "doi",
    ]
    assert "  pages = {5--9}," in first and "  month = feb," in first
    assert text.count("\n\n") == 1 and text.endswith("}\n") and not text.endswith("\n\n")
    biblatex = fields_of(bib([item], "biblatex")[0].split("\n\n")[0])
    assert biblatex["date"] == "{2020-02}" and biblatex["journaltitle"] == "{J}"


def test_arxiv_fields():
    item = one(
        type="article",
        number="arXiv:2406.16768",
        publisher="arXiv",
        DOI="10.48550/arXiv.2406.16768",
        URL="https://arxiv.org/abs/2406.16768",
    )
    bibtex_fields = fields_of(bib([item])[0])
    assert bibtex_fields["eprint"] == "{2406.16768}" and bibtex_fields["archiveprefix"] == "{arXiv}"
    assert bibtex_fields["url"] == "{https://arxiv.org/abs/2406.16768}"
    assert "publisher" not in bibtex_fields and "number" not in bibtex_fields
    biblatex_fields = fields_of(bib([item], "biblatex")[0])
    assert biblatex_fields["eprinttype"] == "{arxiv}"
    assert read_bib(bib([item])[0]).to_list()[0] == item


def test_seed_to_bibtex_entries_and_round_trip(tmp_path):
    # the overlay's website facts (CSL `custom`: selected, abbr, links) are not BibTeX data
    original = [{k: v for k, v in i.items() if k != "custom"} for i in publist.read(SEED)]
    for fmt in ("bibtex", "biblatex"):
        out = tmp_path / f"{fmt}.bib"
        assert publist.convert(SEED, out, fmt) == []
        library = bibtexparser.parse_file(str(out), parse_stack=[])
        assert len(library.entries) == 10 and not library.failed_blocks
        assert len({e.key.lower() for e in library.entries}) == 10
        back = publist.read(out).to_list()
        assert [len(i["author"]) for i in back] == SEED_AUTHOR_COUNTS
        assert back == original  # titles, abstracts, names (parts), types: character for character


def as_non_dropping(names):
    """BibTeX's von part does not say whether a particle drops: both read back non-dropping."""
    out = []
    for name in names or []:
        name = dict(name)
        if "dropping-particle" in name:
            name["non-dropping-particle"] = name.pop("dropping-particle")
        out.append(name)
    return out


def test_hard_cases_round_trip():
    items = hard_cases()
    for fmt in ("bibtex", "biblatex"):
        back = read_bib(bib(items, fmt)[0]).to_list()
        assert len(back) == len(items)
        for a, b in zip(items, back, strict=True):
            assert b["title"] == a["title"]
            assert b.get("author") == (as_non_dropping(a.get("author")) or None)
            assert b.get("abstract") == a.get("abstract")
            issued = a.get("issued")
            if issued and fmt == "bibtex":  # BibTeX has year and month, no day
                issued = {"date-parts": [issued["date-parts"][0][:2]]}
            assert b.get("issued") == issued


def test_reader_organisations_and_latex():
    text = r"""@book{x, author = {{Barnes and Noble, Inc.} and M{\"u}ller, J{\"u}rgen and
    van der Maaten, Laurens and Le Lan, Charline}, title = {{\'E}t{\'e} \& {BERT}}, year = 2001}"""
    item = read_bib(text).to_list()[0]
    assert item["author"] == [
        {"literal": "Barnes and Noble, Inc."},
        {"family": "Müller", "given": "Jürgen"},
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        {"family": "Lan", "given": "Charline", "non-dropping-particle": "Le"},
    ]
    assert item["title"] == "Été & BERT"
    assert item["issued"] == {"date-parts": [[2001]]}


def test_malformed_entries_reported_and_nothing_written(cli, tmp_path):
    src = tmp_path / "in.bib"
    src.write_text(
        "@misc{good1, title = {One}}\n\n@article{broken,\n  title = {x,\n}\n"
        "@misc{good2, title = {Two}}\n@misc{good2, title = {dup}}\n@book{nokey title = {x}}\n",
        encoding="utf-8",
    )
    collection = publist.read(src)
    assert [i["id"] for i in collection] == ["good1", "good2"]
    assert [(e.line, e.message.split(":")[0]) for e in collection.errors] == [
        (3, "malformed entry"),
        (7, "duplicate key 'good2' (the first is kept)"),
        (8, "malformed entry"),
    ]
    out = tmp_path / "out.json"
    out.write_text("old\n", encoding="utf-8")
    result = cli("convert", str(src), "-t", "csl-json", "-o", str(out))
    assert result.exit_code == 1
    assert f"publist: error: {src}:3: malformed entry: " in result.stderr
    assert "3 entries could not be read: nothing written" in result.stderr
    # a file missing entries must not pass for the converted file: the old one stays
    assert out.read_text(encoding="utf-8") == "old\n"
    assert not list(tmp_path.glob(".*.part"))
    result = cli("convert", str(src), "-t", "csl-json", "-o", str(out), "--skip-bad")
    assert result.exit_code == 0
    assert f"publist: warning: {src}:3: malformed entry: " in result.stderr
    assert "3 entries skipped (--skip-bad)" in result.stderr
    assert [i["id"] for i in publist.read(out)] == ["good1", "good2"]


def test_biblatex_writer_rejects_unicode_option():
    with pytest.raises(PublistError):
        bib([one()], "biblatex", unicode=True)


def test_keys_sanitised_and_unique():
    text, warnings = bib([one(id="a b,c"), one(id="A_b_c"), one(id="x")])
    keys = [e.key for e in bibtexparser.parse_string(text, parse_stack=[]).entries]
    assert keys == ["a_b_c", "A_b_ca", "x"]
    assert len(warnings) == 2


def test_reader_reads_in_chunks_with_strings_and_duplicates_across_them(tmp_path):
    """A .bib larger than one parsing chunk: @string macros carry over, a duplicate key in a
    later chunk is still reported, and a value holding a line with "@" (as the writer protects
    it) stays whole."""
    from publist.formats import bibtex_scan

    lines = ["@string{jml = {Journal of Machine Learning}}"]
    for i in range(bibtex_scan._BLOCKS_PER_CHUNK + 10):
        lines.append(f"@article{{k{i}, title = {{Title {i}}}, journal = jml, year = 2020}}")
    lines.append("@misc{multi, title = {first line\n{}@misc{not, an = {entry}} inside}}")
    lines.append("@misc{k3, title = {again}}")
    src = tmp_path / "big.bib"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    collection = publist.read(src)
    items = collection.to_list()
    assert len(items) == bibtex_scan._BLOCKS_PER_CHUNK + 11
    assert items[-2]["container-title"] == "Journal of Machine Learning"  # a later chunk
    assert items[-1]["id"] == "multi" and "@misc" in items[-1]["title"]
    last_line = "\n".join(lines).count("\n") + 1
    assert [(e.line, e.message.split(" (")[0]) for e in collection.errors] == [
        (last_line, "duplicate key 'k3'")
    ]
