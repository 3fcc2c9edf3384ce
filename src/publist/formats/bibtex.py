"""BibTeX and biblatex: writers on bibtexparser v2's model and writer, and one reader.

Text is plain on the CSL side and LaTeX on the .bib side (see :mod:`publist.latex`).  Types and
fields map through the tables in :mod:`publist.mappings`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from typing import BinaryIO, TextIO

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware, ResolveStringReferencesMiddleware
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, Field, ParsingFailedBlock, String
from bibtexparser.writer import BibtexFormat

from ..errors import PublistError
from ..identifiers import add_arxiv, arxiv_fields, arxiv_id
from ..keys import KeyAllocator
from ..latex import Encoder, decode, escape_url, unescape_url
from ..lines import numbered_lines
from ..mappings import (
    BIB_FIELD_ORDER,
    BIB_FIELDS,
    BIB_NAME_FIELDS,
    BIB_TO_CSL,
    BIBTEX_TO_CSL,
    CONTAINER_DEFAULT,
    CONTAINER_FIELD,
    PUBLISHER_DEFAULT,
    PUBLISHER_FIELD,
    type_row,
)
from ..model import Collection, Item, Name, date_parts
from ..names import name_from_parts
from ..pipeline import ChunkWriter, write_chunks
from ..registry import Format, register

# bibtexparser logs every failed block; publist reports them itself, with file and line.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FIELD_RANK = {name: i for i, name in enumerate(BIB_FIELD_ORDER)}
_URL_FIELDS = frozenset({"url", "doi"})
_KEY_BAD = re.compile(r"[\s,{}()=#%\"'\\~]+")
# CSL variables written through special rules below, not through BIB_FIELDS.
_SPECIAL_VARS = frozenset(
    {
        "id",
        "type",
        "author",
        "editor",
        "translator",
        "issued",
        "container-title",
        "publisher",
        "number",
        "genre",
        "archive",
        "archive_location",
        "citation-key",
    }
)
_ESCAPE_IN_NAME = re.compile(r"\\(?:text[a-z]+\{\}|[&%$#_])")
_WORD_AND = re.compile(r"(?i)(^|\s)and(\s|$)")


class BibWriter(ChunkWriter):
    """Entries for one .bib file, built as bibtexparser entries, in its layout."""

    separator = "\n"  # bibtexparser ends a chunk with its last entry: a blank line between

    def __init__(
        self,
        biblatex: bool,
        *,
        max_authors: int | None = None,
        unicode: bool = False,
        extended_names: bool = False,
        protect_words: Iterable[str] = (),
    ):
        self.biblatex = biblatex
        self.encoder = Encoder(ascii_only=not (biblatex or unicode), protect_words=protect_words)
        self.max_authors = max_authors
        self.extended_names = extended_names
        self.keys = KeyAllocator()
        self.warnings: list[str] = []
        self.unmapped: dict[str, int] = {}
        self._name_cache: dict[tuple, str] = {}

    def _field_name(self, row) -> str | None:
        return row.biblatex if self.biblatex else row.bibtex

    def _text(self, value: object, where: str, protect_case: bool = False) -> str:
        return "{" + self.encoder.text(str(value), where, protect_case) + "}"

    # names

    def _part(self, text: str, where: str) -> str:
        # Each escape becomes a BibTeX "special character" ({\&}): one letter to BibTeX's name
        # parser, and no name can start with a bare backslash (which also trips bibtexparser's
        # splitting on "and").
        latex = _ESCAPE_IN_NAME.sub(lambda m: "{" + m.group() + "}", self.encoder.text(text, where))
        # A comma or a lone "and" inside a part would split the name list: brace the part.
        if "," in text or _WORD_AND.search(text):
            return "{" + latex + "}"
        return latex

    def _name(self, name: Name, where: str) -> str:
        key = tuple(name.items())
        cached = self._name_cache.get(key)
        if cached is not None:
            return cached
        if "literal" in name or not (name.get("family") or name.get("given")):
            latex = self.encoder.text(name.get("literal", ""), where)
            # {{\&}} rather than {\&}, which would read as one special character
            text = "{{" + latex + "}}" if latex.startswith("\\") else "{" + latex + "}"
        elif self.extended_names:
            text = self._extended_name(name, where)
        else:
            von = " ".join(
                p for p in (name.get("dropping-particle"), name.get("non-dropping-particle")) if p
            )
            family = name.get("family") or ""
            head = " ".join(
                p for p in (self._part(von, where) if von else "", self._family(family, where)) if p
            )
            if not family:
                head = "{" + self.encoder.text(name.get("given", ""), where) + "}"
                text = head
            else:
                parts = [head]
                if name.get("suffix"):
                    parts.append(self._part(name["suffix"], where))
                    # "Last, Jr, First": an empty First keeps Jr from reading as the given name
                    parts.append(self._part(name.get("given", ""), where) or "{}")
                elif name.get("given"):
                    parts.append(self._part(name["given"], where))
                text = ", ".join(parts)
        if len(self._name_cache) > 8192:  # bounded: the writer streams any number of entries
            self._name_cache.clear()
        self._name_cache[key] = text
        return text

    def _family(self, family: str, where: str) -> str:
        # Words after the first that start in lower case would read as a von part: brace them.
        words = []
        for i, word in enumerate(family.split()):
            latex = self._part(word, where)
            words.append("{" + latex + "}" if i and word[:1].islower() else latex)
        return " ".join(words)

    def _extended_name(self, name: Name, where: str) -> str:
        pairs = []
        for field, var in (("family", "family"), ("given", "given"), ("suffix", "suffix")):
            if name.get(var):
                pairs.append(f"{field}={{{self.encoder.text(name[var], where)}}}")
        particle = name.get("non-dropping-particle") or name.get("dropping-particle")
        if particle:
            pairs.append(f"prefix={{{self.encoder.text(particle, where)}}}")
            pairs.append("useprefix=" + ("true" if name.get("non-dropping-particle") else "false"))
        return ", ".join(pairs)

    def _names(self, names: list[Name], where: str) -> str:
        shown = names
        more = False
        if self.max_authors and len(names) > self.max_authors:
            shown, more = names[: self.max_authors], True
        cached = self._name_cache.get  # (inlined: a call per name was much of this writer's time)
        text = " and ".join([cached(tuple(n.items())) or self._name(n, where) for n in shown])
        return "{" + text + (" and others" if more else "") + "}"

    # entries

    def entry(self, item: Item) -> Entry:
        where = str(item.get("id"))
        row = type_row(item.get("type"))
        entry_type = row.biblatex if self.biblatex else row.bibtex
        genre = str(item.get("genre", "")).lower()
        if entry_type == "phdthesis" and "master" in genre:
            entry_type = "mastersthesis"
        fields: dict[str, str] = {}

        for var, frow in BIB_NAME_FIELDS.items():
            names = item.get(var)
            field = self._field_name(frow)
            if names and field:
                fields[field] = self._names(names, where)

        arxiv = arxiv_id(item)
        arxiv_defaults = arxiv_fields(arxiv) if arxiv else {}
        for var, value in item.items():
            if var in _SPECIAL_VARS:
                continue
            if value in (None, "", []):
                continue
            frow = BIB_FIELDS.get(var)
            field = self._field_name(frow) if frow else None
            if field is None:
                self.unmapped[var] = self.unmapped.get(var, 0) + 1
                continue
            if field in _URL_FIELDS:
                fields[field] = "{" + escape_url(str(value), bibtex=not self.biblatex) + "}"
            elif var == "page":
                fields[field] = self._text(re.sub(r"\s*[-–—]+\s*", "--", str(value)), where)
                fields[field] = fields[field].replace("-{}-", "--")
            elif var == "keyword":
                fields[field] = self._text(value, where)
            else:
                fields[field] = self._text(value, where, protect_case=(var == "title"))

        container = item.get("container-title")
        if container:
            frow = CONTAINER_FIELD.get(entry_type, CONTAINER_DEFAULT)
            fields[self._field_name(frow)] = self._text(container, where, protect_case=True)

        publisher = item.get("publisher")
        if publisher and not (arxiv and publisher == arxiv_defaults.get("publisher")):
            frow = PUBLISHER_FIELD.get(entry_type, PUBLISHER_DEFAULT)
            fields[self._field_name(frow)] = self._text(publisher, where)

        number = item.get("number")
        if number and "number" not in fields and number != arxiv_defaults.get("number"):
            fields["number"] = self._text(number, where)

        if self.biblatex and item.get("type") == "report":
            fields["type"] = "{techreport}"
        elif self.biblatex and entry_type == "thesis":
            fields["type"] = "{mathesis}" if "master" in genre else "{phdthesis}"
        elif item.get("genre"):
            fields["type"] = self._text(item["genre"], where)

        date = date_parts(item)
        if date:
            if self.biblatex:
                fields["date"] = (
                    "{"
                    + "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(date))
                    + "}"
                )
            else:
                fields["year"] = f"{{{date[0]}}}"
                if len(date) > 1 and 1 <= date[1] <= 12:
                    fields["month"] = MONTHS[date[1] - 1]

        if arxiv:
            fields["eprint"] = "{" + escape_url(arxiv, bibtex=not self.biblatex) + "}"
            if self.biblatex:
                fields["eprinttype"] = "{arxiv}"
            else:
                fields["archiveprefix"] = "{arXiv}"
                fields.setdefault("url", "{" + arxiv_defaults["URL"] + "}")
                if entry_type == "misc" and "howpublished" not in fields:
                    fields["howpublished"] = "{arXiv preprint arXiv:" + arxiv + "}"

        key = self._key(item)
        ordered = sorted(fields.items(), key=lambda kv: (_FIELD_RANK.get(kv[0], 999), kv[0]))
        return Entry(entry_type, key, [Field(k, v) for k, v in ordered])

    def _key(self, item: Item) -> str:
        original = str(item.get("id", "")) or "item"
        clean = _KEY_BAD.sub("_", original).strip("_") or "item"
        key = self.keys.claim(clean)
        if key != original:
            self.warnings.append(f"citation key {original!r} written as {key!r}")
        return key

    def format(self, items: list[Item]) -> str:
        # bibtexparser.write_string's layout (indent "  ", " = ", a blank line between
        # entries), laid out here: its Library re-checks keys the allocator made unique and its
        # writer costs a quarter of this writer's time.  Tested equal to write_string.
        return "\n".join(map(_entry_text, map(self.entry, items)))

    def take_report(self) -> dict:
        report = {
            "warnings": self.warnings,
            "unencodable": self.encoder.unencodable,
            "controls_replaced": self.encoder.controls_replaced,
            "unmapped": self.unmapped,
        }
        self.warnings, self.encoder.unencodable, self.unmapped = [], {}, {}
        self.encoder.controls_replaced = False
        return report

    def absorb(self, report: dict, rename: Callable[[str], str]) -> None:
        self.warnings.extend(rename(w) for w in report["warnings"])
        for char, where in report["unencodable"].items():
            self.encoder.unencodable.setdefault(char, rename(where))
        self.encoder.controls_replaced |= report["controls_replaced"]
        for var, count in report["unmapped"].items():
            self.unmapped[var] = self.unmapped.get(var, 0) + count

    def notes(self) -> list[str]:
        notes = list(self.warnings)
        if self.encoder.unencodable:
            shown = ", ".join(
                f"{c} (U+{ord(c):04X}, first in {where})"
                for c, where in self.encoder.unencodable.items()
            )
            notes.append(
                f"{len(self.encoder.unencodable)} character(s) with no LaTeX form kept "
                f"as UTF-8: {shown}"
            )
        if self.encoder.controls_replaced:
            notes.append("control characters or line/paragraph separators written as spaces")
        if self.unmapped:
            listed = ", ".join(f"{var} ({n})" for var, n in sorted(self.unmapped.items()))
            notes.append(
                f"CSL variables with no {'biblatex' if self.biblatex else 'BibTeX'} "
                f"field not written: {listed}"
            )
        return notes


def _entry_text(entry: Entry) -> str:
    """One entry as bibtexparser.write_string lays it out with _BIB_FORMAT."""
    if not entry.fields:
        return f"@{entry.entry_type}{{{entry.key},\n}}\n"
    fields = ",\n".join([f"  {field.key} = {field.value}" for field in entry.fields])
    return f"@{entry.entry_type}{{{entry.key},\n{fields}\n}}\n"


def _bib_format() -> BibtexFormat:
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    return fmt


_BIB_FORMAT = _bib_format()


def write_bibtex(
    collection: Collection,
    out: TextIO,
    *,
    max_authors: int | None = None,
    unicode: bool = False,
    protect_words: Iterable[str] = (),
) -> None:
    """Classic BibTeX: ASCII with LaTeX commands unless ``unicode``; ``protect_words`` are
    braced in every title (proper nouns of title-cased titles)."""
    writer = BibWriter(False, max_authors=max_authors, unicode=unicode, protect_words=protect_words)
    write_chunks(writer, collection, out)


def write_biblatex(
    collection: Collection,
    out: TextIO,
    *,
    max_authors: int | None = None,
    extended_names: bool = False,
    protect_words: Iterable[str] = (),
) -> None:
    """biblatex (for biber): UTF-8, biblatex types and fields."""
    writer = BibWriter(
        True, max_authors=max_authors, extended_names=extended_names, protect_words=protect_words
    )
    write_chunks(writer, collection, out)


# --- reading -----------------------------------------------------------------------------------


def _split_top_level(text: str, sep: str = ",") -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


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


def _extended_person(raw: str) -> Name:
    values = {}
    for part in _split_top_level(raw):
        if "=" in part:
            key, _, value = part.partition("=")
            values[key.strip().lower()] = decode(_unbrace(value))
    name: Name = {}
    if values.get("family"):
        name["family"] = values["family"]
    if values.get("given"):
        name["given"] = values["given"]
    if values.get("prefix"):
        use = values.get("useprefix", "true").lower() != "false"
        name["non-dropping-particle" if use else "dropping-particle"] = values["prefix"]
    if values.get("suffix"):
        name["suffix"] = values["suffix"]
    return name


def _person(raw: str) -> Name:
    return dict(_person_parts(raw))


@lru_cache(maxsize=65536)
def _person_parts(raw: str) -> tuple[tuple[str, str], ...]:
    """One BibTeX name → CSL fields; cached, since big author lists repeat names."""
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
            return {"literal": decode(_unbrace(only))}
    family = decode(" ".join(parts.von + parts.last))
    given = decode(" ".join(parts.first)) or None
    name = name_from_parts(family, given) if family else {"given": given or ""}
    if parts.jr:
        name["suffix"] = decode(" ".join(parts.jr))
    return name


def _names(value: str) -> list[Name]:
    names = []
    for raw in split_multiple_persons_names(value):
        if raw.strip().lower() == "others":
            names.append({"literal": "others"})
        else:
            names.append(_person(raw))
    return names


def _issued(fields: dict[str, str]) -> dict | None:
    date = fields.get("date", "").strip()
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if match:
        return {"date-parts": [[int(g) for g in match.groups() if g]]}
    year = fields.get("year", "").strip()
    if re.fullmatch(r"\d{1,4}", year):
        parts = [int(year)]
        month = fields.get("month", "").strip().lower()[:3]
        if month in MONTHS:
            parts.append(MONTHS.index(month) + 1)
        elif month.isdigit() and 1 <= int(month) <= 12:
            parts.append(int(month))
        return {"date-parts": [parts]}
    if year or date:
        return {"literal": decode(year or date)}
    return None


_READ_SKIP = frozenset(
    {
        "year",
        "month",
        "date",
        "eprint",
        "archiveprefix",
        "eprinttype",
        "primaryclass",
        "type",
        "number",
        "author",
        "editor",
        "translator",
    }
)


def _entry_to_item(entry: Entry, unknown: dict[str, int]) -> Item:
    entry_type = entry.entry_type.lower()
    fields = {f.key.lower(): f.value for f in entry.fields}
    csl_type = BIBTEX_TO_CSL.get(entry_type, "document")
    subtype = fields.get("type", "").strip().lower()
    eprint_type = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    arxiv = fields.get("eprint", "").strip() if eprint_type == "arxiv" else ""
    if (
        entry_type in ("misc", "online")
        and not arxiv
        and fields.get("url")
        and "howpublished" not in fields
    ):
        csl_type = "webpage"
    item: Item = {"id": entry.key, "type": csl_type}
    for field, var in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if fields.get(field, "").strip():
            item[var] = _names(fields[field])
    for field, value in fields.items():
        if field in _READ_SKIP:
            continue
        var = BIB_TO_CSL.get(field)
        if var is None:
            unknown[field] = unknown.get(field, 0) + 1
            continue
        if field in _URL_FIELDS:
            text = unescape_url(value.strip())
        elif field == "pages":
            text = decode(value.replace("--", "-"))
        else:
            text = decode(value)
        if field == "howpublished" and arxiv and text == f"arXiv preprint arXiv:{arxiv}":
            continue
        if field == "subtitle" and item.get("title"):
            item["title"] = f"{item['title']}: {text}"
            continue
        if field == "keywords":
            var = "keyword"
        item.setdefault(var, text)
    number = fields.get("number", "").strip()
    if number:
        var = "issue" if csl_type.startswith("article") else "number"
        item[var] = decode(number)
    if subtype and subtype not in ("techreport", "phdthesis", "mathesis"):
        item["genre"] = decode(subtype)
    elif subtype == "mathesis" or entry_type == "mastersthesis":
        item["genre"] = "Master's thesis"
    issued = _issued(fields)
    if issued:
        item["issued"] = issued
    if arxiv:
        add_arxiv(item, arxiv)
    return item


_BLOCKS_PER_CHUNK = 512


def _chunks(stream: BinaryIO, source: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of runs of whole blocks, so a .bib is parsed a piece at a time.

    A run ends before a line that opens a block (``@`` first) where every brace so far is
    closed: BibTeX counts every brace, escaped or not, so a value can never leave one open."""
    lines: list[str] = []
    first = 1
    blocks = 0
    depth = 0
    for lineno, text in numbered_lines(stream, source):
        if depth == 0 and text.lstrip().startswith("@"):
            if blocks >= _BLOCKS_PER_CHUNK:
                yield first, "\n".join(lines)
                lines, first, blocks = [], lineno, 0
            blocks += 1
        lines.append(text)
        depth = max(0, depth + text.count("{") - text.count("}"))
    if lines:
        yield first, "\n".join(lines)


def read_bibtex(stream: BinaryIO, source: str) -> Collection:
    """BibTeX or biblatex, read a few hundred entries at a time (constant memory)."""
    collection = Collection([], source=source)
    parse_stack = [ResolveStringReferencesMiddleware(True), RemoveEnclosingMiddleware(True)]
    seen = KeyAllocator()  # fingerprints of the keys read so far, for duplicates across chunks

    def failures(library: Library, offset: int) -> None:
        first_line = {e.key.lower(): e.start_line + offset for e in library.entries}
        for block in library.failed_blocks:
            line = (block.start_line or 0) + offset
            if isinstance(block, DuplicateBlockKeyBlock):
                if isinstance(block.previous_block, String):
                    continue
                first = first_line.get(block.key.lower())
                message = f"duplicate key {block.key!r} (first at line {first}): entry skipped"
            elif isinstance(block, ParsingFailedBlock):
                detail = str(block.error).split("\n")[-1].strip() if block.error else ""
                message = "malformed entry skipped" + (f": {detail}" if detail else "")
            else:
                message = "unreadable block skipped"
            collection.errors.append(PublistError(message, source, line))

    def generate() -> Iterator[Item]:
        unknown: dict[str, int] = {}
        strings: list[String] = []  # @string macros carry over to later chunks
        for first, text in _chunks(stream, source):
            offset = first  # bibtexparser counts lines from 0 within the chunk
            library = Library()
            library.add(strings, fail_on_duplicate_key=False)
            library = bibtexparser.parse_string(text, parse_stack=parse_stack, library=library)
            strings = list(library.strings)
            failures(library, offset)
            for entry in library.entries:
                line = entry.start_line + offset
                if not seen.take(entry.key):
                    collection.errors.append(
                        PublistError(
                            f"duplicate key {entry.key!r} (first in an earlier part of the file): "
                            "entry skipped",
                            source,
                            line,
                        )
                    )
                    continue
                collection.position = line
                try:
                    item = _entry_to_item(entry, unknown)
                except Exception as err:  # a library's parse error on one odd entry
                    collection.errors.append(
                        PublistError(f"entry {entry.key!r} skipped: {err}", source, line)
                    )
                    continue
                yield item
        if unknown:
            listed = ", ".join(f"{f} ({n})" for f, n in sorted(unknown.items()))
            collection.warnings.append(f"fields with no CSL variable ignored: {listed}")

    collection._items = generate()
    return collection


register(
    Format(
        name="bibtex",
        description="BibTeX .bib (ASCII with LaTeX commands by default; reads biblatex too)",
        extensions=(".bib", ".bibtex"),
        reader=read_bibtex,
        writer=write_bibtex,
        chunk_writer=partial(BibWriter, False),
        writer_options=frozenset({"max_authors", "unicode", "protect_words"}),
        default_extension=".bib",
    )
)
register(
    Format(
        name="biblatex",
        description="biblatex .bib for biber (UTF-8, biblatex types and fields)",
        extensions=(),
        writer=write_biblatex,
        chunk_writer=partial(BibWriter, True),
        writer_options=frozenset({"max_authors", "extended_names", "protect_words"}),
        default_extension=".bib",
    )
)
