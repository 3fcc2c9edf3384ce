"""Plain text ↔ LaTeX for BibTeX fields.

Text from the seed, CSL-JSON and RIS is plain text: every LaTeX special is escaped so that no
value can close its braces, start an entry or run a command, and TeX ligatures are broken so
that LaTeX prints what was typed.  Accented letters become LaTeX commands through pylatexenc;
a character with no LaTeX form is kept as UTF-8 and reported by the caller.  Decoding is
:mod:`publist.texdecode` (publist's tokenizer, pylatexenc's symbol tables), so written values
read back unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from operator import itemgetter

from pylatexenc.latexencode import UnicodeToLatexEncoder

SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # not \{ : BibTeX counts that brace and the entry breaks
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
# Pairs that TeX fonts turn into one glyph (`--` en dash, ``` `` ``` “, `,,` „, `<<` «, `!``  ¡):
# an empty group between the two characters of every such pair keeps them as typed.  A run
# (``---``, ``!``` ``) gets one between each two of its characters.
_LIGATURE_RUN_RE = re.compile(r"--+|``+|''+|<<+|>>+|,,+|[!?]`+")
# The pairs such a run starts with: where the first one is, found by substring searches (C's
# fast search; a regex's character classes step through every character of an abstract).
LIGATURE_PAIRS = ("--", "``", "''", "<<", ">>", ",,", "!`", "?`")
# Where such a pair could start (a character class): most text has none.
_LIGATURE_HINT_RE = re.compile(r"[-`'<>,!?][-`'<>,]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# The ASCII characters that never need work: all but LaTeX specials, controls (tab and newline
# included), the characters of ligature pairs.
_ORDINARY_BYTES = bytes(b for b in range(0x20, 0x7F) if chr(b) not in "\\{}&%$#_~^-`'<>,!?")


def _marks(text: str) -> str:
    """The characters of ``text`` that may need work (LaTeX specials, controls, characters of
    ligature pairs, non-ASCII), in order: its UTF-8 with the ordinary bytes deleted (one pass in
    C; a multi-byte character is kept whole, its bytes being all above ASCII)."""
    utf8 = text.encode("utf-8", "surrogatepass")
    return utf8.translate(None, _ORDINARY_BYTES).decode("utf-8", "surrogatepass")


_SPECIAL_CHARACTERS = frozenset(SPECIALS)
# Specials whose LaTeX forms hold no other of them: they can be replaced one after another.
_PLAIN_SPECIALS = frozenset("&%$#_~^")


def _special(match: re.Match) -> str:
    return SPECIALS[match.group()]


# Control characters and Unicode line/paragraph separators: TeX has no text form for them (a
# form feed even ends a paragraph inside an argument), so they are written as spaces.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# pylatexenc would write Cyrillic as T2A commands that a T1 document cannot typeset.
_CONTROL_OR_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_UNUSABLE_RE = re.compile(r"\\(?:CYR|cyr)")

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


@lru_cache(maxsize=4096)
def _encode_char(char: str) -> str | None:
    """The LaTeX form of one non-ASCII character, or None when it has none usable."""
    latex = _ENCODER.unicode_to_latex(char)
    if latex == char or _UNUSABLE_RE.search(latex):
        return None
    return latex


def _needs_case_protection(word: str) -> bool:
    """``WARP``, ``MusicRL``, ``GPT-4``, ``iPhone``: a capital after the first letter."""
    letters = [c for c in word if c.isalpha()]
    return any(c.isupper() for c in letters[1:])


_LINE_AT_RE = re.compile(r"(\n[ \t]*)@")
_EDGE_PUNCT = "\"'“”‘’«»()[]:;,.!?"


@lru_cache(maxsize=1)
def pdflatex_chars() -> frozenset[str]:
    """What pdflatex typesets from UTF-8 in a T1 document (tools/pdflatex_chars.py wrote it)."""
    table = resources.files("publist").joinpath("data", "pdflatex-chars.csv")
    lines = table.read_text(encoding="utf-8").split()[1:]
    return frozenset(chr(int(point, 16)) for point in lines)


def _escaped_plain(text: str, marks: str, found: list[str], flagged: bool) -> str:
    """``text`` escaped without case protection; ``found``: the specials and controls among
    its ``marks`` (``flagged``: some were, before any was replaced)."""
    # (a ligature pair in the text is a pair in its marks too, which hold every character
    # of one; escapes add none): the text is searched for those pairs only
    ligatures = _pairs_in(marks) if _LIGATURE_HINT_RE.search(marks) else ()
    if found and _PLAIN_SPECIALS.issuperset(found):
        for char in set(found):  # (a replace each: faster than a substitution's calls)
            text = text.replace(char, SPECIALS[char])
        return _escape_plain(text, specials=False, ligatures=ligatures)
    return _escape_plain(text, specials=flagged, ligatures=ligatures)


class Encoder:
    """Escapes plain text for one .bib file; collects characters with no LaTeX form.

    ``ascii_only`` writes every non-ASCII character as a command; otherwise, with
    ``pdflatex``, only those pdflatex cannot typeset from UTF-8 (μ, not é)."""

    def __init__(self, ascii_only: bool, pdflatex: bool = False, protect_words: Iterable[str] = ()):
        self.ascii_only = ascii_only
        self.pdflatex = pdflatex
        # words braced in every title, whatever its case (`--protect-words Gemini`)
        self.protect_words = frozenset(protect_words)
        self.unencodable: dict[str, str] = {}  # char -> id of the first item it occurs in
        self.controls_replaced = False

    def _encode_unicode(self, text: str, where: str, marks: str) -> str:
        """``text`` with non-ASCII characters as commands; ``marks``: its :func:`_marks`."""
        if marks.isascii() or not (self.ascii_only or self.pdflatex):
            return text
        non_ascii = _NON_ASCII_RE.findall(marks)  # (the text's own, in order: marks is short)
        if not self.ascii_only:
            typeset = pdflatex_chars()
            if all(c in typeset for c in non_ascii):
                return text

        # each distinct character (in the order they first occur) replaced at once, when every
        # form is ASCII (no replacement then makes a character a later one replaces)
        forms = {}
        for char in dict.fromkeys(non_ascii):
            if self.ascii_only or char not in pdflatex_chars():
                forms[char] = _encode_char(char)
        if not all(latex is None or latex.isascii() for latex in forms.values()):
            return _NON_ASCII_RE.sub(lambda m: self._encode_one(m.group(), where), text)
        for char, latex in forms.items():
            if latex is None:
                self.unencodable.setdefault(char, where)
            else:
                text = text.replace(char, latex)
        return text

    def _encode_one(self, char: str, where: str) -> str:
        if not self.ascii_only and char in pdflatex_chars():
            return char
        latex = _encode_char(char)
        if latex is None:
            self.unencodable.setdefault(char, where)
            return char
        return latex

    def text(self, text: str, where: str = "", protect_case: bool = False) -> str:
        """Escape ``text``; ``protect_case`` braces words whose capitals must survive."""
        # Every test below looks at the few characters that can need work (_marks: one pass
        # in C), not at the whole text; most short values and many titles have none.
        marks = _marks(text)
        if not marks:
            return self._protect(text, marks) if protect_case else text
        found = _CONTROL_OR_SPECIAL_RE.findall(marks)
        flagged = bool(found)
        if flagged and not _SPECIAL_CHARACTERS.issuperset(found):
            self.controls_replaced = True
            text = _CONTROL_RE.sub(" ", text)
            marks = _marks(text)
        if "\n" in marks:
            text = text.replace("\r\n", "\n")
        if self.ascii_only and not marks.isascii():
            # Decomposed accents (e + U+0301) become one letter that has a LaTeX command.
            normal = unicodedata.normalize("NFC", text)
            if normal != text:  # (a singleton such as U+1FEF can become ASCII: look again)
                text, flagged, found = normal, True, []
                marks = _marks(text)
        if protect_case:
            escaped = self._protect(text, marks)
        else:
            escaped = _escaped_plain(text, marks, found, flagged)
        # "@" opening a line inside a value would start a new entry for most .bib parsers
        # (bibtexparser, biber's): an empty group before it is invisible to LaTeX
        if "\n" in marks and "@" in escaped:
            escaped = _LINE_AT_RE.sub(r"\1{}@", escaped)
        return self._encode_unicode(escaped, where, marks)

    def _protect(self, text: str, marks: str) -> str:
        # Words repeat (Zipf): each distinct word is escaped and judged once (_word_forms).
        # Whitespace needs no escape and a ligature never spans it, so words are independent.
        # (whitespace other than the space is a control or non-ASCII: among the marks)
        if _OTHER_SPACE_RE.search(marks) is None:
            words = text.split(" ")
            return " ".join(self._forms(words))
        parts = _SPACE_SPLIT_RE.split(text)  # words at even positions, whitespace between
        parts[0::2] = self._forms(parts[0::2])
        return "".join(parts)

    def _forms(self, words: list[str]) -> list[str]:
        forms = list(map(_word_forms, words))
        chosen = _choose_forms(words, forms)
        if self.protect_words:
            listed = self.protect_words
            for index, word in enumerate(words):
                if word.strip(_EDGE_PUNCT) in listed:
                    chosen[index] = forms[index][1]
        return chosen


def _pairs_in(text: str) -> tuple[str, ...]:
    """The ligature pairs that occur in ``text``."""
    return tuple(pair for pair in LIGATURE_PAIRS if pair in text)


def _escape_plain(
    text: str, specials: bool = True, ligatures: tuple[str, ...] = LIGATURE_PAIRS
) -> str:
    """LaTeX specials escaped and ligatures broken; ``specials=False``: ``text`` has none;
    ``ligatures``: the only ligature pairs it may hold (none: ``()``)."""
    if specials:
        text = _SPECIAL_RE.sub(_special, text)
    if not ligatures:
        return text
    # (the runs' alternation scans slowly: it starts where the first pair is)
    starts = [start for pair in ligatures if (start := text.find(pair)) >= 0]
    if starts:
        start = min(starts)  # (no run starts before it)
        text = text[:start] + _LIGATURE_RUN_RE.sub(_break_ligatures, text[start:])
    return text


def _break_ligatures(match: re.Match) -> str:
    return "{}".join(match.group())


# whitespace other than the plain space: words are then split off with _SPACE_SPLIT_RE
_OTHER_SPACE_RE = re.compile(r"[^\S ]")
_SPACE_SPLIT_RE = re.compile(r"(\s+)")

# Words a title-cased title leaves in lower case (and a capital one does not make it sentence
# case): articles, conjunctions, prepositions, a few verbs and abbreviations.
SMALL_WORDS = frozenset(
    """a an the and but or nor for so yet as at by in of off on per to up via vs vs. v. with
    from into onto over upon than versus about above across after against along among around
    before behind below beneath beside between beyond down during except inside like near past
    since through throughout toward towards under underneath until unto within without is are
    be its it not no et al if that using""".split()
)
# What a word is, for case protection (see _choose_forms)
_OTHER, _CAPITALISED, _CAPITALISED_SMALL, _LOWER = range(4)


WordForms = tuple[str, str, int, str]
_AS_IS, _KIND, _IN_SENTENCE_CASE = itemgetter(0), itemgetter(2), itemgetter(3)


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> WordForms:
    """One word escaped as it is and with its core braced, what kind of word it is, and its
    form in a sentence-cased title (braced when capitalised).

    The first form already braces ``WARP``, ``MusicRL``, ``GPT-4``, ``iPhone`` (a capital after
    the first letter): every casing style would lower those.  The second braces a capitalised
    word too (``{Gemini}``), which only a sentence-cased title asks for."""
    core = word.strip(_EDGE_PUNCT)
    letters = [c for c in core if c.isalpha()]
    if not letters:
        escaped = _escape_plain(word)
        return escaped, escaped, _OTHER, escaped
    head = word[: word.index(core)]
    tail = word[len(head) + len(core) :]
    braced = _escape_plain(head) + "{" + _escape_plain(core) + "}" + _escape_plain(tail)
    if _needs_case_protection(core):
        return braced, braced, _OTHER, braced
    if letters[0].isupper():
        small = core.lower() in SMALL_WORDS
        kind = _CAPITALISED_SMALL if small else _CAPITALISED
        return _escape_plain(word), braced, kind, braced
    lower = core[0].islower() and len(letters) > 1 and core.lower() not in SMALL_WORDS
    escaped = _escape_plain(word)
    return escaped, escaped, _LOWER if lower else _OTHER, escaped


def _choose_forms(words: list[str], forms: list[WordForms]) -> list[str]:
    """The form of each word of a title: capitalised words braced when the title is in
    sentence case (see sentence_case), except the first word and a word after a colon."""
    kinds = list(map(_KIND, forms))
    if _CAPITALISED not in kinds and _CAPITALISED_SMALL not in kinds:
        return list(map(_AS_IS, forms))
    sentence, kept = _sentence_case(words, kinds)
    if not sentence:
        return list(map(_AS_IS, forms))
    chosen = list(map(_IN_SENTENCE_CASE, forms))
    for index in kept:
        chosen[index] = forms[index][0]
    return chosen


def _sentence_case(words: list[str], kinds: list[int]) -> tuple[bool, set[int]]:
    """Whether a title's words are in sentence case, and the positions where a style keeps a
    capital anyway (the first word, a word after a colon).

    Sentence case: lower-case content words (not SMALL_WORDS) are at least a third as many as
    capitalised ones, both counted away from those positions.  "A Heitler model of extensive
    air showers" is; "Upper Limit of the Spectrum of Cosmic Rays" (title case, where any word
    may be an ordinary one) is not."""
    if words and words[0] and "" not in words and ":" not in "".join(words[:-1]):
        # (most titles: no empty word, no colon but perhaps at the end: only the first is kept)
        rest = kinds[1:]
        capitalised, lower = rest.count(_CAPITALISED), rest.count(_LOWER)
        return bool(lower) and lower * 3 >= capitalised, {0}
    kept: set[int] = set()
    capitalised = lower = 0
    previous = None
    for index, word in enumerate(words):
        if not word:
            continue
        if previous is None or previous.endswith(":"):
            kept.add(index)
        elif kinds[index] == _CAPITALISED:
            capitalised += 1
        elif kinds[index] == _LOWER:
            lower += 1
        previous = word
    return bool(lower) and lower * 3 >= capitalised, kept


def sentence_case(title: str) -> bool:
    """Whether ``title`` reads as sentence case (where capitalised words are proper nouns)."""
    words = title.split()
    return _sentence_case(words, [_word_forms(word)[2] for word in words])[0]


_URL_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
_URL_TABLE = str.maketrans(_URL_ESCAPES)


def escape_url(url: str, bibtex: bool) -> str:
    """Touch only what LaTeX's url handling needs: braces, backslash and spaces are
    percent-encoded (the URL stays equivalent); for BibTeX, whose styles pass the url through
    macro arguments, ``%`` and ``#`` are escaped too."""
    url = url.strip().translate(_URL_TABLE)
    if bibtex:
        url = url.replace("%", r"\%").replace("#", r"\#")
    return url


def unescape_url(value: str) -> str:
    return re.sub(r"\\([%#&_$])", r"\1", value)


# --- decoding ----------------------------------------------------------------------------------


def decode(latex: str, rich: bool = False) -> str:
    """LaTeX field text → text (:mod:`publist.texdecode`; ``rich``: CSL rich-text markup for
    emphasis, super- and subscripts)."""
    from .texdecode import decode_text

    return decode_text(latex, rich)[0]
