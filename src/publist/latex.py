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
from functools import lru_cache

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
# an empty group between the two keeps them as typed.
_LIGATURE_RE = re.compile(
    r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=<)(?=<)|(?<=>)(?=>)"
    r"|(?<=,)(?=,)|(?<=[!?])(?=`)"
)
# The same pairs, found fast: most text has none.
_LIGATURE_PAIR_RE = re.compile(r"--|``|''|<<|>>|,,|[!?]`")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _special(match: re.Match) -> str:
    return SPECIALS[match.group()]


# Control characters and Unicode line/paragraph separators: TeX has no text form for them (a
# form feed even ends a paragraph inside an argument), so they are written as spaces.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# pylatexenc would write Cyrillic as T2A commands that a T1 document cannot typeset.
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


_WORD_RE = re.compile(r"\S+")
_LINE_AT_RE = re.compile(r"(\n[ \t]*)@")
_EDGE_PUNCT = "\"'“”‘’«»()[]:;,.!?"


class Encoder:
    """Escapes plain text for one .bib file; collects characters with no LaTeX form."""

    def __init__(self, ascii_only: bool):
        self.ascii_only = ascii_only
        self.unencodable: dict[str, str] = {}  # char -> id of the first item it occurs in
        self.controls_replaced = False

    def _escape_plain(self, text: str) -> str:
        text = _SPECIAL_RE.sub(_special, text)
        if _LIGATURE_PAIR_RE.search(text):  # (the look-around pattern is slow on long text)
            text = _LIGATURE_RE.sub("{}", text)
        return text

    def _encode_unicode(self, text: str, where: str) -> str:
        if text.isascii() or not self.ascii_only:
            return text

        def encode(match: re.Match) -> str:
            char = match.group()
            latex = _encode_char(char)
            if latex is None:
                self.unencodable.setdefault(char, where)
                return char
            return latex

        return _NON_ASCII_RE.sub(encode, text)

    def text(self, text: str, where: str = "", protect_case: bool = False) -> str:
        """Escape ``text``; ``protect_case`` braces words whose capitals must survive."""
        if _CONTROL_RE.search(text):
            self.controls_replaced = True
            text = _CONTROL_RE.sub(" ", text)
        if "\n" in text:
            text = text.replace("\r\n", "\n")
        if self.ascii_only:
            # Decomposed accents (e + U+0301) become one letter that has a LaTeX command.
            text = unicodedata.normalize("NFC", text)
        if protect_case:
            escaped = self._protect(text)
        else:
            escaped = self._escape_plain(text)
        # "@" opening a line inside a value would start a new entry for most .bib parsers
        # (bibtexparser, biber's): an empty group before it is invisible to LaTeX
        return self._encode_unicode(_LINE_AT_RE.sub(r"\1{}@", escaped), where)

    def _protect(self, text: str) -> str:
        out = []
        last = 0
        for match in _WORD_RE.finditer(text):
            word = match.group()
            out.append(self._escape_plain(text[last : match.start()]))
            last = match.end()
            core = word.strip(_EDGE_PUNCT)
            if core and _needs_case_protection(core):
                head = word[: word.index(core)]
                tail = word[len(head) + len(core) :]
                out.append(
                    self._escape_plain(head)
                    + "{"
                    + self._escape_plain(core)
                    + "}"
                    + self._escape_plain(tail)
                )
            else:
                out.append(self._escape_plain(word))
        out.append(self._escape_plain(text[last:]))
        # A ligature can span a word boundary only through text, never through braces.
        return "".join(out)


_URL_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}


def escape_url(url: str, bibtex: bool) -> str:
    """Touch only what LaTeX's url handling needs: braces, backslash and spaces are
    percent-encoded (the URL stays equivalent); for BibTeX, whose styles pass the url through
    macro arguments, ``%`` and ``#`` are escaped too."""
    url = "".join(_URL_ESCAPES.get(c, c) for c in url.strip())
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
