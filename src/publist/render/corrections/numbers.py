"""Numbers (corrections 16 and 33): ``page-range-format`` as CSL 1.0.2 Appendix V defines it;

minimal, minimal-two and the chicago rules (MLA printed ``1–9`` for ``1-29``); simple ranges
in other number variables with an en dash.
Test: tests/test_render_fidelity.py "minimal-two page ranges".
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import string

from .state import ElementMixin

_PAGE = re.compile(r"^(\D*)(\d+)$")


def _minimal(first: str, last: str, two: bool) -> str:
    common = 0
    while common < len(first) and first[common] == last[common]:
        common += 1
    keep = len(last) - common
    if two and len(last) >= 2:
        keep = max(keep, 2)
    return last[len(last) - keep :] if keep else last[-1:]


def _chicago_format(range_format: str, first_digits: str, last_digits: str) -> str | None:
    """The minimal format the chicago rules pick for this range (None: keep it whole)."""
    number = int(first_digits)
    if number < 100 or number % 100 == 0:
        return None
    if (
        range_format == "chicago-15"
        and len(first_digits) == 4
        and len(_minimal(first_digits, last_digits, False)) >= 3
    ):
        return None
    return "minimal" if number % 100 < 10 else "minimal-two"


def last_page(range_format: str | None, first: str, last: str) -> str:
    first_match, last_match = _PAGE.match(first), _PAGE.match(last)
    if not (range_format and first_match and last_match):
        return last
    prefix, first_digits = first_match.groups()
    last_prefix, last_digits = last_match.groups()
    if last_prefix != prefix or len(first_digits) != len(last_digits):
        return last
    if range_format in ("chicago", "chicago-16", "chicago-15"):
        chosen = _chicago_format(range_format, first_digits, last_digits)
        if chosen is None:
            return last
        range_format = chosen
    if range_format == "minimal":
        return _minimal(first_digits, last_digits, False)
    if range_format == "minimal-two":
        return _minimal(first_digits, last_digits, True)
    return last


class PageRangeFormat(ElementMixin):
    def _format_last_page(self, first: str, last: str) -> str:
        return last_page(self.get_root().get_option("page-range-format"), first, last)


_NUMERIC_RANGE = re.compile(r"^(\d+)-(\d+)$")
#: number variables whose simple range citeproc-js joins with a locale term (util_number.js)
_RANGE_TERM = {
    "issue": "page-range-delimiter",
    "volume": "page-range-delimiter",
    "edition": "page-range-delimiter",
    "number": "page-range-delimiter",
    "collection-number": "year-range-delimiter",
}


class NumberRangeDelimiter(ElementMixin):
    """cs:text of a number variable (correction 33): a range of two numbers ``3-4`` in an
    issue, volume, edition or number prints with the locale's page-range-delimiter (the
    year-range-delimiter for collection-number), an en dash by default, as citeproc-js
    prints it (CSL 1.0.2 "Number variables" are rendered as numbers by cs:text too; raw
    citeproc-py kept the hyphen: ``n. 3-4``).  Test: tests/test_render_fidelity_format.py
    "issue range with an en dash"."""

    def _variable(self, item: Any, context: Any) -> Any:
        text = super()._variable(item, context)
        term = _RANGE_TERM.get(self.get("variable", ""))
        match = _NUMERIC_RANGE.match(str(text)) if term and text is not None else None
        if match is None:
            return text
        delimiter = str(self.get_single_term(name=term) or "") or "\u2013"
        return string.String(match.group(1) + delimiter + match.group(2))
