"""BibTeX and biblatex: writers on bibtexparser v2's model and writer, and one reader.

Text is plain on the CSL side and LaTeX on the .bib side (see :mod:`publist.latex`).  Types and
fields map through the tables in :mod:`publist.mappings`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from typing import Any, TextIO

from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from ..biblatex_model import datamodel_warnings
from ..identifiers import arxiv_fields, arxiv_id
from ..keys import KeyAllocator
from ..latex import Encoder, escape_url
from ..mappings import (
    BIB_FIELD_ORDER,
    BIB_FIELDS,
    BIB_NAME_FIELDS,
    BIBLATEX_ONLY_TYPES,
    CONTAINER_DEFAULT,
    CONTAINER_FIELD,
    PUBLISHER_DEFAULT,
    PUBLISHER_FIELD,
    FieldRow,
    type_row,
)
from ..model import Collection, Item, Name, date_parts
from ..pipeline import ChunkWriter, write_chunks
from ..registry import Format, Option, register
from ..richtext import to_latex
from .bibtex_reader import read_bibtex
from .bibtex_required import check_required_fields

# bibtexparser logs every failed block; publist reports them itself, with file and line.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FIELD_RANK = {name: i for i, name in enumerate(BIB_FIELD_ORDER)}
_URL_FIELDS = frozenset({"url", "doi"})
# What a written key may hold: ASCII letters, digits and ``_ : . + / -``.  Anything else can
# reach TeX through biber's .bbl (``^^5c`` reads as a backslash), stop biber reading the file
# (control characters) or end the key in BibTeX's grammar; runs of it become one ``_``.
KEY_CHARACTERS = "A-Za-z0-9_:.+/-"
_KEY_BAD = re.compile(f"[^{KEY_CHARACTERS}]+")
_KEY_OK = re.compile(f"(?!_)[{KEY_CHARACTERS}]+(?<!_)")  # what safe_key leaves as it is
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
        "custom",  # website facts (publist.website): the al-folio writer writes them
    }
)
# Entry types biber's data model accepts only with a link (url, doi or eprint), and the type
# written instead when there is none.
_NEEDS_LINK = {"online": "misc"}
_LINK_VARS = ("URL", "DOI")
# The variables identifiers.arxiv_id reads an arXiv id from: without any, an item has none.
_ARXIV_VARS = frozenset({"number", "DOI", "URL", "archive"})
# CSL date variables -> biblatex date fields (ISO 8601 / EDTF: see _iso_date).
_BIBLATEX_DATES = {"issued": "date", "original-date": "origdate", "accessed": "urldate"}
# A CSL variable's field and the function writing its value (value, item id) -> field text;
# (None, None): a variable written by its own rule, (None, f): one with no field (f counts it).
PlainRule = tuple[str | None, Callable[[Any, str], Any] | None]
_PAGE_DASHES = re.compile(r"\s*[-–—]+\s*")
# Pages "12", "e1234" or "348-373" (any dashes): ASCII letters and digits, nothing to escape
_SIMPLE_PAGES = re.compile(r"([0-9A-Za-z]+)(?: *[-–—]+ *([0-9A-Za-z]+))?")
# A URL or DOI escape_url leaves as it is: no whitespace, braces, backslash, "%" or "#"
_URL_AS_IS = re.compile(r"[^\s{}\\%#]*")
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
        # biblatex: UTF-8, with commands for what pdflatex cannot typeset from UTF-8
        self.encoder = Encoder(
            ascii_only=not (biblatex or unicode), pdflatex=biblatex, protect_words=protect_words
        )
        self.max_authors = max_authors
        self.extended_names = extended_names
        self.keys = KeyAllocator()
        self.warnings: list[str] = []
        self.unmapped: dict[str, int] = {}
        self._name_cache: dict[tuple, str] = {}
        self._orders: dict[tuple[str, ...], list[str]] = {}
        self._venues: dict[str, str] = {}
        # (CSL variable, field) of the name variables this dialect writes
        self._name_fields = [
            (var, field)
            for var, frow in BIB_NAME_FIELDS.items()
            if (field := self._field_name(frow)) is not None
        ]
        # CSL variable -> how it is written (_plain_rule)
        self._plain_rules: dict[str, PlainRule] = {}

    def _field_name(self, row: FieldRow) -> str | None:
        return row.biblatex if self.biblatex else row.bibtex

    def _typed_field_name(self, row: FieldRow) -> str:
        """The field of a CONTAINER_FIELD / PUBLISHER_FIELD row: every row names one in both
        dialects."""
        name = self._field_name(row)
        if name is None:
            raise ValueError(f"{row} names no field for this dialect")
        return name

    def _text(self, value: object, where: str, protect_case: bool = False) -> str:
        text = str(value)
        if "<" in text:  # CSL rich text: <i> → \emph{…}, nocase → {…} (publist.richtext)
            encode = partial(self.encoder.text, where=where, protect_case=protect_case)
            return "{" + to_latex(text, encode) + "}"
        return "{" + self.encoder.text(text, where, protect_case) + "}"

    # names

    def _part(self, text: str, where: str) -> str:
        # Each escape becomes a BibTeX "special character" ({\&}): one letter to BibTeX's name
        # parser, and no name can start with a bare backslash (which also trips bibtexparser's
        # splitting on "and").
        latex = _ESCAPE_IN_NAME.sub(lambda m: "{" + m.group() + "}", self.encoder.text(text, where))
        if self.biblatex:
            latex = _biber_safe_part(latex)
        if text and not latex.strip():
            # (only control characters, now spaces: a blank part before a comma makes biber's
            # name parser crash, so it is kept as an empty group)
            return "{}"
        # A comma or a lone "and" inside a part would split the name list: brace the part.
        if "," in text or _WORD_AND.search(text):
            return "{" + latex + "}"
        return latex

    def _name(self, name: Name, where: str) -> str:
        key = (*name, *name.values())  # (the fields, then their texts: cheaper than items)
        cached = self._name_cache.get(key)
        if cached is not None:
            return cached
        if "literal" in name or not (name.get("family") or name.get("given")):
            text = self._literal_name(name, where)
        elif self.extended_names:
            text = self._extended_name(name, where)
        else:
            text = self._family_name(name, where)
        if len(self._name_cache) > 8192:  # bounded: the writer streams any number of entries
            self._name_cache.clear()
        self._name_cache[key] = text
        return text

    def _literal_name(self, name: Name, where: str) -> str:
        """A literal (or empty) name: one braced part, never split into first and last."""
        latex = self.encoder.text(name.get("literal", ""), where)
        if self.biblatex:
            latex = _biber_safe_part(latex)
        # {{\&}} rather than {\&}, which would read as one special character
        return "{{" + latex + "}}" if latex.startswith("\\") else "{" + latex + "}"

    def _given_only_name(self, name: Name, where: str) -> str:
        """A name with a given part and no family: braced whole, so it is not read as a last name
        split in two."""
        given = self.encoder.text(name.get("given", ""), where)
        return "{" + (_biber_safe_part(given) if self.biblatex else given) + "}"

    def _family_name(self, name: Name, where: str) -> str:
        """The "von Last, Jr, First" form (or "von Last, First"), each part braced as it
        needs; a name without a family part is its given part, braced."""
        von = " ".join(
            p for p in (name.get("dropping-particle"), name.get("non-dropping-particle")) if p
        )
        family = name.get("family") or ""
        head = " ".join(
            p for p in (self._part(von, where) if von else "", self._family(family, where)) if p
        )
        if not family:
            return self._given_only_name(name, where)
        parts = [head]
        if name.get("suffix"):
            parts.append(self._part(name["suffix"], where))
            # "Last, Jr, First": an empty First keeps Jr from reading as the given name
            parts.append(self._part(name.get("given", ""), where) or "{}")
        elif name.get("given"):
            parts.append(self._part(name["given"], where))
        return ", ".join(parts)

    def _family(self, family: str, where: str) -> str:
        # Words after the first that start in lower case would read as a von part: brace them.
        words: list[str] = []
        for word in family.split():
            latex = self._part(word, where)
            if latex == "{}":  # a word of control characters only: nothing to write
                continue
            words.append("{" + latex + "}" if words and word[:1].islower() else latex)
        return " ".join(words) or "{}"

    def _extended_name(self, name: Name, where: str) -> str:
        pairs = []
        for field, var in (("family", "family"), ("given", "given"), ("suffix", "suffix")):
            if name.get(var):
                pairs.append(f"{field}={{{_biber_safe_part(self.encoder.text(name[var], where))}}}")
        particle = name.get("non-dropping-particle") or name.get("dropping-particle")
        if particle:
            pairs.append(f"prefix={{{_biber_safe_part(self.encoder.text(particle, where))}}}")
            pairs.append("useprefix=" + ("true" if name.get("non-dropping-particle") else "false"))
        return ", ".join(pairs)

    def _names(self, names: list[Name], where: str) -> str:
        shown = names
        more = False
        if self.max_authors and len(names) > self.max_authors:
            shown, more = names[: self.max_authors], True
        cached = self._name_cache.get  # (inlined: a call per name was much of this writer's time)
        text = " and ".join([cached((*n, *n.values())) or self._name(n, where) for n in shown])
        return "{" + text + (" and others" if more else "") + "}"

    # entries

    def entry(self, item: Item) -> Entry:
        entry_type, key, ordered = self._entry_parts(item)
        return Entry(entry_type, key, [Field(k, v) for k, v in ordered])

    def _entry_parts(self, item: Item) -> tuple[str, str, list[tuple[str, str]]]:
        """The entry type, the key and the fields in bibtexparser's order."""
        where = str(item.get("id"))
        # (most items have none of the variables an arXiv id is read from)
        arxiv = None if _ARXIV_VARS.isdisjoint(item) else arxiv_id(item)
        entry_type = self._entry_type(item, arxiv)
        fields: dict[str, str] = {}
        for var, field in self._name_fields:
            names = item.get(var)
            if names:
                fields[field] = self._names(names, where)
        self._plain_fields(item, where, fields)
        self._typed_fields(item, entry_type, arxiv, where, fields)
        self._date_fields(item, fields)
        if arxiv:
            self._eprint_fields(arxiv, entry_type, fields)
        key = self._key(item)
        return entry_type, key, [(name, fields[name]) for name in self._order(tuple(fields))]

    def _order(self, names: tuple[str, ...]) -> list[str]:
        """Field names in the written order; cached, since entries repeat a few shapes."""
        order = self._orders.get(names)
        if order is None:
            order = sorted(names, key=lambda name: (_FIELD_RANK.get(name, 999), name))
            if len(self._orders) > 4096:
                self._orders.clear()
            self._orders[names] = order
        return order

    def _entry_type(self, item: Item, arxiv: str | None) -> str:
        row = type_row(item.get("type"))
        entry_type = row.biblatex if self.biblatex else row.bibtex
        if self.biblatex:
            entry_type = BIBLATEX_ONLY_TYPES.get(str(item.get("type")), entry_type)
        if entry_type == "phdthesis" and "master" in str(item.get("genre", "")).lower():
            return "mastersthesis"
        if entry_type in _NEEDS_LINK and not (arxiv or any(item.get(v) for v in _LINK_VARS)):
            # biber's data model: an @online needs one of url, doi, eprint
            return _NEEDS_LINK[entry_type]
        return entry_type

    def _plain_rule(self, var: str) -> PlainRule:
        """How ``var`` is written by _plain_fields: its field and the function of its value's
        text (None: written by other rules; field None: unmapped)."""
        if var in _SPECIAL_VARS or (self.biblatex and var in _BIBLATEX_DATES):
            return None, None  # (_BIBLATEX_DATES: _date_fields)
        frow = BIB_FIELDS.get(var)
        field = self._field_name(frow) if frow else None
        if field is None:
            return None, self._count_unmapped
        if field in _URL_FIELDS:
            return field, self._url
        if var == "page":
            return field, self._pages
        return field, partial(self._text, protect_case=(var == "title"))

    def _plain_fields(self, item: Item, where: str, fields: dict[str, str]) -> None:
        """The variables whose field does not depend on the entry type (BIB_FIELDS)."""
        rules = self._plain_rules
        for var, value in item.items():
            rule = rules.get(var)
            if rule is None:
                rule = rules[var] = self._plain_rule(var)
            field, write = rule
            if write is None or (not value and value in (None, "", [])):
                continue
            if field is None:
                write(var, where)
            else:
                fields[field] = write(value, where)

    def _count_unmapped(self, var: str, where: str) -> None:
        self.unmapped[var] = self.unmapped.get(var, 0) + 1

    def _url(self, value: object, where: str) -> str:
        text = str(value)
        if _URL_AS_IS.fullmatch(text):  # (most DOIs and URLs)
            return "{" + text + "}"
        return "{" + escape_url(text, bibtex=not self.biblatex) + "}"

    def _pages(self, value: object, where: str) -> str:
        text = str(value)
        simple = _SIMPLE_PAGES.fullmatch(text)
        if simple:  # (most pages: what the general rule below makes of them, at once)
            first, last = simple.groups()
            return "{" + first + ("--" + last if last else "") + "}"
        pages = self._text(_PAGE_DASHES.sub("--", text), where)
        return pages.replace("-{}-", "--")

    def _typed_fields(
        self, item: Item, entry_type: str, arxiv: str | None, where: str, fields: dict[str, str]
    ) -> None:
        """Venue, publisher, number and subtype: their field depends on the entry type."""
        defaults = arxiv_fields(arxiv) if arxiv else {}
        container = item.get("container-title")
        if container:
            frow = CONTAINER_FIELD.get(entry_type, CONTAINER_DEFAULT)
            fields[self._typed_field_name(frow)] = self._venue(container, where)
        publisher = item.get("publisher")
        if publisher and publisher != defaults.get("publisher"):
            field = self._field_name(PUBLISHER_FIELD.get(entry_type, PUBLISHER_DEFAULT))
            if field is None or field in fields:  # (none in this type, or the venue's field)
                self.unmapped["publisher"] = self.unmapped.get("publisher", 0) + 1
            else:
                text = self._text(publisher, where)
                fields[field] = "{" + text + "}" if field == "holder" else text  # one name
        number = item.get("number")
        if number and "number" not in fields and number != defaults.get("number"):
            fields["number"] = self._text(number, where)
        subtype = self._subtype(item, entry_type)
        if subtype:
            fields["type"] = subtype if subtype.startswith("{") else self._text(subtype, where)

    def _venue(self, container: object, where: str) -> str:
        """A venue's text, cached by string: a library has few venues, each many times.  (As
        with names, a character with no LaTeX form is reported where it first occurs: that
        occurrence is never a cached one.)"""
        cached = self._venues.get(container) if type(container) is str else None
        if cached is not None:
            return cached
        encoder = self.encoder
        before = (len(encoder.unencodable), encoder.controls_replaced)
        text = self._text(container, where, protect_case=True)
        if type(container) is str and before == (
            len(encoder.unencodable),
            encoder.controls_replaced,
        ):
            if len(self._venues) > 4096:
                self._venues.clear()
            self._venues[container] = text
        return text

    def _subtype(self, item: Item, entry_type: str) -> str | None:
        """biblatex's ``type`` for reports and theses (a key it localises), else the genre."""
        if self.biblatex and item.get("type") == "report":
            return "{techreport}"
        if self.biblatex and entry_type == "thesis":
            master = "master" in str(item.get("genre", "")).lower()
            return "{mathesis}" if master else "{phdthesis}"
        return item.get("genre") or None

    def _date_fields(self, item: Item, fields: dict[str, str]) -> None:
        if self.biblatex:
            for var, field in _BIBLATEX_DATES.items():
                edtf = _edtf_date(item.get(var))
                if edtf:
                    fields[field] = "{" + edtf + "}"
            return
        date = date_parts(item)
        if not date:
            return
        fields["year"] = f"{{{date[0]}}}"
        if len(date) > 1 and 1 <= date[1] <= 12:
            fields["month"] = MONTHS[date[1] - 1]

    def _eprint_fields(self, arxiv: str, entry_type: str, fields: dict[str, str]) -> None:
        """``eprint`` with ``eprinttype = {arxiv}`` (what biblatex and Zotero's BibTeX import
        read; Zotero ignores ``archivePrefix``), and for BibTeX also ``archivePrefix`` (what
        arXiv and the natbib styles write), the URL and, in a @misc, a ``howpublished``."""
        fields["eprint"] = "{" + escape_url(arxiv, bibtex=not self.biblatex) + "}"
        fields["eprinttype"] = "{arxiv}"
        if self.biblatex:
            return
        fields["archiveprefix"] = "{arXiv}"
        fields.setdefault("url", "{" + arxiv_fields(arxiv)["URL"] + "}")
        if entry_type == "misc" and "howpublished" not in fields:
            fields["howpublished"] = "{arXiv preprint arXiv:" + arxiv + "}"

    kept_ids_in_workers = True  # (the keys it makes of the input's ids: through claim_key)

    def _key(self, item: Item) -> str:
        original = str(item.get("id", ""))
        if self.unique_keys:
            return original
        request = (safe_key(original), original)
        if self.deferred_keys is not None:  # (in a worker: the parent claims it, in order)
            return self.deferred_keys.stand_in(request)
        return self.claim_key(request)

    def claim_key(self, request: tuple[str, str]) -> str:
        """The key for ``(safe key, id)``: unique, with a warning when it is not the id."""
        clean, original = request
        key = self.keys.claim(clean)
        if key != original:
            self.warnings.append(f"citation key {original!r} written as {key!r}")
        return key

    def format(self, items: list[Item]) -> str:
        # bibtexparser.write_string's layout (indent "  ", " = ", a blank line between
        # entries), laid out here: its Library re-checks keys the allocator made unique and its
        # writer costs a quarter of this writer's time.  Tested equal to write_string.
        if type(self).entry is not BibWriter.entry:  # a subclass's own entries (al-folio)
            return "\n".join(map(_entry_text, map(self.entry, items)))
        parts = self._entry_parts
        return "\n".join([_layout(*parts(item)) for item in items])

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


# biber skips a whole entry whose name holds more than two commas, braced or not, and takes a
# word's initial from its text with macros removed, so that a word opening with an escape such
# as {\textbraceright{}} gets the initial "}" and breaks the .bbl.  \symbol{N} (the character of
# code N in T1 and Unicode fonts; a comma in OT1 too) is left alone by biber.
_SYMBOL_CODES = {
    "textbraceleft": 123,
    "textbraceright": 125,
    "textbackslash": 92,
    "textasciitilde": 126,
    "textasciicircum": 94,
}
_WORD_OPENING_ESCAPE = re.compile(r"(^|[\s\-])\{?\\(" + "|".join(_SYMBOL_CODES) + r")\{\}\}?")


_EMPTY_GROUP_OPENING_WORD = re.compile(r"(^|\s)\{\}")


def _biber_safe_part(latex: str) -> str:
    r"""A name part as biber reads it: commas as ``{\symbol{44}}`` and an escape that opens a
    word as ``{\symbol{N}}``."""
    latex = latex.replace(",", "{\\symbol{44}}")
    # biber takes a word's initial from its first character, braces included: a backtick
    # (written `{}` against TeX's ligature) or an empty group opening a word would give it a
    # lone brace, and the .bbl would not compile
    latex = latex.replace("`{}", "`").replace("`", "{\\symbol{96}}")
    # likewise `-{}-` (a ligature break): biber splits given names at hyphens, and the part
    # after the first hyphen would open with `{}`
    latex = latex.replace("-{}-", "-{\\symbol{45}}")
    if latex.strip() != "{}":  # (a part that is only `{}` is a blank part, kept as such)
        latex = _EMPTY_GROUP_OPENING_WORD.sub(r"\1", latex).strip() or "{}"
    return _WORD_OPENING_ESCAPE.sub(
        lambda m: m.group(1) + "{\\symbol{" + str(_SYMBOL_CODES[m.group(2)]) + "}}", latex
    )


def safe_key(key: str) -> str:
    """``key`` with accents folded (``müller`` → ``muller``) and every run of characters
    outside :data:`KEY_CHARACTERS` replaced by one ``_``; ``item`` when nothing is left, and
    ``item0`` for ``0``, a key biber skips with its entry (Perl reads it as false)."""
    if _KEY_OK.fullmatch(key):  # (most keys: ASCII, nothing to fold, replace or strip)
        safe = key
    else:
        folded = unicodedata.normalize("NFKD", key)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        safe = _KEY_BAD.sub("_", folded).strip("_") or "item"
    return "item0" if safe == "0" else safe


def _entry_text(entry: Entry) -> str:
    """One entry as bibtexparser.write_string lays it out with _BIB_FORMAT."""
    return _layout(entry.entry_type, entry.key, [(f.key, f.value) for f in entry.fields])


def _layout(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    if not fields:
        return f"@{entry_type}{{{key},\n}}\n"
    body = ",\n".join([f"  {name} = {value}" for name, value in fields])
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


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


MAX_AUTHORS = Option(
    "max_authors",
    "write the first N authors and `and others`.",
    kind=int,
    minimum=1,
    metavar="N",
)
UNICODE = Option("unicode", "keep UTF-8 instead of LaTeX commands for accented letters.")
PROTECT_WORDS = Option(
    "protect_words",
    "brace WORD in every title (repeatable), e.g. a proper noun of title-cased titles: "
    "--protect-words Gemini.",
    kind=tuple,
    metavar="WORD",
)
EXTENDED_NAMES = Option(
    "extended_names", "write names as family=…, given=…, prefix=…, useprefix=… ."
)


@lru_cache(maxsize=1)
def _biblatex_writer() -> BibWriter:
    return BibWriter(True)


def check_biblatex_model(item: Item) -> Iterator[tuple[str | None, str]]:
    """What ``biber --tool --validate-datamodel`` says of the biblatex entry publist writes."""
    entry = _biblatex_writer().entry(item)
    for message in datamodel_warnings(entry):
        yield "title", f"biber (@{entry.entry_type}): {message}"


register(
    Format(
        name="bibtex",
        description="BibTeX .bib (ASCII with LaTeX commands by default; reads biblatex too)",
        extensions=(".bib", ".bibtex"),
        reader=read_bibtex,
        writer=write_bibtex,
        chunk_writer=partial(BibWriter, False),
        options=(MAX_AUTHORS, UNICODE, PROTECT_WORDS),
        check=check_required_fields,
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
        options=(MAX_AUTHORS, EXTENDED_NAMES, PROTECT_WORDS),
        check=check_biblatex_model,
        default_extension=".bib",
    )
)


def _edtf_date(date: object) -> str | None:
    """A CSL date as biblatex's ISO 8601-2 (EDTF level 1): ``~`` for circa, ``/`` for a range,
    ``/..`` for an open one (an end of zeros)."""
    start = date_parts({"issued": date})
    if not start or not isinstance(date, dict):
        return None
    text = _iso_date(start) + ("~" if date.get("circa") else "")
    parts = date.get("date-parts") or []
    if len(parts) > 1 and isinstance(parts[1], list) and parts[1]:
        try:
            end = [int(p) for p in parts[1][:3]]
        except (TypeError, ValueError):
            return text
        text += "/.." if not any(end) else "/" + _iso_date(end)
    return text


def _iso_date(parts: list[int]) -> str:
    """``[year, month, day]`` as ISO 8601: CSL's year -350 (350 BCE) is ISO's -0349, since ISO
    counts a year 0 (1 BCE) and CSL does not; years are four digits, as biber requires."""
    year = parts[0] + 1 if parts[0] < 0 else parts[0]
    head = f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return "-".join([head, *(f"{p:02d}" for p in parts[1:])])
