"""Output formats for citeproc-py: text, HTML, Markdown, LaTeX, reStructuredText.

citeproc-py asks a formatter for ``preformat(text)`` (style text: terms, affixes) and for
wrappers (``Italic``, ``Bold``, ``SmallCaps``…).  Field text from the records is protected
before citeproc-py sees it: each character that means something in some output format is
swapped for a private-use character (:func:`protect`), which no text-case or name operation
touches, and turned into the target format's escaped form at the very end (:func:`restore`).
So a ``<script>`` title is shown, not run, and a ``%`` cannot comment out LaTeX.
"""

from __future__ import annotations

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
        """Placeholders back to their characters, escaped for this format."""
        if not any(c in _UNPROTECT for c in text):
            return text
        return "".join(self.escape(_UNPROTECT[c]) if c in _UNPROTECT else c for c in text)

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
