"""``vertical-align="baseline"`` written out (correction 32).

citeproc-js writes an explicit ``vertical-align="baseline"`` as a span of its own in HTML
(``<span style="baseline">``, formats.js), so text inside a superscript group comes back to
the line; citeproc-py treats baseline as no formatting.  Other formats have no markup for it.
Test: tests/test_render_fidelity_format.py "baseline inside a superscript".
"""

from __future__ import annotations

from typing import Any

from .state import ElementMixin


class ExplicitBaseline(ElementMixin):
    def format(self, text: Any) -> Any:
        text = super().format(text)
        if self.get("vertical-align") == "baseline" and text is not None:
            return self.get_formatter().Baseline(text)
        return text
