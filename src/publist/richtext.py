"""CSL rich text: the markup subset of CSL-JSON strings that publist's model carries.

The rule (README "Reading"): a CSL-JSON string may hold exactly these tags, the ones citeproc-js
interprets — ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<span style="font-variant:small-caps;">``
and ``<span class="nocase">``, each closed by its end tag.  Every other ``<``, ``>`` or ``&`` is a
literal character.  The .bib reader writes these tags for ``\\emph``, ``\\textbf``,
``\\textsuperscript``, ``\\textsc``… so styled output keeps them; writers map them back
(:func:`to_latex`) or drop them (:func:`to_plain`).  A plain-text source (seed, RIS) whose text
happens to contain one of the exact tags is passed through :func:`literal` so that it stays
text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

SMALL_CAPS = '<span style="font-variant:small-caps;">'
NOCASE = '<span class="nocase">'
#: tag -> (LaTeX command opening it, closing text); nocase is a plain brace group
LATEX_FOR_TAG: dict[str, tuple[str, str]] = {
    "<i>": (r"\emph{", "}"),
    "<b>": (r"\textbf{", "}"),
    "<sup>": (r"\textsuperscript{", "}"),
    "<sub>": (r"\textsubscript{", "}"),
    SMALL_CAPS: (r"\textsc{", "}"),
    NOCASE: ("{", "}"),
}
_TAG_RE = re.compile(
    r'<(?:/?(?:i|b|sup|sub)|/span|span style="font-variant:small-caps;"|span class="nocase")>'
)
# a zero-width joiner after "<" keeps tag-shaped literal text from being read as markup
LITERAL_BREAK = "<\u2060"


def has_markup(text: str) -> bool:
    return "<" in text and _TAG_RE.search(text) is not None


def literal(text: str) -> str:
    """Plain text made safe to store as rich text: tag-shaped sequences stay characters."""
    if "<" not in text or not _TAG_RE.search(text):
        return text
    return _TAG_RE.sub(lambda m: LITERAL_BREAK + m.group()[1:], text)


def literal_fields(item: dict) -> dict:
    """:func:`literal` on every text value of a CSL item read from a plain-text source."""
    for var, value in item.items():
        if isinstance(value, str) and "<" in value:
            item[var] = literal(value)
    return item


def to_plain(text: str) -> str:
    """The text without its markup (RIS, seed, keys, sorting).

    Only tags that open and close a pair are markup; a lone ``<b>`` is text, as in
    :func:`to_latex`, so no input text is lost."""
    if "<" not in text:
        return text
    matches = list(_TAG_RE.finditer(text))
    if not matches:
        return text.replace(LITERAL_BREAK, "<")
    paired = _paired(matches)
    out: list[str] = []
    last = 0
    for index in sorted(paired):
        match = matches[index]
        out.append(text[last : match.start()])
        last = match.end()
    out.append(text[last:])
    return "".join(out).replace(LITERAL_BREAK, "<")


def _paired(matches: list[re.Match]) -> set[int]:
    """Indices of the tags that open and close a pair; the others are text."""
    paired: set[int] = set()
    stack: list[tuple[int, str]] = []  # (index, tag name) of the open tags
    for index, match in enumerate(matches):
        tag = match.group()
        name = re.match(r"</?(\w+)", tag).group(1)  # type: ignore[union-attr]
        if not tag.startswith("</"):
            stack.append((index, name))
        elif stack and stack[-1][1] == name:
            paired.update((stack.pop()[0], index))
    return paired


def to_latex(text: str, encode: Callable[[str], str]) -> str:
    """LaTeX for rich ``text``: ``encode`` escapes each run of plain text; tags become commands.

    A tag that opens or closes nothing (``<b>`` alone) is text, as citeproc-js reads it."""

    def plain(segment: str) -> str:
        return encode(segment.replace(LITERAL_BREAK, "<")) if segment else ""

    matches = list(_TAG_RE.finditer(text))
    paired = _paired(matches)
    out: list[str] = []
    closers: list[str] = []
    last = 0
    for index, match in enumerate(matches):
        if index not in paired:
            continue  # stays in the text around it
        out.append(plain(text[last : match.start()]))
        last = match.end()
        tag = match.group()
        if tag.startswith("</"):
            out.append(closers.pop())
        else:
            opener, closer = LATEX_FOR_TAG[tag]
            out.append(opener)
            closers.append(closer)
    out.append(plain(text[last:]))
    return "".join(out)
