"""`publist check`: problems in the records, one per line, ``FILE:LINE: level: message``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bibtexparser.model import Entry

from .biblatex_model import datamodel_warnings
from .mappings import (
    BIBTEX_FIELD_NAME,
    BIBTEX_REQUIRED,
    CONTAINER_DEFAULT,
    CONTAINER_FIELD,
    PUBLISHER_DEFAULT,
    PUBLISHER_FIELD,
    type_row,
)
from .model import Collection, Item, Name, issued_year
from .names import display_name, find_owner, fold, odd_capitals, sort_text


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    level: str  # "warning" or "error"
    message: str

    def __str__(self) -> str:
        where = self.source + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.level}: {self.message}"


def _is_family_only(name: Name) -> bool:
    return "literal" not in name and not name.get("given") and bool(name.get("family"))


def _author_problems(authors: list[Name]) -> Iterator[str]:
    i = 0
    while i < len(authors):
        name = authors[i]
        if _is_family_only(name):
            nxt = authors[i + 1] if i + 1 < len(authors) else None
            if nxt is not None and _is_family_only(nxt):
                yield (
                    f"authors {i + 1} and {i + 2} ({name['family']!r}, {nxt['family']!r}) have no "
                    f"given names: one person split in two ({name['family']} {nxt['family']})?"
                )
                i += 2
                continue
            yield f"author {i + 1} ({name['family']!r}) has no given name"
        i += 1
    seen: dict[str, int] = {}
    for i, name in enumerate(authors, start=1):
        key = fold(sort_text(name))
        if key in seen:
            yield (
                f"{display_name(name)!r} appears twice (authors {seen[key]} and {i}): "
                "two people of the same name, or a duplicate?"
            )
        else:
            seen[key] = i
        for part in ("given", "family"):
            for word in odd_capitals(name.get(part, "")):
                yield f"author {i} ({display_name(name)!r}): suspicious capitals in {word!r}"


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


def _biber_problems(entry: Entry, label: str, source: str, line: int | None) -> Iterator[Problem]:
    """What ``biber --tool --validate-datamodel`` says of the biblatex entry publist writes."""
    for message in datamodel_warnings(entry):
        yield Problem(source, line, "warning", f"{label}: biber (@{entry.entry_type}): {message}")


def check(collection: Collection, owners: Iterable[Name] | None = None) -> Iterator[Problem]:
    """Warnings for every item of ``collection`` (read errors propagate as exceptions)."""
    owner_list = (
        list(owners) if owners is not None else ([collection.owner] if collection.owner else [])
    )
    source = collection.source or "<input>"
    from .formats.bibtex import BibWriter  # (formats import the registry, which imports check)

    biblatex = BibWriter(True)  # the entries `convert -t biblatex` writes, keys and all
    for item in collection:
        label = f"{item.get('id')}"
        authors = item.get("author") or []
        title_line = collection.line_of("title")
        author_line = collection.line_of("author")
        if not item.get("title"):
            yield Problem(source, title_line, "warning", f"{label}: no title")
        if issued_year(item) is None:
            yield Problem(source, title_line, "warning", f"{label}: no year (issued date unknown)")
        if not authors:
            yield Problem(source, author_line, "warning", f"{label}: no authors")
        for var, field in missing_for_bibtex(item):
            if var == "author" and not authors:
                continue
            yield Problem(
                source,
                title_line,
                "warning",
                f"{label}: no {var} (BibTeX @{type_row(item.get('type')).bibtex} needs `{field}`)",
            )
        yield from _biber_problems(biblatex.entry(item), label, source, title_line)
        for message in _author_problems(authors):
            yield Problem(source, author_line, "warning", f"{label}: {message}")
        if owner_list and authors and not find_owner(authors, owner_list):
            who = " / ".join(display_name(o) for o in owner_list)
            yield Problem(
                source,
                author_line,
                "warning",
                f"{label}: the owner ({who}) is not among the authors",
            )
