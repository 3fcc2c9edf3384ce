"""Title case protection and LaTeX escaping on the fast paths (issue #15 item 9, issue #18).

The titles are modelled on real .bib files' titles (theses' and papers' reference lists on
GitHub, measured in the README): sentence-cased titles with proper nouns, title-cased ones.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys

import bibtexparser
import pytest
from corpus import hard_cases
from helpers import require_tools
from hypothesis import given, settings
from hypothesis import strategies as st
from texcheck import compile_bib

import publist
from publist.formats.bibtex import _BIB_FORMAT, BibWriter
from publist.latex import SPECIALS, Encoder, _escape_plain

SENTENCE_CASE = [
    # (title, words that must keep their capital in a sentence-casing style)
    ("A Heitler model of extensive air showers", ["Heitler"]),
    ("Gemma: Open models based on Gemini research and technology", ["Gemini"]),
    ("Could using gay dating app Grindr get you arrested in Egypt?", ["Grindr", "Egypt"]),
    ("The magnetic field of the Milky Way", ["Milky", "Way"]),
    ("Surprise: A Python library for recommender systems", ["Python"]),
    ("Web mining for recommender systems. A case study", ["A"]),
]
TITLE_CASE = [
    "Upper Limit of the Spectrum of Cosmic Rays",
    "Learning Transferable Visual Models From Natural Language Supervision",
    "Protecting Location Privacy in Spatial Crowdsourcing using Encrypted Data",
]


def encode(title: str) -> str:
    return Encoder(ascii_only=True).text(title, "t", protect_case=True)


@pytest.mark.parametrize("title, proper", SENTENCE_CASE)
def test_sentence_case_titles_brace_their_capitalised_words(title, proper):
    latex = encode(title)
    for word in proper:
        assert "{" + word + "}" in latex
    first = title.split()[0].strip(":")
    assert not latex.startswith("{" + first + "}")  # the first word stays as it is
    after_colon = re.findall(r": (\w+)", title)
    for word in after_colon:
        assert "{" + word + "}" not in latex  # styles keep a capital after a colon
    assert latex.replace("{", "").replace("}", "") == title


@pytest.mark.parametrize("title", TITLE_CASE)
def test_title_case_titles_brace_nothing_new(title):
    # any capitalised word may be an ordinary one: a sentence-casing style must lower it
    assert encode(title) == title


def test_capitals_inside_a_word_are_braced_in_any_title():
    assert encode("WARP: On the Benefits of MusicRL for iPhone") == (
        "{WARP}: On the Benefits of {MusicRL} for {iPhone}"
    )


def test_whitespace_other_than_spaces_keeps_its_place():
    title = "Tabs\tand  double spaces\nin Bayes theory"
    latex = encode(title)
    assert "{Bayes}" in latex
    assert latex.replace("{", "").replace("}", "") == title


def test_bibtex_plain_keeps_proper_nouns(tmp_path):
    require_tools("pdflatex", "bibtex", "pdftotext")
    items = [
        {
            "id": "gemma",
            "type": "article-journal",
            "title": "Gemma: Open models based on Gemini research and technology",
            "author": [{"family": "Doe", "given": "Jane"}],
            "container-title": "J",
            "issued": {"date-parts": [[2024]]},
        }
    ]
    bib = tmp_path / "gemma.bib"
    publist.write(items, bib, "bibtex")
    result = compile_bib(bib, tmp_path / "tex", "bibtex", "plain")
    assert result.errors == []
    text = " ".join(result.pdf_text.split())
    # plain sentence-cases titles: "Open" is lowered, Gemini is not
    assert "Gemma: Open models based on Gemini research and technology" in text


# The ligature rule, said as positions: an empty group between the two characters of each
# pair TeX would join.  The writer breaks runs instead; both must agree on any text.
_PAIRS_BY_POSITION = re.compile(
    r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=<)(?=<)|(?<=>)(?=>)|(?<=,)(?=,)|(?<=[!?])(?=`)"
)
_SPECIALS = re.compile(r"[\\{}&%$#_~^]")
SPECIALS_TEXT = st.text(st.sampled_from(list("-`'<>,!?a {}\\&%$#_~^é")), max_size=30)


@given(SPECIALS_TEXT)
def test_ligature_runs_are_broken_like_every_pair(text):
    expected = _PAIRS_BY_POSITION.sub("{}", _SPECIALS.sub(lambda m: SPECIALS[m.group()], text))
    assert _escape_plain(text) == expected


@given(st.text(st.sampled_from(list("-`'<>,!?:aAÉ {}\\&%$#_~^é\t")), max_size=30))
def test_words_escape_as_the_whole_text_would(text):
    # a title escaped word by word equals the whole text escaped, once braces are set aside;
    # wherever the whole text breaks a ligature ({}), the title has a brace there too: a
    # protecting group's brace stops TeX joining the pair as well (?{`ÉÉ} for ?{}`ÉÉ)
    latex, latex_braces = _braces_set_aside(
        Encoder(ascii_only=False).text(text, "t", protect_case=True)
    )
    plain, plain_braces = _braces_set_aside(Encoder(ascii_only=False).text(text, "t"))
    assert latex == plain
    assert plain_braces <= latex_braces


def _braces_set_aside(latex: str) -> tuple[str, set[int]]:
    """The text without braces, and the positions in it where a brace stood."""
    kept: list[str] = []
    braced: set[int] = set()
    for char in latex:
        if char in "{}":
            braced.add(len(kept))
        else:
            kept.append(char)
    return "".join(kept), braced


def test_a_protecting_brace_counts_as_a_ligature_break():
    # the draw hypothesis once found: ?` would be a ligature (¿); both outputs keep it apart
    latex = Encoder(ascii_only=False).text("?`ÉÉ", "t", protect_case=True)
    plain = Encoder(ascii_only=False).text("?`ÉÉ", "t")
    assert "?`" not in latex and "?`" not in plain
    assert _braces_set_aside(latex)[0] == _braces_set_aside(plain)[0] == "?`ÉÉ"


@pytest.mark.parametrize("biblatex", [False, True])
def test_entries_are_laid_out_as_bibtexparser_writes_them(biblatex):
    items = hard_cases()
    ours = BibWriter(biblatex).format(items)
    library = bibtexparser.Library()
    fresh = BibWriter(biblatex)
    for item in items:
        library.add(fresh.entry(item))
    theirs = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=_BIB_FORMAT)
    assert ours == theirs
    assert ours.count("\n@") == len(items) - 1


def test_listed_words_are_braced_in_any_title(tmp_path):
    # "Gemma: Open Models Based on Gemini Research": title case, so only a list can tell
    seed = tmp_path / "list.txt"
    seed.write_text(
        "Doe, Jane\nGemma: Open Models Based on Gemini Research and Technology\nDoe, Jane\n\n",
        encoding="utf-8",
    )
    out = tmp_path / "list.bib"
    run = subprocess.run(
        [sys.executable, "-m", "publist.cli", "convert", str(seed), "-t", "bibtex"]
        + ["--protect-words", "Gemini", "--protect-words", "Gemma", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert "title = {{Gemma}: Open Models Based on {Gemini} Research and Technology}" in text
    refused = subprocess.run(
        [sys.executable, "-m", "publist.cli", "convert", str(seed), "-t", "ris"]
        + ["--protect-words", "Gemini"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0 and "--protect-words does not apply" in refused.stderr


def test_listed_words_reach_the_workers(tmp_path, monkeypatch):
    from publist import pipeline

    lines = ["Doe, Jane"]
    for i in range(400):
        lines += [f"Scaling Laws for Gemini Models {i}", "Doe, Jane, Roe, Rich", "An abstract."]
    seed = tmp_path / "big.txt"
    seed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        monkeypatch.setenv(pipeline.WORKERS_ENV, workers)
        out = io.StringIO(newline="")
        publist.write(publist.read(seed), out, "bibtex", protect_words=("Gemini",))
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert outputs[0].count("{Gemini}") == 400


def _sentence_case_by_definition(words: list[str], kinds: list[int]) -> tuple[bool, set[int]]:
    """latex._sentence_case without its shortcut for titles with no colon or empty word."""
    from publist import latex

    kept: set[int] = set()
    capitalised = lower = 0
    previous = None
    for index, word in enumerate(words):
        if not word:
            continue
        if previous is None or previous.endswith(":"):
            kept.add(index)
        elif kinds[index] == latex._CAPITALISED:
            capitalised += 1
        elif kinds[index] == latex._LOWER:
            lower += 1
        previous = word
    return bool(lower) and lower * 3 >= capitalised, kept


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["", "A", "Model:", "of", "the", "deep", "BERT", "Gemini", ":", "a:b"]),
        max_size=8,
    )
)
def test_sentence_case_shortcut_reads_titles_as_the_loop_does(words):
    from publist import latex

    kinds = [latex._word_forms(word)[2] for word in words]
    assert latex._sentence_case(words, kinds) == _sentence_case_by_definition(words, kinds)
