"""Output formats for citeproc-py: text, HTML, Markdown, LaTeX, reStructuredText.

citeproc-py asks a formatter for ``preformat(text)`` (style text: terms, affixes) and for
wrappers (``Italic``, ``Bold``, ``SmallCaps``…).  Field text from the records is protected
before citeproc-py sees it: each character that means something in some output format is
swapped for a private-use character (:func:`protect`), which no text-case or name operation
touches, and turned into the target format's escaped form at the very end (:func:`restore`).
So a ``<script>`` title is shown, not run, and a ``%`` cannot comment out LaTeX.

Rich text in field values follows citeproc-js: the subset it interprets (``<i>``, ``<b>``,
``<sup>``, ``<sub>``, ``<sc>``, ``<span style="font-variant:small-caps;">``,
``<span class="nocase">``, ``<span class="nodecor">``), when opened and closed in order, is
swapped for markers of its own (:func:`mark_rich_text`) and written in the target format's
markup at the end (HTML tags, ``*…*`` in Markdown, ``\\textit{…}`` in LaTeX, …); every other
tag stays text and is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from ..latex import SPECIALS as LATEX_SPECIALS
from ..text import CJK_ONLY

SPECIAL_CHARS = '&<>"*_`[]\\#{}%$~^|'
_BASE = 0xE000
PROTECT = {ord(c): chr(_BASE + i) for i, c in enumerate(SPECIAL_CHARS)}
_UNPROTECT = {chr(_BASE + i): c for i, c in enumerate(SPECIAL_CHARS)}


def protect(text: str) -> str:
    return text.translate(PROTECT)


_UNPROTECT_TABLE = {ord(k): v for k, v in _UNPROTECT.items()}


def unprotect(text: str) -> str:
    """Protected text back to its characters (for sort keys; nothing is escaped)."""
    return text.translate(_UNPROTECT_TABLE)


#: the rich-text kinds citeproc-js interprets in field values, and their markers
RICH_KINDS = ("Italic", "Bold", "Superscript", "Subscript", "SmallCaps", "NoCase", "NoDecor")
_RICH_BASE = _BASE + 0x100
RICH_OPEN = {kind: chr(_RICH_BASE + 2 * i) for i, kind in enumerate(RICH_KINDS)}
RICH_CLOSE = {kind: chr(_RICH_BASE + 2 * i + 1) for i, kind in enumerate(RICH_KINDS)}
RICH_MARKERS = frozenset(RICH_OPEN.values()) | frozenset(RICH_CLOSE.values())
_RICH_TAG = re.compile(
    r"<(?P<simple>i|b|sup|sub|sc)>"
    r'|<span\s+class="(?P<cls>nocase|nodecor)">'
    r'|<span\s+style="font-variant:\s*small-caps;?">'
    r"|</(?P<close>i|b|sup|sub|sc|span)>"
)
_SIMPLE_KINDS = {
    "i": "Italic",
    "b": "Bold",
    "sup": "Superscript",
    "sub": "Subscript",
    "sc": "SmallCaps",
}


def _tag_kind(match: re.Match[str]) -> tuple[str, str]:
    """(kind, closing tag name) of an opening tag."""
    if match.group("simple"):
        name = match.group("simple")
        return _SIMPLE_KINDS[name], name
    if match.group("cls"):
        return ("NoCase" if match.group("cls") == "nocase" else "NoDecor"), "span"
    return "SmallCaps", "span"


def mark_rich_text(text: str) -> str:
    """The rich-text tags of a field value as markers, where they open and close in order
    (an unmatched or unknown tag stays text)."""
    if "<" not in text:
        return text
    stack: list[tuple[int, str, str]] = []  # (index in pieces, kind, closing name)
    pieces: list[str] = []
    at = 0
    for match in _RICH_TAG.finditer(text):
        pieces.append(text[at : match.start()])
        at = match.end()
        closing = match.group("close")
        if closing is None:
            kind, name = _tag_kind(match)
            stack.append((len(pieces), kind, name))
            pieces.append(match.group())
        elif stack and stack[-1][2] == closing:
            index, kind, _ = stack.pop()
            pieces[index] = RICH_OPEN[kind]
            pieces.append(RICH_CLOSE[kind])
        else:
            pieces.append(match.group())
    pieces.append(text[at:])
    return "".join(pieces)


def _html_escape(c: str) -> str:
    # citeproc-js writes numeric references: &#38; &#60; &#62;
    return {"&": "&#38;", "<": "&#60;", ">": "&#62;"}.get(c, c)


def _markdown_escape(c: str) -> str:
    return "\\" + c if c in "\\`*_[]<>#|~^$" else c


def _latex_escape(c: str) -> str:
    # a control character has no TeX text form ("not set up for use with LaTeX"); ^^M would
    # even end a comment line: a space, as the BibTeX writer writes them
    if c < " " or "\x7f" <= c <= "\x9f":
        return " "
    return LATEX_SPECIALS.get(c, c)


def _rst_escape(c: str) -> str:
    return "\\" + c if c in "\\`*_|" else c


@dataclass(frozen=True)
class OutputFormat:
    name: str
    escape: Callable[[str], str]
    wrappers: dict[str, Callable[[str], str]]

    def escape_text(self, text: str) -> str:
        return "".join(self.escape(c) for c in str(text))

    def restore(self, text: str) -> str:
        """Placeholders back to their characters, escaped for this format; rich-text markers
        as this format's markup."""
        if not any(c in _UNPROTECT or c in RICH_MARKERS for c in text):
            return text
        markup = self.rich_markup()
        return "".join(
            self.escape(_UNPROTECT[c]) if c in _UNPROTECT else markup.get(c, c) for c in text
        )

    def rich_markup(self) -> dict[str, str]:
        """Marker → this format's opening or closing markup (nothing where it has none)."""
        markup = {}
        for kind in RICH_KINDS:
            wrap = self.wrappers.get(kind)
            opening, _, closing = wrap("\x00").partition("\x00") if wrap else ("", "", "")
            markup[RICH_OPEN[kind]], markup[RICH_CLOSE[kind]] = opening, closing
        return markup

    def citeproc_formatter(self) -> SimpleNamespace:
        """The module-like object citeproc-py formats with."""
        namespace = SimpleNamespace(preformat=self.escape_text)
        for wrapper in (
            "Italic",
            "Oblique",
            "Bold",
            "Light",
            "Underline",
            "Superscript",
            "Subscript",
            "SmallCaps",
        ):
            setattr(
                namespace,
                wrapper,
                _wrapper(self.wrappers.get(wrapper), slanted=wrapper in ("Italic", "Oblique")),
            )
        return namespace


_CJK_ONLY = CJK_ONLY  # the one CJK range (publist.text)


def _wrapper(function: Callable[[str], str] | None, slanted: bool = False):
    class Wrapped(str):
        def __new__(cls, text):
            text = str(text)
            if function is None or (slanted and _CJK_ONLY.match(text)):
                # CJK scripts have no italics: citeproc-js leaves such text upright
                return str.__new__(cls, text)
            return str.__new__(cls, function(text))

    return Wrapped


def _tag(name: str, attributes: str = "") -> Callable[[str], str]:
    return lambda text: f"<{name}{attributes}>{text}</{name}>"


def _latex_command(name: str) -> Callable[[str], str]:
    return lambda text: f"\\{name}{{{text}}}"


FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat("text", lambda c: c, {}),
    "html": OutputFormat(
        "html",
        _html_escape,
        {
            "Italic": _tag("i"),
            "Oblique": _tag("i"),
            "Bold": _tag("b"),
            "Light": _tag("span", ' style="font-weight:lighter;"'),
            "Underline": _tag("span", ' style="text-decoration:underline;"'),
            "Superscript": _tag("sup"),
            "Subscript": _tag("sub"),
            "SmallCaps": _tag("span", ' style="font-variant:small-caps;"'),
        },
    ),
    "markdown": OutputFormat(
        "markdown",
        _markdown_escape,
        {
            "Italic": lambda t: f"*{t}*",
            "Oblique": lambda t: f"*{t}*",
            "Bold": lambda t: f"**{t}**",
            "Superscript": lambda t: f"^{t}^",
            "Subscript": lambda t: f"~{t}~",
            "SmallCaps": lambda t: f"[{t}]{{.smallcaps}}",
            "Underline": lambda t: f"[{t}]{{.underline}}",
        },
    ),
    "latex": OutputFormat(
        "latex",
        _latex_escape,
        {
            "Italic": _latex_command("textit"),
            "Oblique": _latex_command("textsl"),
            "Bold": _latex_command("textbf"),
            "Underline": _latex_command("underline"),
            "Superscript": _latex_command("textsuperscript"),
            "Subscript": _latex_command("textsubscript"),
            "SmallCaps": _latex_command("textsc"),
        },
    ),
    "rst": OutputFormat(
        "rst",
        _rst_escape,
        {
            "Italic": lambda t: f"*{t}*",
            "Oblique": lambda t: f"*{t}*",
            "Bold": lambda t: f"**{t}**",
            "Superscript": lambda t: f":sup:`{t}`",
            "Subscript": lambda t: f":sub:`{t}`",
        },
    ),
}
