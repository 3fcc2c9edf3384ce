"""The bibliography layout: fields displayed apart, and what an entry printed first
(corrections 6 and 17, and the CV ``names_after`` hook)."""

from __future__ import annotations

from typing import Any

from citeproc import model, string
from citeproc.source import VariableError

from .display import leading_display
from .state import ElementMixin, Rendered, state_of

FIRST_NAMES = "publist-first-names"


def _render_child(child: Any, item: Any, delimiter: str = "") -> Any:
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter=delimiter)
        return child.render(item)
    except VariableError:
        return None


class EntriesApart(ElementMixin):
    """cs:layout of the bibliography (correction 6): each entry as a :class:`Rendered`.

    With ``display="left-margin"`` on the first field or ``second-field-align``, the first
    field is rendered apart, so the number is not glued to the text (``[1] Gemma Team``; in
    HTML the csl-left-margin and csl-right-inline blocks citeproc-js writes), CSL 1.0.2
    "Whitespace": second-field-align and "Display".  Each entry also records its first name
    list (for correction 17).  Tests: tests/test_render_fidelity.py "left-margin number
    apart", "left-margin blocks in HTML".
    """

    def render_bibliography(self, citation_items: Any) -> list[Rendered]:
        bibliography = self.getparent()
        children = list(self.iterchildren())
        # (a display="left-margin" without second-field-align is correction 26's)
        left_margin = bool(children) and bibliography.get("second-field-align") in (
            "flush",
            "margin",
        )
        state = state_of(self)
        output = []
        for item in citation_items:
            self.repressed: dict[str, Any] = {}
            record: dict[str, Any] = {"key": item.key}
            saved, state.entry = state.entry, record
            try:
                rendered = self._render_entry(item, children, left_margin)
            finally:
                state.entry = saved
            rendered.names = record.get(FIRST_NAMES)
            output.append(rendered)
        return output

    def _render_entry(self, item: Any, children: list[Any], left_margin: bool) -> Rendered:
        if not left_margin:
            body = self.render_children(item)
            if body is None:  # (citeproc-py printed "None")
                return Rendered("")
            return Rendered(str(self.format(self.wrap(body))))
        left = _render_child(children[0], item)
        rest = [t for t in (_render_child(c, item) for c in children[1:]) if t is not None]
        right = string.join(rest, "") if rest else None
        if left is None:
            return Rendered(str(self.format(self.wrap(right))) if right is not None else "")
        return Rendered(str(self.format(self.wrap(right))), str(self.format(left)))


class FirstNamesRecorded(ElementMixin):
    """cs:names: the entry's first rendered name list is recorded (for correction 17), and
    the CV hook's ``names_after`` text follows it (``" (942 authors)"``)."""

    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        text = super().render(item, *args, **kwargs)
        state = state_of(self)
        entry = state.entry
        if text and entry is not None and FIRST_NAMES not in entry:
            entry[FIRST_NAMES] = str(text)
            after = state.hooks.names_after.get(entry.get("key", ""))
            if after:
                return string.String(str(text) + after)
        return text


def substitute_repeated_names(entries: list[Rendered], substitute: str | None) -> None:
    """Correction 17, ``subsequent-author-substitute`` (CSL 1.0.2 "Reference Grouping"), rule
    complete-all: an entry whose first names repeat the previous entry's prints
    ``substitute`` instead (MLA ``———.``).  Test: tests/test_render_fidelity.py
    "subsequent-author-substitute"."""
    if substitute is None:
        return
    previous = None
    for entry in entries:
        names = entry.names
        start = leading_display(entry.text)  # (names displayed as a block, correction 26)
        text = entry.text[start:]
        if entry.left is None and names and names == previous and text.startswith(names):
            entry.text = entry.text[:start] + substitute + text[len(names) :]
        previous = names


NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"


def entries_with_printed_form(entries: list[Rendered], numeric: bool) -> list[int]:
    """Indexes of the entries to print: citeproc-js leaves out an entry that renders nothing,
    or, in a style whose citations are numbers, prints ``N. [CSL STYLE ERROR: reference with
    no printed form.]`` in its place (citeproc-js behaviour).
    Test: tests/test_render_citeproc_js.py "entries with no printed form"."""
    kept = []
    for index, entry in enumerate(entries):
        if entry.text.strip() or entry.left is not None:
            kept.append(index)
        elif numeric:
            entry.text = f"{len(kept) + 1}. {NO_PRINTED_FORM}"
            kept.append(index)
    return kept
