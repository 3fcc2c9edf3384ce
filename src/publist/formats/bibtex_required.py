"""What BibTeX requires of each entry type: the bibtex format's `publist check` hook."""

from __future__ import annotations

from collections.abc import Iterator

from ..mappings import (
    CONTAINER_DEFAULT,
    CONTAINER_FIELD,
    PUBLISHER_DEFAULT,
    PUBLISHER_FIELD,
    type_row,
)
from ..model import Item

# What the standard BibTeX styles (plain.bst and its kin) require of each entry type, as CSL
# variables: a tuple of alternatives per requirement.  `publist check` reports what is missing,
# so every "empty field" warning bibtex prints is one check printed first.
BIBTEX_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("container-title",), ("issued",)),
    "book": (("author", "editor"), ("title",), ("publisher",), ("issued",)),
    "incollection": (("author",), ("title",), ("container-title",), ("publisher",), ("issued",)),
    "inproceedings": (("author",), ("title",), ("container-title",), ("issued",)),
    "techreport": (("author",), ("title",), ("publisher",), ("issued",)),
    "phdthesis": (("author",), ("title",), ("publisher",), ("issued",)),
    "mastersthesis": (("author",), ("title",), ("publisher",), ("issued",)),
    "unpublished": (("author",), ("title",), ("note",)),
    "misc": (),
}

# The BibTeX field a CSL variable lands in, for messages (type-dependent ones by entry type).
BIBTEX_FIELD_NAME: dict[str, str] = {
    "author": "author",
    "editor": "editor",
    "title": "title",
    "issued": "year",
    "note": "note",
}


def _bibtex_field(var: str, entry_type: str) -> str:
    if var == "container-title":
        return CONTAINER_FIELD.get(entry_type, CONTAINER_DEFAULT).bibtex or var
    if var == "publisher":
        return PUBLISHER_FIELD.get(entry_type, PUBLISHER_DEFAULT).bibtex or var
    return BIBTEX_FIELD_NAME.get(var, var)


def missing_for_bibtex(item: Item) -> list[tuple[str, str]]:
    """(CSL variable, BibTeX field) pairs the BibTeX entry type needs but the item lacks.

    The year is left out: it has its own warning."""
    entry_type = type_row(item.get("type")).bibtex
    missing = []
    for alternatives in BIBTEX_REQUIRED.get(entry_type, ()):
        if alternatives == ("issued",):
            continue
        if not any(item.get(var) for var in alternatives):
            missing.append((alternatives[0], _bibtex_field(alternatives[0], entry_type)))
    return missing


def check_required_fields(item: Item) -> Iterator[tuple[str | None, str]]:
    """`publist check`'s warnings for the bibtex format: each required field the item lacks
    (no authors at all has its own warning), reported at the title's line."""
    entry_type = type_row(item.get("type")).bibtex
    for var, field in missing_for_bibtex(item):
        if var == "author" and not item.get("author"):
            continue
        yield "title", f"no {var} (BibTeX @{entry_type} needs `{field}`)"
