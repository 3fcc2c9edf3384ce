"""RIS writer and reader."""

from __future__ import annotations

import io
import re
import warnings

import pytest
import rispy
from corpus import hard_cases
from helpers import SEED, SEED_AUTHOR_COUNTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import publist
from publist.names import name_from_parts
from publist.richtext import to_plain


def ris(items) -> tuple[str, list[str]]:
    out = io.StringIO(newline="")
    warnings = publist.write(items, out, "ris")
    return out.getvalue(), warnings


def read_ris(text: str) -> publist.Collection:
    return publist.read(io.BytesIO(text.encode("utf-8")), "ris")


def one(**fields) -> dict:
    item = {
        "id": "k",
        "type": "article-journal",
        "title": "T",
        "author": [{"family": "Doe", "given": "Jane"}],
    }
    item.update(fields)
    return item


def tags(text: str) -> list[tuple[str, str]]:
    return [(line[:2], line[6:]) for line in text.split("\r\n") if line[2:6] == "  - "]


def test_record_shape_crlf_utf8(tmp_path):
    publist.convert(SEED, tmp_path / "s.ris", "ris")
    data = (tmp_path / "s.ris").read_bytes()
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # CRLF everywhere
    records = [r for r in text.split("\r\n\r\n")]
    assert len(records) == 10
    for record in records:
        lines = record.strip("\r\n").split("\r\n")
        assert lines[0].startswith("TY  - ") and lines[-1] == "ER  - "
        assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)
    assert "AU  - Ramé, Alexandre" in text and "AU  - Gemma Team\r\n" in text


def test_one_au_line_per_author_every_author_kept():
    text, _ = ris(publist.read(SEED).to_list())
    counts = [sum(1 for t, _ in tags(r) if t == "AU") for r in text.split("\r\n\r\n")]
    assert counts == SEED_AUTHOR_COUNTS


def test_names():
    names = [
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"literal": "Gemma Team"},
        {"family": "Dmitry"},
    ]
    au = [v for t, v in tags(ris([one(author=names)])[0]) if t == "AU"]
    assert au == ["van der Maaten, Laurens", "Smith, John, Jr.", "Gemma Team", "Dmitry"]
    assert read_ris(ris([one(author=names)])[0]).to_list()[0]["author"] == names


@pytest.mark.parametrize(
    "csl, ty",
    [
        ("article-journal", "JOUR"),
        ("paper-conference", "CPAPER"),
        ("report", "RPRT"),
        ("article", "RPRT"),
        ("book", "BOOK"),
        ("chapter", "CHAP"),
        ("thesis", "THES"),
        ("webpage", "ELEC"),
        ("interview", "GEN"),
    ],
)
def test_types(csl, ty):
    text, _ = ris([one(type=csl)])
    assert tags(text)[0] == ("TY", ty)
    if csl != "interview":
        assert read_ris(text).to_list()[0]["type"] == csl


def test_fields():
    item = one(
        **{
            "container-title": "Journal",
            "volume": "3",
            "issue": "4",
            "page": "5-9",
            "publisher": "P",
            "DOI": "10.1/x",
            "URL": "https://e.org/x",
            "issued": {"date-parts": [[2024, 6, 5]]},
            "keyword": "a, b",
            "abstract": "Abs",
        }
    )
    got = dict(tags(ris([item])[0]))
    assert got["TY"] == "JOUR" and got["TI"] == "T" and got["AB"] == "Abs"
    assert got["PY"] == "2024" and got["DA"] == "2024/06/05"
    assert got["T2"] == "Journal" and "JO" not in got and "Y1" not in got
    assert (got["VL"], got["IS"], got["SP"], got["EP"]) == ("3", "4", "5", "9")
    assert (got["PB"], got["DO"], got["UR"], got["ID"]) == ("P", "10.1/x", "https://e.org/x", "k")
    assert [v for t, v in tags(ris([item])[0]) if t == "KW"] == ["a", "b"]
    back = read_ris(ris([item])[0]).to_list()[0]
    assert back == item


@pytest.mark.parametrize(
    "hostile",
    ["a\nER  - \nTY  - JOUR\nTI  - evil", "x\r\nER  - ", "a\u2028ER  - b\u0085TY  - c\x0cd\re"],
)
def test_line_breaks_cannot_start_a_tag_or_end_a_record(hostile):
    text, _ = ris([one(abstract=hostile, title=hostile), one(id="k2")])
    lines = text.split("\r\n")
    assert sum(line.startswith("TY  - ") for line in lines) == 2
    assert sum(line.startswith("ER  - ") for line in lines) == 2
    for line in text.split("\r\n"):
        assert not re.search(r"[\n\r\u2028\u2029\x85\x0c\x0b]", line)
    parsed = rispy.loads(text)
    assert len(parsed) == 2
    back = read_ris(text).to_list()
    assert len(back) == 2 and "ER  -" in back[0]["abstract"]


def test_reader_reports_missing_er_and_unknown_tags(tmp_path, cli):
    src = tmp_path / "in.ris"
    src.write_text(
        "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - No end\n"
        "TY  - BOOK\nTI  - Two\nXX  - odd\nER  - \nTY  - JOUR\nTI  - truncated\n",
        encoding="utf-8",
    )
    collection = publist.read(src)
    items = collection.to_list()
    assert [i["title"] for i in items] == ["One", "Two"]
    assert items[1]["note"] == "XX: odd"
    assert [(e.line, e.message[:22]) for e in collection.errors] == [
        (5, "record has no `ER  - `"),
        (11, "record has no `ER  - `"),
    ]
    assert any(":9: unknown tag 'XX'" in w for w in collection.warnings)
    result = cli("convert", str(src), "-t", "csl-json", "-o", str(tmp_path / "o.json"))
    assert result.exit_code == 1 and "2 entries could not be read" in result.stderr
    assert f"{src}:5: record has no" in result.stderr
    assert not (tmp_path / "o.json").exists()


def test_endnote_issue_in_m1_and_jo_abbreviation():
    text = "TY  - JOUR\r\nTI  - T\r\nJO  - J. Abbr.\r\nM1  - 7\r\nER  - \r\n"
    item = read_ris(text).to_list()[0]
    assert item["issue"] == "7" and item["container-title"] == "J. Abbr."


def test_seed_round_trip():
    original = publist.read(SEED).to_list()
    back = read_ris(ris(original)[0]).to_list()
    # the overlay's website facts (CSL `custom`: selected, abbr, links) are not RIS data
    assert back == [{k: v for k, v in i.items() if k != "custom"} for i in original]


def test_hard_cases_round_trip():
    items = hard_cases()
    back = read_ris(ris(items)[0]).to_list()
    assert len(back) == len(items)
    for a, b in zip(items, back, strict=True):
        assert (b["title"], b["type"]) == (a["title"], a["type"])
        assert b.get("issued") == a.get("issued")
        expected = [
            {("non-dropping-particle" if k == "dropping-particle" else k): v for k, v in n.items()}
            for n in a.get("author", [])
        ]
        if any("," in n.get("literal", "") for n in a.get("author", [])):
            continue  # an organisation with a comma reads as a person in RIS (warned)
        assert b.get("author", []) == expected


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(
    lambda t: t.strip() == t and t.strip()
)
WORD = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters=","),
    min_size=1,
    max_size=8,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXT,
    abstract=TEXT,
    names=st.lists(st.tuples(WORD, st.none() | WORD), max_size=6),
)
def test_hostile_round_trip(title, abstract, names):
    authors = [name_from_parts(f, g) for f, g in names]
    item = one(title=title, abstract=abstract, author=authors)
    text, _ = ris([item])
    back = read_ris(text)
    items = back.to_list()
    assert len(items) == 1 and not back.errors
    flat = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029\x00-\x08\x0e-\x1b\x1f\x7f]")
    assert items[0].get("title", "") == flat.sub(" ", title).strip()
    assert items[0].get("abstract", "") == flat.sub(" ", abstract).strip()
    assert len(items[0].get("author", [])) == len(authors)
    assert items[0].get("author", []) == authors


@pytest.mark.parametrize("title", ["<b>", "a </i> b", "<sup>x", "<i>x</i> and <b>"])
def test_a_tag_that_pairs_with_nothing_stays_text(title):
    """RIS is plain text: paired markup is dropped, a lone tag is text (as the .bib writer
    keeps it), never silently lost (hypothesis found ``<b>`` written as an empty title)."""
    text, _ = ris([one(title=title)])
    expected = title.replace("<i>x</i>", "x")
    assert f"TI  - {expected}\r\n" in text
    back = read_ris(text).to_list()[0]["title"]  # read back as literal text (no markup)
    assert to_plain(back) == expected and "<i>" not in back.replace("<\u2060", "")


def test_an_organisation_with_a_comma_is_reported():
    note = "organisation names with a comma read back as persons in RIS"
    _, plain = ris([one(author=[{"literal": "Gemma Team"}, {"family": "Doe", "given": "J"}])])
    assert note not in plain
    org = {"literal": "Smith, Jones & Co."}
    text, warnings = ris([one(), one(id="b", author=[{"family": "Roe", "given": "R"}, org])])
    assert warnings == [note]
    assert "AU  - Smith, Jones & Co.\r\n" in text


def test_the_comma_note_comes_with_every_writer_whatever_the_name_cache_holds():
    # (once a mutable global flipped inside the cached name formatter: a second writer, whose
    # names came from the cache, never saw the note)
    org = {"literal": "Smith, Jones & Co."}
    first = ris([one(author=[org])])[1]
    second = ris([one(author=[org])])[1]
    assert first == second == ["organisation names with a comma read back as persons in RIS"]


def test_tags_before_any_ty_are_an_error_naming_the_line(tmp_path, cli):
    src = tmp_path / "in.ris"
    src.write_text(
        "Provider: an exporter's header line\nAU  - Doe, Jane\nTY  - JOUR\nTI  - T\nER  - \n"
    )
    collection = publist.read(src)
    assert [i["title"] for i in collection.to_list()] == ["T"]
    assert [(e.line, e.message) for e in collection.errors] == [
        (2, "tag AU before any `TY  - ` line")
    ]
    assert any(":1: text outside a record ignored" in w for w in collection.warnings)
    result = cli("convert", str(src), "-t", "csl-json", "-o", str(tmp_path / "o.json"))
    assert result.exit_code == 1 and f"{src}:2: tag AU before any" in result.stderr


def test_unmapped_tags_one_warning_per_tag_and_file_values_in_note():
    text = (
        "TY  - JOUR\nTI  - A\nAD  - Lab one\nL1  - file:///a.pdf\nER  - \n"
        "TY  - JOUR\nTI  - B\nAD  - Lab two\nER  - \n"
    )
    collection = read_ris(text)
    items = collection.to_list()
    assert sorted(items[0]["note"].split("\n")) == ["AD: Lab one", "L1: file:///a.pdf"]
    assert items[1]["note"] == "AD: Lab two"
    assert sorted(collection.warnings) == [
        "<stream>:3: tag AD has no CSL variable: kept in the record's note",
        "<stream>:4: tag L1 has no CSL variable: kept in the record's note",
    ]


@pytest.mark.parametrize(
    "line, field, value",
    [
        ("C7  - 093903", "number", "093903"),
        ("DB  - Embase", "archive", "Embase"),
        ("AN  - WOS:000424022700066", "archive_location", "WOS:000424022700066"),
        ("L2  - https://x.org/full", "URL", "https://x.org/full"),
        ("C2  - 29377890", "PMID", "29377890"),
        ("C2  - PMC5800663", "PMCID", "PMC5800663"),
        ("JA  - J. Abbr.", "container-title-short", "J. Abbr."),
        ("J2  - J. Abbr.", "container-title-short", "J. Abbr."),
        ("VO  - 12", "volume", "12"),
        ("DO  - http://dx.doi.org/10.1002/jts.22387", "DOI", "10.1002/jts.22387"),
        ("DO  - https://doi.org/10.1002/JTS.22387", "DOI", "10.1002/JTS.22387"),
        ("DO  - doi:10.1002/jts.22387", "DOI", "10.1002/jts.22387"),
    ],
)
def test_exporters_tags_read_into_csl(line, field, value):
    item = read_ris(f"TY  - JOUR\nTI  - T\nT2  - J\n{line}\nER  - \n").to_list()[0]
    assert item[field] == value


@pytest.mark.parametrize(
    "text, name",
    [
        ("Liu R.", {"family": "Liu", "given": "R."}),
        ("Lucas J.S.", {"family": "Lucas", "given": "J.S."}),
        ("Galvin A D", {"family": "Galvin", "given": "A D"}),
        ("García Márquez G.", {"family": "García Márquez", "given": "G."}),
        ("Gemma Team", {"literal": "Gemma Team"}),
        ("World Health Organization WHO", {"literal": "World Health Organization WHO"}),
    ],
)
def test_family_initials_without_a_comma(text, name):
    item = read_ris(f"TY  - JOUR\nTI  - T\nAU  - {text}\nER  - \n").to_list()[0]
    assert item["author"] == [name]


def test_conference_paper_proceedings_in_c3_conference_in_t2():
    paper = one(
        type="paper-conference",
        **{"container-title": "Proceedings of ICML", "event-title": "ICML 2024"},
    )
    text, _ = ris([paper])
    assert ("C3", "Proceedings of ICML") in tags(text) and ("T2", "ICML 2024") in tags(text)
    assert not any(t == "N1" for t, _ in tags(text))
    back = read_ris(text).to_list()[0]
    assert (back["container-title"], back["event-title"]) == ("Proceedings of ICML", "ICML 2024")
    assert "note" not in back
    # no event: T2 repeats the proceedings (EndNote and Mendeley read the venue from T2 only)
    text, _ = ris([one(type="paper-conference", **{"container-title": "Proceedings of ICML"})])
    assert {("C3", "Proceedings of ICML"), ("T2", "Proceedings of ICML")} <= set(tags(text))
    assert "event-title" not in read_ris(text).to_list()[0]


def test_every_type_round_trips_through_ris():
    import json

    from helpers import DATA

    items = json.loads((DATA / "zotero" / "every-type.json").read_text(encoding="utf-8"))
    text, warnings = ris(items)
    assert warnings == []
    back = read_ris(text).to_list()
    for item, again in zip(items, back, strict=True):
        # RIS has no dropping particle: `Beethoven, Ludwig van` reads back as non-dropping
        dropping = {**item["author"][2]}
        dropping["non-dropping-particle"] = dropping.pop("dropping-particle")
        expected = {**item, "author": [*item["author"][:2], dropping, *item["author"][3:]]}
        assert {k: v for k, v in again.items() if k != "id"} == {
            k: v for k, v in expected.items() if k != "id"
        }


def test_a_note_of_several_lines_round_trips_as_n1_lines():
    text, _ = ris([one(note="AD: Lab one\nL1: file:///a.pdf\nThird line")])
    assert [v for t, v in tags(text) if t == "N1"] == [
        "AD: Lab one",
        "L1: file:///a.pdf",
        "Third line",
    ]
    assert read_ris(text).to_list()[0]["note"] == "AD: Lab one\nL1: file:///a.pdf\nThird line"


def test_website_facts_in_custom_are_left_without_a_warning():
    item = {"id": "a", "type": "book", "title": "T", "custom": {"selected": True, "abbr": "X"}}
    text, warnings = ris([item])
    assert warnings == []
    assert "selected" not in text and "TI  - T" in text


def _rispy_text(ris_type: str, lines: dict[str, list[str]]) -> str:
    """What rispy's writer (publist's subclass of it) writes for one record."""
    from publist.formats.ris import _Writer

    out = io.StringIO(newline="")
    record = {"ty": ris_type} | {tag.lower(): values for tag, values in lines.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (rispy warns of the labels it does not write)
        _Writer().format_lines(out, [record])
    return out.getvalue()


def test_records_are_laid_out_as_rispy_writes_them():
    # The writer lays records out itself (one join, not rispy's generators): the same text as
    # rispy's writer gives for every record of the seed and the hard cases, and for a record
    # with a tag rispy does not write (UK) and one not in its table.
    from publist.formats.ris import _record_lines, _record_text

    items = publist.read(SEED).to_list() + hard_cases()
    records = [_record_lines(item, str(item.get("id")), {}) for item in items]
    records.append(("JOUR", {"UK": ["u"], "ZZ": ["z"], "AU": ["A, B", "C"], "N1": []}))
    assert len(records) > 20
    for ris_type, lines in records:
        assert _record_text(ris_type, lines) == _rispy_text(ris_type, lines)


def test_the_id_line_is_the_id_made_plain_once_and_unique():
    # markup is dropped from the id once (as from any value); what is left stays, a suffix
    # added where the id was given out before
    odd = "<<i></i>i>x<</i>/i>"
    items = [one(id=odd), one(id=odd), one(id="<b>bold</b>\nkey"), one(id="")]
    text, _ = ris(items)
    ids = [line[6:] for line in text.split("\r\n") if line.startswith("ID  - ")]
    plain = to_plain(odd)
    assert ids == [plain, plain + "a", "bold key", "item"]
    assert "x" in plain and "<" in plain
