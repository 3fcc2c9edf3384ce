"""Reading .bib files as BibTeX and biber read them (the rules are in README "Reading").

The syntax is :mod:`publist.formats.bibtex_scan`'s; this module maps raw entries to CSL items:
the biblatex type table, field aliases, names, dates (EDTF included), crossref/xdata inheritance
with biber's default table.  Reading streams: a file without crossref or xdata is read once, a
few hundred entries at a time; a file with them is read twice, the first pass keeping only the
entries that others inherit from.
"""

from __future__ import annotations

import marshal
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from functools import lru_cache
from itertools import chain, islice
from typing import BinaryIO

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from ..errors import PublistError
from ..identifiers import add_arxiv, normalise_doi
from ..keys import KeyAllocator
from ..latex import unescape_url
from ..lines import _PIECE, raw_lines
from ..model import Collection, Item, Located, Name
from ..names import name_from_parts
from ..pipeline import worker_pool, workers
from ..richtext import to_plain
from ..texdecode import decode_name_accents, decode_text
from .bibtex_scan import MONTH_MACROS, RawEntry, Scanner, chunks

# biblatex entry type -> CSL type (biblatex manual §2.1; pandoc and Citation.js compared in the
# README "Reading" table, where they differ and why publist chose as it did)
TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "bookinbook": "chapter",
    "inbook": "chapter",
    "suppbook": "chapter",
    "booklet": "book",
    "collection": "book",
    "mvcollection": "book",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "dataset": "dataset",
    "manual": "report",
    "misc": "article",
    "online": "article",
    "electronic": "webpage",
    "www": "webpage",
    "patent": "patent",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "proceedings": "book",
    "mvproceedings": "book",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry-encyclopedia",
    "report": "report",
    "techreport": "report",
    "software": "software",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "unpublished": "manuscript",
    "artwork": "graphic",
    "image": "graphic",
    "audio": "song",
    "music": "song",
    "video": "motion_picture",
    "movie": "motion_picture",
    "legislation": "legislation",
    "legal": "treaty",
    "jurisdiction": "legal_case",
    "letter": "personal_communication",
    "review": "review",
    "standard": "standard",
    "performance": "performance",
    "presentation": "speech",
    "commentary": "book",
    "nameonly": "document",
    "bibnote": "document",
}
# article subtypes (biblatex entrysubtype)
ARTICLE_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
# what EndNote writes in ``type`` (its reference type, already given by the entry type)
ENDNOTE_TYPE_NAMES = frozenset(
    {
        "journal article",
        "book",
        "book section",
        "edited book",
        "thesis",
        "conference paper",
        "conference proceedings",
        "report",
        "generic",
        "web page",
        "electronic article",
        "magazine article",
        "newspaper article",
    }
)
# entries that are data for others, never items of their own
NOT_ITEMS = frozenset({"xdata", "set"})

# field -> CSL variable, for fields copied as text (names, dates, numbers have their own rules)
TEXT_FIELDS: dict[str, str] = {
    "title": "title",
    "shorttitle": "title-short",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "howpublished": "container-title",
    "shortjournal": "container-title-short",
    "journalabbr": "container-title-short",
    "series": "collection-title",
    "volume": "volume",
    "volumes": "number-of-volumes",
    "issue": "issue",
    "pages": "page",
    "pagetotal": "number-of-pages",
    "chapter": "chapter-number",
    "edition": "edition",
    "version": "version",
    "publisher": "publisher",
    "institution": "publisher",
    "school": "publisher",
    "organization": "publisher",
    "location": "publisher-place",
    "address": "publisher-place",
    "city": "publisher-place",
    "eventtitle": "event-title",
    "venue": "event-place",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "language": "language",
    "langid": "language",
    "keywords": "keyword",
    "note": "note",
    "annote": "annote",
    "annotation": "annote",
    "abstract": "abstract",
}
# fields whose value is verbatim (no LaTeX, whitespace kept but for the ends)
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "verba", "verbb", "verbc", "urlraw"})
NAME_FIELDS = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
    "director": "director",
}
# read through their own rules below (dates, identifiers, numbers, subtitles)
SPECIAL_FIELDS = frozenset(
    {
        "year",
        "month",
        "day",
        "date",
        "urldate",
        "eventdate",
        "origdate",
        "doi",
        "url",
        "eprint",
        "eprinttype",
        "archiveprefix",
        "eprintclass",
        "primaryclass",
        "type",
        "number",
        "subtitle",
        "titleaddon",
        "booksubtitle",
        "journalsubtitle",
        "crossref",
        "xdata",
        "entrysubtype",
        "ids",
        "key",
    }
)
DATE_FIELDS = {"urldate": "accessed", "eventdate": "event-date", "origdate": "original-date"}
SUBTITLES = {
    "subtitle": "title",
    "booksubtitle": "container-title",
    "journalsubtitle": "container-title",
}

# biber's default inheritance (biblatex manual, appendix B): (parent types, child types,
# {parent field: child field}); every other field is inherited under its own name
_TITLE_AS_MAIN = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
_TITLE_AS_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
INHERITANCE: list[tuple[frozenset[str], frozenset[str], dict[str, str]]] = [
    (
        frozenset({"mvbook", "book"}),
        frozenset({"inbook", "bookinbook", "suppbook"}),
        {"author": "bookauthor"},
    ),
    (
        frozenset({"mvbook"}),
        frozenset({"book", "inbook", "bookinbook", "suppbook"}),
        _TITLE_AS_MAIN,
    ),
    (
        frozenset({"mvcollection", "mvreference"}),
        frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}),
        _TITLE_AS_MAIN,
    ),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _TITLE_AS_MAIN),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _TITLE_AS_BOOK),
    (
        frozenset({"collection", "reference"}),
        frozenset({"incollection", "inreference", "suppcollection"}),
        _TITLE_AS_BOOK,
    ),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _TITLE_AS_BOOK),
    (
        frozenset({"periodical"}),
        frozenset({"article", "suppperiodical"}),
        {"title": "journaltitle", "subtitle": "journalsubtitle"},
    ),
]
# fields never inherited (biblatex: ids, crossref, xref, entryset, label, options, …) and the
# title variants that a mapped title makes meaningless
NOT_INHERITED = frozenset(
    "ids crossref xref xdata entryset entrysubtype execute label options presort related"
    " relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey".split()
)
_TITLE_ONLY = frozenset({"shorttitle", "sorttitle", "indextitle", "indexsorttitle"})

_EMPTY_NAME_RE = re.compile(r"(?i)^(?:and\s+)+|(?:\s+and)+$")
# ASCII only, as BibTeX: a no-break space stays; only runs that change (a lone space stays)
_SPACE_RUN = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")
_BARE_AMP = re.compile(r"(?<!\\)&")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_URL_LIKE = re.compile(r"^\s*\\?(?:url\{)?\s*(https?://[^\s{}]+)\s*\}?\s*$")
_EDTF = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?([~?%]?)$")
_MONTH_NAMES = {name[:3].lower(): i for i, name in enumerate(MONTH_MACROS.values(), start=1)}


class _Context:
    """Per-file state of the conversion: messages and what was reported once."""

    def __init__(self, scanner: Scanner):
        self.scanner = scanner
        self.unknown_fields: dict[str, int] = {}
        self.unknown_commands: dict[str, int] = {}  # command -> first line

    def warn(self, line: int, message: str) -> None:
        self.scanner.warnings.append((line, message))

    def text(self, value: str, line: int, rich: bool = True) -> str:
        text, unknown = decode_text(value, rich)
        for name in unknown:
            if name not in self.unknown_commands:
                self.unknown_commands[name] = line
                start, end = _UNKNOWN_COMMAND
                self.warn(line, f"{start}{name}{end}")
        return text


# --- values --------------------------------------------------------------------------------


def clean_fields(entry: RawEntry, ctx: _Context) -> dict[str, tuple[str, int]]:
    """Whitespace collapsed (not in verbatim fields); bare ``&`` and ``%`` reported."""
    fields: dict[str, tuple[str, int]] = {}
    label = entry.key or "(entry without a key)"
    for name, (value, line) in entry.fields.items():
        if name in VERBATIM:
            fields[name] = (value.strip(), line)
            continue
        if "&" in value and _BARE_AMP.search(value):
            ctx.warn(line, f"{label}: unescaped '&' in {name} kept (LaTeX would stop on it)")
        if "%" in value and _BARE_PERCENT.search(value):
            ctx.warn(
                line,
                f"{label}: unescaped '%' in {name} kept literally (LaTeX would read the rest "
                "of the line as a comment)",
            )
        if "  " in value or "\n" in value or "\t" in value or "\r" in value:
            value = _SPACE_RUN.sub(" ", value)
        fields[name] = (value.strip(), line)
    return fields


# --- names ---------------------------------------------------------------------------------


def _unbrace(text: str) -> str:
    text = text.strip()
    if text.startswith("{") and text.endswith("}"):
        depth = 0
        for i, char in enumerate(text):
            depth += char == "{"
            depth -= char == "}"
            if depth == 0 and i < len(text) - 1:
                return text
        return text[1:-1]
    return text


_EXTENDED = re.compile(r"^\s*(family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)


def _plain(latex: str) -> str:
    return decode_text(latex, rich=False)[0]


def _extended_person(raw: str) -> Name:
    values = {}
    for part in _split_top_level(raw):
        if "=" in part:
            key, _, value = part.partition("=")
            values[key.strip().lower()] = _plain(_unbrace(value))
    name: Name = {}
    for key in ("family", "given", "suffix"):
        if values.get(key):
            name[key] = values[key]
    if values.get("prefix"):
        use = values.get("useprefix", "true").lower() != "false"
        name["non-dropping-particle" if use else "dropping-particle"] = values["prefix"]
    return name


def _split_top_level(text: str, sep: str = ",") -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


@lru_cache(maxsize=65536)
def _person_parts(raw: str) -> tuple[tuple[str, str], ...]:
    """One BibTeX name → CSL fields; cached, since big author lists repeat names."""
    if raw.strip().lower() == "others":
        return (("literal", "others"),)
    return tuple(_parse_person(raw).items())


def _parse_person(raw: str) -> Name:
    if _EXTENDED.match(raw):
        return _extended_person(raw)
    parts = parse_single_name_into_parts(raw, strict=False)
    if not (parts.first or parts.von or parts.jr) and len(parts.last) == 1:
        only = parts.last[0]
        # A braced token is an organisation, unless it is one BibTeX "special character"
        # such as {\'E} or {\&}.
        special_char = only.startswith("{\\") and not any(c.isspace() for c in only)
        if only.startswith("{") and _unbrace(only) != only and not special_char:
            return {"literal": _plain(_unbrace(only))}
    family = _plain(" ".join(parts.von + parts.last))
    given = _plain(" ".join(parts.first)) or None
    name = name_from_parts(family, given) if family else {"given": given or ""}
    if parts.jr:
        name["suffix"] = _plain(" ".join(parts.jr))
    return name


# " and " between two names, as bibtexparser's splitter finds it where nothing is braced or
# escaped (its whitespace: space, tab, CR, LF)
_AND_RE = re.compile(r"[ \t\r\n]++[aA][nN][dD][ \t\r\n]++")


# a braced group, nested at most three deep: an "and" in it separates nothing; in it, as
# bibtexparser reads it, a backslash escapes the next character (a brace too)
_INNER = r"\{(?:[^{}\\]++|\\.)*+\}"
_GROUP_RE = re.compile(
    r"\{(?:[^{}\\]++|\\.|\{(?:[^{}\\]++|\\.|" + _INNER + r")*+\})*+\}", re.DOTALL
)


def _masked(match: re.Match) -> str:
    return "x" * len(match.group())


def split_names(value: str) -> list[str]:
    """The names of a BibTeX name list, as bibtexparser's splitter finds them; with one regex
    (braced groups masked first: to the splitter a group is a run of letters) unless the list
    has a backslash outside braces, or an unbalanced or deep brace."""
    masked = value
    if "{" in value or "}" in value:
        masked = _GROUP_RE.sub(_masked, value)
    if "{" in masked or "}" in masked or "\\" in masked:
        return split_multiple_persons_names(value)
    start = len(value) - len(value.lstrip(" \r\n\t"))
    end = len(value.rstrip(" \r\n\t"))
    if start >= end:
        return []
    if masked is value:
        return _AND_RE.split(value[start:end])
    found = []
    for match in _AND_RE.finditer(masked, start, end):
        found.append(value[start : match.start()])
        start = match.end()
    found.append(value[start:end])
    return found


def names(value: str) -> list[Name]:
    """A BibTeX name list; accents are decoded first so that ``\\~`` is never a tie."""
    return list(map(dict, map(_person_parts, split_names(decode_name_accents(value)))))


# --- dates -----------------------------------------------------------------------------------


def _edtf_point(text: str) -> tuple[list[int], str] | None:
    match = _EDTF.match(text.strip())
    if not match:
        return None
    year, month, day, qualifier = match.groups()
    # ISO 8601 counts a year 0 (1 BCE); CSL's negative years do not: -0349 is 350 BCE, CSL -350
    parts = [int(year) if int(year) > 0 else int(year) - 1]
    if month:
        parts.append(int(month))
        if day:
            parts.append(int(day))
    return parts, qualifier


def edtf_date(value: str) -> dict | None:
    """A biblatex date (ISO 8601-2 / EDTF level 1): ranges, open ends, ``~`` ``?`` ``%``."""
    start_text, slash, end_text = value.strip().partition("/")
    start = _edtf_point(start_text) if start_text not in ("", "..") else None
    if start is None:
        return None
    date: dict = {"date-parts": [start[0]]}
    if start[1]:
        date["circa"] = True
    if slash:
        end = _edtf_point(end_text) if end_text not in ("", "..") else None
        if end is not None:
            # citeproc-js refuses a range whose ends have different lengths
            size = min(len(start[0]), len(end[0]))
            date["date-parts"] = [start[0][:size], end[0][:size]]
        else:
            # an open range: citeproc-js prints "2020–" for an end of zeros of the same length
            date["date-parts"].append([0] * len(start[0]))
    return date


def _month_number(value: str) -> int | None:
    text = value.strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTH_NAMES.get(text[:3])


def issued(fields: dict[str, tuple[str, int]], ctx: _Context) -> dict | None:
    date = fields.get("date", ("", 0))[0]
    if date:
        parsed = edtf_date(date)
        return parsed if parsed else {"literal": ctx.text(date, fields["date"][1], rich=False)}
    year = fields.get("year", ("", 0))[0]
    point = _edtf_point(year) if year else None
    if point is None:
        return {"literal": ctx.text(year, fields["year"][1], rich=False)} if year else None
    parts = point[0][:1]
    month = _month_number(fields.get("month", ("", 0))[0])
    if month:
        parts.append(month)
        day = fields.get("day", ("", 0))[0].strip()
        if day.isdigit():
            parts.append(int(day))
    result: dict = {"date-parts": [parts]}
    if point[1]:
        result["circa"] = True
    return result


# --- items -----------------------------------------------------------------------------------


def csl_type(entry_type: str, fields: dict[str, tuple[str, int]]) -> str:
    kind = TYPES.get(entry_type, "document")
    if kind == "article-journal":
        subtype = fields.get("entrysubtype", ("", 0))[0].strip().lower()
        return ARTICLE_SUBTYPES.get(subtype, kind)
    return kind


def _eprint(item: Item, fields: dict[str, tuple[str, int]]) -> None:
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or ("", 0))[0].strip().lower()
    eprint = fields.get("eprint", ("", 0))[0].strip()
    if not eprint:
        return
    if kind == "arxiv" or (not kind and re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", eprint)):
        add_arxiv(item, eprint)
    elif kind in ("pubmed", "pmid"):
        item.setdefault("PMID", eprint)
    elif kind == "pmcid":
        item.setdefault("PMCID", eprint)
    elif kind == "doi":
        item.setdefault("DOI", normalise_doi(eprint))


def _links(item: Item, fields: dict[str, tuple[str, int]]) -> None:
    doi = fields.get("doi", ("", 0))[0]
    if doi:
        item["DOI"] = normalise_doi(unescape_url(doi))
    url = fields.get("url", ("", 0))[0]
    if url:
        item["URL"] = unescape_url(url)
    how = fields.get("howpublished", ("", 0))[0]
    match = _URL_LIKE.match(how) if how else None
    if match:
        item.setdefault("URL", unescape_url(match.group(1)))


def _redundant_howpublished(value: str, fields: dict[str, tuple[str, int]]) -> bool:
    """A URL (read as the link) or what Google Scholar writes for an arXiv preprint."""
    eprint = fields.get("eprint", ("", 0))[0].strip()
    return bool(_URL_LIKE.match(value)) or (
        bool(eprint) and value == f"arXiv preprint arXiv:{eprint}"
    )


def _text_fields(item: Item, fields: dict[str, tuple[str, int]], key: str, ctx: _Context) -> None:
    for name, (value, line) in fields.items():
        if name in SPECIAL_FIELDS or name in NAME_FIELDS:
            continue
        var = TEXT_FIELDS.get(name)
        if var is None:
            ctx.unknown_fields[name] = ctx.unknown_fields.get(name, 0) + 1
            continue
        if not value or (name == "howpublished" and _redundant_howpublished(value, fields)):
            continue
        if name == "pages":
            value = value.replace("--", "-")
        text = ctx.text(value, line, rich=var not in ("ISBN", "ISSN", "PMID", "PMCID", "language"))
        if text:
            item.setdefault(var, text)
    for name, var in SUBTITLES.items():
        if name in fields and item.get(var):
            item[var] = f"{item[var]}: {ctx.text(*fields[name])}"
    if "titleaddon" in fields and item.get("title"):
        item["title"] = f"{item['title']}. {ctx.text(*fields['titleaddon'])}"


def _numbers_and_genre(
    item: Item, fields: dict[str, tuple[str, int]], entry_type: str, ctx: _Context
) -> None:
    number = fields.get("number", ("", 0))
    if number[0]:
        var = "issue" if item["type"].startswith("article") else "number"
        item.setdefault(var, ctx.text(*number))
    subtype = fields.get("type", ("", 0))
    kind = subtype[0].strip().lower()
    if kind in ENDNOTE_TYPE_NAMES:
        return  # EndNote writes its own reference type here, not a genre
    if kind and kind not in ("techreport", "phdthesis", "mathesis"):
        item["genre"] = ctx.text(*subtype)
    elif kind == "mathesis" or entry_type == "mastersthesis":
        item["genre"] = "Master's thesis"
    elif kind == "phdthesis" or entry_type == "phdthesis":
        item.setdefault("genre", "PhD thesis")


def _dates(item: Item, fields: dict[str, tuple[str, int]], ctx: _Context) -> None:
    when = issued(fields, ctx)
    if when:
        item["issued"] = when
    for name, var in DATE_FIELDS.items():
        if fields.get(name, ("", 0))[0]:
            parsed = edtf_date(fields[name][0].split("T")[0])
            item[var] = parsed or {"literal": ctx.text(*fields[name], rich=False)}


def to_item(entry: RawEntry, fields: dict[str, tuple[str, int]], ctx: _Context) -> Item:
    item: Item = {"id": entry.key, "type": csl_type(entry.entry_type, fields)}
    for field, var in NAME_FIELDS.items():
        value, line = fields.get(field, ("", 0))
        # (the regex only where a lone "and" can be: at either end)
        ends = value[:3].lower() == "and" or value[-3:].lower() == "and"
        bare = _EMPTY_NAME_RE.sub("", value) if ends else value
        if bare != value:
            ctx.warn(line, f"{entry.key}: empty name in {field} (a lone 'and') ignored")
        if bare:
            item[var] = names(bare)
    _links(item, fields)
    if (
        entry.entry_type in ("misc", "online")
        and item.get("URL")
        and ("howpublished" not in fields or _URL_LIKE.match(fields["howpublished"][0]) is not None)
        and "eprint" not in fields
    ):
        item["type"] = "webpage"
    _text_fields(item, fields, entry.key, ctx)
    _numbers_and_genre(item, fields, entry.entry_type, ctx)
    _dates(item, fields, ctx)
    _eprint(item, fields)
    return item


# --- crossref and xdata ----------------------------------------------------------------------

_REF_RE = re.compile(rb"(?i)\b(?:crossref|xdata)\s*=\s*[{\"]?\s*([^}\",\s][^}\"]*)")


# crossref or xdata in any case (one character class first: a fast search, as (?i) is not)
_REF_WORD_RE = re.compile(rb"[cCxX](?:[rR][oO][sS][sS][rR][eE][fF]|[dD][aA][tT][aA])")
_BLOCK = 1 << 20


def _targets(stream: BinaryIO, source: str) -> set[str]:
    """The keys other entries inherit from: none when a look at the bytes a block at a time
    finds no crossref or xdata (and no line long enough for the line reader to refuse), else
    read line by line."""
    start = stream.tell()
    if _plainly_no_references(stream):
        return set()
    stream.seek(start)
    return _targets_by_line(stream, source)


def _plainly_no_references(stream: BinaryIO) -> bool:
    tail = b""
    line = 0  # bytes of the line running into the next block
    while block := stream.read(_BLOCK):
        if _REF_WORD_RE.search(tail + block):
            return False
        tail = block[-8:]
        first, last = block.find(b"\n"), block.rfind(b"\n")
        if first < 0:
            line += len(block)
        else:
            inner = max(map(len, block[first + 1 : last].split(b"\n")), default=0)
            if max(line + first, inner) + 1 >= _PIECE:
                return False
            line = len(block) - last - 1
        if line + 1 >= _PIECE:
            return False
    return True


def _targets_by_line(stream: BinaryIO, source: str) -> set[str]:
    """The keys other entries inherit from (a look at the raw bytes, in bounded lines)."""
    found: set[str] = set()
    for _, line in raw_lines(stream, source):
        if b"=" in line and (b"rossref" in line or b"data" in line or b"ROSSREF" in line):
            for match in _REF_RE.finditer(line):
                for key in match.group(1).decode("utf-8", "replace").split(","):
                    if key.strip():
                        found.add(key.strip().lower())
    return found


def _references(fields: dict[str, tuple[str, int]]) -> list[str]:
    refs = [k.strip() for k in fields.get("xdata", ("", 0))[0].split(",") if k.strip()]
    crossref = fields.get("crossref", ("", 0))[0].strip()
    return refs + ([crossref] if crossref else [])


def _mapping(parent_type: str, child_type: str, is_xdata: bool) -> dict[str, str]:
    if is_xdata:
        return {}
    mapping: dict[str, str] = {}
    for parents, children, fields in INHERITANCE:
        if parent_type in parents and child_type in children:
            mapping.update(fields)
    return mapping


class Parents:
    """Entries others inherit from, kept raw; resolves a child's inheritance."""

    def __init__(self) -> None:
        self.entries: dict[str, RawEntry] = {}

    def inherit(self, entry: RawEntry, ctx: _Context, chain: tuple[str, ...] = ()) -> RawEntry:
        refs = _references(entry.fields)
        if not refs:
            return entry
        chain = chain + (entry.key.lower(),)
        fields = dict(entry.fields)
        for ref in refs:
            parent = self.entries.get(ref.lower())
            if parent is None:
                line = (
                    entry.fields.get("crossref") or entry.fields.get("xdata") or ("", entry.line)
                )[1]
                ctx.warn(
                    line, f"{entry.key}: {ref!r} (crossref/xdata) not found: nothing inherited"
                )
                continue
            if ref.lower() in chain:
                cycle = " → ".join(chain + (ref.lower(),))
                raise PublistError(
                    f"crossref/xdata cycle refused: {cycle}", ctx.scanner.source, entry.line
                )
            parent = self.inherit(parent, ctx, chain)
            _inherit_fields(fields, parent, entry.entry_type)
        return RawEntry(entry.entry_type, entry.key, entry.line, fields)


def _inherit_fields(fields: dict[str, tuple[str, int]], parent: RawEntry, child_type: str) -> None:
    mapping = _mapping(parent.entry_type, child_type, parent.entry_type == "xdata")
    for name, value in parent.fields.items():
        if name in NOT_INHERITED:
            continue
        if name in mapping:
            fields.setdefault(mapping[name], value)
            if name != "author":  # author also stays author (biber copies it both ways)
                continue
        elif mapping and name in _TITLE_ONLY:
            continue
        fields.setdefault(name, value)


# --- reading -----------------------------------------------------------------------------------


def _seekable(stream: BinaryIO) -> BinaryIO:
    try:
        if stream.seekable():
            return stream
    except (AttributeError, ValueError):
        pass
    spool = tempfile.TemporaryFile()
    shutil.copyfileobj(stream, spool)
    spool.seek(0)
    return spool


def _collect_parents(stream: BinaryIO, source: str, targets: set[str]) -> Parents:
    parents = Parents()
    scanner = Scanner(source)
    scanner.keep = targets
    for first, text in chunks(stream, source):
        for entry in scanner.entries(text, first):
            if entry.key.lower() in targets and entry.key.lower() not in parents.entries:
                parents.entries[entry.key.lower()] = entry
    return parents


class _Reader:
    def __init__(self, stream: BinaryIO, source: str):
        self.stream = stream
        self.source = source
        #: what the collection reports, filled as the items stream
        self.warnings: list[str] = []
        self.errors: list[PublistError] = []
        self.scanner = Scanner(source)
        self.ctx = _Context(self.scanner)
        self.seen = KeyAllocator()
        self.parents = Parents()

    def prepare(self) -> None:
        """The first pass, when (and only when) some entry inherits from another."""
        self.stream = _seekable(self.stream)
        start = self.stream.tell()
        targets = _targets(self.stream, self.source)
        self.stream.seek(start)
        if targets:
            self.parents = _collect_parents(self.stream, self.source, targets)
            self.stream.seek(start)

    def items(self) -> Iterator[Located]:
        self.prepare()
        runs = chunks(self.stream, self.source)
        head = list(islice(runs, _MIN_PARALLEL_RUNS))
        if len(head) == _MIN_PARALLEL_RUNS and workers() > 1:
            yield from self._items_parallel(chain(head, runs))
        else:
            yield from self._items_here(chain(head, runs))
        self.finish()

    def _items_here(self, runs: Iterable[tuple[int, str]]) -> Iterator[Located]:
        for first, text in runs:
            for entry in self.scanner.entries(text, first):
                self.flush()
                item = self.item(entry)
                self.flush()
                if item is not None:
                    yield entry.line, item
            self.flush()

    def _items_parallel(self, runs: Iterable[tuple[int, str]]) -> Iterator[Located]:
        """Runs of blocks parsed on forked workers (:func:`_parse_run`); keys, and the messages
        in the order one process gives them, here.  A run's ``@string`` macros are those the
        runs before it defined: a run that defines some is scanned here too, for the next."""
        global _PARALLEL
        count = workers()
        _PARALLEL = self  # inherited at fork: the parents of crossref/xdata, the source
        try:
            with worker_pool(count, "reading", self.source) as pool:
                pending: deque[Future[_RunResult]] = deque()
                for first, text in runs:
                    macros = self.scanner.macros
                    pending.append(pool.submit(_parse_run, first, text, macros))
                    if _DEFINES_MACRO.search(text):
                        self.scanner.macros = _macros_after(self.source, first, text, macros)
                    if len(pending) > 2 * count:  # a bounded window: memory stays flat
                        yield from self._replay(pending.popleft().result())
                while pending:
                    yield from self._replay(pending.popleft().result())
        finally:
            _PARALLEL = None

    def _replay(self, result: _RunResult) -> Iterator[Located]:
        data, unknown_fields = result
        parsed: list[_Parsed] = marshal.loads(data)
        for name, count in unknown_fields.items():
            self.ctx.unknown_fields[name] = self.ctx.unknown_fields.get(name, 0) + count
        for warned, errors, entry, item in parsed:  # entry: (line, key)
            for line, message in warned:
                command = _unknown_command(message)
                if command is not None:  # once per file: the run reported it once per run
                    if command in self.ctx.unknown_commands:
                        continue
                    self.ctx.unknown_commands[command] = line
                self.warnings.append(LineWarning(self.source, line, message))
            self.errors.extend(PublistError(*error) for error in errors)
            if entry is not None and item is not None:
                item = self.keyed(*entry, item)
                self.flush()
                if item is not None:
                    yield entry[0], item

    def item(self, entry: RawEntry) -> Item | None:
        item = self.parsed(entry)
        return None if item is None else self.keyed(entry.line, entry.key, item)

    def parsed(self, entry: RawEntry) -> Item | None:
        """The entry as an item, without the file's keys (a worker runs this)."""
        if entry.entry_type in NOT_ITEMS:
            return None
        try:
            entry = self.parents.inherit(entry, self.ctx)
        except PublistError as err:  # named at the entry being read, not where the cycle closes
            self.errors.append(PublistError(err.message, self.source, entry.line))
            return None
        return to_item(entry, clean_fields(entry, self.ctx), self.ctx)

    def keyed(self, line: int, key: str, item: Item) -> Item | None:
        """The item with its key checked (unique in the file) or made (an entry without one)."""
        if not key:
            item["id"] = self.seen.key_for(_plain_item(item))
            self.ctx.warn(line, f"entry without a key: given the key {item['id']!r}")
        elif not self.seen.take(key):
            self.errors.append(
                PublistError(f"duplicate key {key!r} (the first is kept)", self.source, line)
            )
            return None
        return item

    def flush(self) -> None:
        """Scanner messages → the collection (warnings with their line)."""
        for line, message in self.scanner.warnings:
            self.warnings.append(LineWarning(self.source, line, message))
        self.scanner.warnings.clear()
        self.errors.extend(self.scanner.errors)
        self.scanner.errors.clear()

    def finish(self) -> None:
        self.flush()
        unknown = self.ctx.unknown_fields
        if unknown:
            listed = ", ".join(f"{f} ({n})" for f, n in sorted(unknown.items()))
            self.warnings.append(f"fields with no CSL variable ignored: {listed}")


_MIN_PARALLEL_RUNS = 2  # runs of blocks (chunks' 512): fewer are read in this process
_DEFINES_MACRO = re.compile(r"(?i)@[ \t\r\n]*string")
_UNKNOWN_COMMAND = ("unknown LaTeX command \\", ": its argument text is kept")

# What a worker sends back for one run: in order, (warnings as (line, message), errors as
# (message, source, line), the entry's (line, key) and its item, both None for messages
# between entries), as JSON (the parent decodes it several times faster than a pickle of the
# same items; an item is JSON's types), and the fields with no CSL variable it counted
_Parsed = tuple[
    list[tuple[int, str]],
    list[tuple[str, str | None, int | None]],
    tuple[int, str] | None,
    Item | None,
]
# (the run's messages and items marshalled: they are plain tuples, lists, dicts, strings and
# numbers, and marshal's loads costs this process a fraction of json's)
_RunResult = tuple[bytes, dict[str, int]]
# the reader of the conversion under way, in a forked worker (set before the workers start)
_PARALLEL: _Reader | None = None


def _unknown_command(message: str) -> str | None:
    """The command an "unknown LaTeX command" warning names (None: another warning)."""
    start, end = _UNKNOWN_COMMAND
    if message.startswith(start) and message.endswith(end):
        return message[len(start) : -len(end)]
    return None


def _parse_run(first: int, text: str, macros: dict[str, str]) -> _RunResult:
    """One run of blocks, in a worker: what :meth:`_Reader._items_here` does with it, but for
    the keys, with the messages kept in their order (unknown commands: once in the run)."""
    reader = _PARALLEL
    if reader is None:
        raise RuntimeError("_parse_run runs only in a reading worker")
    scanner = Scanner(reader.source)
    scanner.macros = macros
    reader.scanner, reader.ctx = scanner, _Context(scanner)
    reader.errors.clear()  # (the worker's copy: its errors go back with the run)
    parsed: list[_Parsed] = []

    def taken() -> tuple[list[tuple[int, str]], list[tuple[str, str | None, int | None]]]:
        warned = scanner.warnings[:]
        errors = [(e.message, e.source, e.line) for e in scanner.errors + reader.errors]
        scanner.warnings.clear()
        scanner.errors.clear()
        reader.errors.clear()
        return warned, errors

    for entry in scanner.entries(text, first):
        parsed.append((*taken(), None, None))
        item = reader.parsed(entry)
        parsed.append((*taken(), (entry.line, entry.key), item))
    parsed.append((*taken(), None, None))
    return marshal.dumps(parsed), reader.ctx.unknown_fields


def _macros_after(source: str, first: int, text: str, macros: dict[str, str]) -> dict[str, str]:
    """The ``@string`` macros once a run is read (a scan of the run whose messages are the
    worker's to give)."""
    scanner = Scanner(source)
    scanner.macros = dict(macros)
    for _ in scanner.entries(text, first):
        pass
    return scanner.macros


def _plain_item(item: Item) -> Item:
    return {**item, "title": to_plain(item.get("title", ""))}


class LineWarning(str):
    """A warning that knows its line (``publist check`` prints it as ``FILE:LINE: warning``)."""

    line: int
    message: str

    def __new__(cls, source: str, line: int, message: str) -> LineWarning:
        text = super().__new__(cls, f"{source}:{line}: {message}")
        text.line = line
        text.message = message
        return text


def read_bibtex(stream: BinaryIO, source: str) -> Collection:
    """BibTeX or biblatex, read a few hundred entries at a time (constant memory; a file with
    crossref/xdata is read twice and keeps the entries inherited from)."""
    reader = _Reader(stream, source)
    return Collection.located(
        reader.items(), source=source, warnings=reader.warnings, errors=reader.errors
    )
