"""The .bib files compile: pdflatex + bibtex (plain, plainnat) and pdflatex + biber (biblatex).

0 errors; the only warnings are about data that is genuinely absent, each of which
`publist check` reports too.  Warnings are parsed from the .blg and .log files.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from corpus import hard_cases
from helpers import SEED, require_tools
from texcheck import compile_bib

import publist
from publist.check import check
from publist.latex import Encoder


@pytest.fixture(autouse=True)
def _tex_tools():
    require_tools("pdflatex", "bibtex", "biber", "pdftotext")


def absent_data(items) -> set[tuple[str, str]]:
    """(key, bibtex field) for every missing-data warning publist check gives."""
    found = set()
    for problem in check(publist.Collection(items)):
        key, message = problem.message.split(": ", 1)
        if message.startswith("no year"):
            found.add((key, "year"))
        elif message == "no authors":
            found.add((key, "author"))
        elif match := re.search(r"needs `(\w+)`", message):
            found.add((key, match.group(1)))
    return found


def bibtex_warning_pairs(warnings: list[str]) -> set[tuple[str, str]]:
    pairs = set()
    for warning in warnings:
        if match := re.match(r"Warning--empty (\w+) in (\S+)", warning):
            pairs.add((match.group(2), match.group(1)))
        elif match := re.match(r"Warning--to sort, need author(?: or key)? in (\S+)", warning):
            pairs.add((match.group(1), "author"))
        elif match := re.match(
            r"Warning--to sort, need editor, key, or organization in (\S+)", warning
        ):
            pairs.add((match.group(1), "author"))
        else:
            pairs.add(("?", warning))
    return pairs


def no_latex_form(items) -> set[str]:
    encoder = Encoder(ascii_only=True)
    for item in items:
        for value in item.values():
            texts = [value] if isinstance(value, str) else []
            if isinstance(value, list):
                texts = [v for n in value if isinstance(n, dict) for v in n.values()]
            for text in texts:
                encoder.text(text)
    return set(encoder.unencodable)


def flat(text: str) -> str:
    """PDF text on one line, TeX's hyphenation at line ends undone."""
    return " ".join(re.sub(r"(\S)-\n\s*(\w)", r"\1\2", text).split())


@pytest.fixture(scope="module")
def seed_items():
    return publist.read(SEED).to_list()


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_seed_bibtex_compiles(tmp_path, seed_items, style):
    bib = tmp_path / "seed.bib"
    assert publist.write(seed_items, bib, "bibtex") == []
    result = compile_bib(bib, tmp_path / "tex", "bibtex", style)
    assert result.errors == []
    assert result.bbl_entries == 10
    assert bibtex_warning_pairs(result.warnings) <= absent_data(seed_items)
    assert "Hussenot" in result.pdf_text


def test_seed_biblatex_compiles(tmp_path, seed_items):
    bib = tmp_path / "seed.bib"
    publist.write(seed_items, bib, "biblatex")
    result = compile_bib(bib, tmp_path / "tex", "biber", "authoryear")
    assert result.errors == [] and result.warnings == []
    assert result.bbl_entries == 10
    # the accent survives biber and pdflatex (pdftotext may decompose it: compare composed)
    assert "Ramé" in unicodedata.normalize("NFC", result.pdf_text)


def test_seed_extended_names_compile(tmp_path, seed_items):
    bib = tmp_path / "seed.bib"
    publist.write(seed_items, bib, "biblatex", extended_names=True)
    result = compile_bib(bib, tmp_path / "tex", "biber", "authoryear")
    assert result.errors == [] and result.warnings == []


@pytest.fixture(scope="module")
def corpus_small():
    return [i for i in hard_cases() if len(i.get("author", [])) < 1000]


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_hard_cases_bibtex_compile(tmp_path, corpus_small, style):
    bib = tmp_path / "hard.bib"
    warnings = publist.write(corpus_small, bib, "bibtex")
    reported = set()
    for warning in warnings:
        if "no LaTeX form" in warning:
            reported = {c for c in no_latex_form(corpus_small) if c in warning}
    assert reported == no_latex_form(corpus_small)  # every such character was reported
    # The document declares those characters (pdflatex has no glyph for them); nothing else.
    result = compile_bib(bib, tmp_path / "tex", "bibtex", style, declare_chars=reported)
    assert result.errors == []
    assert result.bbl_entries == len(corpus_small)
    assert bibtex_warning_pairs(result.warnings) <= absent_data(corpus_small)
    text = flat(result.pdf_text)
    assert "}@misc{evil, title={pwned}" in text  # injected text printed literally
    assert "\\input{/etc/passwd} & 100% $x$" in text


def test_hard_cases_biblatex_compile(tmp_path, corpus_small):
    bib = tmp_path / "hard.bib"
    publist.write(corpus_small, bib, "biblatex")
    result = compile_bib(
        bib, tmp_path / "tex", "biber", "authoryear", declare_chars=no_latex_form(corpus_small)
    )
    assert result.errors == [] and result.warnings == []
    assert result.bbl_entries == len(corpus_small)
    text = flat(result.pdf_text)
    assert "}@misc{evil, title={pwned}" in text
    assert "\\input{/etc/passwd} & 100% $x$" in text
    assert "Specials: & % $ # _ ~ ^ \\ { } -- --- `` '' <<>> ,, !` ?`" in text


def test_ligatures_print_as_typed(tmp_path):
    items = [
        {
            "id": "lig",
            "type": "article-journal",
            "title": "play data --demonstrations",
            "author": [{"family": "Doe", "given": "Jane"}],
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
        }
    ]
    bib = tmp_path / "lig.bib"
    publist.write(items, bib, "bibtex")
    result = compile_bib(bib, tmp_path / "tex", "bibtex", "plain")
    assert result.errors == []
    assert "play data --demonstrations" in flat(result.pdf_text)
    assert "–" not in result.pdf_text  # no en dash


@pytest.mark.parametrize("backend", ["bibtex", "biber"])
def test_three_thousand_authors_compile(tmp_path, backend):
    big = [i for i in hard_cases() if len(i.get("author", [])) == 3000]
    bib = tmp_path / "big.bib"
    publist.write(big, bib, "bibtex" if backend == "bibtex" else "biblatex")
    style = "plain" if backend == "bibtex" else "authoryear"
    result = compile_bib(bib, tmp_path / "tex", backend, style, declare_chars=no_latex_form(big))
    assert result.errors == [] and result.warnings == []
    assert result.bbl_entries == 1
    assert len(publist.read(bib).to_list()[0]["author"]) == 3000


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_a_zero_id_keeps_its_entry_through_biber(tmp_path, fmt):
    # biber skips an entry keyed `0` ("Invalid or undefined BibTeX entry key"): CSL-JSON with
    # numbered ids from 0 would lose its first item in every biblatex document
    items = [{"id": i, "type": "book", "title": f"Book {i}"} for i in (0, 1, 2)]
    items.append({"id": "0", "type": "book", "title": "Book zero again"})
    items.append({"id": " ０_", "type": "book", "title": "Book zero, full width"})
    bib = tmp_path / "zero.bib"
    warnings = publist.write(items, bib, fmt)
    assert "citation key '0' written as 'item0'" in warnings
    assert "citation key '0' written as 'item0a'" in warnings
    assert "citation key ' ０_' written as 'item0b'" in warnings  # (0 once folded and stripped)
    result = compile_bib(bib, tmp_path / "tex", "biber", "authoryear")
    assert result.errors == [] and result.warnings == []
    assert result.bbl_entries == 5
    assert "Book zero again" in flat(result.pdf_text)
