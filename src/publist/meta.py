"""Metadata overlays: a sidecar YAML or CSV file that adds or overrides fields per record.

Records are matched by citation key or by title (normalised: case, spacing, punctuation,
diacritics; a title ending in "…" or "..." matches as a prefix).  Every problem is an error
naming the overlay's file and line: an unknown field, a bad value, an entry that matches no
record or several, two entries for one record.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PublistError
from .identifiers import ARXIV_ID, add_arxiv
from .keys import KeyAllocator
from .lines import MAX_LINE_BYTES, read_text
from .model import Collection, Item, Located
from .text import PAGE_DASH, fold
from .urls import safe_link
from .website import CUSTOM, LINK_FIELDS

FIELDS = (
    "key",
    "title",
    "year",
    "date",
    "type",
    "venue",
    "volume",
    "issue",
    "pages",
    "publisher",
    "institution",
    "doi",
    "url",
    "arxiv",
    "note",
    "keywords",
    # what personal websites show (publist.website)
    "selected",
    "featured",
    "abbr",
    *LINK_FIELDS,
)
TYPE_ALIASES = {
    "preprint": "article",
    "journal": "article-journal",
    "journal-article": "article-journal",
    "conference": "paper-conference",
    "proceedings": "paper-conference",
    "inproceedings": "paper-conference",
    "techreport": "report",
    "phdthesis": "thesis",
    "book-chapter": "chapter",
    "web": "webpage",
}
CSL_TYPES = frozenset(
    """article article-journal article-magazine article-newspaper bill book
    broadcast chapter classic collection dataset document entry entry-dictionary
    entry-encyclopedia event figure graphic hearing interview legal_case legislation manuscript
    map motion_picture musical_score pamphlet paper-conference patent performance periodical
    personal_communication post post-weblog regulation report review review-book software song
    speech standard thesis treaty webpage""".split()
)
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PAGES_RE = re.compile(rf"^([A-Za-z]*)(\d+)(?:{PAGE_DASH}([A-Za-z]*)(\d+))?$")
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.csv")


@dataclass
class Entry:
    line: int
    values: dict[str, Any]
    matched: str | None = None  # id of the record it matched


@dataclass
class Overlay:
    source: str
    entries: list[Entry] = field(default_factory=list)

    def error(self, entry: Entry, message: str) -> PublistError:
        return PublistError(message, self.source, entry.line)


def normalise_title(title: str) -> str:
    text = re.sub(r"[^\w\s]", " ", fold(title))
    return " ".join(text.split())


# --- loading ---------------------------------------------------------------------------------


def _yaml_value(node, source: str) -> Any:
    """Scalars as the text written (validation reads them; YAML's guesses at dates and numbers
    would get in the way); sequences as lists of such text."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return None if node.tag.endswith(":null") else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_value(child, source) for child in node.value]
    return {_yaml_value(k, source): _yaml_value(v, source) for k, v in node.value}


# An overlay is a list of flat entries; anything nested deeper is not one, and refusing it
# early keeps a hostile file from exhausting the stack.
MAX_YAML_DEPTH = 20


def _line(mark: Any) -> int | None:
    """The 1-based line of a YAML event's start mark (PyYAML may give no mark)."""
    return mark.line + 1 if mark is not None else None


def _refuse_aliases_and_depth(text: str, source: str) -> None:
    """YAML aliases (``*name``) are refused: an overlay has no use for them, and nested ones
    expand exponentially ("billion laughs")."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise PublistError(
                "YAML aliases (*name) are not allowed in an overlay",
                source,
                _line(event.start_mark),
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise PublistError(
                    f"nested more than {MAX_YAML_DEPTH} levels deep: not an overlay",
                    source,
                    _line(event.start_mark),
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _yaml_entries(text: str, source: str) -> list[Entry]:
    import yaml

    try:
        _refuse_aliases_and_depth(text, source)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        # where the broken construct starts (an unclosed bracket), else where it was noticed
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PublistError(f"invalid YAML: {getattr(err, 'problem', err)}", source, line) from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise PublistError(
            "the overlay must be a list of entries (`- title: …`)", source, root.start_mark.line + 1
        )
    entries = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise PublistError("an entry must be a mapping of fields", source, line)
        values = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            value = _yaml_value(value_node, source)
            if key in values:
                raise PublistError(
                    f"field `{key}` given twice", source, key_node.start_mark.line + 1
                )
            values[key] = (value, key_node.start_mark.line + 1)
        entries.append(Entry(line, values))
    return entries


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` per row; a cell longer than the longest line publist reads
    is an error naming its row."""
    if csv.field_size_limit() < MAX_LINE_BYTES:
        csv.field_size_limit(MAX_LINE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1  # a quoted cell may span lines
            yield start, row
    except csv.Error as err:
        raise PublistError(f"invalid CSV: {err}", source, line) from None


def _csv_header(row: list[str], source: str, line: int) -> list[str]:
    header = [h.strip() for h in row]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise PublistError(f"column `{name}` given twice", source, line)
        seen.add(name)
    return header


def _csv_entries(text: str, source: str) -> list[Entry]:
    header: list[str] | None = None
    entries = []
    for start, row in _csv_rows(text, source):
        if header is None:
            header = _csv_header(row, source, start)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise PublistError(f"{len(row)} cells but {len(header)} columns", source, start)
        values = {
            h: (cell.strip(), start) for h, cell in zip(header, row, strict=False) if cell.strip()
        }
        entries.append(Entry(start, values))
    return entries


def load(path: str | os.PathLike[str]) -> Overlay:
    path = Path(path)
    source = str(path)
    try:
        with open(path, "rb") as f:
            text = read_text(f, source)
    except OSError as err:
        raise PublistError(f"cannot open: {err.strerror}", source) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        entries = _yaml_entries(text, source)
    elif path.suffix.lower() == ".csv":
        entries = _csv_entries(text, source)
    else:
        raise PublistError("a metadata overlay is .yaml, .yml or .csv", source)
    overlay = Overlay(source, entries)
    for entry in entries:
        _validate(overlay, entry)
    return overlay


def sidecar_for(path: str | os.PathLike[str]) -> Path | None:
    """``NAME.meta.yaml`` (or .yml, .csv) beside ``NAME.EXT``, if there is one."""
    path = Path(path)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


# --- validation --------------------------------------------------------------------------------


def _fail(overlay: Overlay, line: int, message: str) -> PublistError:
    return PublistError(message, overlay.source, line)


def _validate(overlay: Overlay, entry: Entry) -> None:
    clean: dict[str, Any] = {}
    for name, (value, line) in entry.values.items():
        if name not in FIELDS:
            raise _fail(overlay, line, f"unknown field `{name}` (known: {', '.join(FIELDS)})")
        if value is None or value == "":
            continue
        clean[name] = _check_value(overlay, name, value, line)
    if "key" not in clean and "title" not in clean:
        raise overlay.error(entry, "an entry needs a `key` or a `title` to find its record")
    if "year" in clean and "date" in clean and clean["date"][0] != clean["year"]:
        raise overlay.error(entry, "`year` and `date` disagree")
    if "featured" in clean and clean.setdefault("selected", clean["featured"]) != clean["featured"]:
        raise overlay.error(entry, "`selected` and `featured` (the same flag) disagree")
    entry.values = clean


class _Invalid(ValueError):
    """A value a field's validator refuses; the message names the problem."""


def _year(text: str) -> int:
    this_year = datetime.date.today().year
    if not re.fullmatch(r"\d{4}", text) or not 1400 <= int(text) <= this_year + 1:
        raise _Invalid(f"year {text!r} is not a year between 1400 and {this_year + 1}")
    return int(text)


def _date(text: str) -> list[int]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not match:
        raise _Invalid(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(g) for g in match.groups() if g]
    month_day = (parts + [1, 1])[1:3]
    try:
        datetime.date(parts[0], *month_day)
    except ValueError:
        raise _Invalid(f"date {text!r} does not exist") from None
    if not 1400 <= parts[0] <= datetime.date.today().year + 1:
        raise _Invalid(f"date {text!r} is out of range")
    return parts


def _type(text: str) -> str:
    csl = TYPE_ALIASES.get(text.lower(), text)
    if csl not in CSL_TYPES:
        raise _Invalid(f"unknown type {text!r} (a CSL type, or preprint, journal, conference, …)")
    return csl


def _doi(text: str) -> str:
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", text, flags=re.IGNORECASE)
    if not DOI_RE.match(doi):
        raise _Invalid(f"DOI {text!r} is not of the form 10.NNNN/…")
    return doi


def _arxiv(text: str) -> str:
    arxiv = re.sub(r"^(arxiv:|https?://arxiv\.org/abs/)", "", text, flags=re.IGNORECASE)
    if not ARXIV_ID.fullmatch(arxiv):
        raise _Invalid(f"arXiv id {text!r} is not of the form NNNN.NNNNN")
    return arxiv


def _pages(text: str) -> str:
    match = PAGES_RE.match(text)
    if not match:
        raise _Invalid(f"pages {text!r} are not a page or a range N-M")
    if match.group(4) and int(match.group(4)) < int(match.group(2)):
        raise _Invalid(f"page range {text!r} ends before it starts")
    return re.sub(r"\s*[-–—]+\s*", "-", text)


def _url(text: str) -> str:
    if not re.match(r"^https?://\S+$", text):
        raise _Invalid(f"URL {text!r} is not an http(s) address")
    return text


def _number_like(name: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if not re.fullmatch(r"[\w.\-–/ ]+", text):
            raise _Invalid(f"{name} {text!r} is not a volume/issue number")
        return text

    return check


def _text(text: str) -> str:
    return text


_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0"})


def _flag(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise _Invalid(f"{text!r} is not true or false")


def _abbr(text: str) -> str:
    if len(text) > 24 or re.search(r"[<>{}\\\[\]`*_|#%&$^~]", text) or not text.isprintable():
        raise _Invalid(f"abbr {text!r} is not a short venue name (24 characters, no markup)")
    return text


def _web_link(name: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        link = safe_link(text)
        if not link or not link.startswith(("http://", "https://")):
            raise _Invalid(f"{name} {text!r} is not an http(s) address")
        return link

    return check


#: how each single-valued field is checked and normalised (text → value); others are text
VALIDATORS: dict[str, Callable[[str], Any]] = {
    "year": _year,
    "date": _date,
    "type": _type,
    "doi": _doi,
    "arxiv": _arxiv,
    "pages": _pages,
    "url": _url,
    "volume": _number_like("volume"),
    "issue": _number_like("issue"),
    "selected": _flag,
    "featured": _flag,
    "abbr": _abbr,
    **{name: _web_link(name) for name in LINK_FIELDS},
}


def _check_value(overlay: Overlay, name: str, value: Any, line: int) -> Any:
    if name == "keywords":
        if isinstance(value, list):
            return ", ".join(str(v).strip() for v in value if str(v).strip())
        return str(value).strip()
    if isinstance(value, (dict, list)):
        raise _fail(overlay, line, f"`{name}` must be a single value")
    try:
        return VALIDATORS.get(name, _text)(str(value).strip())
    except _Invalid as err:
        raise _fail(overlay, line, str(err)) from None


# --- applying ----------------------------------------------------------------------------------


_SIMPLE = {
    "venue": "container-title",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "publisher": "publisher",
    "institution": "publisher",
    "doi": "DOI",
    "url": "URL",
    "note": "note",
    "keywords": "keyword",
}


def _apply(item: Item, values: dict[str, Any]) -> None:
    if "type" in values:
        item["type"] = values["type"]
    if "date" in values:
        item["issued"] = {"date-parts": [values["date"]]}
    elif "year" in values:
        item["issued"] = {"date-parts": [[values["year"]]]}
    for name, var in _SIMPLE.items():
        if name in values:
            item[var] = values[name]
    if values.get("arxiv"):
        add_arxiv(item, values["arxiv"])
    website = {name: values[name] for name in ("selected", "abbr", *LINK_FIELDS) if name in values}
    if website:
        custom = item.get(CUSTOM)
        item[CUSTOM] = {**(custom if isinstance(custom, dict) else {}), **website}


_YEAR_IN_KEY = re.compile(r"(?<=[a-z])(1[4-9]\d\d|20\d\d)(?=[a-z]|$)")


def _key_without_year(key: str) -> str | None:
    """``rame2024warp`` → ``ramewarp``; None when the key has no year in it."""
    stripped = _YEAR_IN_KEY.sub("", key.lower(), count=1)
    return stripped if stripped != key.lower() else None


class _Matcher:
    """Finds the overlay entries for a record without scanning every entry."""

    def __init__(self, overlay: Overlay):
        self.by_key: dict[str, list[Entry]] = {}
        self.by_key_without_year: dict[str, list[Entry]] = {}
        self.by_title: dict[str, list[Entry]] = {}
        self.by_prefix: list[tuple[str, Entry]] = []
        for entry in overlay.entries:
            if "key" in entry.values:
                key = str(entry.values["key"]).lower()
                self.by_key.setdefault(key, []).append(entry)
                no_year = _key_without_year(key)
                if no_year:
                    self.by_key_without_year.setdefault(no_year, []).append(entry)
            else:
                title = str(entry.values["title"])
                if title.endswith(("…", "...")):
                    self.by_prefix.append((normalise_title(title.rstrip(".…")), entry))
                else:
                    self.by_title.setdefault(normalise_title(title), []).append(entry)

    def entries_for(self, item: Item) -> list[Entry]:
        found = list(self.by_key.get(str(item.get("id", "")).lower(), []))
        # `rame2024warp` names the record keyed `ramewarp` before its year was known
        for entry in self.by_key_without_year.get(str(item.get("id", "")).lower(), []):
            if entry not in found:
                found.append(entry)
        title = normalise_title(str(item.get("title", "")))
        found += self.by_title.get(title, [])
        found += [e for prefix, e in self.by_prefix if prefix and title.startswith(prefix)]
        return found


def apply(collection: Collection, overlay: Overlay) -> Collection:
    """A collection whose items carry the overlay's fields (keys re-made when publist made them)."""
    matcher = _Matcher(overlay)
    keys = KeyAllocator()

    def generate() -> Iterator[Located]:
        for position, item in collection.located_items():
            original_id = str(item.get("id", ""))
            found = matcher.entries_for(item)
            if len(found) > 1:
                lines = ", ".join(str(e.line) for e in found)
                raise overlay.error(
                    found[1],
                    f"entries at lines {lines} all match record "
                    f"{original_id!r}: one entry per record",
                )
            if found:
                entry = found[0]
                if entry.matched is not None:
                    raise overlay.error(
                        entry,
                        f"entry matches two records ({entry.matched!r} "
                        f"and {original_id!r}): give its `key`",
                    )
                entry.matched = original_id
                _apply(item, entry.values)
            if collection.generated_keys:
                item["id"] = keys.key_for(item)
            yield position, item
        for entry in overlay.entries:
            if entry.matched is None:
                what = entry.values.get("key") or entry.values.get("title")
                raise overlay.error(entry, f"entry matches no record: {what!r}")

    return collection.overlaid(generate())
