"""The seed format: an owner line, then records of three lines (title, authors, abstract).

::

    Family, Given                      <- line 1: the owner of the list
    Title of the first record
    Family, Given, Family, Given, ...  <- `null` for "no given name"
    Abstract (may be empty)
    ...
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, chain, zip_longest
from typing import BinaryIO, TextIO

from ..errors import PublistError
from ..keys import KeyAllocator
from ..lines import numbered_blocks
from ..model import Collection, Item, KeyPolicy, Located, Name
from ..names import family_with_particle, given_with_particle, names_from_pairs
from ..pipeline import PACK_CHARS, PACK_RECORDS, Pack, RecordSource
from ..registry import Format, register
from ..richtext import literal_fields, to_plain

NULL = "null"
_NULL_GIVEN = {NULL: None}  # .get(given, given): None for `null`, else the given name
_REPORT = re.compile(r"technical\s+report", re.IGNORECASE)


def parse_authors(line: str, source: str, lineno: int) -> list[Name]:
    """``Family, Given, Family, null`` → CSL names; every pair kept, in order."""
    if not line.strip():
        return []
    tokens = list(map(str.strip, line.split(",")))
    if "" in tokens:
        i = tokens.index("") + 1
        raise PublistError(f"empty name part (comma-separated part {i})", source, lineno)
    if len(tokens) % 2:
        raise PublistError(
            f"odd number of comma-separated name parts ({len(tokens)}): "
            "authors come in `Family, Given` pairs (`null` for no given name)",
            source,
            lineno,
        )
    families, givens = tokens[0::2], tokens[1::2]
    if NULL in families:
        raise PublistError(
            f"author {families.index(NULL) + 1} has `null` as family name", source, lineno
        )
    return names_from_pairs(families, list(map(_NULL_GIVEN.get, givens, givens)))


def parse_owner(line: str, source: str, lineno: int = 1) -> Name:
    problem = "the first line must name the owner of the list as `Family, Given`"
    try:
        names = parse_authors(line, source, lineno)
    except PublistError as err:
        raise PublistError(f"{problem} ({err.message})", source, lineno) from None
    if len(names) != 1:
        raise PublistError(problem, source, lineno)
    return names[0]


def item_from_record(title: str, authors: list[Name], abstract: str) -> Item:
    title = title.strip()
    item: Item = {"id": "", "type": "report" if _REPORT.search(title) else "article"}
    if title:
        item["title"] = title
    item["author"] = authors
    if abstract:
        item["abstract"] = abstract
    return literal_fields(item)  # plain text: a "<i>" in a title stays text (publist.richtext)


# A record as read, not yet parsed: (first line, title, authors' line, authors, abstract).
RawRecord = tuple[int, str, int, str, str]


# what zip_longest gives for the lines a record cut short lacks
_NO_LINE: tuple[int, str | None] = (0, None)


def _raw_records(lines: Iterator[tuple[int, str]], source: str) -> Iterator[RawRecord]:
    # the lines taken three at a time by zip_longest: no Python step per line
    lines = iter(lines)
    for (start, title), (author_line, authors), (_, abstract) in zip_longest(
        lines, lines, lines, fillvalue=_NO_LINE
    ):
        if title is None or authors is None or abstract is None:  # (title: never, at the end)
            raise _truncated(start, 2 if authors is not None else 1, source)
        yield start, title, author_line, authors, abstract


def _truncated(start: int, lines: int, source: str) -> PublistError:
    missing = "abstract line" if lines == 2 else "authors and abstract lines"
    return PublistError(
        f"truncated record: it starts here but has no {missing} "
        "(each record is title, authors, abstract)",
        source,
        start,
    )


def _record_packs(blocks: Iterator[tuple[int, list[str]]], source: str) -> Iterator[Pack]:
    """The records' lines in packs of whole records, for the workers: this process cuts the
    blocks of lines with no step per line or record (it would otherwise be the bottleneck)."""
    start = 0
    lines: list[str] = []
    for first, block in blocks:
        if lines:
            lines += block
        else:
            start, lines = first, block
        whole = len(lines) - len(lines) % 3
        yield from _packs_of(lines, whole, start)
        start, lines = start + whole, lines[whole:]
    if lines:
        raise _truncated(start, len(lines), source)


def _packs_of(lines: list[str], whole: int, start: int) -> Iterator[Pack]:
    """Packs of ``lines[:whole]`` (whole records), the first line being line ``start``."""
    ends = list(accumulate(map(len, lines)))  # (the text's size up to each line's end)
    offset = used = 0
    while offset < whole:
        end = min(offset + 3 * PACK_RECORDS, whole)
        if ends[end - 1] - used > PACK_CHARS:  # (long records: fewer to a pack, at least one)
            end = bisect_right(ends, used + PACK_CHARS, offset, end)
            end = max(offset + 3, end - (end - offset) % 3)
        yield Pack((end - offset) // 3, ends[end - 1] - used, (start + offset, lines[offset:end]))
        used, offset = ends[end - 1], end


def _unpacked(data: tuple[int, list[str]], _source: str) -> list[RawRecord]:
    """A pack's raw records (in a worker)."""
    start, lines = data
    return list(
        zip(
            range(start, start + len(lines), 3),
            lines[0::3],
            range(start + 1, start + len(lines), 3),
            lines[1::3],
            lines[2::3],
            strict=True,
        )
    )


def parse_record(raw: RawRecord, source: str) -> Item:
    """One raw record as a CSL item without its id (a pure function: workers run it)."""
    _, title, author_line, authors, abstract = raw
    return item_from_record(title, parse_authors(authors, source, author_line), abstract)


def read_seed(stream: BinaryIO, source: str) -> Collection:
    blocks = numbered_blocks(stream, source)
    first = next(blocks, None)
    if first is None:
        raise PublistError("empty file: expected the owner line `Family, Given`", source, 1)
    start, lines = first
    owner = parse_owner(lines[0], source, start)
    rest = chain([(start + 1, lines[1:])] if len(lines) > 1 else [], blocks)
    # (one of the two reads the rest: the records here, or their packs on the workers)
    raw_records = _raw_records(
        (numbered for begin, block in rest for numbered in enumerate(block, begin)), source
    )

    def records() -> Iterator[Located]:
        keys = KeyAllocator()
        for raw in raw_records:
            item = parse_record(raw, source)
            item["id"] = keys.key_for(item)
            yield raw[0], item

    return Collection.located(
        records(),
        owner=owner,
        source=source,
        keys=KeyPolicy.GENERATED,
        records=RecordSource(_record_packs(rest, source), parse_record, unpack=_unpacked),
        field_offsets={"author": 1, "abstract": 2},
    )


# --- writing ---------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Line breaks become spaces; a lone CR is text, except at the end (it would read as CR LF)."""
    text = text.replace("\r\n", " ").replace("\n", " ")
    return text[:-1] + " " if text.endswith("\r") else text


def _seed_tokens(name: Name) -> tuple[str, str]:
    if "literal" in name:
        return name["literal"], NULL
    family = family_with_particle(name)
    if name.get("suffix"):
        family = f"{family} {name['suffix']}"
    given = given_with_particle(name)
    return (family or NULL), (given or NULL)


def _authors_line(names: list[Name], item_id: str) -> str:
    tokens = []
    for name in names:
        for token in _seed_tokens(name):
            token = _one_line(token).strip()
            if "," in token:
                raise PublistError(
                    f"item {item_id!r}: the name {token!r} has a comma, "
                    "which the seed format cannot hold"
                )
            tokens.append(token)
    return ", ".join(tokens)


def write_seed(collection: Collection, out: TextIO) -> None:
    owner = collection.owner
    if owner is None:
        raise PublistError("the seed format starts with the list's owner: none is known here")
    out.write(_authors_line([owner], "owner"))
    for item in collection:
        title = item.get("title") or ""
        abstract = item.get("abstract") or ""
        for label, text in (("title", title), ("abstract", abstract)):
            if _one_line(text) != text:
                collection.warnings.append(
                    f"item {item.get('id')!r}: line breaks in the {label} written as spaces"
                )
        authors = _authors_line(item.get("author") or [], str(item.get("id")))
        # the seed is plain text: rich-text markup is dropped (publist.richtext)
        title, abstract = to_plain(title), to_plain(abstract)
        out.write(f"\n{_one_line(title)}\n{authors}\n{_one_line(abstract)}")
    out.write("\n")


register(
    Format(
        name="seed",
        description="publist seed list: owner line, then title/authors/abstract records",
        extensions=(".txt", ".seed"),
        reader=read_seed,
        writer=write_seed,
        default_extension=".txt",
    )
)
