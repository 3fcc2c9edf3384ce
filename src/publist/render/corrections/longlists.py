"""Corrections long bibliographies showed (tests/conformance/long_compare.py; correction 52).

26. A name variable as a sort key (``<key variable="author"/>``) is cut as the names are
    cut in the list it sorts: ``names-min`` / ``names-use-first`` / ``names-use-last`` on the
    key, else the et-al options the key inherits (its cs:bibliography or cs:citation, then
    cs:style).  CSL 1.0.2 "Sorting": name variables called by a key are returned as a name
    list, subject to those options; citeproc-js builds the key's cs:name with them
    (node_key.js), so entries whose first names agree keep their input order (Springer
    ``Åberg C, de Gaulle C, Mueller A, et al.``).  citeproc-py compared every name.
    Test: tests/test_render_fidelity_long.py "a name sort key is cut as et-al cuts".
"""

from __future__ import annotations

from typing import Any

from .state import ElementMixin

_ET_AL = ("et-al-min", "et-al-use-first", "et-al-use-last")
_ON_KEY = dict(zip(_ET_AL, ("names-min", "names-use-first", "names-use-last"), strict=True))


def _inherited(key: Any, option: str) -> str | None:
    """``option`` for a cs:key: its own names-* attribute, else the nearest ancestor's."""
    own = key.get(_ON_KEY[option])
    if own is not None:
        return str(own)
    parent = key.getparent()
    while parent is not None:
        value = parent.get(option)
        if value is not None:
            return str(value)
        parent = parent.getparent()
    return None


def _kept_names(key: Any, count: int) -> slice | None:
    """Which of ``count`` names the key compares (None: all of them)."""
    minimum, first = _inherited(key, "et-al-min"), _inherited(key, "et-al-use-first")
    if not (minimum and first and minimum.isdigit() and first.isdigit()):
        return None
    if count < int(minimum) or int(first) >= count or int(first) > int(minimum):
        return None
    return slice(0, int(first))


class NameKeyCutByEtAl(ElementMixin):
    """cs:key (52): a name variable's key holds the names the et-al options keep."""

    def _format_name(self, item: Any, variable: str) -> Any:
        reference = item.reference
        names = reference.get(variable)
        kept = _kept_names(self, len(names)) if names else None
        if kept is None:
            return super()._format_name(item, variable)
        last = [names[-1]] if str(_inherited(self, "et-al-use-last")).lower() == "true" else []
        reference[variable] = list(names[kept]) + last
        try:
            return super()._format_name(item, variable)
        finally:
            reference[variable] = names
