"""RIS, for Zotero, Mendeley and EndNote: a writer and a reader on rispy.

Writing: ``TY`` first and ``ER`` last in every record, one ``AU`` line per author
(``Family, Given[, Suffix]``; organisations as their literal name), CRLF line ends, UTF-8, and no
line break inside a value (so no text can start a tag or end a record).  Reading: records are
found line by line (so problems carry line numbers), then each is parsed by rispy.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import BinaryIO, TextIO

import rispy

from ..errors import PublistError
from ..identifiers import add_arxiv, arxiv_fields, arxiv_id
from ..keys import KeyAllocator, base_key
from ..lines import numbered_lines
from ..mappings import RIS_FIELDS, RIS_NUMBER_KEY, RIS_TO_CSL, type_row
from ..model import Collection, Item, Name, date_parts
from ..names import family_with_particle, given_with_particle, name_from_parts
from ..pipeline import ChunkWriter, write_chunks
from ..registry import Format, register
from ..richtext import literal_fields, to_plain

CRLF = "\r\n"
# Everything that some reader takes for a line break, and other control characters.
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|[\x00-\x08\x0e-\x1b\x1f\x7f]")
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_KNOWN_TAGS = frozenset(rispy.TAG_KEY_MAPPING) | {"UK"}
_NUMBERED_TYPES = frozenset({"report", "article"})
PREPRINT = "Preprint"


class _Writer(rispy.RisWriter):
    """rispy's writer, without its "1." header lines, with CRLF line ends.

    Its line formatting and output are tightened (one write per record): with hundreds of
    AU lines per record they were most of the time a conversion took."""

    NEWLINE = CRLF
    SEPARATOR = None

    def set_header(self, count: int) -> str:
        return ""

    def _format_line(self, tag: str, value: str = "") -> str:
        return f"{tag}  - {value}"

    def format_lines(self, file: TextIO, references: list[dict]) -> None:
        lines = list(self._yield_lines(references))
        file.write(CRLF.join(lines) + CRLF)


def _one_line(text: object) -> str:
    return _BREAKS.sub(" ", to_plain(str(text))).strip()  # RIS is plain text: markup dropped


def _ris_name(name: Name) -> str:
    return _ris_name_cached(tuple(name.items()))


# Set once an organisation name with a comma has been formatted: only then is it worth looking
# through every author list for one (a note says such names read back as persons).
_COMMA_LITERAL_SEEN = [False]


@lru_cache(maxsize=8192)
def _ris_name_cached(parts: tuple[tuple[str, str], ...]) -> str:
    """``Family, Given[, Suffix]``; cached, since big author lists repeat names."""
    name = dict(parts)
    if "literal" in name:
        if "," in name["literal"]:
            _COMMA_LITERAL_SEEN[0] = True
        return _one_line(name["literal"])
    family = family_with_particle(name) or ""
    given = given_with_particle(name)
    parts = [family]
    if given or name.get("suffix"):
        parts.append(given or "")
    if name.get("suffix"):
        parts.append(name["suffix"])
    return _one_line(", ".join(parts))


def _pages(page: str) -> tuple[str, str | None]:
    match = re.match(r"^\s*([^-–—\s]+)\s*[-–—]+\s*([^-–—\s]+)\s*$", page)
    if match:
        return match.group(1), match.group(2)
    return page.strip(), None


def _record(item: Item, key: str, notes: dict[str, int]) -> dict:
    record: dict = {"type_of_reference": type_row(item.get("type")).ris}
    authors = item.get("author") or []
    if authors:
        # (map over the cache: one Python call per author is most of this writer's time)
        record["authors"] = list(map(_ris_name_cached, map(tuple, map(dict.items, authors))))
        if _COMMA_LITERAL_SEEN[0] and any("literal" in n and "," in n["literal"] for n in authors):
            notes["organisation names with a comma read back as persons in RIS"] = 1
    if item.get("editor"):
        record["secondary_authors"] = [_ris_name(n) for n in item["editor"]]
    arxiv = arxiv_id(item)
    for var, key_name in RIS_FIELDS.items():
        value = item.get(var)
        if value not in (None, "", []):
            record[key_name] = _one_line(value)
    if item.get("type") == "article" and "type_of_work" not in record:
        record["type_of_work"] = PREPRINT  # Zotero: report type "Preprint"; read back as such
    date = date_parts(item)
    if date:
        record["year"] = f"{date[0]:04d}"
        record["date"] = "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(date))
    if item.get("page"):
        start, end = _pages(_one_line(item["page"]))
        record["start_page"] = start
        if end:
            record["end_page"] = end
    number = item.get("number")
    if number and item.get("type") in _NUMBERED_TYPES:
        record[RIS_NUMBER_KEY] = _one_line(number)
    elif item.get("ISSN") or item.get("ISBN"):
        record[RIS_NUMBER_KEY] = _one_line(item.get("ISSN") or item.get("ISBN"))
    urls = [_one_line(item["URL"])] if item.get("URL") else []
    if arxiv and not urls:
        urls = [arxiv_fields(arxiv)["URL"]]
    if urls:
        record["urls"] = urls
    keywords = item.get("keyword")
    if keywords:
        record["keywords"] = [k for k in (_one_line(k) for k in re.split(r"[,;]", keywords)) if k]
    if item.get("note"):
        record["notes"] = [_one_line(item["note"])]
    record["id"] = key
    return record


class RisChunkWriter(ChunkWriter):
    """RIS records, a blank line between two records (never inside one)."""

    separator = CRLF

    def __init__(self) -> None:
        self._writer = _Writer()
        self._keys = KeyAllocator()
        self._notes: dict[str, int] = {}

    def format(self, items: list[Item]) -> str:
        records = [
            _record(item, self._keys.claim(_one_line(item.get("id", "")) or "item"), self._notes)
            for item in items
        ]
        out = io.StringIO(newline="")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for i, record in enumerate(records):
                if i:
                    out.write(CRLF)
                self._writer.format_lines(out, [record])
        return out.getvalue()

    def take_report(self) -> dict:
        report, self._notes = {"notes": self._notes}, {}
        return report

    def absorb(self, report: dict, rename: Callable[[str], str]) -> None:
        self._notes.update(report["notes"])

    def notes(self) -> list[str]:
        return list(self._notes)


def write_ris(collection: Collection, out: TextIO) -> None:
    write_chunks(RisChunkWriter(), collection, out)


# --- reading -----------------------------------------------------------------------------------


def _csl_date(record: dict) -> dict | None:
    for key in ("date", "publication_year", "year"):
        value = str(record.get(key) or "").strip()
        parts = [p for p in re.split(r"[/\-]", value) if p.strip().isdigit()]
        if parts and len(parts[0]) == 4:
            numbers = [int(p) for p in parts[:3]]
            while numbers and numbers[-1] == 0:
                numbers.pop()
            if numbers:
                return {"date-parts": [numbers]}
    return None


def _name(text: str) -> Name:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        return name_from_parts(parts[0], None)  # no comma: an organisation or a lone name
    name = name_from_parts(parts[0], parts[1] or None) if parts[0] else {"given": parts[1]}
    if len(parts) > 2 and parts[2] and "literal" not in name:
        name["suffix"] = ", ".join(p for p in parts[2:] if p)
    return name


_REVERSE = {v: k for k, v in RIS_FIELDS.items()}


def _item(record: dict) -> Item:
    ris_type = str(record.get("type_of_reference", "GEN")).strip().upper()
    csl_type = RIS_TO_CSL.get(ris_type, "document")
    item: Item = {"id": str(record.get("id") or "").strip(), "type": csl_type}
    names = list(record.get("authors", [])) + list(record.get("first_authors", []))
    if names:
        item["author"] = [_name(n) for n in names]
    if record.get("secondary_authors"):
        item["editor"] = [_name(n) for n in record["secondary_authors"]]
    for key, var in _REVERSE.items():
        value = record.get(key)
        if value:
            item[var] = value if isinstance(value, str) else "; ".join(value)
    if not item.get("title") and record.get("primary_title"):
        item["title"] = record["primary_title"]
    if not item.get("container-title"):
        for key in ("alternate_title3", "journal_name"):  # JF, then JO (an abbreviation)
            if record.get(key):
                item["container-title"] = record[key]
                break
    if not item.get("abstract") and record.get("notes_abstract"):
        item["abstract"] = record["notes_abstract"]
    start, end = record.get("start_page"), record.get("end_page")
    if start:
        item["page"] = f"{start}-{end}" if end else start
    number = record.get(RIS_NUMBER_KEY)
    if number:
        if csl_type in ("report", "article", "manuscript", "patent"):
            item["number"] = number
        elif csl_type in ("book", "chapter"):
            item["ISBN"] = number
        else:
            item["ISSN"] = number
    issued = _csl_date(record)
    if issued:
        item["issued"] = issued
    urls = record.get("urls") or []
    if urls:
        item["URL"] = urls[0]
    if record.get("keywords"):
        item["keyword"] = ", ".join(record["keywords"])
    notes = list(record.get("notes") or [])
    if record.get("note"):  # M1: EndNote puts the issue here
        if csl_type.startswith("article-") and "issue" not in item:
            item["issue"] = record["note"]
        else:
            notes.append(record["note"])
    for tag, values in (record.get("unknown_tag") or {}).items():
        notes += [f"{tag}: {v}" for v in values]
    if notes:
        item["note"] = "\n".join(notes)
    arxiv = arxiv_id(item)
    if csl_type == "report" and str(item.get("genre", "")).lower() == PREPRINT.lower():
        item["type"] = "article"  # a preprint, written as RPRT with report type "Preprint"
        del item["genre"]
    if arxiv:
        add_arxiv(item, arxiv)
    return item


def _records(stream: BinaryIO, source: str, collection: Collection) -> Iterator[tuple[int, str]]:
    """``(first line, text)`` of each complete record; problems go to the collection."""
    start: int | None = None
    lines: list[str] = []
    for lineno, text in numbered_lines(stream, source):
        match = _TAG_LINE.match(text)
        tag = match.group(1) if match else None
        if tag == "TY":
            if start is not None:
                collection.errors.append(
                    PublistError(
                        "record has no `ER  - ` line before the next `TY`: skipped", source, start
                    )
                )
            start, lines = lineno, [text]
            continue
        if start is None:
            if text.strip():
                collection.warnings.append(f"{source}:{lineno}: text outside a record ignored")
            continue
        if tag is not None and tag not in _KNOWN_TAGS:
            collection.warnings.append(
                f"{source}:{lineno}: unknown tag {tag!r}: kept in the record's note"
            )
        lines.append(text)
        if tag == "ER":
            yield start, "\n".join(lines)
            start, lines = None, []
    if start is not None:
        collection.errors.append(
            PublistError("record has no `ER  - ` line (file ends): skipped", source, start)
        )


def read_ris(stream: BinaryIO, source: str) -> Collection:
    collection = Collection([], source=source)
    parser = rispy.RisParser(newline="\n")

    def generate() -> Iterator[Item]:
        keys = KeyAllocator()
        for start, text in _records(stream, source, collection):
            parsed = parser.parse(text)
            if not parsed:
                collection.errors.append(PublistError("unreadable record skipped", source, start))
                continue
            item = literal_fields(_item(parsed[0]))  # plain text: a "<i>" stays text
            item["id"] = keys.claim(item["id"] or base_key(item))
            collection.position = start
            yield item

    collection._items = generate()
    return collection


register(
    Format(
        name="ris",
        description="RIS (Zotero, Mendeley, EndNote): CRLF, UTF-8, one AU line per author",
        extensions=(".ris",),
        reader=read_ris,
        writer=write_ris,
        chunk_writer=RisChunkWriter,
        default_extension=".ris",
    )
)
