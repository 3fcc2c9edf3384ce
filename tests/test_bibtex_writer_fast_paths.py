"""The BibTeX writer's fast paths give what the general code they stand in for gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from publist import latex
from publist.formats import bibtex
from publist.formats.bibtex import _PAGE_DASHES, BibWriter
from publist.identifiers import arxiv_id
from publist.latex import Encoder, _escape_plain, _marks
from publist.mappings import BIB_FIELDS

# characters that exercise every rule: specials, controls, ligature characters, accents
# (precomposed and combining), a singleton (U+1FEF), line separators, a lone surrogate
_TRICKY = "\\{}&%$#_~^-`'<>,!?@ \t\n\r\x00\x1f\x7f\x85\u2028\u00e9e\u0301\u1fef\u03bc\ud800:"
texts = st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(), max_size=40)


def _marks_by_definition(text: str) -> str:
    needs_work = "\\{}&%$#_~^-`'<>,!?"
    return "".join(c for c in text if c in needs_work or not " " <= c <= "~")


@given(texts)
def test_marks_are_the_characters_that_may_need_work(text: str) -> None:
    assert _marks(text) == _marks_by_definition(text)


def _escape_plain_by_definition(text: str) -> str:
    """Specials escaped, then every ligature run broken, by one substitution each."""
    text = latex._SPECIAL_RE.sub(latex._special, text)
    return latex._LIGATURE_RUN_RE.sub(latex._break_ligatures, text)


@given(texts)
def test_escape_plain_is_the_escaping_by_definition(text: str) -> None:
    assert _escape_plain(text) == _escape_plain_by_definition(text)
    # (searching only the pairs found among the marks, as Encoder.text does)
    pairs = latex._pairs_in(_marks(text))
    assert _escape_plain(text, ligatures=pairs) == _escape_plain_by_definition(text)


def _text_by_definition(encoder: Encoder, text: str, where: str) -> str:
    """Encoder.text (protect_case=False) as it was before it looked at the marks only."""
    found = latex._CONTROL_OR_SPECIAL_RE.findall(text)
    if found and not latex._SPECIAL_CHARACTERS.issuperset(found):
        encoder.controls_replaced = True
        text = latex._CONTROL_RE.sub(" ", text)
    text = text.replace("\r\n", "\n")
    if encoder.ascii_only:
        text = unicodedata.normalize("NFC", text)
    escaped = _escape_plain_by_definition(text)
    if "@" in escaped and "\n" in escaped:
        escaped = latex._LINE_AT_RE.sub(r"\1{}@", escaped)
    if not (encoder.ascii_only or encoder.pdflatex):
        return escaped
    return latex._NON_ASCII_RE.sub(lambda m: encoder._encode_one(m.group(), where), escaped)


@settings(max_examples=300)
@given(texts, st.sampled_from([(True, False), (False, True), (False, False)]))
def test_text_is_the_text_escaped_by_definition(text: str, modes: tuple[bool, bool]) -> None:
    fast, general = Encoder(*modes), Encoder(*modes)
    assert fast.text(text, "w") == _text_by_definition(general, text, "w")
    assert fast.unencodable == general.unencodable
    assert fast.controls_replaced == general.controls_replaced


pages = st.text(alphabet=st.sampled_from("09aZ -–—\t,é{"), max_size=12)


@given(pages, st.booleans())
def test_simple_pages_are_written_as_the_general_rule_does(text: str, biblatex: bool) -> None:
    writer = BibWriter(biblatex)
    general = writer._text(_PAGE_DASHES.sub("--", text), "w").replace("-{}-", "--")
    assert writer._pages(text, "w") == general


@given(st.text(alphabet=st.sampled_from("a/.:0 \t\u00a0{}\\%#_"), max_size=12), st.booleans())
def test_urls_left_as_they_are_are_those_escape_url_leaves(text: str, biblatex: bool) -> None:
    writer = BibWriter(biblatex)
    assert writer._url(text, "w") == "{" + latex.escape_url(text, bibtex=not biblatex) + "}"


@given(st.lists(st.sampled_from(["Gemini", "model", "of", "A", "WARP", "x:", "", "The"])))
def test_chosen_forms_are_the_sentence_case_rule(words: list[str]) -> None:
    forms = [latex._word_forms(word) for word in words]
    capitalised = (latex._CAPITALISED, latex._CAPITALISED_SMALL)
    sentence, kept = latex._sentence_case(words, [form[2] for form in forms])
    expected = [
        form[1] if sentence and form[2] in capitalised and i not in kept else form[0]
        for i, form in enumerate(forms)
    ]
    assert latex._choose_forms(words, forms) == expected


_ARXIV_TEXTS = [
    "arXiv:2401.00001",
    "arxiv",
    "2401.00001",
    "10.48550/arXiv.2401.00001",
    "https://arxiv.org/abs/2401.00001",
    "hep-th/9901001",
]
_OTHER_VARS = sorted({*BIB_FIELDS, *bibtex._SPECIAL_VARS, "eprint", "note"} - bibtex._ARXIV_VARS)


@given(st.dictionaries(st.sampled_from(_OTHER_VARS), st.sampled_from(_ARXIV_TEXTS)))
def test_items_without_the_arxiv_variables_carry_no_arxiv_id(item: dict) -> None:
    assert arxiv_id(item) is None


def test_each_arxiv_variable_can_carry_an_arxiv_id() -> None:
    for var in bibtex._ARXIV_VARS:
        found = [arxiv_id({var: text, "archive_location": "2401.00001"}) for text in _ARXIV_TEXTS]
        assert "2401.00001" in found, var
