"""The bibliography layout: fields displayed apart, and what an entry printed first
(corrections 6 and 17, and the CV ``names_after`` hook)."""

from __future__ import annotations

from typing import Any

from citeproc import model, string
from citeproc.source import VariableError

from .display import leading_display
from .state import ElementMixin, Rendered, state_of

FIRST_NAMES = "publist-first-names"
NAME_TEXTS = "publist-name-texts"  # the cs:name texts of the cs:names being rendered
NAMES_PRINTED = "publist-names-printed"  # the names those cs:name printed (63)
FIRST_NAMES_KEY = "publist-first-names-key"  # what correction 17 compares (63)
SUBSTITUTE = "publist-substitute"  # printed in place of the entry's first names (17)


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

    def render_bibliography(
        self, citation_items: Any, substitute: str | None = None
    ) -> list[Rendered]:
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
            record: dict[str, Any] = {"key": item.key, SUBSTITUTE: substitute}
            saved, state.entry = state.entry, record
            try:
                rendered = self._render_entry(item, children, left_margin)
            finally:
                state.entry = saved
            rendered.names = record.get(FIRST_NAMES)
            rendered.names_key = record.get(FIRST_NAMES_KEY)
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
    the CV hook's ``names_after`` text follows it (``" (942 authors)"``).  What is recorded
    is the names as cs:name printed them, without the role's label (``Doe, John`` of
    ``Doe, John ed.``), when the list has one variable; else the whole cs:names text."""

    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        state = state_of(self)
        entry = state.entry
        if entry is None or FIRST_NAMES in entry:
            return super().render(item, *args, **kwargs)
        outer, substitute = entry.get(NAME_TEXTS), entry.get(SUBSTITUTE)
        outer_printed = entry.get(NAMES_PRINTED)
        collected: list[str] = []
        printed: list[str] = []
        entry[NAME_TEXTS], entry[NAMES_PRINTED] = collected, printed
        if substitute is not None and _after_names_with_children(self):
            entry[SUBSTITUTE] = None
        try:
            text = super().render(item, *args, **kwargs)
        finally:
            entry[NAME_TEXTS], entry[SUBSTITUTE] = outer, substitute
            entry[NAMES_PRINTED] = outer_printed
        if text and FIRST_NAMES not in entry:
            entry[FIRST_NAMES] = collected[0] if len(collected) == 1 else str(text)
            entry[FIRST_NAMES_KEY] = "|".join(printed) if printed else entry[FIRST_NAMES]
            if entry.get(SUBSTITUTE) is not None and len(collected) != 1:
                text = string.String(entry[SUBSTITUTE])  # (no one cs:name printed it)
            after = state.hooks.names_after.get(entry.get("key", ""))
            if after:
                return string.String(str(text) + after)
        return text


def _after_names_with_children(names: Any) -> bool:
    """A childless cs:names inside a cs:substitute, after a cs:names with children there:
    citeproc-js prints no subsequent-author-substitute for its names (MLA's edited books,
    whose editors come after ``<names variable="guest"><name …/></names>``: ``Doe, John,
    editor.`` after ``Doe, John.``).  Test: tests/test_render_fidelity_names.py
    "subsequent-author-substitute keeps the label"."""
    if len(names):
        return False
    substitute = names.xpath_search("./ancestor::cs:substitute[1]")
    if not substitute:
        return False
    for node in substitute[0].iter():
        if node is names:
            return False
        if isinstance(node, model.Names) and len(node):
            return True
    return False


class NameTextRecorded(ElementMixin):
    """cs:name: its text is noted for the enclosing cs:names (:class:`FirstNamesRecorded`);
    the entry's first names print as the subsequent-author-substitute when asked (17)."""

    def render(self, *args: Any, **kwargs: Any) -> Any:
        text = super().render(*args, **kwargs)
        entry = state_of(self).entry
        if not text or entry is None:
            return text
        collected = entry.get(NAME_TEXTS)
        if collected is None:
            return text
        collected.append(str(text))
        printed = entry.get(NAMES_PRINTED)
        if printed is not None and len(args) > 1:
            printed.extend(self._printed_names(args[0], args[1], kwargs.get("context")))
        substitute = entry.get(SUBSTITUTE)
        if substitute is not None and len(collected) == 1 and FIRST_NAMES not in entry:
            return string.String(substitute)
        return text

    def _printed_names(self, item: Any, variable: str, context: Any) -> list[str]:
        """The names this cs:name printed, each as its parts run together, without the
        names et-al left out (correction 63, citeproc-js's ``setRenderedName``)."""
        names = list(item.reference.get(variable) or [])
        et_al_min = self.get_option("et-al-min", context)
        first = self.get_option("et-al-use-first", context)
        if len(names) > 1 and et_al_min and len(names) >= et_al_min and first:
            use_last = self.get_option("et-al-use-last", context) and first <= et_al_min - 2
            names = names[:first] + (names[-1:] if use_last else [])
        return ["".join(part or "" for part in name.parts()) for name in names]


def substitute_repeated_names(entries: list[Rendered], layout: Any, items: list[Any]) -> None:
    """Correction 17, ``subsequent-author-substitute`` (CSL 1.0.2 "Reference Grouping"), rule
    complete-all: an entry whose first names repeat the previous entry's prints
    ``substitute`` instead (MLA ``———.``); the role's label stays (``--- ed.``), whatever
    role the names had (citeproc-js compares the names alone).  The entry is rendered again
    with the substitute in the names' place, so the affixes around them apply to it
    (``---. 1994.``, where the names ended in ``et al.``).  Correction 63: what is compared
    is the names printed, each as its name parts, not their text: ``Abbott, Anna, et al.``
    then ``Abbott, Anna`` is a repeat (citeproc-js's ``setRenderedName`` leaves "et al."
    and the delimiters out).  Call while rendering
    (:func:`.module_level.rendering`).  Tests: tests/test_render_fidelity.py
    "subsequent-author-substitute", tests/test_render_fidelity_names.py
    "subsequent-author-substitute keeps the label", "... before a period",
    tests/test_render_fidelity_longfix.py "subsequent-author-substitute after et al."."""
    substitute = layout.getparent().get("subsequent-author-substitute")
    if substitute is None:
        return
    previous = None
    for index, entry in enumerate(entries):
        names, key = entry.names, entry.names_key
        start = leading_display(entry.text)  # (names displayed as a block, correction 26)
        if entry.left is None and names and key == previous:
            if entry.text[start:].startswith(names):
                again = layout.render_bibliography([items[index]], substitute)[0]
                entry.text = again.text
        previous = key


NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"


def has_printed_form(entry: Rendered) -> bool:
    """Whether ``entry`` prints: citeproc-js leaves out an entry that renders nothing, or, in a
    style whose citations are numbers, prints :func:`no_printed_form` in its place
    (citeproc-js behaviour).  Test: tests/test_render_citeproc_js.py "entries with no
    printed form"."""
    return bool(entry.text.strip()) or entry.left is not None


def no_printed_form(number: int) -> str:
    """What citeproc-js prints for the ``number``-th entry when it renders nothing."""
    return f"{number}. {NO_PRINTED_FORM}"
