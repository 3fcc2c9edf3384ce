"""Plain text ↔ LaTeX for BibTeX fields.

Text from the seed, CSL-JSON and RIS is plain text: every LaTeX special is escaped so that no
value can close its braces, start an entry or run a command, and TeX ligatures are broken so
that LaTeX prints what was typed.  Accented letters become LaTeX commands through pylatexenc;
a character with no LaTeX form is kept as UTF-8 and reported by the caller.  Decoding goes back
through pylatexenc with a few text macros added, so written values read back unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
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
# Where such a pair could start, found fast (a character class): most text has none.
_LIGATURE_HINT_RE = re.compile(r"[-`'<>,!?][-`'<>,]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


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


_WORD_RE = re.compile(r"\S+")
_LINE_AT_RE = re.compile(r"(\n[ \t]*)@")
_EDGE_PUNCT = "\"'“”‘’«»()[]:;,.!?"


class Encoder:
    """Escapes plain text for one .bib file; collects characters with no LaTeX form."""

    def __init__(self, ascii_only: bool):
        self.ascii_only = ascii_only
        self.unencodable: dict[str, str] = {}  # char -> id of the first item it occurs in
        self.controls_replaced = False

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
        # one scan finds both controls and specials; most abstracts and names have neither
        flagged = _CONTROL_OR_SPECIAL_RE.search(text) is not None
        if flagged and _CONTROL_RE.search(text):
            self.controls_replaced = True
            text = _CONTROL_RE.sub(" ", text)
        if "\n" in text:
            text = text.replace("\r\n", "\n")
        if self.ascii_only:
            # Decomposed accents (e + U+0301) become one letter that has a LaTeX command.
            normal = unicodedata.normalize("NFC", text)
            if normal != text:  # (a singleton such as U+1FEF can become ASCII: look again)
                text, flagged = normal, True
        if protect_case:
            escaped = self._protect(text)
        else:
            escaped = _escape_plain(text, specials=flagged)
        # "@" opening a line inside a value would start a new entry for most .bib parsers
        # (bibtexparser, biber's): an empty group before it is invisible to LaTeX
        if "@" in escaped:
            escaped = _LINE_AT_RE.sub(r"\1{}@", escaped)
        return self._encode_unicode(escaped, where)

    def _protect(self, text: str) -> str:
        # Words repeat (Zipf): each distinct word is escaped and judged once (_protect_word).
        # Whitespace needs no escape and a ligature never spans it, so words are independent.
        if _OTHER_SPACE_RE.search(text) is None:
            return " ".join(map(_protect_word, text.split(" ")))
        out = []
        last = 0
        for match in _WORD_RE.finditer(text):
            out.append(text[last : match.start()])
            out.append(_protect_word(match.group()))
            last = match.end()
        out.append(text[last:])
        return "".join(out)


def _escape_plain(text: str, specials: bool = True) -> str:
    """LaTeX specials escaped and ligatures broken; ``specials=False``: ``text`` has none."""
    if specials:
        text = _SPECIAL_RE.sub(_special, text)
    # (the runs' alternation scans slowly: it starts where the hint found a pair could be)
    hint = _LIGATURE_HINT_RE.search(text)
    if hint:
        start = hint.start()  # (no pair starts before it)
        text = text[:start] + _LIGATURE_RUN_RE.sub(_break_ligatures, text[start:])
    return text


def _break_ligatures(match: re.Match) -> str:
    return "{}".join(match.group())


# whitespace other than the plain space: words are then found with _WORD_RE
_OTHER_SPACE_RE = re.compile(r"[^\S ]")


@lru_cache(maxsize=65536)
def _protect_word(word: str) -> str:
    """One word escaped, its core braced when its capitals must survive (``{WARP}:``)."""
    if not word:
        return word
    core = word.strip(_EDGE_PUNCT)
    if core and _needs_case_protection(core):
        head = word[: word.index(core)]
        tail = word[len(head) + len(core) :]
        return _escape_plain(head) + "{" + _escape_plain(core) + "}" + _escape_plain(tail)
    return _escape_plain(word)


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


def _decoder() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    db.add_context_category(
        "publist",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textasciigrave", "`"),
            MacroTextSpec("url", "%(1)s"),
            MacroTextSpec("relax", ""),
        ],
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)


_DECODER = _decoder()
_PLAIN_RE = re.compile(r"[\\{}~$%&#_^`'<>!?,-]")
# Parsing specs for the walker, built once (pylatexenc builds them anew per call otherwise,
# which is most of its time)
from pylatexenc.latexwalker import get_default_latex_context_db as _walker_db  # noqa: E402

_WALKER_CONTEXT = _walker_db()


def decode(latex: str) -> str:
    """LaTeX field text → plain text; protective braces are markup and go away."""
    if not _PLAIN_RE.search(latex):
        return latex  # nothing LaTeX would change: skip the parser (it dominates read time)
    return _decode(latex)


# \symbol{N} (the BibTeX writer's form of commas and braces in biblatex names): the character,
# as an escape the parser reads back when it is one of LaTeX's specials
_SYMBOL = re.compile(r"\\symbol\{(\d{1,6})\}")
_SYMBOL_ESCAPES = {
    "{": "\\textbraceleft{}",
    "}": "\\textbraceright{}",
    "\\": "\\textbackslash{}",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
    **{c: "\\" + c for c in "&%$#_"},
}


def _symbol(match: re.Match) -> str:
    code = int(match.group(1))
    char = chr(code) if code < 0x110000 else "\ufffd"
    return _SYMBOL_ESCAPES.get(char, char)


@lru_cache(maxsize=65536)
def _decode(latex: str) -> str:
    # name parts repeat a lot in big author lists: each distinct string is decoded once
    latex = _SYMBOL.sub(_symbol, latex)
    return _DECODER.latex_to_text(latex, latex_context=_WALKER_CONTEXT)
