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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from ..latex import SPECIALS as LATEX_SPECIALS
from ..text import CJK_ONLY

# Unicode superscript characters → what citeproc-js writes in <sup> for each in HTML
# (French ordinals: ``1ᵉʳ`` → ``1<sup>e</sup><sup>r</sup>``): the ``<super>`` compatibility
# characters of the blocks its table covers (load.js SUPERSCRIPTS), and four it adds.
_SUPERSCRIPT_BLOCKS = (
    (0xAA, 0xBA),
    (0x2B0, 0x2E4),
    (0x1D2C, 0x1D61),
    (0x2070, 0x207F),
    (0x2120, 0x2122),
    (0x3192, 0x319F),
)


def _superscripts() -> dict[str, str]:
    table = {"\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648", "\u06e6": "\u064a"}
    for low, high in _SUPERSCRIPT_BLOCKS:
        for code in range(low, high + 1):
            kind, *parts = unicodedata.decomposition(chr(code)).split() or [""]
            if kind == "<super>":
                table[chr(code)] = "".join(chr(int(part, 16)) for part in parts)
    return table


SUPERSCRIPTS = _superscripts()
SPECIAL_CHARS = '&<>"*_`[]\\#{}%$~^|' + "".join(SUPERSCRIPTS)
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


#: ``display`` at the top level of a bibliography entry (CSL 1.0.2 "Display"), as markers
#: around the element's output (render/corrections/display.py), written at the very end
DISPLAY_KINDS = ("block", "left-margin", "right-inline", "indent")
_DISPLAY_BASE = _BASE + 0x300  # (0xE200…: the CV highlight's markers, render/cv/highlight.py)
DISPLAY_OPEN = {kind: chr(_DISPLAY_BASE + 2 * i) for i, kind in enumerate(DISPLAY_KINDS)}
DISPLAY_CLOSE = {kind: chr(_DISPLAY_BASE + 2 * i + 1) for i, kind in enumerate(DISPLAY_KINDS)}
DISPLAY_MARKERS = frozenset(DISPLAY_OPEN.values()) | frozenset(DISPLAY_CLOSE.values())
#: citeproc-js's HTML for each display (its line breaks and indents included)
HTML_DISPLAY = {
    "block": ('\n\n    <div class="csl-block">', "</div>\n"),
    "left-margin": ('\n    <div class="csl-left-margin">', "</div>"),
    "right-inline": ('<div class="csl-right-inline">', "</div>\n  "),
    "indent": ('<div class="csl-indent">', "</div>\n  "),
}
_EMPTY_DISPLAY = re.compile(
    "|".join(re.escape(DISPLAY_OPEN[k] + DISPLAY_CLOSE[k]) for k in DISPLAY_KINDS)
)
_ANY_DISPLAY = re.compile(f"[{''.join(sorted(DISPLAY_MARKERS))}]")


def drop_empty_display(text: str) -> str:
    """A display that rendered nothing leaves no block (citeproc-js)."""
    return _EMPTY_DISPLAY.sub("", text) if any(c in DISPLAY_MARKERS for c in text) else text


def flatten_display(text: str) -> str:
    """Displayed parts of an entry on one line, a space apart (every format but HTML)."""
    return _ANY_DISPLAY.sub(" ", drop_empty_display(text))


def _tag_kind(match: re.Match[str]) -> tuple[str, str]:
    """(kind, closing tag name) of an opening tag."""
    if match.group("simple"):
        name = match.group("simple")
        return _SIMPLE_KINDS[name], name
    if match.group("cls"):
        return ("NoCase" if match.group("cls") == "nocase" else "NoDecor"), "span"
    return "SmallCaps", "span"


# a straight double quote opening a field value, before a letter
_LEADING_STRAIGHT_QUOTE = re.compile(r'^"([^\W\d_])')


def _case_kept_after_leading_quote(text: str) -> str:
    """Correction 61: the letter after a straight double quote opening a field value keeps
    its case (``"graph" models`` → ``‘graph’ Models`` in title case).  citeproc-js's text-case
    engine (``CSL.Output.Formatters``, ``_textcaseEngine``) reads a ``"`` with no space before
    it as a closing quote; one that closes nothing gets back the first character of the text
    after it as the field had it.  The letter is marked ``nocase``, which prints nothing.
    Test: tests/test_render_fidelity_longfix.py "a leading straight quote keeps the next
    letter's case"."""
    if not text.startswith('"'):
        return text
    return _LEADING_STRAIGHT_QUOTE.sub(
        lambda m: '"' + RICH_OPEN["NoCase"] + m[1] + RICH_CLOSE["NoCase"], text, count=1
    )


def mark_rich_text(text: str) -> str:
    """The rich-text tags of a field value as markers, where they open and close in order
    (an unmatched or unknown tag stays text); the letter after a leading straight double
    quote marked as citeproc-js's text case leaves it (correction 61)."""
    return _case_kept_after_leading_quote(_mark_rich_tags(text))


def _mark_rich_tags(text: str) -> str:
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
    if c in SUPERSCRIPTS:
        return f"<sup>{SUPERSCRIPTS[c]}</sup>"
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


# HTML flip-flop (citeproc-js, util_flipflop.js): a rich-text tag inside text the style
# already sets that way turns it back to normal (<i> in italics: font-style:normal), and
# <span class="nodecor"> undoes every font style, weight and variant around it.
#: the tags publist's HTML wrappers write → the CSL formatting attribute and value they set
_HTML_DECOR_TAG = re.compile(
    r"<(?:i|b|sup|sub)>|<span style=\"(?:font-[a-z]+|text-decoration):[a-z-]+;\">"
    r"|<span style=\"baseline\">|</(?:i|b|sup|sub|span)>"
)
_HTML_TAG_DECOR = {
    "<i>": ("font-style", "italic"),
    "<b>": ("font-weight", "bold"),
    '<span style="font-variant:small-caps;">': ("font-variant", "small-caps"),
    '<span style="font-weight:lighter;">': ("font-weight", "light"),
    '<span style="font-style:normal;">': ("font-style", "normal"),
    '<span style="font-weight:normal;">': ("font-weight", "normal"),
    '<span style="font-variant:normal;">': ("font-variant", "normal"),
}
#: rich-text kind → (attribute, value, opening tag, closing tag)
_FLIPPING = {
    "Italic": ("font-style", "italic", "<i>", "</i>"),
    "Bold": ("font-weight", "bold", "<b>", "</b>"),
    "SmallCaps": (
        "font-variant",
        "small-caps",
        '<span style="font-variant:small-caps;">',
        "</span>",
    ),
}
_NODECOR_ATTRIBUTES = ("font-style", "font-variant", "font-weight")


@dataclass
class _Frame:
    """One open decoration: what it sets, what closes it, whether a rich-text marker
    opened it (and which kind)."""

    sets: list[tuple[str, str]]
    closer: str
    kind: str | None = None


def _current(stack: list[_Frame], attribute: str) -> str:
    for frame in reversed(stack):
        for name, value in frame.sets:
            if name == attribute:
                return value
    return "normal"


def _open_rich(kind: str, stack: list[_Frame], markup: dict[str, str]) -> str:
    if kind in _FLIPPING:
        attribute, value, opening, closing = _FLIPPING[kind]
        if _current(stack, attribute) == value:
            value, opening, closing = "normal", f'<span style="{attribute}:normal;">', "</span>"
        stack.append(_Frame([(attribute, value)], closing, kind))
        return opening
    if kind == "NoDecor":
        undone = [a for a in _NODECOR_ATTRIBUTES if _current(stack, a) != "normal"]
        stack.append(_Frame([(a, "normal") for a in undone], "</span>" * len(undone), kind))
        return "".join(f'<span style="{a}:normal;">' for a in undone)
    stack.append(_Frame([], markup[RICH_CLOSE[kind]], kind))
    return markup[RICH_OPEN[kind]]


def _close_rich(kind: str, stack: list[_Frame]) -> str:
    for index in range(len(stack) - 1, -1, -1):
        if stack[index].kind == kind:
            return stack.pop(index).closer
    return ""


_RICH_KIND_OF = {marker: kind for kind, marker in RICH_OPEN.items()}
_RICH_CLOSING_KIND = {marker: kind for kind, marker in RICH_CLOSE.items()}


def _html_flipflop(text: str, markup: dict[str, str]) -> str:
    """Rich-text markers as HTML, flipped against the decorations around them."""
    stack: list[_Frame] = []
    out: list[str] = []
    at = 0
    for match in re.finditer(_HTML_DECOR_TAG.pattern + "|[\ue100-\ue1ff]", text):
        out.append(text[at : match.start()])
        at = match.end()
        token = match.group()
        if token in _RICH_KIND_OF:
            out.append(_open_rich(_RICH_KIND_OF[token], stack, markup))
        elif token in _RICH_CLOSING_KIND:
            out.append(_close_rich(_RICH_CLOSING_KIND[token], stack))
        elif token.startswith("</"):
            for index in range(len(stack) - 1, -1, -1):  # the innermost tag the style opened
                if stack[index].kind is None:
                    del stack[index]
                    break
            out.append(token)
        else:
            decor = _HTML_TAG_DECOR.get(token)
            stack.append(_Frame([decor] if decor else [], ""))
            out.append(token)
    out.append(text[at:])
    return "".join(out)


#: the characters :meth:`OutputFormat.restore` replaces
_RESTORED = frozenset(_UNPROTECT) | RICH_MARKERS | DISPLAY_MARKERS


@dataclass(frozen=True)
class OutputFormat:
    name: str
    escape: Callable[[str], str]
    wrappers: dict[str, Callable[[str], str]]
    #: display kind → (opening, closing) markup; an empty mapping: displays as spaces
    display: dict[str, tuple[str, str]] = field(default_factory=dict)

    def escape_text(self, text: str) -> str:
        return "".join(self.escape(c) for c in str(text))

    def restore(self, text: str) -> str:
        """Placeholders back to their characters, escaped for this format; rich-text markers
        as this format's markup (flipped against the style's decorations in HTML), display
        markers as its blocks."""
        if _RESTORED.isdisjoint(text):
            return text
        markup = self.rich_markup()
        if self.name == "html" and any(c in RICH_MARKERS for c in text):
            text = _html_flipflop(text, markup)
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
        for kind in DISPLAY_KINDS:
            opening, closing = self.display.get(kind, (" ", " "))
            markup[DISPLAY_OPEN[kind]], markup[DISPLAY_CLOSE[kind]] = opening, closing
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
            "Baseline",
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
            "Baseline": _tag("span", ' style="baseline"'),
        },
        HTML_DISPLAY,
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
