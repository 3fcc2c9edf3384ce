"""``display`` at the top level of a bibliography entry (correction 26).

CSL 1.0.2 "Display": an element with ``display="block"``, ``"left-margin"``,
``"right-inline"`` or ``"indent"`` is set apart in the entry; citeproc-js writes each as a
``csl-block`` / ``csl-left-margin`` / ``csl-right-inline`` / ``csl-indent`` div on lines of its
own.  citeproc-py ignores the attribute (``AuthorDoe1999Title``).  As in citeproc-js
(``util_substitute.js``), only an element that no cs:group, cs:text, cs:names, cs:date or
cs:number encloses counts (cs:choose does not enclose), and none when the bibliography sets
``second-field-align`` (then correction 6 lays the entry out).  The element's output, affixes
included, is wrapped in display markers (:data:`..formatters.DISPLAY_OPEN`), written by each
output format at the end; a display that rendered nothing leaves nothing.  When the layout's
first element has a ``display``, the layout's suffix goes inside the last display
(citeproc-js, node_layout.js).
Tests: tests/test_render_fidelity_format.py "display block and margin", "display indent".
"""

from __future__ import annotations

from typing import Any

from citeproc import string
from lxml import etree

from ..formatters import DISPLAY_CLOSE, DISPLAY_KINDS, DISPLAY_MARKERS, DISPLAY_OPEN
from .memo import own_cache
from .state import ElementMixin

_TRANSPARENT = frozenset({"choose", "if", "else-if", "else"})
_CLOSING = frozenset(DISPLAY_CLOSE.values())


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _bibliography_layout(element: Any) -> Any | None:
    """The bibliography's cs:layout when ``element`` sits at its top level, else None."""
    parent = element.getparent()
    while parent is not None and _local(parent) in _TRANSPARENT:
        parent = parent.getparent()
    if parent is None or _local(parent) != "layout":
        return None
    bibliography = parent.getparent()
    if bibliography is None or _local(bibliography) != "bibliography":
        return None
    if bibliography.get("second-field-align"):
        return None
    return parent


def display_of(element: Any) -> str | None:
    """The display kind ``element`` is set apart with, if any (found once)."""
    own = own_cache(element)
    if "display" not in own:
        kind = element.get("display")
        top = kind in DISPLAY_KINDS and _bibliography_layout(element) is not None
        own["display"] = kind if top else None
    found: str | None = own["display"]
    return found


def leading_display(text: str) -> int:
    """How many display markers open ``text`` (for what compares an entry's start)."""
    count = 0
    while count < len(text) and text[count] in DISPLAY_MARKERS:
        count += 1
    return count


class DisplayedApart(ElementMixin):
    """cs:group, cs:text, cs:names, cs:date, cs:number: the output of a top-level element with
    ``display`` between display markers."""

    def render(self, *args: Any, **kwargs: Any) -> Any:
        result = super().render(*args, **kwargs)
        kind = display_of(self)
        if kind is None or result is None or str(result) == "":
            return result
        return string.String(DISPLAY_OPEN[kind]) + result + string.String(DISPLAY_CLOSE[kind])


def _uses_display(layout: Any) -> bool:
    own = own_cache(layout)
    if "uses display" not in own:
        children = [c for c in layout.iterchildren() if isinstance(c.tag, str)]
        own["uses display"] = bool(children) and display_of(children[0]) is not None
    found: bool = own["uses display"]
    return found


class SuffixInsideDisplay(ElementMixin):
    """cs:layout: with a display first, the layout's suffix inside the last display."""

    def wrap(self, text: Any) -> Any:
        if text is None or not _uses_display(self):
            return super().wrap(text)
        value = str(text)
        if not value or value[-1] not in _CLOSING:
            return super().wrap(text)
        return super().wrap(string.String(value[:-1])) + string.String(value[-1])
