"""RIS, for Zotero, Mendeley and EndNote: a writer and a reader on rispy.

Writing: ``TY`` first and ``ER`` last in every record, one ``AU`` line per author
(``Family, Given[, Suffix]``; organisations as their literal name), CRLF line ends, UTF-8, and no
line break inside a value (so no text can start a tag or end a record).  Reading: records are
found in blocks of lines by one regex, or line by line where they are not clean (so problems
carry line numbers), their values read by tag as rispy reads them, and every tag reads through
the one table :data:`publist.mappings.RIS_TAGS` (which the writer reads the other way): a tag
with no CSL variable is kept in the record's ``note``, with one warning per tag and file.
"""

from __future__ import annotations

import marshal
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from functools import lru_cache, partial
from itertools import chain, islice
from typing import Any, BinaryIO, Protocol, TextIO

import rispy

from .. import lines as line_reading
from ..errors import PublistError
from ..identifiers import add_arxiv, arxiv_fields, arxiv_id, normalise_doi
from ..keys import KeyAllocator, base_key
from ..lines import BOM, _lines_one_by_one, _Unread, decode_line
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
    record.lines["ID"] = [key]  # (one line of plain text already: the id was, and a suffix is)
    return record.ris_type, record.lines


class RisChunkWriter(ChunkWriter):
    """RIS records, a blank line between two records (never inside one)."""

    separator = CRLF
    kept_ids_in_workers = True  # (the keys it makes of the input's ids: through claim_key)

    def __init__(self) -> None:
        self._keys = KeyAllocator()
        self._notes: dict[str, int] = {}

    def format(self, items: list[Item]) -> str:
        notes = self._notes
        if self.unique_keys:
            return CRLF.join([_record(item, item["id"], notes) for item in items])
        key = self._key
        return CRLF.join([_record(item, key(item), notes) for item in items])

    def _key(self, item: Item) -> str:
        request = _one_line(item.get("id", "")) or "item"
        if self.deferred_keys is not None:  # (in a worker: the parent claims it, in order)
            return self.deferred_keys.stand_in(request)
        return self.claim_key(request)

    def claim_key(self, request: str) -> str:
        """The id as one line of plain text, made unique (a, b, … after it)."""
        return self._keys.claim(request)

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
    numbers = _date_numbers(value)
    return {"date-parts": [list(numbers)]} if numbers else None


@lru_cache(maxsize=4096)
def _date_numbers(value: str) -> tuple[int, ...]:
    """The year, month and day of a date's text (none when it has no year): dates repeat."""
    parts = [p for p in _DATE_SEPARATORS.split(value.strip()) if p.strip().isdigit()]
    if parts and len(parts[0]) == 4:
        numbers = [int(p) for p in parts[:3]]
        while numbers and numbers[-1] == 0:
            numbers.pop()
        return tuple(numbers)
    return ()


_DATE_SEPARATORS = re.compile(r"[/\-\s]")


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
def _cached_name(text: str) -> Name:
    """:func:`_name`, cached: a library repeats its authors' names (callers copy it)."""
    return _name(text)


def _read_names(r: _Reading, var: str, tag: str, values: list[str]) -> None:
    # (values are stripped and not empty)
    r.item.setdefault(var, []).extend(map(dict.copy, map(_cached_name, values)))


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


# Each tag's place in RIS_TAGS (but TY, read first): a record's tags are read in that order.
_TAG_PLACE = {tag: place for place, tag in enumerate(t for t in RIS_TAGS if t != "TY")}
# How a record reads one tag: (tag, reader or None: kept in the note, its variable, whether
# a tag whose values are all empty is skipped).
_Step = tuple[str, Callable[[_Reading, str, str, list[str]], None] | None, str, bool]
_PLANS: dict[tuple[str, tuple[str, ...]], list[_Step]] = {}
_PLANS_SIZE = 4096  # (an exporter writes a few tag sequences: one plan each)


def _plan(ris_type: str, tags: tuple[str, ...]) -> list[_Step]:
    """How a record of ``ris_type`` with ``tags`` (in the order they first come) is read: its
    known tags in the table's order, then the unknown ones as they come."""
    steps: list[_Step] = []
    for tag in sorted((t for t in tags if t in _TAG_PLACE), key=_TAG_PLACE.__getitem__):
        row, var = RIS_TAGS[tag], ris_var(tag, ris_type)
        if var is None and row.kind not in _ALWAYS_READ:
            steps.append((tag, None, "", True))
        else:
            steps.append((tag, _READ_KIND[row.kind], var or "", True))
    steps.extend((tag, None, "", False) for tag in tags if tag not in _TAG_PLACE)
    return steps


def _item(ris_type: str, tags: dict[str, list[str]], unmapped: Callable[[str], None]) -> Item:
    """The item of one record: its type (as written) and its values (stripped) by tag."""
    ris_type = (ris_type or "GEN").upper()
    key = (ris_type, tuple(tags))
    steps = _PLANS.get(key)
    if steps is None:
        if len(_PLANS) >= _PLANS_SIZE:
            _PLANS.clear()
        steps = _PLANS[key] = _plan(*key)
    item: Item = {"id": "", "type": RIS_TO_CSL.get(ris_type, "document")}
    reading = _Reading(item, ris_type, unmapped)
    for tag, read, var, skip_empty in steps:
        values = tags[tag]
        if skip_empty and not any(values):
            continue
        if read is None:
            _keep_all(reading, tag, values)
        else:
            read(reading, var, tag, values if all(values) else [v for v in values if v])
    _settle(item, reading)
    return item


def _records_of(
    numbered: Iterable[tuple[int, str]], source: str, collection: _Reports, last: bool
) -> Iterator[tuple[int, list[str], dict[str, int]]]:
    """``(first line, lines, first line of each tag)`` of each complete record in numbered
    lines (``last``: they end the file, else a ``TY`` line follows them).

    A line without a tag continues the value before it: it is joined to that line here, so
    each value is one line (and a repeated tag stays one value per line)."""
    start: int | None = None
    lines: list[str] = []
    tag_lines: dict[str, int] = {}
    for lineno, text in numbered:
        match = _TAG_LINE.match(text)
        tag = match.group(1) if match else None
        if tag == "TY":
            if start is not None:
                collection.errors.append(
                    PublistError("record has no `ER  - ` line before the next `TY`", source, start)
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
            PublistError(f"record has no `ER  - ` line {where}", source, start)
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
    collection: Collection, warned: set[str], tag_lines: _TagLines, start: int, tag: str
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


class _TagLines(Protocol):
    def get(self, tag: str, default: int, /) -> int: ...


_DELIMITED = rispy.config.DELIMITED_TAG_MAPPING  # UR: several links on one line, by ";"


def _tags(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """A record's values by tag (stripped, in the order they come) from its (tag, value) lines
    but ``TY`` and ``ER``, as rispy reads them (``UR``: several links split at ``;``), every
    tag a list (``UK``, rispy's own name for unknown tags, too)."""
    tags: dict[str, list[str]] = {}
    for tag, value in pairs:
        if tag in tags:
            tags[tag].append(value.strip())
        else:
            tags[tag] = [value.strip()]
    for tag, delimiter in _DELIMITED.items():
        if tag in tags:
            tags[tag] = [v.strip() for value in tags[tag] for v in value.split(delimiter)]
    return tags


# --- the records of a block of lines -----------------------------------------------------------
#
# The file is cut into blocks of whole lines before a `TY` line (a block ends where a record
# starts, so each is read on its own, as one read of the file reads it).  A block's text is
# matched record by record by one regex: a `TY` line, tag lines, an `ER` line, with empty lines
# between records.  From the first place it does not match (a continuation line, a blank line
# inside a record, text outside records, a missing `ER`), the block's lines are read one by
# one (:func:`_records_of`).

_CLEAN_RECORD = re.compile(
    r"\n*()TY  -(?: ([^\n]*))?\n"
    r"((?:(?!TY|ER)[A-Z][A-Z0-9]  -(?: [^\n]*)?\n)*)"
    r"ER  -(?: [^\n]*)?(?:\n|\Z)"
)
_BODY_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: ([^\n]*))?$", re.MULTILINE)

# A record as the block reader gives it: (first line, type, values by tag, first line of each
# tag).
_BlockRecord = tuple[int, str, dict[str, list[str]], _TagLines]


class _BodyLines:
    """The first line of each tag of a clean record, found when a warning asks for it."""

    def __init__(self, start: int, pairs: list[tuple[str, str]]) -> None:
        self.start, self.pairs = start, pairs

    def get(self, tag: str, default: int) -> int:
        for offset, (found, _) in enumerate(self.pairs, start=1):
            if found == tag:
                return self.start + offset
        return default


def _block_records(
    first: int, data: bytes, last: bool, source: str, reports: _Reports
) -> Iterator[_BlockRecord]:
    """The records of one block (its raw bytes; ``first``: its first line's number)."""
    text = _block_text(data, first)
    if text is None:  # (not clean UTF-8: read line by line, for the error at its line)
        yield from _general(
            _numbered_by_line(_raw_lines(data), first, source), source, reports, last
        )
        return
    pos, lineno = 0, first
    match_record = _CLEAN_RECORD.match
    while match := match_record(text, pos):
        start = lineno + match.start(1) - pos
        pairs = _BODY_LINE.findall(match.group(3))
        lineno, pos = start + len(pairs) + 2, match.end()
        yield start, (match.group(2) or "").strip(), _tags(pairs), _BodyLines(start, pairs)
    rest = text[pos:]
    if rest.strip("\n"):
        yield from _general(_text_lines(rest, lineno), source, reports, last)


def _general(
    numbered: Iterable[tuple[int, str]], source: str, reports: _Reports, last: bool
) -> Iterator[_BlockRecord]:
    """:func:`_block_records` of lines read one by one."""
    for start, lines, tag_lines in _records_of(numbered, source, reports, last):
        body = _tags((line[:2], line[6:]) for line in lines[1:-1])
        yield start, lines[0][6:].strip(), body, tag_lines


def _block_text(data: bytes, first: int) -> str | None:
    """A block's text, line ends as ``\\n`` (a ``\\r`` before one dropped, as
    :func:`publist.lines.numbered_lines` drops it), without the BOM; None when it holds a NUL
    byte or is not UTF-8."""
    if first == 1 and data.startswith(BOM):
        data = data[len(BOM) :]
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n") if "\r" in text else text


def _raw_lines(data: bytes) -> list[bytes]:
    """A block's lines, each with its line end, as :func:`publist.lines.raw_lines` gives them."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    return lines


def _numbered_by_line(raw: list[bytes], first: int, source: str) -> Iterator[tuple[int, str]]:
    for lineno, line in enumerate(raw, start=first):
        if lineno == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        if line.endswith(b"\n"):
            line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
        yield lineno, decode_line(line, source, lineno)


def _text_lines(text: str, first: int) -> Iterable[tuple[int, str]]:
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # (a final line end starts no line)
    return enumerate(lines, first)


# --- cutting the file into blocks --------------------------------------------------------------

_RECORDS_PER_BLOCK = 512
_PIECE_BYTES = 1 << 20
# a line that starts a record (``TY  - …``), as _records_of reads it, after a line end
_START = re.compile(rb"\nTY  -(?: |\r?\n)")


class _Blocks:
    """The blocks of a stream: ``(first line, bytes, whether the file ends there)``, each of
    whole lines, cut before a record's `TY` line every ``_RECORDS_PER_BLOCK`` records.

    Where reading by blocks could not give the error line by line reading gives (a NUL byte,
    a line longer than a piece) or a block would grow past the longest line (no `TY` lines),
    the blocks stop and :attr:`rest` holds the stream from there, to be read line by line
    (:meth:`rest_lines`): memory stays bounded and errors come at their line."""

    def __init__(self, stream: BinaryIO, source: str) -> None:
        self.stream, self.source = stream, source
        self.rest: _Unread | None = None
        self.rest_first = 1

    def __iter__(self) -> Iterator[tuple[int, bytes, bool]]:
        read = getattr(self.stream, "read1", self.stream.read)
        data, first = b"", 1
        starts: list[int] = []  # where the records after the block's first one start
        while piece := read(_PIECE_BYTES):
            scan = max(len(data) - 8, 0)
            data += piece
            tail = len(data) - data.rfind(b"\n") - 1
            # (the module's limits, read now: tests lower them)
            piece_limit, line_limit = line_reading._PIECE, line_reading.MAX_LINE_BYTES
            if b"\x00" in piece or tail >= piece_limit or len(data) > line_limit:
                self.rest, self.rest_first = _Unread(data, self.stream), first
                return
            after = starts[-1] if starts else 0
            starts.extend(p for m in _START.finditer(data, scan) if (p := m.start() + 1) > after)
            while len(starts) >= _RECORDS_PER_BLOCK:
                cut = starts[_RECORDS_PER_BLOCK - 1]
                block, data = data[:cut], data[cut:]
                starts = [p - cut for p in starts[_RECORDS_PER_BLOCK:]]
                yield first, block, False
                first += block.count(b"\n")
        yield first, data, True

    def rest_records(self, reports: _Reports) -> Iterator[_BlockRecord]:
        """The records after the blocks, read line by line (none when the blocks end the file)."""
        if self.rest is None:
            return iter(())
        lines = _lines_one_by_one(self.rest, self.source, self.rest_first - 1)
        return _general(lines, self.source, reports, True)


def read_ris(stream: BinaryIO, source: str) -> Collection:
    """RIS records as items; on several cores (:func:`_read_parallel`) unless
    ``PUBLIST_WORKERS=1``, with the same items and messages."""

    def generate() -> Iterator[Located]:
        keys, warned = KeyAllocator(), set[str]()
        blocks = _Blocks(stream, source)
        for block in blocks:
            yield from _located(
                _block_records(*block, source, collection), collection, keys, warned
            )
        yield from _located(blocks.rest_records(collection), collection, keys, warned)

    def parallel() -> Iterator[Located]:
        yield from _read_parallel(stream, source, collection)

    collection = Collection.located(parallel() if workers() > 1 else generate(), source=source)
    return collection


def _located(
    records: Iterable[_BlockRecord], collection: Collection, keys: KeyAllocator, warned: set[str]
) -> Iterator[Located]:
    """The items of records read in this process, with their keys and messages."""
    for start, ris_type, tags, tag_lines in records:
        unmapped = partial(_warn_once, collection, warned, tag_lines, start)
        item = literal_fields(_item(ris_type, tags, unmapped))  # plain text: a "<i>" stays text
        item["id"] = keys.claim(item["id"] or base_key(item))
        yield start, item


# --- reading on several cores ------------------------------------------------------------------
#
# Forked workers read the blocks' records into items, and this process gives out the keys and
# the messages in the order one process gives them (a tag with no CSL variable: once per file,
# at its first line).

_MIN_PARALLEL_BLOCKS = 2  # fewer blocks are read here, by the same code
_PARALLEL_SOURCE: list[str] = []  # the file the forked workers read (set before they start)

# a worker's messages and items, in order: ("w", warning) ("e", message, line)
# ("u", tag, line) (a tag with no CSL variable) ("i", line, item, base key)
_Event = tuple[Any, ...]


class _Messages:
    """A worker's :class:`_Reports`: both lists append to one list of events, in order."""

    def __init__(self, events: list[_Event]) -> None:
        self.warnings = _Appending(events, lambda w: ("w", w))
        self.errors = _Appending(events, lambda e: ("e", e.message, e.line))


class _Appending(list):
    def __init__(self, events: list[_Event], event: Callable[[Any], _Event]) -> None:
        super().__init__()
        self.events, self.event = events, event

    def append(self, value: Any) -> None:
        self.events.append(self.event(value))


def _read_block(first: int, data: bytes, last: bool) -> bytes:
    """A block's records, in a worker: the events of :func:`read_ris`'s loop (marshalled:
    items are plain dicts, lists, strings and numbers)."""
    source = _PARALLEL_SOURCE[0]
    events: list[_Event] = []
    for start, ris_type, tags, tag_lines in _block_records(
        first, data, last, source, _Messages(events)
    ):

        def unmapped(tag: str, tag_lines: _TagLines = tag_lines, start: int = start) -> None:
            events.append(("u", tag, tag_lines.get(tag, start)))

        item = literal_fields(_item(ris_type, tags, unmapped))
        events.append(("i", start, item, item["id"] or base_key(item)))
    return marshal.dumps(events)


def _read_parallel(stream: BinaryIO, source: str, collection: Collection) -> Iterator[Located]:
    keys = KeyAllocator()
    warned: set[str] = set()

    def replay(events: Iterable[_Event]) -> Iterator[Located]:
        for event in events:
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
    blocks = _Blocks(stream, source)
    cut = iter(blocks)
    head = list(islice(cut, _MIN_PARALLEL_BLOCKS))
    if len(head) < _MIN_PARALLEL_BLOCKS:
        for block in head:
            yield from replay(marshal.loads(_read_block(*block)))
    else:
        count = workers()
        with worker_pool(count, "reading", source) as pool:
            pending: deque[Future[bytes]] = deque()
            for block in chain(head, cut):
                pending.append(pool.submit(_read_block, *block))
                if len(pending) > 2 * count:  # a bounded window: memory stays flat
                    yield from replay(marshal.loads(pending.popleft().result()))
            while pending:
                yield from replay(marshal.loads(pending.popleft().result()))
    # what the blocks could not hold, read here, line by line, after them
    yield from _located(blocks.rest_records(collection), collection, keys, warned)


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
