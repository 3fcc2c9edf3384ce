"""The one model: CSL-JSON items, and a collection that streams them.

An item is a plain ``dict`` in CSL-JSON 1.0.2 form.  Readers yield items; writers consume any
iterable of items.  A :class:`Collection` adds what a whole file knows beyond its items: the
owner of a publication list (the seed's first line) and where the item last yielded came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import PublistError
    from .pipeline import RecordSource

Item = dict[str, Any]
Name = dict[str, str]


class Collection:
    """Items (read lazily, once) plus the list's owner.

    ``position`` is the source line (or, for formats without lines, the 1-based index) of the
    item most recently yielded, so streaming consumers such as ``check`` can point at it.
    """

    def __init__(
        self,
        items: Iterable[Item],
        owner: Name | None = None,
        source: str | None = None,
    ) -> None:
        self._items = items
        self.owner = owner
        self.source = source
        self.position: int | None = None
        #: line offsets of fields from ``position`` (the seed's authors are one line down)
        self.field_offsets: dict[str, int] = {}
        self.warnings: list[str] = []
        #: entries that could not be read; the rest of the file still converts
        self.errors: list[PublistError] = []
        #: True when publist made the ids (the seed): they are re-made when data is added
        self.generated_keys = False
        #: the reader's raw records and their parser (a :class:`publist.pipeline.RecordSource`),
        #: for conversion on several cores; None when the items can only be read in order
        self.records: RecordSource | None = None

    def line_of(self, field: str | None = None) -> int | None:
        """The source line of ``field`` of the item most recently yielded."""
        if self.position is None:
            return None
        return self.position + self.field_offsets.get(field or "", 0)

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items)

    def to_list(self) -> list[Item]:
        """Read every item (the collection can be iterated once only)."""
        return list(self)

    @classmethod
    def of(cls, items: Iterable[Item] | Collection, owner: Name | None = None) -> Collection:
        if isinstance(items, Collection):
            if owner is not None:
                items.owner = owner
            return items
        return cls(items, owner=owner)


def issued_year(item: Item) -> int | None:
    """The year of ``issued`` when one is known."""
    parts = date_parts(item)
    return parts[0] if parts else None


def date_parts(item: Item) -> list[int]:
    """``[year, month, day]`` as far as ``issued`` knows them (date-parts, or an ISO raw date)."""
    issued = item.get("issued")
    if not isinstance(issued, dict):
        return []
    parts = issued.get("date-parts")
    if parts and parts[0]:
        try:
            return [int(p) for p in parts[0][:3]]
        except (TypeError, ValueError):
            return []
    raw = str(issued.get("raw") or issued.get("literal") or "")
    match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", raw)
    return [int(g) for g in match.groups() if g] if match else []
