"""cs:group suppression as the CSL spec defines it (correction 25).

CSL 1.0.2 "Group": a group is suppressed when at least one of its rendering elements calls a
variable (directly or through a macro) and every variable it calls is empty.  citeproc-py
asks each child whether it *could* call a variable, so a ``cs:choose`` whose branch printed
only a term counted as a rendered variable (Nature printed ``Preprint at.`` for a preprint
without URL or DOI).  Here the variables actually called while the group renders are
counted, and a cs:choose counts as printing a variable only when its branch printed one.
Tests: tests/test_render_fidelity.py "group with only empty variables suppressed";
tests/test_conformance.py (the seed without overlay in Nature).
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.source import VariableError

from .memo import own_cache
from .state import ElementMixin, state_of


def _printed(result: Any) -> bool:
    text = result[0] if isinstance(result, tuple) else result  # cs:text gives (text, language)
    return text is not None and str(text) != ""


def _counted(element: Any) -> bool:
    """Whether the element calls a variable or a macro that counts (year-suffix, filled in by
    disambiguation, does not: citeproc-js behaviour); decided once per element."""
    attributes = element.__dict__
    counted = attributes.get("_publist_counted")
    if counted is None:
        counted = element.get("variable", element.get("macro")) not in (None, "year-suffix")
        attributes["_publist_counted"] = counted
        own_cache(element)  # keeps this proxy (and so the decision) alive
    return bool(counted)


class VariableCounted(ElementMixin):
    """cs:text (with a variable or a macro), cs:number, cs:date, cs:names: counted when
    called, and when they print something (a macro's output counts as a variable's, as in
    citeproc-js: Chicago keeps a ``Preprint`` term printed through a macro)."""

    def process(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        if not _counted(self):
            return super().process(item, *args, **kwargs)
        state = state_of(self)
        state.variables_called += 1
        result = super().process(item, *args, **kwargs)
        if _printed(result):
            state.variables_printed += 1
        return result


class SuppressedGroup(ElementMixin):
    """cs:group: citeproc-py's rule, except that a cs:choose child calls (and renders) a
    variable only when the branch it took called (printed) one, not when it printed a term."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        state = state_of(self)
        delimiter = self.get("delimiter", "")
        output = []
        called_any = rendered_any = False
        own = own_cache(self)
        children = own.get("children")
        if children is None:  # (a group's children never change)
            children = own["children"] = [
                (child, isinstance(child, model.Choose)) for child in self.iterchildren()
            ]
        for child, choose in children:
            called, printed = state.variables_called, state.variables_printed
            try:
                if choose:
                    text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                text = None
            if choose:
                calls = state.variables_called > called
                shows = state.variables_printed > printed
            else:
                calls = shows = child.calls_variable()
            called_any = called_any or calls
            if text is not None:
                output.append(text)
                rendered_any = rendered_any or shows
        if output and (rendered_any or not called_any):
            return self.join(output)
        raise VariableError
