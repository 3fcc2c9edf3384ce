"""Name variables citeproc-py 0.11 never prints (correction 46).

* citeproc-py parses only the CSL 1.0 name variables (``citeproc.NAMES``) from CSL-JSON; a
  CSL 1.0.2 ``reviewed-author``, ``compiler``, ``curator``, ``director``, … list could not
  reach it (a list where it expects text), so publist left them out.  They are handed over
  after citeproc-py has read the rest of the record, already parsed as names.
* citeproc-py stores a name variable under its Python name (``container_author``) but
  cs:names looks it up under the CSL name (``container-author``), so ``container-author``,
  ``collection-editor``, ``original-author`` and ``editorial-director`` were never printed.
  Each is readable under both names.

So a review prints ``Review of *My Title*, by Beaver Burtle`` (not ``Review of *My
Title*``), and ``<names variable="collection-editor">`` its editors, as citeproc-js prints
them (CSL 1.0.2 "Name Variables").  Tests: tests/test_render_fidelity_names.py
"reviewed-author printed", "collection-editor printed".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from citeproc import NAMES
from citeproc.source import Name as SourceName

_HYPHENATED = [n for n in NAMES if "_" in n]


def add_name_roles(source: Any, roles: Mapping[str, Mapping[str, Iterable[dict]]]) -> None:
    """``roles``: citeproc-py key → {CSL name variable → CSL-JSON names (publist's form)};
    every name variable of every record in ``source`` readable under its CSL name too."""
    for key, by_role in roles.items():
        reference = source[key]
        for role, names in by_role.items():
            parsed = [SourceName(**name) for name in names]
            if parsed:
                reference[role] = reference[role.replace("-", "_")] = parsed
    for reference in source.values():
        for variable in _HYPHENATED:
            if variable in reference:
                reference[variable.replace("_", "-")] = reference[variable]
