"""cs:substitute (correction 7): whatever it substituted is not printed again.

CSL 1.0.2 "Substitute": "Substituted variables are suppressed in the rest of the output to
prevent duplication"; citeproc-py suppressed only a direct variable of the same tag, so APA
printed a substituted title twice and Chicago the substituted editors twice.
Tests: tests/test_render_fidelity.py "substituted title not repeated".
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.source import VariableError

from .state import ElementMixin

#: the key under which suppressed name variables are listed (any cs:names, whatever its tag)
NAMES_KEY = "publist-names"
#: the key counting the cs:substitute elements being rendered (no CSL tag has this name)
SUBSTITUTING = "publist-substituting"


def _repressed(element: Any) -> dict[str, Any]:
    """The entry's suppressed variables (citeproc-py's ``layout.repressed``)."""
    try:
        return element.get_layout().repressed
    except (IndexError, AttributeError):
        return {}


def variables_under(element: Any) -> list[tuple[str, str]]:
    """(tag, variable) of every variable an element renders, through macros."""
    found: list[tuple[str, str]] = []
    stack = [element]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, model.CitationStylesElement):
            continue
        variable = node.get("variable")
        if variable:
            tag = NAMES_KEY if isinstance(node, model.Names) else node.tag
            found += [(tag, v) for v in variable.split()]
        macro = node.get("macro")
        if macro and macro not in seen:
            seen.add(macro)
            stack.append(node.get_macro(macro))
        stack.extend(node.iterchildren())
    return found


def _printed(item: Any, variable: str, text: Any) -> bool:
    value = item.reference.get(variable.replace("-", "_"))
    if value is None:
        return False
    # (a date is a citeproc CustomDict, whose attribute lookup raises VariableError: ask
    # the type, so a substituted macro with a date is suppressed, not lost; correction 37)
    if isinstance(value, str) or hasattr(type(value), "words"):
        return str(value) in str(text)
    return True


class SuppressingSubstitute(ElementMixin):
    """cs:substitute: the first child that renders wins; every variable it printed (through
    macros too) is suppressed for the rest of the entry."""

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        repressed = _repressed(context if context is not None else self)
        repressed[SUBSTITUTING] = repressed.get(SUBSTITUTING, 0) + 1
        try:
            return self._first_rendered(item, context, **kwargs)
        finally:
            repressed[SUBSTITUTING] -= 1

    def _first_rendered(self, item: Any, context: Any, **kwargs: Any) -> Any:
        for child in self.getchildren():
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text:
                self._suppress(child, context, item, text)
                return text
        return None

    def _suppress(self, child: Any, context: Any, item: Any, text: Any) -> None:
        layout = context.get_layout()
        direct = child.get("variable") is not None
        for tag, variable in variables_under(child):
            if direct or _printed(item, variable, text):
                # (through a macro: suppress only what the substitute actually printed)
                layout.repressed.setdefault(tag, []).append(variable)


class SuppressedNames(ElementMixin):
    """cs:names: a name list already printed in place of another variable is not printed
    again (the other half of correction 7).

    42. A cs:names without children anywhere inside a cs:substitute (inside a cs:choose
        too) prints its names with the cs:name, cs:et-al and cs:label of the cs:names the
        substitute belongs to (CSL 1.0.2 "Substitute": the shorthand cs:names inherits
        them; citeproc-js reinitialises the enclosing name output).  citeproc-py did so only
        for a direct child of cs:substitute, so Chicago's edited books (their editors are
        substituted inside a cs:choose) printed ``J. Doe. 2002.`` for
        ``Doe, John, ed. 2002.``.  Test: tests/test_render_fidelity_names.py
        "substituted editors inside a choose inherit the name format".
    44. A name variable printed while a cs:substitute renders is suppressed at once, so the
        same substitute (a macro printing the editors twice, with two labels) prints it once,
        as citeproc-js does.  Test: tests/test_render_fidelity_names.py
        "names printed once by a substitute".
    37. A substitute macro that prints a date is not lost (citeproc-py raised while looking
        at the date, so ISO 690's legislation printed only its date): what it printed is
        suppressed in the rest of the entry.  Test: tests/test_render_fidelity_names.py
        "substitute macro with a date"."""

    def process(self, item: Any, names_context: Any = None, context: Any = None, **kw: Any) -> Any:
        if names_context is None and len(self) == 0:
            enclosing = self.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
            if enclosing:
                names_context = enclosing[0]
        repressed = _repressed(context if context is not None else self)
        hidden = repressed.get(NAMES_KEY, [])
        roles = self.get("variable", "").split()
        present = [r for r in roles if r.replace("-", "_") in item.reference]
        if hidden and present and all(role in hidden for role in present):
            raise VariableError  # already shown in place of another variable
        text = super().process(item, names_context=names_context, context=context, **kw)
        if text and present and repressed.get(SUBSTITUTING):
            # (44) printed while substituting: not printed again, even by the same substitute
            repressed.setdefault(NAMES_KEY, []).extend(present)
        return text


class SuppressedDate(ElementMixin):
    """cs:date: a date a cs:substitute printed is not printed again (correction 37; CSL 1.0.2
    "Substitute"; citeproc-py suppressed only cs:text variables)."""

    def process(self, item: Any, variable: str | None = None, *args: Any, **kwargs: Any) -> Any:
        name = variable if variable is not None else self.get("variable")
        if name and not self.is_locale_date():
            if name in _repressed(self).get(self.tag, ()):
                return None
        return super().process(item, variable, *args, **kwargs)
