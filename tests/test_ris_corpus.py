"""RIS as each exporter writes it (tests/data/ris/, sources in its README): every tag is read
into a CSL variable or kept in the note with a warning, no value is lost, and the RIS publist
writes from it reads back with the same counts in rispy and bibutils."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rispy
from helpers import DATA, require_tools

import publist
from publist.identifiers import normalise_doi
from publist.mappings import RIS_TAGS, ris_var

CORPUS = sorted((DATA / "ris").glob("*.ris"))
EXPORTERS = {
    "embase",
    "endnote",
    "mendeley",
    "ovid",
    "proquest",
    "pubmed",
    "scopus",
    "webofscience",
    "zotero",
}
_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_NAME_TAGS = {"AU", "A1", "A2", "A3", "A4", "ED"}
_DATE_TAGS = {"PY", "Y1", "DA", "Y2"}


def records(path: Path) -> list[list[tuple[str, str]]]:
    """(tag, value) lines of each record, read without publist (continuations joined)."""
    found: list[list[tuple[str, str]]] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        match = _LINE.match(line)
        if match and match.group(1) == "TY":
            found.append([])
        if match:
            found[-1].append((match.group(1), (match.group(2) or "").strip()))
        elif line.strip() and found:
            found[-1].append((found[-1][-1][0], line.strip()))
    return found


def read(path: Path) -> tuple[list[dict], list[str]]:
    collection = publist.read(path)
    items = collection.to_list()
    assert collection.errors == []
    return items, collection.warnings


def test_one_file_per_exporter():
    assert {p.stem for p in CORPUS} == EXPORTERS


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_every_tag_mapped_or_kept_in_note_with_one_warning(path):
    items, warnings = read(path)
    source = records(path)
    assert len(items) == len(source)
    warned = [re.search(r"(?:tag |unknown tag ')([A-Z][A-Z0-9])", w).group(1) for w in warnings]
    assert len(warned) == len(set(warned)), "one warning per tag and file"
    for item, lines in zip(items, source, strict=True):
        ris_type = lines[0][1]
        for tag, value in lines[1:]:
            if tag == "ER" or not value:
                continue
            if tag in warned:
                assert f"{tag}: {value}" in item.get("note", ""), (tag, value)
            else:
                row = RIS_TAGS[tag]  # a tag with no warning is one the table knows
                assert ris_var(tag, ris_type) or row.kind in ("pubmed", "page-end"), tag


def _kept(value: str, tag: str, text: str) -> bool:
    if tag in _DATE_TAGS:
        return value[:4] in text or f"{tag}: {value}" in text
    if tag in _NAME_TAGS:
        return all(part in text for part in re.split(r"[\s,]+", value) if part)
    if tag == "M3" and value == "Preprint":  # the type itself: RPRT + Preprint is a preprint
        return '"type": "article"' in text
    if tag in ("DO", "DI", "M3"):
        return normalise_doi(value) in text or value in text
    if tag == "SN":
        return all(re.sub(r"\s*\(\w+\)$", "", p.strip()) in text for p in value.split(";"))
    return value in text


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_no_value_lost(path):
    items, _ = read(path)
    for item, lines in zip(items, records(path), strict=True):
        text = json.dumps(item, ensure_ascii=False).replace("\\n", " ")
        for tag, value in lines[1:]:
            if tag not in ("ER", "TY") and value:
                assert _kept(value, tag, text), (tag, value)


def test_exporter_specifics():
    embase, _ = read(DATA / "ris" / "embase.ris")
    assert embase[0]["DOI"] == "10.1186/s12919-018-0099-8"  # given as a dx.doi.org URL
    assert embase[0]["author"][2] == {"family": "Lucas", "given": "J.S."}  # `Lucas J.S.`
    assert embase[0]["container-title"] == "BMC Proceedings"
    assert embase[0]["container-title-short"] == "BMC Proc."
    scopus, _ = read(DATA / "ris" / "scopus.ris")
    assert scopus[0]["number"] == "093903"  # C7, the article number
    assert scopus[0]["PMID"] == "32938475"  # C2
    assert scopus[0]["author"][2] == {
        "family": "Berg",
        "given": "J.-P.",
        "non-dropping-particle": "van der",
    }
    assert (scopus[1]["ISSN"], scopus[1]["ISBN"]) == ("10504729", "9781728190778")
    wos, _ = read(DATA / "ris" / "webofscience.ris")
    assert wos[0]["archive_location"] == "WOS:000424022700066"
    pubmed, _ = read(DATA / "ris" / "pubmed.ris")
    assert pubmed[0]["PMCID"] == "PMC5800663"
    assert pubmed[0]["issued"] == {"date-parts": [[2018, 1, 24]]}  # Y1 fuller than PY
    zotero, _ = read(DATA / "ris" / "zotero.ris")
    assert zotero[0]["container-title"].startswith("Proceedings of the 41st")  # C3
    assert zotero[0]["event-title"] == "International Conference on Machine Learning (ICML)"
    assert zotero[0]["author"][3] == {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
    assert zotero[1]["type"] == "article" and zotero[1]["number"] == "arXiv:2408.00118"
    endnote, _ = read(DATA / "ris" / "endnote.ris")
    assert endnote[0]["keyword"].split(", ") == [
        "neural networks",
        "regularization",
        "model combination",
        "deep learning",
    ]
    assert endnote[1]["collection-title"] == "Adaptive Computation and Machine Learning"
    mendeley, _ = read(DATA / "ris" / "mendeley.ris")
    assert mendeley[1]["DOI"] == "10.18653/v1/2023.acl-long.344" and "genre" not in mendeley[1]


MODS = "{http://www.loc.gov/mods/v3}"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_round_trip_counts_agree_in_rispy_and_bibutils(path, tmp_path):
    require_tools("ris2xml")
    items, _ = read(path)
    out = tmp_path / "out.ris"
    publist.convert(path, out, "ris")
    text = out.read_bytes().decode("utf-8")
    parsed = rispy.loads(text)
    run = subprocess.run(
        ["ris2xml", "-i", "utf8", str(out)], capture_output=True, timeout=120, check=True
    )
    mods = ET.fromstring(run.stdout).findall(f"{MODS}mods")
    assert len(parsed) == len(mods) == len(items) == len(records(path))
    for item, record, mod in zip(items, parsed, mods, strict=True):
        people = len(item.get("author", [])) + len(item.get("editor", []))
        people += len(item.get("collection-editor", [])) + len(item.get("translator", []))
        rispy_people = sum(
            len(record.get(k, []))
            for k in ("authors", "secondary_authors", "tertiary_authors", "subsidiary_authors")
        )
        bibutils_people = len(mod.findall(f".//{MODS}name"))
        assert rispy_people == bibutils_people == people
    again = publist.read(out).to_list()
    assert [i.get("title") for i in again] == [i.get("title") for i in items]
    assert [i.get("DOI") for i in again] == [i.get("DOI") for i in items]
