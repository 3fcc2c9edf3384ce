"""Variables citeproc-js reads from a record that citeproc-py does not (correction 28).

citeproc-js (``build.js``, ``CSL.parseNoteFieldHacks`` in ``load.js``), before it renders:

- ``journalAbbreviation`` (Zotero's name) gives ``container-title-short`` and
  ``shortTitle`` gives ``title-short`` when the record has none (CSL 1.0.2 Appendix IV:
  ``container-title-short``, ``title-short``);
- the ``note`` field's leading lines of the form ``variable: value`` (Zotero's "Extra" field,
  as exported) set that variable when the record has none: a name as ``family || given``
  (or a literal), a date as ``YYYY-MM-DD`` (a range: two joined by ``/``), ``type`` the
  item type; the lines read leave the note.

Test: tests/test_render_fidelity_format.py "journalAbbreviation is container-title-short",
"variables from the note field".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

_ALIASES = (("journalAbbreviation", "container-title-short"), ("shortTitle", "title-short"))
_NOTE_LINE = re.compile(r"^([\-_a-z]+|[A-Z]+):\s*([^}]+)$")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
DATE_VARIABLES = frozenset(
    {
        "accessed",
        "available-date",
        "event-date",
        "issued",
        "original-date",
        "submitted",
    }
)


def _date(value: str) -> dict[str, Any]:
    """``YYYY[-MM[-DD]]``, or a range of two joined by ``/``; else the text as a literal."""
    matches = [_ISO_DATE.match(part.strip()) for part in value.split("/")]
    if len(matches) <= 2 and all(matches):
        return {"date-parts": [[int(g) for g in m.groups() if g] for m in matches if m]}
    return {"literal": value}


def _name(value: str) -> dict[str, str]:
    parts = re.split(r"\s*\|\|\s*", value)
    if len(parts) == 2:
        return {"family": parts[0], "given": parts[1]}
    return {"literal": value}


def _note_lines(note: str) -> tuple[list[tuple[str, str]], str]:
    """The ``variable: value`` lines that open a note, and what is left of it."""
    lines = note.split("\n")
    found = []
    for index, line in enumerate(lines):
        match = _NOTE_LINE.match(line)
        if not line.strip():
            continue
        if match is None:
            if index == 0:  # (citeproc-js reads on past a first line of prose)
                continue
            break
        found.append((match.group(1), match.group(2).strip()))
        lines[index] = ""
    return found, "\n".join(lines).strip()


def _apply_note(out: dict[str, Any], name_variables: Collection[str]) -> None:
    found, rest = _note_lines(out["note"])
    if not found:
        return
    names: dict[str, list[dict[str, str]]] = {}
    for key, value in found:
        if key == "type":
            out["type"] = value
        elif key in DATE_VARIABLES:
            out[key] = _date(value)
        elif out.get(key):
            continue
        elif key in name_variables:
            names.setdefault(key, []).append(_name(value))
        else:
            out[key] = value
    out.update(names)
    out["note"] = rest
    if not rest:
        del out["note"]


def citeproc_js_variables(item: dict[str, Any], name_variables: Collection[str]) -> dict[str, Any]:
    """``item`` with the variables citeproc-js would read from it (a copy when any)."""
    out = item
    for source, target in _ALIASES:
        if item.get(source) and not item.get(target):
            out = dict(out) if out is item else out
            out[target] = item[source]
    if isinstance(item.get("note"), str) and ":" in item["note"]:
        out = dict(out) if out is item else out
        _apply_note(out, name_variables)
    return out
