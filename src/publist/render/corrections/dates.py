"""Dates (correction 13): a localized date joins its parts with the locale's delimiter.

CSL 1.0.2 "Localized Date Formats": the calling cs:date may only add affixes and formatting,
the locale's cs:date gives the delimiter (NLM: ``2008 Nov``, not ``2008Nov``).
Test: tests/test_render_fidelity.py "localized date delimiter".
"""

from __future__ import annotations

from typing import Any

from .state import ElementMixin


class LocaleDateDelimiter(ElementMixin):
    def render_single_date(self, date: Any, show_parts: Any = None, context: Any = None) -> Any:
        if context != self:
            parts = self.parts(date, show_parts, context)
        else:
            parts = self.parts(date, show_parts)
        if not parts:
            return None
        return self.join(parts)
