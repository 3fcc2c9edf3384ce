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
from collections.abc import Iterator
from itertools import zip_longest
from typing import BinaryIO, TextIO

from ..errors import PublistError
from ..keys import KeyAllocator
from ..lines import numbered_lines
from ..model import Collection, Item, KeyPolicy, Located, Name
from ..names import family_with_particle, given_with_particle, names_from_pairs
from ..pipeline import RecordSource
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
    # the lines taken three at a time by zip_longest: no Python step per line (this runs in the
    # main process while the workers parse)
    lines = iter(lines)
    for (start, title), (author_line, authors), (_, abstract) in zip_longest(
        lines, lines, lines, fillvalue=_NO_LINE
    ):
        if title is None or authors is None or abstract is None:  # (title: never, at the end)
            missing = "abstract line" if authors is not None else "authors and abstract lines"
            raise PublistError(
                f"truncated record: it starts here but has no {missing} "
                "(each record is title, authors, abstract)",
                source,
                start,
            )
        yield start, title, author_line, authors, abstract


def parse_record(raw: RawRecord, source: str) -> Item:
    """One raw record as a CSL item without its id (a pure function: workers run it)."""
    _, title, author_line, authors, abstract = raw
    return item_from_record(title, parse_authors(authors, source, author_line), abstract)


def read_seed(stream: BinaryIO, source: str) -> Collection:
    lines = numbered_lines(stream, source)
    first = next(lines, None)
    if first is None:
        raise PublistError("empty file: expected the owner line `Family, Given`", source, 1)
    owner = parse_owner(first[1], source, first[0])
    raw_records = _raw_records(lines, source)

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
        records=RecordSource(raw_records, parse_record),
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
