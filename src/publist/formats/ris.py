"""RIS, for Zotero, Mendeley and EndNote: a writer and a reader on rispy.

Writing: ``TY`` first and ``ER`` last in every record, one ``AU`` line per author
(``Family, Given[, Suffix]``; organisations as their literal name), CRLF line ends, UTF-8, and no
line break inside a value (so no text can start a tag or end a record).  Reading: records are
found line by line (so problems carry line numbers), then each is parsed by rispy, and every
tag reads through the one table :data:`publist.mappings.RIS_TAGS` (which the writer reads the
other way): a tag with no CSL variable is kept in the record's ``note``, with one warning per
tag and file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from functools import lru_cache, partial
from itertools import chain, islice
from typing import Any, BinaryIO, Protocol, TextIO

import rispy

from ..errors import PublistError
from ..identifiers import add_arxiv, arxiv_fields, arxiv_id, normalise_doi
from ..keys import KeyAllocator, base_key
from ..lines import BOM, decode_line, numbered_lines, raw_lines
from ..mappings import RIS_TAGS, RIS_TO_CSL, ris_tag, ris_var, type_row
from ..model import Collection, Item, Located, Name, date_parts
from ..names import (
    ORGANISATION_WORDS,
    family_with_particle,
    given_with_particle,
    name_from_parts,
)
from ..pipeline import ChunkWriter, worker_pool, workers, write_chunks
from ..registry import Format, register
from ..richtext import literal_fields, to_plain

CRLF = "\r\n"
# Everything that some reader takes for a line break, and other control characters.
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|[\x00-\x08\x0e-\x1b\x1f\x7f]")
_BREAK_CHARACTERS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029\x00-\x08\x0e-\x1b\x1f\x7f]")
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
PREPRINT = "Preprint"
# Tags that may repeat in a record: one line per value.
_LIST_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4", "ED", "KW", "N1", "UR", "L1", "L2", "L4"})
# rispy, told every tag: each maps to itself (lower case), every tag a list, so rispy keeps every
# value of a repeated tag (by default it silently keeps only the first of a non-list tag).
_RISPY_MAPPING = {tag: tag.lower() for tag in RIS_TAGS} | {"UK": "unknown_tag"}
_RISPY_LIST_TAGS = frozenset(RIS_TAGS)  # (a set: rispy tests membership per line)
# CSL name variables RIS can carry (through ris_tag: AU, A2, A3, A4).
_NAME_VARS = ("author", "editor", "collection-editor", "translator")
# CSL variables the writer handles by rules of its own rather than by the tag table, or, for
# ``custom`` (website facts: selected, abbr, links; publist.website), leaves to the website writers.
_WRITER_RULES = frozenset(
    {"id", "type", "issued", "accessed", "page", "keyword", "note", "URL", "citation-key", "custom"}
) | frozenset(_NAME_VARS)


class _Writer(rispy.RisWriter):
    """rispy's writer, told every tag, without its "1." header lines, with CRLF line ends: the
    layout :func:`_record_text` writes directly (``tests/test_ris.py`` checks they agree)."""

    NEWLINE = CRLF
    SEPARATOR = None
    DEFAULT_MAPPING = _RISPY_MAPPING
    DEFAULT_LIST_TAGS = _RISPY_LIST_TAGS
    REFERENCE_TYPE_KEY = "ty"

    def set_header(self, count: int) -> str:
        return ""


# The tags rispy's writer (told every tag, each a list tag) writes from a record: those whose
# lower-case label maps back to them; ``TY`` is written first, by itself.
_WRITTEN_TAGS = frozenset(
    tag for tag, label in _RISPY_MAPPING.items() if label == tag.lower() and tag != "TY"
)


def _record_text(ris_type: str, lines: dict[str, list[str]]) -> str:
    """One record as rispy's writer (:class:`_Writer`) lays it out: ``TY`` first, a line per
    value, ``ER`` last, each line ended by CRLF; written here in one join (rispy's generators
    and per-line formatting were most of this writer's time)."""
    out = ["TY  - " + ris_type]
    for tag, values in lines.items():
        if tag in _WRITTEN_TAGS:
            head = tag + "  - "
            out.extend([head + value for value in values])
    out.append("ER  - \r\n")
    return CRLF.join(out)


def _one_line(text: object) -> str:
    text = to_plain(str(text))  # RIS is plain text: markup dropped
    if _BREAK_CHARACTERS.search(text):  # (a character class scans fast; most text has none)
        text = _BREAKS.sub(" ", text)
    return text.strip()


def _ris_name(name: Name) -> tuple[str, bool]:
    """``Family, Given[, Suffix]``, and whether it is an organisation whose name has a comma
    (it reads back as a person)."""
    if "literal" in name:
        return _one_line(name["literal"]), "," in name["literal"]
    family = family_with_particle(name) or ""
    given = given_with_particle(name)
    pieces = [family]
    if given or name.get("suffix"):
        pieces.append(given or "")
    if name.get("suffix"):
        pieces.append(name["suffix"])
    return _one_line(", ".join(pieces)), False


# _ris_name by a name's fields then their texts (cheaper to build than its items); bounded.
_RIS_NAMES: dict[tuple, tuple[str, bool]] = {}
_RIS_NAMES_SIZE = 8192


def _ris_name_cached(name: Name) -> tuple[str, bool]:
    if len(_RIS_NAMES) >= _RIS_NAMES_SIZE:
        _RIS_NAMES.clear()
    found = _RIS_NAMES[(*name, *name.values())] = _ris_name(name)
    return found


def _ris_names(names: list[Name]) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The AU values, and for each whether it is an organisation with a comma."""
    # (big author lists repeat names: most are one look-up)
    cached = _RIS_NAMES.get
    found = [cached((*n, *n.values())) or _ris_name_cached(n) for n in names]
    texts, commas = zip(*found, strict=True)
    return texts, commas


def _pages(page: str) -> tuple[str, str | None]:
    match = re.match(r"^\s*([^-–—\s]+)\s*[-–—]+\s*([^-–—\s]+)\s*$", page)
    if match:
        return match.group(1), match.group(2)
    return page.strip(), None


def _date_text(date: list[int]) -> str:
    return "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(date))


class _Record:
    """One record being written: tag -> values, with the writer's notes."""

    def __init__(self, ris_type: str, notes: dict[str, int]) -> None:
        self.ris_type = ris_type
        self.lines: dict[str, list[str]] = {}
        self.notes = notes

    def add(self, tag: str, value: object, var: str = "") -> None:
        text = _one_line(value)
        if not text:
            return
        values = self.lines.setdefault(tag, [])
        if tag in _LIST_TAGS or not values:
            values.append(text)
        elif text not in values:
            # a second value for a one-value tag (an ISSN beside a report number): kept in N1
            self.lines.setdefault("N1", []).append(f"{var or tag}: {text}")

    def add_var(self, var: str, value: object) -> None:
        tag = ris_tag(var, self.ris_type)
        if tag is None:
            self.notes[var] = self.notes.get(var, 0) + 1
        else:
            self.add(tag, value, var)


def _write_names(record: _Record, item: Item) -> None:
    for var in _NAME_VARS:
        names = item.get(var)
        if names:
            tag = ris_tag(var, record.ris_type) or "AU"
            texts, commas = _ris_names(names)
            record.lines.setdefault(tag, []).extend(texts)
            if any(commas):
                record.notes[_COMMA_NOTE] = 1


_COMMA_NOTE = "organisation names with a comma read back as persons in RIS"


def _write_special(record: _Record, item: Item) -> None:
    date = date_parts(item)
    if date:
        record.add("PY", f"{date[0]:04d}")
        record.add("DA", _date_text(date))
    accessed = date_parts({"issued": item.get("accessed")})
    if accessed:
        record.add("Y2", _date_text(accessed))
    if item.get("page"):
        start, end = _pages(_one_line(item["page"]))
        record.add("SP", start)
        if end:
            record.add("EP", end)
    arxiv = arxiv_id(item)
    url = item.get("URL") or (arxiv_fields(arxiv)["URL"] if arxiv else "")
    record.add("UR", url)
    keywords = item.get("keyword")
    if keywords:
        for keyword in re.split(r"[,;]", str(keywords)):
            record.add("KW", keyword)
    for line in str(item.get("note") or "").splitlines():
        record.add("N1", line)  # one N1 a line: the reader joins them with line breaks again
    if item.get("type") == "article" and not item.get("genre"):
        record.add("M3", PREPRINT)  # Zotero: report type "Preprint"; read back as such


def _record(item: Item, key: str, notes: dict[str, int]) -> str:
    return _record_text(*_record_lines(item, key, notes))


def _record_lines(item: Item, key: str, notes: dict[str, int]) -> tuple[str, dict[str, list[str]]]:
    """A record's type and its values by tag, in the order written."""
    record = _Record(type_row(item.get("type")).ris, notes)
    _write_names(record, item)
    for var, value in item.items():
        if var not in _WRITER_RULES and value not in (None, "", []):
            record.add_var(var, value)
    if record.ris_type == "CPAPER" and item.get("container-title") and "T2" not in record.lines:
        # EndNote's CPAPER has no proceedings tag (T2: Conference Name); Mendeley reads T2
        record.add("T2", item["container-title"])
    _write_special(record, item)
    record.add("ID", key)
    return record.ris_type, record.lines


class RisChunkWriter(ChunkWriter):
    """RIS records, a blank line between two records (never inside one)."""

    separator = CRLF

    def __init__(self) -> None:
        self._keys = KeyAllocator()
        self._notes: dict[str, int] = {}

    def format(self, items: list[Item]) -> str:
        claim, notes = self._keys.claim, self._notes
        if self.unique_keys:
            return CRLF.join([_record(item, item["id"], notes) for item in items])
        return CRLF.join(
            [_record(item, claim(_one_line(item.get("id", "")) or "item"), notes) for item in items]
        )

    def take_report(self) -> dict:
        report, self._notes = {"notes": self._notes}, {}
        return report

    def absorb(self, report: dict, rename: Callable[[str], str]) -> None:
        for note, count in report["notes"].items():
            self._notes[note] = self._notes.get(note, 0) + count

    def notes(self) -> list[str]:
        notes = [n for n in self._notes if n == _COMMA_NOTE]
        unmapped = sorted((v, n) for v, n in self._notes.items() if v != _COMMA_NOTE)
        if unmapped:
            listed = ", ".join(f"{var} ({n})" for var, n in unmapped)
            notes.append(f"CSL variables with no RIS tag not written: {listed}")
        return notes


def write_ris(collection: Collection, out: TextIO) -> None:
    write_chunks(RisChunkWriter(), collection, out)


# --- reading -----------------------------------------------------------------------------------

_INITIALS = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ]\.?-?){1,4}$")


def _csl_date(value: str) -> dict | None:
    parts = [p for p in re.split(r"[/\-\s]", value.strip()) if p.strip().isdigit()]
    if parts and len(parts[0]) == 4:
        numbers = [int(p) for p in parts[:3]]
        while numbers and numbers[-1] == 0:
            numbers.pop()
        if numbers:
            return {"date-parts": [numbers]}
    return None


def _name(text: str) -> Name:
    """``Family, Given[, Suffix]``; ``Family Initials`` (Embase, Scopus: ``Liu R.``); else one
    name as written (an organisation)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        words = parts[0].split()
        initials = 0
        while initials < len(words) - 1 and _INITIALS.match(words[-1 - initials]):
            initials += 1
        if initials and not any(w.casefold() in ORGANISATION_WORDS for w in words):
            family, given = " ".join(words[:-initials]), " ".join(words[-initials:])
            return name_from_parts(family, given)
        return name_from_parts(parts[0], None)  # an organisation or a lone name
    name = name_from_parts(parts[0], parts[1] or None) if parts[0] else {"given": parts[1]}
    if len(parts) > 2 and parts[2] and "literal" not in name:
        name["suffix"] = ", ".join(p for p in parts[2:] if p)
    return name


class _Reading:
    """One record being read: the item, its notes, and where to report a tag kept in note."""

    def __init__(self, item: Item, ris_type: str, unmapped: Callable[[str], None]) -> None:
        self.item = item
        self.ris_type = ris_type
        self.notes: list[str] = []
        self.unmapped = unmapped
        self.pages: dict[str, str] = {}
        self.keywords: list[str] = []

    def keep(self, tag: str, value: str) -> None:
        self.notes.append(f"{tag}: {value}")

    def set(self, var: str, tag: str, value: str) -> None:
        """The first value of a variable wins; a different later one is kept in the note."""
        current = self.item.get(var)
        if current is None or current == "":
            self.item[var] = value
        elif current != value:
            self.keep(tag, value)


def _read_text(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    for value in values:
        r.set(var, tag, value)


@lru_cache(maxsize=65536)
def _name_parts(text: str) -> tuple[tuple[str, str], ...]:
    """:func:`_name`, cached: a library repeats its authors' names."""
    return tuple(_name(text).items())


def _read_names(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    r.item.setdefault(var, []).extend(dict(_name_parts(v)) for v in values if v.strip())


def _read_date(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    for value in values:
        date = _csl_date(value)
        current = r.item.get(var)
        if date is None:
            r.keep(tag, value)
        elif current is None:
            r.item[var] = date
        elif date["date-parts"][0][: len(current["date-parts"][0])] == current["date-parts"][0]:
            r.item[var] = date  # the fuller date (DA after PY)
        elif current["date-parts"][0][: len(date["date-parts"][0])] != date["date-parts"][0]:
            r.keep(tag, value)


def _read_page(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    key = "start" if tag == "SP" else "end"
    for value in values:
        if key in r.pages and r.pages[key] != value:
            r.keep(tag, value)
        else:
            r.pages[key] = value


def _read_doi(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    for value in values:
        r.set(var, tag, normalise_doi(value))


_ID_LABEL = re.compile(r"^(.*?)\s*\((ISSN|ISBN|Print|Electronic|Linking)\)$", re.IGNORECASE)


def _read_identifier(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    """SN: an ISSN, ISBN or report number by type; Scopus labels each (``… (ISSN); … (ISBN)``)."""
    for value in values:
        for part in (p.strip() for p in value.split(";")):
            match = _ID_LABEL.match(part)
            label = match.group(2).upper() if match else ""
            number = match.group(1) if match else part
            if part:
                r.set(label if label in ("ISSN", "ISBN") else var, tag, number)


def _read_genre(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    for value in values:
        doi = normalise_doi(value)
        if doi.startswith("10."):  # a DOI (Mendeley writes `doi: 10.…` in M3)
            r.set("DOI", tag, doi)
        else:
            r.set(var, tag, value)


def _read_keywords(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    r.keywords.extend(v for v in values if v)


def _read_note(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    r.notes.extend(v for v in values if v)


def _read_pubmed(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    for value in values:
        number = re.sub(r"\s*\((?:PubMed ID|PMID)\)\s*$", "", value, flags=re.IGNORECASE)
        if re.fullmatch(r"PMC\d+", number):
            r.set("PMCID", tag, number)
        elif number.isdigit():
            r.set("PMID", tag, number)
        else:
            r.unmapped(tag)
            r.keep(tag, value)


def _skip(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    pass


_READ_KIND: dict[str, Callable[[_Reading, str, str, list[str]], None]] = {
    "text": _read_text,
    "id": _read_text,
    "names": _read_names,
    "date": _read_date,
    "page-start": _read_page,
    "page-end": _read_page,
    "doi": _read_doi,
    "identifier": _read_identifier,
    "genre": _read_genre,
    "url": _read_text,
    "keywords": _read_keywords,
    "note": _read_note,
    "pubmed": _read_pubmed,
    "type": _skip,
    "end": _skip,
}
# Kinds that read a value even where the tag has no CSL variable of its own.
_ALWAYS_READ = frozenset({"pubmed", "page-end", "type", "end"})


def _settle_venue(item: Item) -> None:
    csl_type = item["type"]
    if csl_type == "paper-conference" and item.get("event-title"):
        if not item.get("container-title"):  # T2 alone: the venue, as most exporters write it
            item["container-title"] = item.pop("event-title")
        elif item["event-title"] == item["container-title"]:
            del item["event-title"]
    if not item.get("container-title") and item.get("container-title-short"):
        if csl_type.startswith("article-"):  # JO alone: most exporters' journal name
            item["container-title"] = item.pop("container-title-short")


def _settle(item: Item, r: _Reading) -> None:
    """What depends on several tags: pages, venues, report numbers, preprints."""
    start, end = r.pages.get("start"), r.pages.get("end")
    if start or end:
        item["page"] = f"{start}-{end}" if start and end else start or end or ""
    if r.keywords:
        item["keyword"] = ", ".join(r.keywords)
    _settle_venue(item)
    if r.notes:
        item["note"] = "\n".join(r.notes)
    if item["type"] == "report" and str(item.get("genre", "")).lower() == PREPRINT.lower():
        item["type"] = "article"  # a preprint, written as RPRT with report type "Preprint"
        del item["genre"]
    arxiv = arxiv_id(item)
    if arxiv:
        add_arxiv(item, arxiv)


def _keep_all(reading: _Reading, tag: str, values: list[str]) -> None:
    reading.unmapped(tag)
    for value in values:
        reading.keep(tag, value.strip())


# rispy's name of each tag (but TY, read first) -> its place in RIS_TAGS; the rows by place
_TAG_ROWS = [(tag, row) for tag, row in RIS_TAGS.items() if tag != "TY"]
_TAG_ORDER = {_RISPY_MAPPING[tag]: place for place, (tag, _) in enumerate(_TAG_ROWS)}


def _item(record: dict[str, list[str]], unmapped: Callable[[str], None]) -> Item:
    ris_type = str(record.get("ty") or "GEN").strip().upper()  # rispy: the one non-list value
    item: Item = {"id": "", "type": RIS_TO_CSL.get(ris_type, "document")}
    reading = _Reading(item, ris_type, unmapped)
    # the record's tags in the table's order (a record has a few of its ninety)
    for name in sorted(record.keys() & _TAG_ORDER.keys(), key=_TAG_ORDER.__getitem__):
        tag, row = _TAG_ROWS[_TAG_ORDER[name]]
        values = [v.strip() for v in record.get(name) or []]
        if not any(values):
            continue
        var = ris_var(tag, ris_type)
        if var is None and row.kind not in _ALWAYS_READ:
            _keep_all(reading, tag, values)
        else:
            _READ_KIND[row.kind](reading, var or "", tag, [v for v in values if v])
    unknown: dict[str, list[str]] = record.get("unknown_tag") or {}  # type: ignore[assignment]
    for tag, values in unknown.items():
        _keep_all(reading, tag, values)
    _settle(item, reading)
    return item


def _records(
    stream: BinaryIO, source: str, collection: Collection
) -> Iterator[tuple[int, list[str], dict[str, int]]]:
    """``(first line, lines, first line of each tag)`` of each complete record."""
    return _records_of(numbered_lines(stream, source), source, collection, last=True)


def _records_of(
    numbered: Iterable[tuple[int, str]], source: str, collection: _Reports, last: bool
) -> Iterator[tuple[int, list[str], dict[str, int]]]:
    """:func:`_records` of numbered lines (``last``: they end the file, else a ``TY`` line
    follows them).

    A line without a tag continues the value before it: it is joined to that line here, so
    rispy sees one line per value (and a repeated tag stays one value per line)."""
    start: int | None = None
    lines: list[str] = []
    tag_lines: dict[str, int] = {}
    for lineno, text in numbered:
        match = _TAG_LINE.match(text)
        tag = match.group(1) if match else None
        if tag == "TY":
            if start is not None:
                collection.errors.append(
                    PublistError(
                        "record has no `ER  - ` line before the next `TY`: skipped", source, start
                    )
                )
            start, lines, tag_lines = lineno, [text], {"TY": lineno}
            continue
        if start is None:
            if tag is not None:
                collection.errors.append(
                    PublistError(f"tag {tag} before any `TY  - ` line", source, lineno)
                )
            elif text.strip():
                collection.warnings.append(f"{source}:{lineno}: text outside a record ignored")
            continue
        if tag is None:
            _continue(lines, text)
            continue
        tag_lines.setdefault(tag, lineno)
        lines.append(text)
        if tag == "ER":
            yield start, lines, tag_lines
            start, lines = None, []
    if start is not None:
        where = "(file ends)" if last else "before the next `TY`"
        collection.errors.append(
            PublistError(f"record has no `ER  - ` line {where}: skipped", source, start)
        )


# Tags whose continuation lines are further values (EndNote: one keyword or ISSN a line).
_CONTINUED_AS_VALUES = frozenset({"KW", "SN", "UR", "L1", "L2", "L4", "N1"})


def _continue(lines: list[str], text: str) -> None:
    """A line without a tag: a further value of the tag above, or the rest of its value."""
    if not text.strip():
        return
    tag = lines[-1][:2]
    if tag in _CONTINUED_AS_VALUES:
        lines.append(f"{tag}  - {text.strip()}")
    else:
        lines[-1] = f"{lines[-1]} {text.strip()}"


def _description(tag: str) -> str:
    if tag in RIS_TAGS:
        return f"tag {tag} has no CSL variable"
    return f"unknown tag {tag!r}"


def _warn_once(
    collection: Collection, warned: set[str], tag_lines: dict[str, int], start: int, tag: str
) -> None:
    """One warning per tag and file, at the first line that has it."""
    if tag not in warned:
        warned.add(tag)
        line = tag_lines.get(tag, start)
        collection.warnings.append(
            f"{collection.source}:{line}: {_description(tag)}: kept in the record's note"
        )


class _Sink(Protocol):
    def append(self, value: Any, /) -> None: ...


class _Reports(Protocol):
    """Where :func:`_records_of` reports: a collection, or a worker's list of messages."""

    @property
    def warnings(self) -> _Sink: ...

    @property
    def errors(self) -> _Sink: ...


def _parser() -> rispy.RisParser:
    return rispy.RisParser(newline="\n", mapping=_RISPY_MAPPING, list_tags=_RISPY_LIST_TAGS)


def _parse(parser: rispy.RisParser, lines: list[str]) -> list[dict]:
    """rispy's records of one record's lines (``TY`` first, ``ER`` last, every line a tag
    line: :func:`_records_of` made them so), built as rispy builds them, without its walk
    over the lines again; a record with a ``UK`` tag (rispy's own name for unknown tags) is
    left to rispy."""
    record: dict = {"ty": lines[0][6:].strip()}
    for line in lines[1:-1]:
        tag, content = line[:2], line[6:].strip()
        name = _RISPY_MAPPING.get(tag)
        if name is None:
            record.setdefault("unknown_tag", defaultdict(list))[tag].append(content)
        elif tag == "UK":
            return parser.parse("\n".join(lines))
        elif tag in _DELIMITED:
            record.setdefault(name, []).extend(v.strip() for v in content.split(_DELIMITED[tag]))
        else:
            record.setdefault(name, []).append(content)
    return [record]


_DELIMITED = rispy.config.DELIMITED_TAG_MAPPING  # UR: several links on one line, by ";"


def read_ris(stream: BinaryIO, source: str) -> Collection:
    """RIS records as items; on several cores (:func:`_read_parallel`) unless
    ``PUBLIST_WORKERS=1``, with the same items and messages."""
    parser = _parser()

    def generate() -> Iterator[Located]:
        keys = KeyAllocator()
        warned: set[str] = set()
        for start, lines, tag_lines in _records(stream, source, collection):
            unmapped = partial(_warn_once, collection, warned, tag_lines, start)
            parsed = _parse(parser, lines)
            if not parsed:
                collection.errors.append(PublistError("unreadable record skipped", source, start))
                continue
            item = literal_fields(_item(parsed[0], unmapped))  # plain text: a "<i>" stays text
            item["id"] = keys.claim(item["id"] or base_key(item))
            yield start, item

    def parallel() -> Iterator[Located]:
        yield from _read_parallel(stream, source, collection)

    collection = Collection.located(parallel() if workers() > 1 else generate(), source=source)
    return collection


# --- reading on several cores ------------------------------------------------------------------
#
# This process cuts the file into blocks of whole lines before a `TY` line (the records in
# them, as one process reads them: a block ends where a record starts), forked workers read
# the blocks' records into items, and this process gives out the keys and the messages in the
# order one process gives them (a tag with no CSL variable: once per file, at its first line).

_RECORDS_PER_BLOCK = 512
_MIN_PARALLEL_BLOCKS = 2  # fewer blocks are read here, by the same code
_PARALLEL_SOURCE: list[str] = []  # the file the forked workers read (set before they start)

# a worker's messages and items, in order, as JSON: ["w", warning] ["e", message, line]
# ["u", tag, line] (a tag with no CSL variable) ["i", line, item, base key]
_Event = list[Any]


class _Messages:
    """A worker's :class:`_Reports`: both lists append to one list of events, in order."""

    def __init__(self, events: list[_Event]) -> None:
        self.warnings = _Appending(events, lambda w: ["w", w])
        self.errors = _Appending(events, lambda e: ["e", e.message, e.line])


class _Appending(list):
    def __init__(self, events: list[_Event], event: Callable[[Any], _Event]) -> None:
        super().__init__()
        self.events, self.event = events, event

    def append(self, value: Any) -> None:
        self.events.append(self.event(value))


def _is_start(raw: bytes) -> bool:
    """A line that starts a record (``TY  - …``), as :func:`_records_of` reads it."""
    text = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1] if raw.endswith(b"\n") else raw
    return text == b"TY  -" or text.startswith(b"TY  - ")


def _blocks(
    stream: BinaryIO, source: str, failed: list[PublistError]
) -> Iterator[tuple[int, list[bytes], bool]]:
    """(first line, raw lines, whether the file ends there) of runs of records.  An error
    reading a line (too long) ends the blocks: the lines before it are the last block, and
    the error goes to ``failed``, to be raised once they are read."""
    lines: list[bytes] = []
    first, records = 1, 0
    try:
        for lineno, raw in raw_lines(stream, source):
            if raw[:5] == b"TY  -" and _is_start(raw):
                if records >= _RECORDS_PER_BLOCK:
                    yield first, lines, False
                    lines, first, records = [], lineno, 0
                records += 1
            lines.append(raw)
    except PublistError as err:
        failed.append(err)
    yield first, lines, True


def _numbered(raw: list[bytes], first: int, source: str) -> Iterable[tuple[int, str]]:
    """:func:`publist.lines.numbered_lines` of a block's lines: the block decoded at once, or
    line by line (for the line of the error) when it is not clean UTF-8."""
    data = b"".join(raw)
    if not data:
        return ()
    if first == 1 and data.startswith(BOM):
        data = data[len(BOM) :]
    if b"\x00" not in data:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            lines = text.split("\n")
            if text.endswith("\n"):
                lines.pop()  # (a final line end starts no line)
                return enumerate((t[:-1] if t.endswith("\r") else t for t in lines), first)
            last = lines.pop()
            ended = (t[:-1] if t.endswith("\r") else t for t in lines)
            return enumerate(chain(ended, [last]), first)
    return _numbered_by_line(raw, first, source)


def _numbered_by_line(raw: list[bytes], first: int, source: str) -> Iterator[tuple[int, str]]:
    for lineno, line in enumerate(raw, start=first):
        if lineno == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        if line.endswith(b"\n"):
            line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
        yield lineno, decode_line(line, source, lineno)


def _read_block(first: int, raw: list[bytes], last: bool) -> str:
    """A block's records, in a worker: the events (JSON) of :func:`read_ris`'s loop."""
    source = _PARALLEL_SOURCE[0]
    events: list[_Event] = []
    reports = _Messages(events)
    parser = _parser()
    for start, lines, tag_lines in _records_of(
        _numbered(raw, first, source), source, reports, last
    ):

        def unmapped(tag: str, tag_lines: dict[str, int] = tag_lines, start: int = start) -> None:
            events.append(["u", tag, tag_lines.get(tag, start)])

        parsed = _parse(parser, lines)
        if not parsed:
            events.append(["e", "unreadable record skipped", start])
            continue
        item = literal_fields(_item(parsed[0], unmapped))
        events.append(["i", start, item, item["id"] or base_key(item)])
    return _to_json(events)


_to_json = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _read_parallel(stream: BinaryIO, source: str, collection: Collection) -> Iterator[Located]:
    keys = KeyAllocator()
    warned: set[str] = set()

    def replay(text: str) -> Iterator[Located]:
        for event in json.loads(text):
            kind = event[0]
            if kind == "i":
                item = event[2]
                item["id"] = keys.claim(event[3])
                yield event[1], item
            elif kind == "w":
                collection.warnings.append(event[1])
            elif kind == "e":
                collection.errors.append(PublistError(event[1], source, event[2]))
            elif event[1] not in warned:
                warned.add(event[1])
                collection.warnings.append(
                    f"{source}:{event[2]}: {_description(event[1])}: kept in the record's note"
                )

    _PARALLEL_SOURCE[:] = [source]
    failed: list[PublistError] = []  # a line too long: raised after what the lines before give
    blocks = _blocks(stream, source, failed)
    head = list(islice(blocks, _MIN_PARALLEL_BLOCKS))
    if len(head) < _MIN_PARALLEL_BLOCKS:
        for block in head:
            yield from replay(_read_block(*block))
    else:
        count = workers()
        with worker_pool(count, "reading", source) as pool:
            pending: deque[Future[str]] = deque()
            for block in chain(head, blocks):
                pending.append(pool.submit(_read_block, *block))
                if len(pending) > 2 * count:  # a bounded window: memory stays flat
                    yield from replay(pending.popleft().result())
            while pending:
                yield from replay(pending.popleft().result())
    if failed:
        raise failed[0]


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
