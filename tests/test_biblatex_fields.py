"""The biblatex writer's fields beyond BibTeX's: dates (BCE too), short titles, venue, chapter."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from helpers import DATA, require_tools

import publist

# CSL variables the biblatex writer has a field for, which a round trip must keep.
KEPT = (
    "issued",
    "original-date",
    "accessed",
    "title-short",
    "container-title-short",
    "event-place",
    "chapter-number",
)
BIB_FILES = sorted((DATA / "bib").glob("*.bib"))


def biblatex(items: list[dict]) -> tuple[str, list[str]]:
    out = io.StringIO()
    warnings = publist.write(items, out, "biblatex")
    return out.getvalue(), warnings


def read_bib(text: str) -> list[dict]:
    return publist.read(io.BytesIO(text.encode()), "bibtex").to_list()


def _kept(items: list[dict]) -> dict[str, dict]:
    return {i["id"]: {v: i[v] for v in KEPT if v in i} for i in items}


@pytest.mark.parametrize("path", BIB_FILES, ids=lambda p: p.name)
def test_round_trip_keeps_the_variables_biblatex_has(path: Path) -> None:
    items = publist.read(path).to_list()
    text, warnings = biblatex(items)
    assert not [w for w in warnings if "not written" in w and any(v in w for v in KEPT)]
    assert _kept(read_bib(text)) == _kept(items)


BCE = {
    "id": "aristotle",
    "type": "book",
    "title": "Metaphysics",
    "author": [{"literal": "Aristotle"}],
    "issued": {"date-parts": [[-350]]},
    "original-date": {"date-parts": [[-350]]},
    "accessed": {"date-parts": [[2023, 4, 1]]},
}


def test_bce_year_is_an_iso_year() -> None:
    text, _ = biblatex([BCE])
    assert "date = {-0349}" in text and "origdate = {-0349}" in text
    assert "urldate = {2023-04-01}" in text
    assert read_bib(text)[0]["issued"] == {"date-parts": [[-350]]}


def test_biber_accepts_the_dates_and_fields(tmp_path: Path) -> None:
    require_tools("biber")
    later = {**BCE, "id": "b", "title-short": "M", "chapter-number": "5"}
    text, _ = biblatex([BCE, {**later, "issued": {"date-parts": [[1924, 3], [1925]]}}])
    (tmp_path / "a.bib").write_text(text, encoding="utf-8")
    run = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file=out.bib", "a.bib"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "WARN" not in run.stdout, run.stdout


def test_check_agrees_with_biber_on_these_fields() -> None:
    """`publist check`'s copy of biber's data model accepts what biber accepted above."""
    import bibtexparser

    from publist.biblatex_model import datamodel_warnings

    text, _ = biblatex([BCE, {**BCE, "id": "b", "title-short": "M", "chapter-number": "5"}])
    for entry in bibtexparser.parse_string(text).entries:
        assert datamodel_warnings(entry) == []
    assert datamodel_warnings(bibtexparser.parse_string("@book{a, date = {-350}}").entries[0])


TYPED = [
    {"id": "enc", "type": "entry-encyclopedia", "title": "Wing", "container-title": "Enc. Bio."},
    {"id": "dic", "type": "entry-dictionary", "title": "Wing", "container-title": "OED"},
    {"id": "per", "type": "periodical", "title": "Journal of Flies"},
    {
        "id": "art",
        "type": "article-journal",
        "title": "T",
        "container-title": "J",
        "publisher": "Q",
    },
    {"id": "mis", "type": "speech", "title": "T", "publisher": "Society"},
]


def test_reference_entries_and_periodicals_keep_their_biblatex_type() -> None:
    text, warnings = biblatex(TYPED)
    assert "@inreference{enc," in text and "@inreference{dic," in text
    assert "@periodical{per," in text
    assert "booktitle = {Enc. Bio.}" in text
    back = {i["id"]: i for i in read_bib(text)}
    assert back["enc"]["type"] == "entry-encyclopedia"
    assert back["per"]["type"] == "periodical"
    # biber's @misc takes an organization and @article no publisher: said, not silently lost
    assert "organization = {Society}" in text
    assert "publisher" not in text
    assert any("publisher (1)" in w for w in warnings)


def test_biber_finds_no_invalid_field_in_typed_entries(tmp_path: Path) -> None:
    require_tools("biber")
    (tmp_path / "a.bib").write_text(biblatex(TYPED)[0], encoding="utf-8")
    run = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file=out.bib", "a.bib"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert "Invalid field" not in run.stdout, run.stdout


def test_what_pdflatex_cannot_typeset_from_utf8_is_a_command_or_reported() -> None:
    item = {"id": "mu", "type": "book", "title": "Tracking with μJ pulses ✩ at Zürich"}
    text, warnings = biblatex([item])
    assert "\\ensuremath{\\mu}" in text and "μ" not in text
    assert "Zürich" in text  # T1 typesets it from UTF-8: kept
    assert [w for w in warnings if "no LaTeX form" in w and "✩" in w]
