"""Variables citeproc-js reads from a record that citeproc-py does not (correction 28).

citeproc-js (``build.js``, ``CSL.parseNoteFieldHacks`` in ``load.js``), before it renders:

- ``journalAbbreviation`` (Zotero's name) gives ``container-title-short`` and
  ``shortTitle`` gives ``title-short`` when the record has none (CSL 1.0.2 Appendix IV:
  ``container-title-short``, ``title-short``);
- the ``note`` field's leading lines of the form ``variable: value`` (Zotero's "Extra" field,
  as exported) set that variable when the record has none: a name as ``family || given``
  (or a literal), a date as ``YYYY-MM-DD`` (a range: two joined by ``/``), ``type`` the
  item type; the lines read leave the note.

- a record without a ``citation-label`` gets the one citeproc-js makes (``Doe65``), for
  styles that print or sort by it, and its year suffix follows the label (``RoNo78a``).

Test: tests/test_render_fidelity_format.py "journalAbbreviation is container-title-short",
"variables from the note field", "citation-label made and suffixed".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from citeproc import string

from .disambiguation import _SUFFIX_DONE as SUFFIX_DONE
from .state import ElementMixin

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


#: the order citeproc-js looks for names to label an item with (load.js NAME_VARIABLES)
LABEL_NAME_ORDER = (
    "author chair collection-editor compiler composer container-author contributor curator "
    "director editor editor-translator editorial-director executive-producer guest host "
    "illustrator interviewer narrator organizer original-author performer producer recipient "
    "reviewed-author script-writer series-creator translator commenter"
).split()
#: letters per name for 1, 2, 3 and 4 or more names, and the year's digits: citeproc-js's
#: default trigraph "Aaaa00:AaAa00:AaAA00:AAAA00"
_TRIGRAPH = ((4,), (2, 2), (2, 1, 1), (1, 1, 1, 1))
_YEAR_DIGITS = 2
_NOT_LETTER = re.compile(
    "[^a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e]"
)
_LEADING_ARTICLE = re.compile(r"^(?:a|the|an)\s+", re.IGNORECASE)
_LOWER_PARTICLES = re.compile(r"^[ '\u2019a-z]+\s+")


def _label_part(name: dict[str, Any], letters: int) -> str:
    if name.get("family"):
        text = _LOWER_PARTICLES.sub("", str(name["family"]))
    else:
        text = str(name.get("literal") or "")
    text = _NOT_LETTER.sub("", _LEADING_ARTICLE.sub("", text))[:letters]
    return text[:1].upper() + text[1:].lower()


def citation_label(item: dict[str, Any]) -> str:
    """The ``citation-label`` citeproc-js makes for a record without one (util_citationlabel.js,
    its default trigraph): letters of the first names' family names and the year's last two
    digits (``Doe65``, ``RoNo78``), the title's first letters when it has no names."""
    label = ""
    for variable in LABEL_NAME_ORDER:
        names = [n for n in item.get(variable) or [] if isinstance(n, dict)]
        if names:
            widths = _TRIGRAPH[min(len(names), len(_TRIGRAPH)) - 1]
            for name, letters in zip(names, widths, strict=False):
                part = _label_part(name, letters)
                if not part:
                    break
                label += part
            break
    if not label and item.get("title"):
        title = re.sub(r"\s+", "", str(item["title"]))[: _TRIGRAPH[0][0]]
        label = title[:1].upper() + title[1:].lower()
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    year = str(parts[0][0]) if parts and parts[0] else "0000"
    return label + year[-_YEAR_DIGITS:]


class YearSuffixOnLabel(ElementMixin):
    """cs:text of ``citation-label``: the year suffix follows the label (``RoNo78a``), not the
    year of the date, as citeproc-js places it when a style prints the label."""

    def _variable(self, item: Any, context: Any) -> Any:
        text = super()._variable(item, context)
        if self.get("variable") != "citation-label" or text is None:
            return text
        try:
            suffix = item.reference.get("year_suffix")
            layout = (context if context is not None else self).get_layout()
        except (IndexError, AttributeError):
            return text
        if not suffix or layout.repressed.get(SUFFIX_DONE):
            return text
        layout.repressed[SUFFIX_DONE] = True
        return string.String(str(text) + str(suffix))
