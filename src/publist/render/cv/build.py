"""The publication list a CV shows: owner found and marked, long author lists shortened,
entries rendered by the style, grouped (year, type or none) and numbered downwards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ...errors import PublistError
from ...model import Collection, Item, Name, issued_year
from ...names import find_owner
from ...website import facts
from .. import fidelity, item_key, render_entries
from .highlight import highlight, mark

ELLIPSIS: Name = {"literal": "…"}
FORMATS_CV = ("markdown", "html", "latex", "text")
GROUPINGS = ("year", "type", "none")
TYPE_GROUPS = [
    ("article-journal", "Journal articles"),
    ("paper-conference", "Conference papers"),
    ("chapter", "Book chapters"),
    ("book", "Books"),
    ("article", "Preprints"),
    ("report", "Reports"),
    ("thesis", "Theses"),
]
_TYPE_LABEL = dict(TYPE_GROUPS)
#: section keys beside the CSL types of TYPE_GROUPS, with their default titles
OTHER_SECTIONS = {"selected": "Selected publications", "other": "Other", "undated": "Undated"}
SECTION_ALIASES = {
    "preprint": "article",
    "journal": "article-journal",
    "conference": "paper-conference",
}


@dataclass(frozen=True)
class CVOptions:
    """Everything that shapes a CV list; :func:`build` and the writers read it."""

    owners: Sequence[Name] = ()  # empty: the seed's owner
    style: str = "apa"
    format: str = "markdown"
    group_by: str = "year"
    max_authors: int = 10
    numbered: bool = True
    abstracts: bool = True
    locale: str | None = None
    #: a "Selected publications" section first (the overlay's `selected`), the rest after it
    selected_first: bool = False
    #: section titles by key: a CSL type (or preprint, journal, conference), selected, other,
    #: undated
    section_titles: Mapping[str, str] = field(default_factory=dict)

    def title(self, key: str) -> str:
        for wanted, title in self.section_titles.items():
            if SECTION_ALIASES.get(wanted, wanted) == key:
                return title
        return _TYPE_LABEL.get(key) or OTHER_SECTIONS[key]

    def check(self) -> None:
        if self.format not in FORMATS_CV:
            raise PublistError(
                f"unknown CV format {self.format!r} (known: {', '.join(FORMATS_CV)})"
            )
        if self.group_by not in GROUPINGS:
            raise PublistError(f"unknown grouping {self.group_by!r} (year, type or none)")
        known = {*_TYPE_LABEL, *OTHER_SECTIONS, *SECTION_ALIASES}
        for key in self.section_titles:
            if key not in known:
                raise PublistError(
                    f"no section {key!r} to title (known: {', '.join(sorted(known))})"
                )


def options(base: CVOptions | None = None, **fields: Any) -> CVOptions:
    """``base`` (or the defaults) with ``fields`` changed, checked."""
    chosen = replace(base or CVOptions(), **fields)
    chosen.check()
    return chosen


@dataclass
class CVEntry:
    item: Item
    citation: str  # styled, owner highlighted, in the output format
    number: int | None = None


@dataclass
class CVGroup:
    title: str
    entries: list[CVEntry] = field(default_factory=list)


def shown_authors(
    authors: list[Name], owner_indices: list[int], max_authors: int
) -> tuple[list[Name], list[int]]:
    """The authors a CV line shows: all, or (beyond ``max_authors``) the first ones, an
    ellipsis, the owner in place, an ellipsis and the last; and where the owner now stands."""
    if not max_authors or len(authors) <= max_authors:
        return list(authors), list(owner_indices)
    head = min(3, max(1, max_authors - 2))
    keep = list(range(head)) + [i for i in owner_indices if head <= i < len(authors) - 1]
    keep.append(len(authors) - 1)
    shown: list[Name] = []
    positions: list[int] = []
    previous = -1
    for index in keep:
        if index > previous + 1:
            shown.append(dict(ELLIPSIS))
        if index in owner_indices:
            positions.append(len(shown))
        shown.append(authors[index])
        previous = index
    return shown, positions


def _owners(collection: Collection, chosen: CVOptions) -> list[Name]:
    owners = list(chosen.owners) or ([collection.owner] if collection.owner else [])
    if not owners:
        raise PublistError(
            'no owner: give --owner "Family, Given" (the seed\'s first line '
            "is used when there is one)"
        )
    return owners


@dataclass
class _Shortened:
    """The copies render_entries sees, and per citeproc key: owner positions, text after."""

    copies: list[Item] = field(default_factory=list)
    marks: dict[str, set[int]] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)

    def mark_owner(self, key: str, variable: str, names: Sequence[Any]) -> list[Any] | None:
        """fidelity.NAME_TRANSFORM: the owner's names marked for :func:`highlight`."""
        wanted = self.marks.get(key)
        if variable != "author" or not wanted:
            return None
        from citeproc.source import Name as SourceName

        return [
            SourceName(**mark(dict(name))) if index in wanted else name
            for index, name in enumerate(names)
        ]


def _shorten(records: list[Item], owners: list[Name], max_authors: int) -> _Shortened:
    shortened = _Shortened()
    for index, item in enumerate(records):
        authors = item.get("author") or []
        shown, positions = shown_authors(authors, find_owner(authors, owners), max_authors)
        copy = dict(item)
        if authors:
            copy["author"] = shown
        shortened.copies.append(copy)
        key = item_key(index)
        shortened.marks[key] = set(positions)
        if len(shown) != len(authors):
            shortened.after[key] = f" ({len(authors)} authors)"
    return shortened


def build(
    items: Iterable[Item] | Collection, chosen: CVOptions | None = None
) -> tuple[list[CVGroup], list[Name]]:
    """The CV's groups of entries (citations highlighted in ``chosen.format``) and its owners."""
    chosen = chosen or CVOptions()
    chosen.check()
    collection = Collection.of(items)
    records = list(collection)
    owners = _owners(collection, chosen)
    shortened = _shorten(records, owners, chosen.max_authors)
    tokens = (
        fidelity.NAME_TRANSFORM.set(shortened.mark_owner),
        fidelity.NAMES_AFTER.set(shortened.after),
        fidelity.NO_ET_AL.set(True),
    )
    try:
        rendered = render_entries(shortened.copies, chosen.style, chosen.format, chosen.locale)
    finally:
        fidelity.NAME_TRANSFORM.reset(tokens[0])
        fidelity.NAMES_AFTER.reset(tokens[1])
        fidelity.NO_ET_AL.reset(tokens[2])
    entries = [
        CVEntry(records[e.index], highlight(e.body(chosen.format), owners, chosen.format))
        for e in rendered
    ]
    groups = _sections(entries, chosen)
    if chosen.numbered:
        number = sum(len(g.entries) for g in groups)
        for group in groups:
            for entry in group.entries:
                entry.number = number
                number -= 1
    return groups, owners


def _newest_first(entry: CVEntry) -> int:
    return -(issued_year(entry.item) or 0)


def _sections(entries: list[CVEntry], chosen: CVOptions) -> list[CVGroup]:
    """The groups, after a "Selected publications" one when asked for; no entry twice."""
    first: list[CVGroup] = []
    if chosen.selected_first:
        selected = [e for e in entries if facts(e.item).selected]
        if selected:
            first = [CVGroup(chosen.title("selected"), sorted(selected, key=_newest_first))]
            entries = [e for e in entries if not facts(e.item).selected]
    return first + _group(entries, chosen)


def _group(entries: list[CVEntry], chosen: CVOptions) -> list[CVGroup]:
    if not entries:
        return []
    if chosen.group_by == "none":
        return [CVGroup("", sorted(entries, key=_newest_first))]
    if chosen.group_by == "year":
        return _group_by_year(entries, chosen)
    return _group_by_type(entries, chosen)


def _group_by_year(entries: list[CVEntry], chosen: CVOptions) -> list[CVGroup]:
    groups: dict[str, CVGroup] = {}
    for entry in entries:  # entries come in the style's order; grouping keeps it
        year = issued_year(entry.item)
        key = str(year) if year is not None else "undated"
        groups.setdefault(key, CVGroup(key)).entries.append(entry)
    order = sorted((t for t in groups if t != "undated"), key=int, reverse=True)
    if "undated" in groups:
        order.append("undated")
        groups["undated"].title = chosen.title("undated")
    return [groups[t] for t in order]


def _group_by_type(entries: list[CVEntry], chosen: CVOptions) -> list[CVGroup]:
    groups: dict[str, CVGroup] = {}
    for entry in entries:
        kind = entry.item.get("type", "")
        key = kind if kind in _TYPE_LABEL else "other"
        groups.setdefault(key, CVGroup(chosen.title(key))).entries.append(entry)
    order = [kind for kind, _ in TYPE_GROUPS if kind in groups]
    order += ["other"] if "other" in groups else []
    for group in groups.values():
        group.entries.sort(key=_newest_first)
    return [groups[t] for t in order]
