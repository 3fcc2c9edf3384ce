"""The structures behind the README's table of routes into Zotero, checked without Zotero:
what each publist output carries where Zotero's import translators read it (RIS.js,
BibTeX.js, CSL JSON.js), and the comparison tools/zotero_routes.py makes of an import."""

from __future__ import annotations

import io
import json
import sys

import pytest
from helpers import DATA, ROOT

import publist

sys.path.insert(0, str(ROOT / "tools"))
import zotero_routes  # noqa: E402

EVERY_TYPE = json.loads((DATA / "zotero" / "every-type.json").read_text(encoding="utf-8"))

# Where Zotero's RIS.js reads each record's venue, by RIS type (T2's meaning depends on it).
RIS_VENUE_TAG = {
    "JOUR": "T2",
    "MGZN": "T2",
    "NEWS": "T2",
    "CPAPER": "C3",  # Proceedings Title (T2 is the Conference Name)
    "CHAP": "T2",
    "ELEC": "T2",
    "BLOG": "T2",
    "SLIDE": "T2",  # meeting name
    "RPRT": "PB",
    "THES": "PB",
    "BOOK": "PB",
    "DATA": "PB",
    "COMP": "PB",
    "PAT": "PB",
}
# The RIS types RIS.js imports as the Zotero type the CSL type stands for.
RIS_TYPES = {
    "journalArticle": "JOUR",
    "magazineArticle": "MGZN",
    "newspaperArticle": "NEWS",
    "conferencePaper": "CPAPER",
    "report": "RPRT",
    "preprint": "RPRT",  # RIS has no preprint type: a report, M3 Preprint
    "book": "BOOK",
    "bookSection": "CHAP",
    "thesis": "THES",
    "webpage": "ELEC",
    "blogPost": "BLOG",
    "dataset": "DATA",
    "computerProgram": "COMP",
    "manuscript": "MANSCPT",  # (UNPB would arrive as a journal article)
    "patent": "PAT",
    "presentation": "SLIDE",
}


def write(items: list[dict], fmt: str) -> str:
    out = io.StringIO(newline="")
    publist.write(items, out, fmt)
    return out.getvalue()


def ris_records(text: str) -> list[dict[str, list[str]]]:
    records = []
    for block in text.split("\r\n\r\n"):
        record: dict[str, list[str]] = {}
        for line in block.split("\r\n"):
            if line[2:6] == "  - ":
                record.setdefault(line[:2], []).append(line[6:])
        records.append(record)
    return records


def test_the_corpus_covers_every_type_publist_writes():
    from publist.mappings import TYPES

    assert sorted(i["type"] for i in EVERY_TYPE) == sorted(TYPES)


@pytest.mark.parametrize("item", EVERY_TYPE, ids=lambda i: i["type"])
def test_ris_carries_each_field_where_zotero_reads_it(item):
    (record,) = ris_records(write([item], "ris"))
    ty = record["TY"][0]
    assert ty == RIS_TYPES[zotero_routes.ZOTERO_TYPES[item["type"]]]
    assert record["DO"] == [item["DOI"]] and record["UR"] == [item["URL"]]
    assert record["AB"] == [item["abstract"]]
    year, month, day = item["issued"]["date-parts"][0]
    assert record["DA"] == [f"{year:04d}/{month:02d}/{day:02d}"] and record["PY"] == [str(year)]
    assert record["AU"] == [
        "van den Driessche, George",  # particle in the family part, as Zotero stores it
        "King, Martin Luther, Jr.",
        "Beethoven, Ludwig van",
        "Gemma Team",
        "Ramé, Alexandre",
    ]
    venue = zotero_routes._venue(item)
    tag = RIS_VENUE_TAG.get(ty)
    if tag:
        assert venue in record[tag]
    if ty == "CPAPER":
        assert record["T2"] == [item["event-title"]] and record["CY"] == [item["event-place"]]
    if item["type"] == "article":
        assert record["M3"] == ["Preprint"] and record["SN"] == [item["number"]]


def test_zotero_flavour_puts_particles_and_suffixes_where_zotero_reads_them():
    structured = json.loads(write(EVERY_TYPE[:1], "csl-json"))[0]["author"]
    folded = json.loads(write(EVERY_TYPE[:1], "zotero"))[0]["author"]
    assert structured[0] == {
        "family": "Driessche",
        "given": "George",
        "non-dropping-particle": "van den",
    }
    assert folded[:3] == [
        {"family": "van den Driessche", "given": "George"},
        {"family": "King", "given": "Martin Luther, Jr."},
        {"family": "Beethoven", "given": "Ludwig van"},
    ]
    assert [zotero_routes.expected_creator(n) for n in structured] == [
        (n.get("family", n.get("literal")), n.get("given", "")) for n in folded
    ]


def test_bibtex_preprint_carries_eprinttype_zotero_reads():
    (preprint,) = [i for i in EVERY_TYPE if i["type"] == "article"]
    for fmt in ("bibtex", "biblatex"):
        text = write([preprint], fmt)
        assert "eprint = {2406.16768}" in text and "eprinttype = {arxiv}" in text


def zotero_item(**fields) -> dict:
    base = {
        "itemType": "journalArticle",
        "title": "A article journal on averaged policies",
        "creators": [
            {"lastName": last, "firstName": first, "creatorType": "author"}
            for last, first in map(zotero_routes.expected_creator, EVERY_TYPE[0]["author"])
        ],
        "publicationTitle": EVERY_TYPE[0]["container-title"],
        "DOI": EVERY_TYPE[0]["DOI"],
        "url": EVERY_TYPE[0]["URL"],
        "date": "2024-03-01",
        "abstractNote": EVERY_TYPE[0]["abstract"],
    }
    base.update(fields)
    return base


def test_comparison_of_an_import():
    item = EVERY_TYPE[0]
    assert zotero_routes.compare(item, zotero_item()) == {
        "creators": True,
        "type": True,
        "venue": True,
        "DOI": True,
        "arXiv": None,
        "URL": True,
        "date": True,
        "abstract": True,
    }
    lossy = zotero_item(
        itemType="document",
        date="2024-03",
        _invalidFields=["DOI"],
        creators=[{"lastName": "Driessche", "firstName": "George"}],
    )
    result = zotero_routes.compare(item, lossy)
    assert [c for c, ok in result.items() if ok is False] == ["creators", "type", "DOI", "date"]
    assert all(ok is False for ok in zotero_routes.compare(item, None).values() if ok is not None)
    assert zotero_routes.date_parts_of("March 1, 2024") == [2024, 3, 1]
