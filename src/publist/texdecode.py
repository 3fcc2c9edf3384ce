"""LaTeX field text → text, as LaTeX would print it (the rule is in README "Reading").

A known command becomes its text (``\\TeX`` → TeX, ``\\'e`` → é, ``$\\mu$`` → μ, ``\\mbox{x}`` →
x); emphasis, bold, small capitals, super- and subscripts become CSL rich text (see
:mod:`publist.richtext`) unless plain text is asked for; an unknown command keeps the text of
its arguments and is named in the result so that the reader can report it once per file.
Protective braces are markup and go away.  Symbol names come from pylatexenc's tables; the
tokenizer is publist's own, because pylatexenc's walker was most of the time of reading a .bib.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import get_default_latex_context_db

from .richtext import LITERAL_BREAK, NOCASE, SMALL_CAPS

# accent command -> combining character
ACCENTS: dict[str, str] = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
# commands with a text of their own (beyond pylatexenc's symbol table)
OWN_SYMBOLS: dict[str, str] = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "hyphen": "-",
    "textendash": "–",
    "textemdash": "—",
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textasciigrave": "`",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textunderscore": "_",
    "copyright": "©",
    "textcopyright": "©",
    "euro": "€",
    "texteuro": "€",
    "S": "§",
    "P": "¶",
    "dots": "…",
    "textellipsis": "…",
    "nobreakspace": "\u00a0",
    "slash": "/",
    "space": " ",
    "newblock": " ",
    "par": " ",
    "quad": "\u2003",
    "qquad": "\u2003\u2003",
    "og": "«\u00a0",
    "fg": "\u00a0»",
}
# commands that print nothing (their arguments, if any, are listed in DROP_ARGS)
SILENT = frozenset(
    "relax protect null nobreak allowbreak ignorespaces unskip nopunct noindent"
    " hfill vfill smallskip medskip bigskip linebreak newline".split()
)
# commands whose (first) argument is not text: BibTeX sorting tricks and spacing
DROP_ARGS: dict[str, int] = {
    "noopsort": 1,
    "sortnoop": 1,
    "SortNoop": 1,
    "hspace": 1,
    "vspace": 1,
    "hyphenation": 1,
    "label": 1,
}
# one-argument commands printing their argument's text as it is
PASS = frozenset(
    "mbox hbox text textrm textsf texttt textnormal textup textmd textlatin ensuremath"
    " url path uppercase lowercase MakeUppercase MakeLowercase MakeTextUppercase footnote"
    " mathrm mathit mathbf mathsf mathtt mathcal mathbb mathnormal operatorname bm boldsymbol"
    " textsl".split()
)
# two-argument commands: the first argument is not printed
SECOND_ONLY = frozenset("href textcolor foreignlanguage colorbox".split())
# commands that wrap their argument in rich text
WRAP: dict[str, tuple[str, str]] = {
    "emph": ("<i>", "</i>"),
    "textit": ("<i>", "</i>"),
    "mkbibemph": ("<i>", "</i>"),
    "mkbibitalic": ("<i>", "</i>"),
    "textbf": ("<b>", "</b>"),
    "mkbibbold": ("<b>", "</b>"),
    "textsc": (SMALL_CAPS, "</span>"),
    "textsuperscript": ("<sup>", "</sup>"),
    "mkbibsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"),
    "mkbibsubscript": ("<sub>", "</sub>"),
    "NoCaseChange": (NOCASE, "</span>"),
    "nocase": (NOCASE, "</span>"),
    # English quotation marks: publist does not know the document's language
    "enquote": ("“", "”"),
    "mkbibquote": ("“", "”"),
    "textquote": ("“", "”"),
}
# switches that style the rest of their group: {\em text}
SWITCH: dict[str, tuple[str, str]] = {
    "em": WRAP["emph"],
    "it": WRAP["emph"],
    "itshape": WRAP["emph"],
    "sl": WRAP["emph"],
    "slshape": WRAP["emph"],
    "bf": WRAP["textbf"],
    "bfseries": WRAP["textbf"],
    "sc": WRAP["textsc"],
    "scshape": WRAP["textsc"],
}
# style switches with nothing to keep
PLAIN_SWITCHES = frozenset(
    "rm sf tt normalfont upshape mdseries rmfamily sffamily ttfamily small footnotesize"
    " scriptsize tiny large Large LARGE huge Huge normalsize selectfont".split()
)
# ZapfDingbats (\ding{n}) outside the regular run from U+2701
_DINGBAT_EXCEPTIONS = {
    37: "☎",
    42: "☛",
    43: "☞",
    72: "★",
    108: "●",
    110: "■",
    117: "▲",
    118: "▼",
    119: "◆",
}
_SYMBOL_CATEGORIES = ("latex-base", "nonascii-specials", "advanced-symbols")


def _symbol_table() -> dict[str, str]:
    db = get_default_latex_context_db()
    table: dict[str, str] = {}
    for category in _SYMBOL_CATEGORIES:
        for name, spec in db.d[category]["macros"].items():
            repl = spec.simplify_repl
            if isinstance(repl, str) and "%" not in repl and name not in ACCENTS:
                table[name] = repl
    table.update(OWN_SYMBOLS)
    return table


SYMBOLS = _symbol_table()

_TOKEN_RE = re.compile(
    r"(\\[A-Za-z@]+\*?)[ \t\n]*"  # control word; TeX skips the spaces after it
    r"|(\\[^A-Za-z])"  # control symbol
    r"|([{}$~^_])"
    r"|(---?|``|''|!`|\?`)"
    r"|([^\\{}$~^_\-`'!?]+|.)",
    re.S,
)
_TAG_START_RE = re.compile(r"<(?=/?(?:i|b|sup|sub|span)[\s>])")
_LIGATURES = {"--": "–", "---": "—", "``": "“", "''": "”", "!`": "¡", "?`": "¿"}
_NEEDS_PARSE_RE = re.compile(r"[\\{}$~^_`<]|--|''|[!?]`")


def _dingbat(number: str) -> str:
    if not number.strip().isdigit():
        return number
    code = int(number)
    if code in _DINGBAT_EXCEPTIONS:
        return _DINGBAT_EXCEPTIONS[code]
    return chr(0x2701 + code - 33) if 33 <= code <= 126 else number


def _symbol(number: str) -> str:
    code = number.strip()
    return chr(int(code)) if code.isdigit() and int(code) < 0x110000 else number


def _accented(base: str, accent: str) -> str:
    if not base:
        return unicodedata.normalize("NFC", "\u00a0" + accent) if accent else ""
    # dotless i and j take the accent as plain i and j do
    first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])
    return unicodedata.normalize("NFC", first + accent) + base[1:]


class _Decoder:
    """One pass over the tokens of one value."""

    def __init__(self, text: str, rich: bool):
        self.tokens: list[list[str | None]] = [list(m.groups()) for m in _TOKEN_RE.finditer(text)]
        self.pos = 0
        self.rich = rich
        self.unknown: list[str] = []

    def _wrap(self, markup: tuple[str, str], inner: str) -> str:
        opener, closer = markup
        if not self.rich and opener.startswith("<"):
            return inner
        return opener + inner + closer if inner else ""

    def run(self, until_brace: bool = False, math: bool = False) -> str:
        out: list[str] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if until_brace and token[2] == "}":
                self.pos += 1
                break
            if not math and token[2] == "$":
                self.pos += 1
                out.append(self.run_math())
                continue
            if token[0] and token[0][1:] in SWITCH:
                self.pos += 1
                out.append(self._wrap(SWITCH[token[0][1:]], self.run(until_brace, math)))
                return "".join(out)
            out.append(self.token(math))
        return "".join(out)

    def run_math(self) -> str:
        out: list[str] = []
        while self.pos < len(self.tokens) and self.tokens[self.pos][2] != "$":
            out.append(self.token(math=True))
        self.pos += 1  # the closing $
        return "".join(out)

    def token(self, math: bool) -> str:
        word, symbol, special, ligature, text = self.tokens[self.pos]
        self.pos += 1
        if word:
            return self.command(word[1:], math)
        if symbol:
            return self.control_symbol(symbol[1])
        if special:
            return self.special(special, math)
        if ligature:
            return ligature if math else _LIGATURES[ligature]
        assert text is not None
        if "<" in text:  # "<i>" typed in LaTeX is text, not CSL markup
            text = _TAG_START_RE.sub(LITERAL_BREAK, text)
        return "".join(text.split()) if math else text

    def special(self, char: str, math: bool) -> str:
        if char == "{":
            return self.run(until_brace=True, math=math)
        if char == "}":
            return ""  # unbalanced: the reader has reported it
        if char == "~":
            return "\u00a0"
        if char in "^_" and math:
            markup = ("<sup>", "</sup>") if char == "^" else ("<sub>", "</sub>")
            argument = self.argument(math)
            if char == "^" and argument == "∘":
                return "°"
            return self._wrap(markup, argument)
        return char

    def control_symbol(self, char: str) -> str:
        if char in ACCENTS:
            return _accented(self.argument(False), ACCENTS[char])
        if char in "&%$#_{}":
            return char
        if char in " \n\t\\":
            return " "
        if char == ",":
            return "\u2009"
        if char in ";:>":
            return " "
        return ""  # \- \/ \@ \! and the like print nothing

    def argument(self, math: bool) -> str:
        """The next argument: a group, or one character or command."""
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            text = token[4]
            if text is not None and text.isspace():
                self.pos += 1
                continue
            if token[2] == "{":
                self.pos += 1
                return self.run(until_brace=True, math=math)
            if text:
                if len(text) > 1:  # take one character, leave the rest
                    token[4] = text[1:]
                    return text[0]
                self.pos += 1
                return text
            return self.token(math)
        return ""

    def command(self, name: str, math: bool) -> str:
        bare = name.rstrip("*")
        if bare in ACCENTS:
            return _accented(self.argument(math), ACCENTS[bare])
        if bare in SYMBOLS:
            return SYMBOLS[bare]
        if bare in WRAP:
            return self._wrap(WRAP[bare], self.argument(math))
        if bare in PASS:
            return self.argument(math)
        return self._other_command(bare, math)

    def _other_command(self, name: str, math: bool) -> str:
        if name in SECOND_ONLY:
            self.argument(math)
            return self.argument(math)
        if name in DROP_ARGS:
            for _ in range(DROP_ARGS[name]):
                self.argument(math)
            return ""
        if name == "ding":
            return _dingbat(self.argument(math))
        if name == "symbol":  # the BibTeX writer's form of commas and braces in biblatex names
            return _symbol(self.argument(math))
        if name in SILENT or name in PLAIN_SWITCHES:
            return ""
        self.unknown.append(name)
        # an unknown command keeps the text of the groups that follow it
        out = []
        while self.pos < len(self.tokens) and self.tokens[self.pos][2] == "{":
            self.pos += 1
            out.append(self.run(until_brace=True, math=math))
        return "".join(out)


# What the decoder does with the commonest LaTeX of field text, done by one regex pass: the
# ligatures, escaped specials, an accent on a letter (braced or not), symbol commands (alone,
# with ``{}`` or in ``\\ensuremath``), ties and protective braces (with no other command in
# them, a group's braces are all it adds).  A value with anything else (another command, math,
# "<") is left to the decoder.  Every branch opens with a literal: the regex skips text fast.
_FAST_RE = re.compile(
    r"---?|``|''|!`|\?`"
    r"|\\([&%$#_{}])"
    r"|\{\\([`'^\"~=.])([A-Za-z])\}"
    r"|\\([`'^\"~=.])([A-Za-z])"
    r"|\\ensuremath\{\\([A-Za-z]++)\}"
    r"|\\([A-Za-z]++)(?![@*])[ \t\n]*+(?:\{\})?"
    r"|\{|\}|~"
    r"|\\|\$|\^|_|<"  # anything else: the decoder's
)
_FAST_TEXT = {"{": "", "}": "", "~": "\u00a0", **_LIGATURES}
# symbol commands the decoder reads as their text wherever they are (not accents or switches)
_FAST_SYMBOLS = {n: t for n, t in SYMBOLS.items() if n not in ACCENTS and n not in SWITCH}


class _NotFast(Exception):
    pass


def _fast_token(match: re.Match) -> str:
    text = match.group()
    known = _FAST_TEXT.get(text)
    if known is not None:
        return known
    escaped, braced, braced_base, accent, base, math_symbol, command = match.groups()
    if escaped:
        return escaped
    if braced:
        return _accented(braced_base, ACCENTS[braced])
    if accent:
        return _accented(base, ACCENTS[accent])
    symbol = _FAST_SYMBOLS.get(math_symbol or command or "")
    if symbol is None:
        raise _NotFast
    return symbol


def _needs_parse(latex: str) -> bool:
    """``_NEEDS_PARSE_RE.search``, as substring tests (a regex alternation is slower)."""
    return (
        "\\" in latex
        or "{" in latex
        or "}" in latex
        or "$" in latex
        or "~" in latex
        or "^" in latex
        or "_" in latex
        or "`" in latex
        or "<" in latex
        or "--" in latex
        or "''" in latex
        or "!`" in latex
        or "?`" in latex
    )


def decode_text(latex: str, rich: bool = True) -> tuple[str, tuple[str, ...]]:
    """(text, unknown command names) for one LaTeX value."""
    if not _needs_parse(latex):
        return latex, ()
    try:
        return _FAST_RE.sub(_fast_token, latex), ()
    except _NotFast:
        return _decode_cached(latex, rich)


@lru_cache(maxsize=65536)
def _decode_cached(latex: str, rich: bool) -> tuple[str, tuple[str, ...]]:
    decoder = _Decoder(latex, rich)
    text = decoder.run()
    while decoder.pos < len(decoder.tokens):  # after a stray "}"
        text += decoder.run()
    return text, tuple(dict.fromkeys(decoder.unknown))


# accents inside names, decoded before the name is split (a \~ is not a tie there)
_NAME_ACCENT_RE = re.compile(
    r"\\([`'^\"~=.])\s*(?:\{\s*(\\[ij]\b|[A-Za-z])\s*\}|(\\[ij]\b|[A-Za-z]))"
    r"|\\([uvHckrdbt])(?:\s*\{\s*(\\[ij]\b|[A-Za-z])\s*\}|\s+([A-Za-z]))"
)


def _name_accent(match: re.Match) -> str:
    return _name_accent_text(match.group())


@lru_cache(maxsize=4096)
def _name_accent_text(text: str) -> str:
    """One accent command matched in a name → its letter (cached: names repeat accents)."""
    match = _NAME_ACCENT_RE.fullmatch(text)
    assert match is not None
    groups = match.groups()
    accent, base = (
        (groups[0], groups[1] or groups[2]) if groups[0] else (groups[3], groups[4] or groups[5])
    )
    base = {"\\i": "ı", "\\j": "ȷ"}.get(base, base)
    return _accented(base, ACCENTS[accent])


# `{\'e}` is one BibTeX "special character", a letter: its braces protect nothing
_BRACED_NAME_ACCENT_RE = re.compile(r"\{(" + _NAME_ACCENT_RE.pattern + r")\}")


def decode_name_accents(raw: str) -> str:
    """Accent commands in a raw BibTeX name list → letters, so that splitting cannot cut them."""
    if "\\" not in raw:
        return raw
    raw = _BRACED_NAME_ACCENT_RE.sub(_braced_name_accent, raw)
    return _NAME_ACCENT_RE.sub(_name_accent, raw)


def _braced_name_accent(match: re.Match) -> str:
    return _braced_name_accent_text(match.group(1))


@lru_cache(maxsize=4096)
def _braced_name_accent_text(text: str) -> str:
    return _NAME_ACCENT_RE.sub(_name_accent, text)
