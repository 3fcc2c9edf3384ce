"""`publist check` reports what biber's data-model validation prints for publist's biblatex."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bibtexparser.model import Entry, Field
from helpers import DATA, SEED, require_tools

import publist
from publist.biblatex_model import datamodel_warnings
from publist.check import check

EVERY_TYPE = DATA / "zotero" / "every-type.json"


def entry(entry_type: str, **fields: str) -> Entry:
    return Entry(entry_type, "k", [Field(k, "{" + v + "}") for k, v in fields.items()])


def test_online_needs_a_link_and_a_date():
    assert datamodel_warnings(entry("online", title="T")) == [
        "Missing mandatory field - one of 'url, doi, eprint' must be defined",
        "Missing mandatory field - one of 'date, year' must be defined",
    ]
    assert datamodel_warnings(entry("online", title="T", url="https://x.org", date="2024")) == []


def test_invalid_fields_isbn_issn_and_dates():
    warnings = datamodel_warnings(
        entry(
            "book",
            author="A, B",
            title="T",
            date="2020-13",
            isbn="978-0-306-40615-6",
            issn="1234-5678",
        )
    )
    assert warnings == [
        "Invalid field 'issn' for entrytype 'book'",
        "Invalid format '2020-13' of date field 'date' - ignoring",
        "ISBN '978-0-306-40615-6' is invalid",
        "Invalid ISSN in value of field 'issn'",
    ]
    good = entry("book", author="A, B", title="T", date="2020", isbn="0-306-40615-2")
    assert datamodel_warnings(good) == []


def test_report_needs_institution():
    warnings = datamodel_warnings(entry("report", author="A, B", title="T", type="techreport"))
    assert "Missing mandatory field 'institution'" in warnings


def _biber_warnings(bib: Path) -> set[tuple[str, str]]:
    """(key, message) of each data-model warning biber prints, in check's wording."""
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file=/dev/null", bib.name],
        cwd=bib.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = set()
    for line in (result.stdout + result.stderr).splitlines():
        model = re.match(r"WARN - Datamodel: Entry '([^']+)' \([^)]*\): (.*)$", line)
        isbn = re.match(r"WARN - ISBN '([^']+)' in entry '([^']+)' is invalid", line)
        date = re.match(r"WARN - Entry '([^']+)' \([^)]*\): (Invalid format .*)$", line)
        if model:
            found.add((model.group(1), model.group(2)))
        elif isbn:
            found.add((isbn.group(2), f"ISBN '{isbn.group(1)}' is invalid"))
        elif date:
            found.add((date.group(1), date.group(2)))
        elif line.startswith("WARN"):
            found.add(("?", line))  # a warning this test does not know: fails below
    return found


def _check_warnings(source: Path) -> set[tuple[str, str]]:
    found = set()
    for problem in check(publist.read(source)):
        match = re.match(r"(\S+): biber \(@\w+\): (.*)$", problem.message)
        if match:
            found.add((match.group(1), match.group(2)))
    return found


def _seed_without_overlay(tmp_path: Path) -> Path:
    bare = tmp_path / "bare" / SEED.name
    bare.parent.mkdir()
    shutil.copy(SEED, bare)
    return bare


@pytest.mark.parametrize("which", ["seed", "seed without overlay", "every type"])
def test_check_lists_every_biber_datamodel_warning(tmp_path, which):
    require_tools("biber")
    source = {
        "seed": lambda: SEED,
        "seed without overlay": lambda: _seed_without_overlay(tmp_path),
        "every type": lambda: EVERY_TYPE,
    }[which]()
    bib = tmp_path / "out.bib"
    publist.convert(source, bib, "biblatex")
    expected = _biber_warnings(bib)
    assert _check_warnings(source) == expected
    if which == "seed without overlay":
        # no dates without the overlay: biber says so of every entry, and check with it
        assert len(expected) >= 10


def test_every_type_corpus_is_valid_csl():
    items = json.loads(EVERY_TYPE.read_text(encoding="utf-8"))
    assert len({i["type"] for i in items}) == len(items) == 16
