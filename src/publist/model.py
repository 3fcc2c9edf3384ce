"""The one model: CSL-JSON items, and a collection that streams them.

An item is a plain ``dict`` in CSL-JSON 1.0.2 form.  Readers yield items; writers consume any
iterable of items.  A :class:`Collection` adds what a whole file knows beyond its items: the
owner of a publication list (the seed's first line), where the item last yielded came from,
how its ids were made, and what went wrong while reading it.

A collection is built by its constructor and not changed from outside this module: the only
things others add to are its ``warnings`` and ``errors`` lists (readers and writers report into
them while the items stream).  A changed view — items passing through a progress line, an
overlay's fields added — is a new collection made by a method here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import PublistError
    from .pipeline import RecordSource

Item = dict[str, Any]
Name = dict[str, str]
#: an item with the source line (or 1-based index) it starts at, when the format has one
Located = tuple[int | None, Item]

#: a pass-through over a stream of records (it yields what it is given, in order)
PassThrough = Callable[[Iterator[Any]], Iterator[Any]]


class _Unlocated:
    """Items without lines, as pairs (iterable as often as the items are: a list, again)."""

    def __init__(self, items: Iterable[Item]) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Located]:
        return ((None, item) for item in self._items)


class KeyPolicy(Enum):
    """Where the items' ids come from."""

    #: the input names its records (a .bib key, a CSL-JSON id): ids are the input's
    KEPT = "kept"
    #: publist made the ids from the data (the seed): they are re-made when data is added,
    #: and may be given out by the parent process of a parallel conversion
    GENERATED = "generated"


class Collection:
    """Items (read lazily, once) plus what the file knows beyond them.

    ``items``: the item source, plain items; :meth:`located` builds one from ``(line, item)``
    pairs.  ``records``: the reader's raw records and their parser, for conversion on several
    cores (None when the items can only be read in order); it is gone once the items are read.
    ``field_offsets``: line offsets of fields from an item's first line (the seed's authors are
    one line down).  ``keys``: the :class:`KeyPolicy`.  ``late_errors``: the reader's answer to
    :meth:`allow_late_errors` (None: its errors come as they come).
    """

    def __init__(
        self,
        items: Iterable[Item] = (),
        *,
        owner: Name | None = None,
        source: str | None = None,
        keys: KeyPolicy = KeyPolicy.KEPT,
        records: RecordSource | None = None,
        field_offsets: Mapping[str, int] | None = None,
        warnings: list[str] | None = None,
        errors: list[PublistError] | None = None,
        late_errors: Callable[[], None] | None = None,
    ) -> None:
        self._located: Iterable[Located] = _Unlocated(items)
        self._owner = owner
        self._source = source
        self._keys = keys
        self._records = records
        self._field_offsets: Mapping[str, int] = dict(field_offsets or {})
        self._position: int | None = None
        self._late_errors = late_errors
        #: warnings about the whole file; readers and writers add to it as the items stream
        self.warnings: list[str] = warnings if warnings is not None else []
        #: entries that could not be read (the rest of the file still converts)
        self.errors: list[PublistError] = errors if errors is not None else []

    @classmethod
    def located(
        cls,
        pairs: Iterable[Located],
        *,
        owner: Name | None = None,
        source: str | None = None,
        keys: KeyPolicy = KeyPolicy.KEPT,
        records: RecordSource | None = None,
        field_offsets: Mapping[str, int] | None = None,
        warnings: list[str] | None = None,
        errors: list[PublistError] | None = None,
        late_errors: Callable[[], None] | None = None,
    ) -> Collection:
        """A collection of ``(line, item)`` pairs: :attr:`position` follows the item yielded."""
        collection = cls(
            owner=owner,
            source=source,
            keys=keys,
            records=records,
            field_offsets=field_offsets,
            warnings=warnings,
            errors=errors,
            late_errors=late_errors,
        )
        collection._located = pairs
        return collection

    @classmethod
    def of(cls, items: Iterable[Item] | Collection) -> Collection:
        """``items`` as a collection (itself when it is one)."""
        return items if isinstance(items, Collection) else cls(items)

    # --- what the file knows -------------------------------------------------------------

    @property
    def owner(self) -> Name | None:
        """Whose publication list it is (the seed's first line), when the file says."""
        return self._owner

    @property
    def source(self) -> str | None:
        """The file name errors and warnings point at."""
        return self._source

    @property
    def keys(self) -> KeyPolicy:
        return self._keys

    @property
    def generated_keys(self) -> bool:
        """True when publist made the ids (the seed): they are re-made when data is added."""
        return self._keys is KeyPolicy.GENERATED

    @property
    def records(self) -> RecordSource | None:
        """The raw records for a parallel conversion, until the items are read in order."""
        return self._records

    @property
    def field_offsets(self) -> Mapping[str, int]:
        return self._field_offsets

    @property
    def position(self) -> int | None:
        """The source line (or 1-based index) of the item most recently yielded."""
        return self._position

    def line_of(self, field: str | None = None) -> int | None:
        """The source line of ``field`` of the item most recently yielded."""
        if self._position is None:
            return None
        return self._position + self._field_offsets.get(field or "", 0)

    # --- reading -------------------------------------------------------------------------

    def allow_late_errors(self) -> None:
        """Tell the reader, before the items are read, that an error after some of them loses
        nothing (they go to a file that appears only when all is written): one that would
        check the whole input before handing out the first item may then check each item as
        it hands it out (the same errors and warnings, the input read once)."""
        if self._late_errors is not None:
            self._late_errors()

    def located_items(self) -> Iterator[Located]:
        """``(line, item)`` pairs (the collection can be iterated once only)."""
        # read in order from here on: the raw records are no longer the file's to hand out
        # (the seed's keys continue from the items read here)
        self._records = None
        for position, item in self._located:
            self._position = position
            yield position, item

    def __iter__(self) -> Iterator[Item]:
        for _, item in self.located_items():
            yield item

    def to_list(self) -> list[Item]:
        """Read every item (the collection can be iterated once only)."""
        return list(self)

    # --- new views -----------------------------------------------------------------------

    def _derived(self, pairs: Iterable[Located], records: RecordSource | None) -> Collection:
        return Collection.located(
            pairs,
            owner=self._owner,
            source=self._source,
            keys=self._keys,
            records=records,
            field_offsets=self._field_offsets,
            warnings=self.warnings,
            errors=self.errors,
            late_errors=self._late_errors,
        )

    def passing_through(self, wrap: PassThrough) -> Collection:
        """The same collection, its items (and raw records, if any) passing through ``wrap``:
        a progress line, closing the file at the end.  Reports go to the same lists."""
        records = self._records
        if records is not None:
            records = dataclasses.replace(records, raw=wrap(iter(records.raw)))
        return self._derived(wrap(iter(self._located)), records)

    def overlaid(self, pairs: Iterable[Located]) -> Collection:
        """The collection with its items replaced by ``pairs`` (an overlay's fields added).

        A file with an overlay converts in one process: the overlay is matched against the
        items in order (and the seed's keys are re-made from the data it adds), which the raw
        records a parallel conversion hands to workers know nothing of.  So they are dropped."""
        return self._derived(pairs, None)


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
