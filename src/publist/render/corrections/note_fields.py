"""Variables written in the note, as citeproc-js reads them (correction 35).

Zotero keeps fields it has no place for in the note ("Extra"), one ``variable: value`` a
line at its top: ``original-date: 1850``, ``genre: Peer commentary``, ``reviewed-author:
Hall || W.C.``.  citeproc-js (``CSL.parseNoteFieldHacks``, on by default) reads those lines
as the item's variables when the item does not have them already: ``type`` replaces the
type, a date variable is parsed as a date, a name variable is a name (``family || given``,
else a literal name), anything else is text; the lines it reads leave the note.  It stops at
the first line that is no such field (a first line of other text is skipped over).
citeproc-py reads none of it.  Test: tests/test_render_fidelity_names.py "variables in
the note".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

# citeproc-js's CSL.NOTE_FIELD_REGEXP
_FIELD = re.compile(r"^([\-_a-z]+|[A-Z]+):\s*([^}]+)$")
_ISO_DATE = re.compile(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _date(text: str) -> dict[str, Any]:
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return {"literal": text}
    return {"date-parts": [[int(part) for part in match.groups() if part]]}


def _name(text: str) -> dict[str, str]:
    parts = re.split(r"\s*\|\|\s*", text)
    if len(parts) == 2:
        return {"family": parts[0], "given": parts[1]}
    return {"literal": text}


def with_note_fields(
    item: Any, name_variables: Collection[str], date_variables: Collection[str]
) -> Any:
    """``item`` with the variables its note gives (a new dict), or ``item`` itself."""
    note = item.get("note")
    if not isinstance(note, str) or ":" not in note:
        return item
    out = dict(item)
    lines = note.split("\n")
    names: dict[str, list[dict[str, str]]] = {}
    for index, line in enumerate(lines):
        match = _FIELD.match(line)
        if not line.strip():
            continue
        if match is None:
            if index == 0:
                continue
            break
        key, value = match.group(1), match.group(2).strip()
        if key == "type":
            out["type"] = value
        elif key in date_variables:
            if out.get(key):
                continue
            out[key] = _date(value)
        elif out.get(key):
            continue
        elif key in name_variables:
            names.setdefault(key, []).append(_name(value))
        else:
            out[key] = value
        lines[index] = ""
    out.update(names)
    out["note"] = "\n".join(lines).strip()
    if not out["note"]:
        del out["note"]
    return out
