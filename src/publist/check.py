"""`publist check`: problems in the records, one per line, ``FILE:LINE: level: message``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import registry
from .model import Collection, Item, Name, issued_year
from .names import display_name, find_owner, odd_capitals, sort_text
from .text import fold


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


def _item_problems(
    item: Item, hooks: list[registry.CheckHook], owners: list[Name]
) -> Iterator[tuple[str | None, str]]:
    """(the field whose line to show, the message) for each problem of one item."""
    authors = item.get("author") or []
    if not item.get("title"):
        yield "title", "no title"
    if issued_year(item) is None:
        yield "title", "no year (issued date unknown)"
    if not authors:
        yield "author", "no authors"
    for hook in hooks:  # what each format knows it needs (BibTeX's required fields)
        yield from hook(item)
    for message in _author_problems(authors):
        yield "author", message
    if owners and authors and not find_owner(authors, owners):
        who = " / ".join(display_name(o) for o in owners)
        yield "author", f"the owner ({who}) is not among the authors"


def check(collection: Collection, owners: Iterable[Name] | None = None) -> Iterator[Problem]:
    """Warnings for every item of ``collection`` (read errors propagate as exceptions)."""
    owner_list = (
        list(owners) if owners is not None else ([collection.owner] if collection.owner else [])
    )
    source = collection.source or "<input>"
    hooks = [fmt.check for fmt in registry.all_formats() if fmt.check is not None]
    reported = 0
    for item in collection:
        # the reader's own warnings (a .bib file's macros, braces, repeated fields), with lines
        yield from _reader_warnings(collection, source, reported)
        reported = len(collection.warnings)
        label = f"{item.get('id')}"
        for field, message in _item_problems(item, hooks, owner_list):
            yield Problem(source, collection.line_of(field), "warning", f"{label}: {message}")
    yield from _reader_warnings(collection, source, reported, final=True)


def _reader_warnings(
    collection: Collection, source: str, start: int, final: bool = False
) -> Iterator[Problem]:
    for warning in collection.warnings[start:]:
        yield _reader_problem(source, "warning", warning)
    if final:  # then the entries the reader skipped
        for error in collection.errors:
            yield _reader_problem(source, "error", error)


def _reader_problem(source: str, level: str, what: object) -> Problem:
    """A reader's message; one that knows its line (a .bib warning, a PublistError) keeps it."""
    return Problem(source, getattr(what, "line", None), level, getattr(what, "message", str(what)))
