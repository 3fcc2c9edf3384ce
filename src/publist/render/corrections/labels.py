"""cs:label of a variable the item lacks renders nothing (correction 11).

CSL 1.0.2 "Label": the label is rendered for the variable's value; without the variable
there is nothing to label (ACS printed ``p .``).  Test: tests/test_render_fidelity.py
"label of an absent variable".
"""

from __future__ import annotations

from typing import Any

from .state import ElementMixin


class LabelOfPresentVariable(ElementMixin):
    def process(
        self,
        item: Any,
        variable: str | None = None,
        plural: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        name = variable if variable is not None else self.get("variable")
        if (
            name
            and variable is None
            and name != "locator"
            and name.replace("-", "_") not in item.reference
        ):
            return None
        return super().process(item, variable=variable, plural=plural, context=context, **kwargs)
