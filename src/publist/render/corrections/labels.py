"""cs:label of a variable the item lacks renders nothing (correction 11); nor does a name
list's label in a sort key (correction 41).

11. CSL 1.0.2 "Label": the label is rendered for the variable's value; without the variable
    there is nothing to label (ACS printed ``p .``).  Test: tests/test_render_fidelity.py
    "label of an absent variable".
41. A sort key built from a macro leaves out the labels of its name lists, as citeproc-js
    builds it: an edited book sorts with the same author's books (``Doe, John ed.`` beside
    ``Doe, John``, not after ``Doe, John Eamon``).  Test: tests/test_render_fidelity_names.py
    "name label left out of sort keys".
47. A label whose term lacks the form asked for falls back as CSL 1.0.2 "Terms" says:
    ``verb-short`` to ``verb``, ``symbol`` to ``short``, ``verb`` and ``short`` to the long
    form (``reviewed-author`` has only a ``verb`` form: ``by Beaver Burtle``; citeproc-py
    printed no label).  Test: tests/test_render_fidelity_names.py "reviewed-author printed".
50. The label of ``number-of-pages`` / ``number-of-volumes`` is printed, plural for a count
    above one (``in 5 vols.``, ``100 p.``; CSL 1.0.2 "Label": contextual plurality; citeproc-py
    raised and dropped it).  Test: tests/test_render_fidelity_names.py "label of a count".
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model

from .state import ElementMixin, state_of

#: CSL 1.0.2 "Terms": the form a missing term form falls back to (None: the long form)
_FORM_FALLBACK: dict[str | None, str | None] = {
    "verb-short": "verb",
    "symbol": "short",
    "verb": None,
    "short": None,
}


class LabelOfPresentVariable(ElementMixin):
    def _is_plural(self, item: Any) -> bool:
        """(50) ``number-of-pages`` / ``number-of-volumes``: plural above one (citeproc-py
        read the count from the wrong object and raised, so the label was lost)."""
        variable = self.get("variable") or ""
        if not variable.startswith("number-of"):
            return bool(super()._is_plural(item))
        value = str(item.reference.get(variable.replace("-", "_"), ""))
        count = re.match(r"\s*(\d+)\s*$", value)
        if count:
            return int(count.group(1)) > 1
        return self.RE_MULTIPLE_NUMBERS.search(value) is not None

    def get_term(self, name: str, form: str | None = None, *args: Any, **kwargs: Any) -> Any:
        term = super().get_term(name, form, *args, **kwargs)
        while term is None and form in _FORM_FALLBACK:
            form = _FORM_FALLBACK[form]
            term = super().get_term(name, form, *args, **kwargs)
        return term

    def process(
        self,
        item: Any,
        variable: str | None = None,
        plural: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        if state_of(self).sorting and isinstance(self.getparent(), model.Names):
            return None  # (41) no role label in a sort key
        name = variable if variable is not None else self.get("variable")
        if (
            name
            and variable is None
            and name != "locator"
            and name.replace("-", "_") not in item.reference
        ):
            return None
        return super().process(item, variable=variable, plural=plural, context=context, **kwargs)
