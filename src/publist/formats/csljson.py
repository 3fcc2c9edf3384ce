"""CSL-JSON (a JSON array of items) and CSL-JSON Lines (one item per line, streaming)."""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import stat
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, NamedTuple, TextIO

from ..errors import PublistError
from ..identifiers import normalise_doi
from ..lines import BOM, numbered_lines, read_text
from ..model import Collection, Item, Located, Name
from ..pipeline import (
    PACK_RECORDS,
    ChunkWriter,
    Pack,
    RecordSource,
    WrongCut,
    numbered,
    packed,
    write_chunks,
)
from ..registry import Format, register

NAME_VARIABLES = (
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "editor-translator",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
)


# What CSL-JSON 1.0.2 allows (csl-data.json): variables of text, of text or a number, dates,
# name lists.  The reader refuses other values, naming the item and the variable, except that
# a number where text is due is taken as its text (as citeproc-js does), with a warning.
TEXT_VARIABLES = frozenset(
    """type citation-key language journalAbbreviation shortTitle abstract annote archive
    archive_collection archive_location archive-place authority call-number citation-label
    collection-title container-title container-title-short dimensions division DOI event
    event-title event-place genre ISBN ISSN jurisdiction keyword medium note original-publisher
    original-publisher-place original-title part-title PMCID PMID publisher publisher-place
    references reviewed-genre reviewed-title scale section source status title title-short URL
    version volume-title volume-title-short year-suffix""".split()
)
NUMBER_VARIABLES = frozenset(
    """id chapter-number citation-number collection-number edition first-reference-note-number
    issue locator number number-of-pages number-of-volumes page page-first part printing
    supplement volume""".split()
)
DATE_VARIABLES = frozenset(
    ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")
)
NAME_TEXT_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
NAME_FLAG_PARTS = ("comma-suffix", "static-ordering", "parse-names")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Invalid(Exception):
    """A value CSL-JSON does not allow: ``field: what is wrong``."""


def _text(value: Any, field: str, numbers: bool = False, notes: list[str] | None = None) -> Any:
    if isinstance(value, str):
        if not value.isascii() and _SURROGATE.search(value):  # (ASCII holds no surrogate)
            raise _Invalid(f"{field}: text holds a lone surrogate (not Unicode text)")
        return value
    if _is_number(value):
        if not math.isfinite(value):
            raise _Invalid(f"{field}: {value!r} is not a finite number")
        if numbers:
            return value
        if notes is not None:
            notes.append(f"{field}: the number {value!r} taken as text")
            return str(value)
    expected = "text or a number" if numbers else "text"
    raise _Invalid(f"{field}: must be {expected}, not {_kind(value)}")


def _date(value: Any, field: str) -> None:
    if not isinstance(value, dict):
        raise _Invalid(
            f'{field}: must be a date object ({{"date-parts": [[2024, 5]]}}), not {_kind(value)}'
        )
    for key in ("literal", "raw"):
        if key in value:
            _text(value[key], f"{field}.{key}")
    for key in ("season", "circa"):
        if key in value and not isinstance(value[key], bool):
            _text(value[key], f"{field}.{key}", numbers=True)
    if value.get("date-parts") is not None:
        _date_parts(value["date-parts"], f"{field}.date-parts")


def _date_parts(parts: Any, field: str) -> None:
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        raise _Invalid(f"{field}: must be a list of one or two dates, not {_kind(parts)}")
    for date in parts:
        if not isinstance(date, list) or not 1 <= len(date) <= 3:
            raise _Invalid(f"{field}: a date must be a list of 1 to 3 parts (year, month, day)")
        for part in date:
            _text(part, field, numbers=True)
            if _is_number(part) and abs(part) > _MAX_PART:
                raise _Invalid(f"{field}: {part!r} is not a year, month or day")


def _plain_names(names: list[Any]) -> bool:
    """True when every name is an object of text parts only, none with a lone surrogate (most
    lists): nothing in them to check one by one."""
    try:
        joined = "".join([part for name in names for part in name.values()])
    except (AttributeError, TypeError):  # (not an object, or a part that is not text)
        return False
    return joined.isascii() or not _SURROGATE.search(joined)


def _names(value: Any, field: str) -> None:
    if not isinstance(value, list):
        raise _Invalid(f"{field}: must be a list of name objects, not {_kind(value)}")
    if _plain_names(value):
        return
    for position, name in enumerate(value, start=1):
        where = f"{field}[{position}]"
        if not isinstance(name, dict):
            raise _Invalid(f"{where}: must be a name object, not {_kind(name)}")
        for part in (*NAME_TEXT_PARTS, "literal"):
            if part in name:
                _text(name[part], f"{where}.{part}")
        for flag in NAME_FLAG_PARTS:
            if flag in name and not isinstance(name[flag], bool):
                _text(name[flag], f"{where}.{flag}", numbers=True)


def _other(value: Any, field: str) -> None:
    """A variable CSL-JSON does not define: kept, but it must be readable text throughout."""
    stack = [(field, value)]
    while stack:
        where, current = stack.pop()
        if isinstance(current, str):
            _text(current, where)
        elif isinstance(current, float) and not math.isfinite(current):
            raise _Invalid(f"{where}: {current!r} is not a finite number")
        elif isinstance(current, list):
            stack.extend((where, v) for v in current)
        elif isinstance(current, dict):
            stack.extend((where, v) for v in current.values())
            stack.extend((where, k) for k in current)


def _check_variable(var: str, value: Any, notes: list[str]) -> Any:
    if var in TEXT_VARIABLES:
        return _text(value, var, notes=notes)
    if var in NUMBER_VARIABLES:
        return _text(value, var, numbers=True)
    if var in DATE_VARIABLES:
        _date(value, var)
    elif var in NAME_VARIABLES:
        _names(value, var)
    else:
        _other(value, var)
    return value


def check_item(
    item: Any,
    where: str,
    source: str,
    line: int | None = None,
    warnings: list[str] | None = None,
) -> Item:
    """An item as CSL-JSON allows it, or an error ``FILE[:LINE]: item N (id): field: what``.

    ``id`` and ``type`` must be there (Zotero and citeproc-js need them); a number where text
    is due is taken as text, with a warning in ``warnings``."""
    item = _validated(item, where, source, line, warnings)
    if isinstance(item.get("DOI"), str):  # a DOI as a link or `doi:…` → the bare DOI
        item["DOI"] = normalise_doi(item["DOI"])
    return item


def _validated(
    item: Any, where: str, source: str, line: int | None, warnings: list[str] | None
) -> Item:
    """:func:`check_item` but for the DOI, left as written."""
    if not isinstance(item, dict):
        raise PublistError(f"{where}: an item must be a JSON object", source, line)
    for key in ("id", "type"):
        value = item.get(key)
        if value is None or value == "":
            raise PublistError(f"{where}: no `{key}`", source, line)
    if not isinstance(item["id"], (str, int, float)) or isinstance(item["id"], bool):
        raise PublistError(f"{where}: `id` must be a string or a number", source, line)
    if not isinstance(item["type"], str):
        raise PublistError(f"{where}: `type` must be a string", source, line)
    notes: list[str] = []
    try:
        if not _checked_at_once(item, notes):
            for var, value in item.items():  # (one by one: the first problem, in order)
                _text(var, "a variable name")
                if value is not None:
                    item[var] = _check_variable(var, value, notes)
    except _Invalid as err:
        raise PublistError(f"{_label(where, item)}: {err}", source, line) from None
    if warnings is not None and notes:
        label = _label(where, item)
        warnings.extend(f"{source}: {label}: {note}" for note in notes)
    return item


# Variables whose value is never text: a text value is checked one by one (it is an error).
_NOT_TEXT = frozenset(NAME_VARIABLES) | DATE_VARIABLES


def _checked_at_once(item: dict, notes: list[str]) -> bool:
    """True when the item is as CSL-JSON allows it, its text values and variable names
    checked for lone surrogates in one pass over their joined text (most items: text and a
    few names and dates); False when a problem is found, or may be, for the one by one check
    to name it (the item may then hold numbers turned to text already: they check as text)."""
    texts = list(item)  # (JSON keys are text)
    try:
        for var, value in item.items():
            if type(value) is str and var not in _NOT_TEXT:
                texts.append(value)
            elif var in NAME_VARIABLES and type(value) is list and _name_texts(value, texts):
                pass
            elif var in DATE_VARIABLES and _simple_date(value):
                pass
            elif value is not None:
                item[var] = _check_variable(var, value, notes)
    except _Invalid:
        return False
    joined = "".join(texts)
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")  # (a lone surrogate is the one text UTF-8 cannot encode)
    except UnicodeEncodeError:
        return False
    return True


def _name_texts(names: list[Any], texts: list[str]) -> bool:
    """True when every name is an object of text parts only (most lists): their text is added
    to ``texts``, to be checked with the item's."""
    try:
        texts.append("".join([part for name in names for part in name.values()]))
    except (AttributeError, TypeError):  # (not an object, or a part that is not text)
        return False
    return True


def _simple_date(value: Any) -> bool:
    """True for a date of date-parts only, one date of whole numbers (most dates)."""
    if type(value) is not dict or len(value) != 1:
        return False
    parts = value.get("date-parts")
    if type(parts) is not list or len(parts) != 1 or type(parts[0]) is not list:
        return False
    date = parts[0]
    return 1 <= len(date) <= 3 and all(
        type(p) is int and -_MAX_PART <= p <= _MAX_PART for p in date
    )


_MAX_PART = 10**6  # (a larger number is not a year, month or day)


def _label(where: str, item: Item) -> str:
    """``item 3 (smith2020)``: how messages name an item."""
    shown = str(item["id"])[:40]
    return f"{where} ({shown if shown.isprintable() else repr(shown)})"


def _loads(text: str, source: str, line: int | None = None) -> Any:
    """JSON (``line``: where ``text`` starts in the file, for a JSON Lines record)."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        start = (line or 1) - 1
        raise PublistError(f"invalid JSON: {err.msg}", source, err.lineno + start) from None
    except RecursionError:
        raise PublistError("invalid JSON: nested too deeply", source, line) from None
    except ValueError as err:  # an integer of more than 4,300 digits, NaN, Infinity
        message = str(err)
        if "integer string conversion" in message:
            message = f"a number of more than {sys.get_int_max_str_digits():,} digits"
        raise PublistError(f"invalid JSON: {message}", source, line) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _seekable(stream: BinaryIO) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, ValueError):
        return False


class _NotStreamable(Exception):
    """The input is not a plain array of JSON values that decodes cleanly: read it whole."""


_PIECE_BYTES = 1 << 20
_JSON_SPACE = " \t\n\r"
_decoder = json.JSONDecoder(parse_constant=_refuse_constant)
# a comma between two values, the next one's first character in the text already
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*(?=[^ \t\n\r\]])")


class _ArrayItems:
    """The values of a JSON array, decoded from the stream a piece at a time (memory stays
    flat); :class:`_NotStreamable` where a whole read is needed (another top level, bad bytes,
    bad JSON: the whole read gives the error as it always has)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.pos = 0
        self.eof = False
        self.first = True

    def _fill(self) -> bool:
        """Read a piece more; False at the end of the stream."""
        if self.eof:
            return False
        data = self.stream.read(_PIECE_BYTES)
        if self.first and data.startswith(BOM):
            data = data[len(BOM) :]
        self.first = False
        self.eof = not data
        if b"\x00" in data:
            raise _NotStreamable
        try:
            more = self.utf8.decode(data, final=self.eof)
        except UnicodeDecodeError:
            raise _NotStreamable from None
        self.text = self.text[self.pos :] + more
        self.pos = 0
        return not self.eof or bool(more)

    def _next_char(self) -> str:
        """The next character that is not JSON whitespace ("" at the end), not consumed."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _JSON_SPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._fill():
                return ""

    def _value(self) -> Any:
        while True:
            try:
                value, end = _decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if self._fill():
                    continue
                raise _NotStreamable from None
            except (ValueError, RecursionError):
                raise _NotStreamable from None
            if end == len(self.text) and self._fill():
                continue  # (a number may go on in the next piece)
            self.pos = end
            return value

    def starts_array(self) -> bool:
        """True when the stream's first JSON character opens an array (nothing consumed that
        a new reader after a seek would not read again)."""
        try:
            return self._next_char() == "["
        except _NotStreamable:
            return False

    def __iter__(self) -> Iterator[Any]:
        return self._walk(self._value)

    def texts(self) -> Iterator[str]:
        """The values' JSON texts, each decoded here to find where it ends."""
        return self._walk(self._text_in_piece)

    def _text_in_piece(self) -> str:
        """:meth:`_text` for a value that ends inside this piece (most of them), at once."""
        text, start = self.text, self.pos
        try:
            end = _decoder.raw_decode(text, start)[1]
        except json.JSONDecodeError:  # (it goes on in the next piece: not decoded here again,
            if self._fill():  # the error's line number costs a count of the piece's lines)
                return self._text()
            raise _NotStreamable from None
        except (ValueError, RecursionError):
            raise _NotStreamable from None
        if end == len(text):  # (a number may go on in the next piece)
            return self._text()
        self.pos = end
        return text[start:end]

    def _text(self) -> str:
        start_of_piece = self.text
        start = self.pos
        self._value()
        if self.text is not start_of_piece:  # (a piece more was read: the value starts at 0)
            start = 0
        return self.text[start : self.pos]

    def texts_inside(self) -> Iterator[str]:
        """:meth:`texts` for a stream that starts at a value inside the array (a resumed
        read: see _CutPacks)."""
        return self._values(self._text_in_piece)

    def _walk(self, value: Callable[[], Any]) -> Iterator[Any]:
        if self._next_char() != "[":
            raise _NotStreamable
        self.pos += 1
        if self._next_char() == "]":
            self.pos += 1
            if self._next_char() != "":
                raise _NotStreamable
        else:
            yield from self._values(value)

    def _values(self, value: Callable[[], Any]) -> Iterator[Any]:
        """The array's values from here to its end (and the end of the stream)."""
        comma = _COMMA.match
        while True:
            if self._next_char() in ("]", ""):
                raise _NotStreamable
            yield value()
            found = comma(self.text, self.pos)
            if found:  # (most items: a comma and the next value, in this piece)
                self.pos = found.end()
                continue
            after = self._next_char()
            self.pos += 1
            if after == "]":
                break
            if after != ",":
                raise _NotStreamable
        if self._next_char() != "":
            raise _NotStreamable


def _as_checked(item: Item, numbers: bool = True) -> Item:
    """What :func:`check_item` makes of an item it has already passed (numbers where text is
    due become text; a DOI is read as the bare DOI), without checking it again; ``numbers``
    False: the check found no number where text is due, in any item."""
    if numbers:
        for var, value in item.items():
            if var in TEXT_VARIABLES and _is_number(value):
                item[var] = str(value)
    if isinstance(item.get("DOI"), str):
        item["DOI"] = normalise_doi(item["DOI"])
    return item


# --- packs cut where an item opens a line ---------------------------------------------------
#
# Most CSL-JSON arrays are laid out by a program (Zotero, citeproc-js, pandoc, Citation.js,
# publist), one item after another, each opening on a line of its own with the same indent.
# A line break is never inside a JSON string, so such a line is between two values: most
# likely between two items.  This process cuts the bytes there (no decoding: it would
# otherwise be the bottleneck, decoding every item once to find where it ends), and each
# worker checks its pack as it decodes it: the pack must be exactly its items, comma after
# comma.  A pack that is not (another layout further on, an object inside an item on such a
# line, bad JSON) raises WrongCut, and the array is read again from that task on, each item
# decoded here to find where it ends (`_ArrayItems.texts_inside`).  A pack of a regular file
# travels as its place in the file: the worker, forked with this process's descriptors, reads
# the bytes itself (pread), so they are neither copied here nor sent down a pipe.

_PACK_BYTES = 1 << 16
_READ_EXACTLY = 0  # a pack of no items: the worker raises WrongCut, and the rest is read exactly


class _OpenFile(NamedTuple):
    """A regular file open in this process (and in workers forked from it): its descriptor,
    and its device and inode, which a worker checks before it reads at an offset."""

    fd: int
    identity: tuple[int, int]


class _Cut(NamedTuple):
    """A pack's bytes: ``items`` items from item ``first`` on, ``size`` bytes at ``offset`` in
    the file; ``last``: they end the array (its ``]`` and what follows are among them)."""

    first: int
    offset: int
    data: bytes  # the bytes, unless they are read from the file (``file``)
    items: int
    last: bool
    opening: str  # what opens an item's line: a line break, the indent, ``{``
    size: int = 0
    file: _OpenFile | None = None


def _open_file(stream: BinaryIO) -> _OpenFile | None:
    """The stream's regular file, for workers to read packs from; None when it has none (a
    BytesIO, a pipe) or the system has no pread."""
    if not hasattr(os, "pread"):
        return None
    try:
        fd = stream.fileno()
        found = os.fstat(fd)
    except (AttributeError, OSError, ValueError):  # (io.UnsupportedOperation is both)
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return _OpenFile(fd, (found.st_dev, found.st_ino))


def _cut_bytes(cut: _Cut) -> bytes:
    """A pack's bytes, read from its file when it names one (in a worker); WrongCut when the
    descriptor is no longer that file or the file is shorter now."""
    if cut.file is None:
        return cut.data
    try:
        found = os.fstat(cut.file.fd)
        if (found.st_dev, found.st_ino) != cut.file.identity:
            raise WrongCut
        data = os.pread(cut.file.fd, cut.size, cut.offset)
    except OSError:
        raise WrongCut from None
    if len(data) != cut.size:
        raise WrongCut
    return data


def _item_opening(head: bytes) -> bytes | None:
    """What opens each item's line, from the array's first bytes (``[``, a line break and
    the first item's indent, ``{``); None when the first item does not open a line."""
    start = head.find(b"{")
    between = head[head.find(b"[") + 1 : start] if start > 0 else b"?"
    if b"\n" not in between or between.strip(b" \t\r\n"):
        return None
    return b"\n" + between.rsplit(b"\n", 1)[1] + b"{"


def _cut_packs(
    stream: BinaryIO, offset: int, opening: bytes, file: _OpenFile | None = None
) -> Iterator[Pack]:
    """The array's items from ``offset`` (its first ``{``) in packs of about 64 KB, each cut
    before an ``opening`` (see above).  Where none comes in the next MB (another layout from
    there on, or one item that large), the last pack asks for the rest to be read exactly
    (:data:`_READ_EXACTLY`): what is held here stays a few MB, and each byte is searched once.
    ``file``: the same file open for the whole conversion, which the packs then name instead
    of holding their bytes."""
    buffer, pos, searched, first, eof = b"", 0, 0, 1, False
    while not eof or pos < len(buffer):
        cut = buffer.find(opening, max(pos + _PACK_BYTES, searched))
        if cut < 0 and not eof:
            if len(buffer) - pos > _PACK_BYTES + _PIECE_BYTES:
                yield Pack(0, 0, _Cut(first, offset + pos, b"", _READ_EXACTLY, False, ""))
                return
            searched = max(len(buffer) - len(opening) + 1, pos) - pos
            data = stream.read(_PIECE_BYTES)
            eof = not data
            buffer, offset, pos = buffer[pos:] + data, offset + pos, 0
            continue
        end = len(buffer) if cut < 0 else cut + len(opening) - 1
        count = 1 + buffer.count(opening, pos, end)
        data = buffer[pos:end] if file is None else b""
        cut_data = _Cut(
            first, offset + pos, data, count, cut < 0, opening.decode("ascii"), end - pos, file
        )
        yield Pack(count, end - pos, cut_data)
        first, pos = first + count, end


def _cut_items(cut: _Cut) -> list[tuple[int, Any]]:
    """A pack's items, decoded (in a worker); WrongCut unless the pack is exactly its items,
    comma after comma (and the array's end, in the last pack)."""
    if cut.items == _READ_EXACTLY:
        raise WrongCut
    try:
        text = _cut_bytes(cut).decode("utf-8")
        values: list[tuple[int, Any]] = []
        pos = 0
        while True:
            value, end = _decoder.raw_decode(text, pos)
            values.append((cut.first + len(values), value))
            after = text.find(cut.opening, end)
            if after < 0:
                break
            if text[end:after].strip(_JSON_SPACE) != ",":
                raise WrongCut
            pos = after + len(cut.opening) - 1
    except (ValueError, RecursionError):  # (JSONDecodeError and UnicodeDecodeError too)
        raise WrongCut from None
    if text[end:].strip(_JSON_SPACE) != ("]" if cut.last else ",") or len(values) != cut.items:
        raise WrongCut
    return values


def _unpacked(data: Any, source: str) -> list[tuple[int, Any]]:
    """A pack's ``(index, item or its JSON text)`` pairs (RecordSource.unpack)."""
    return _cut_items(data) if isinstance(data, _Cut) else numbered(data, source)


def _opened_again(stream: BinaryIO, source: str) -> BinaryIO | None:
    """The stream's file opened again by its name (a position of its own), while the name is
    still that file's; None when it is not, or the stream has no file."""
    try:
        held = os.fstat(stream.fileno())
        again = open(source, "rb")  # (closed by _ArrayReading._finish)
    except (AttributeError, OSError, ValueError):
        return None
    found = os.fstat(again.fileno())
    if (found.st_dev, found.st_ino) != (held.st_dev, held.st_ino):
        again.close()
        return None
    return again


class _ArrayReading:
    """A CSL-JSON array in a file that can seek, read a piece at a time (memory stays flat).

    By default it is read twice: once to check it as a whole read would (the same errors before
    any item is handed out, the same warnings), once to hand out its items.  After
    :meth:`allow_late_errors` (the items go to a file that appears only when all is written)
    it is read once, each item checked as it is handed out: an error then comes after some
    items, but it is the error the whole read gives (invalid JSON anywhere, else the first bad
    item) and the warnings are the same, in the same order.

    The items are handed out in order (:meth:`items`) or, for a conversion on several cores,
    as raw records (:meth:`records`) that a worker decodes and checks: when errors may come
    late, the array's bytes cut where an item opens a line (:func:`_cut_packs`), else each
    item's JSON text, found here by decoding it."""

    def __init__(self, stream: BinaryIO, source: str, start: int, warnings: list[str]) -> None:
        self.stream = stream
        self.source = source
        self.start = start
        self.warnings = warnings
        self.late = False
        self.numbers = True  # False: the check found no number where text is due
        self._noted: list[str] = []  # parse's warnings since take_warnings
        self._texts: Iterator[Pack] | None = None
        self._cut = False  # True: packs of bytes were cut (see _cut_packs)
        # the file opened again now, for a second read (resumed, or for an error): by the
        # time one comes, the stream may be closed and its name another file's
        self._again = _opened_again(stream, source)
        if self._again is not None:
            weakref.finalize(self, self._again.close)  # (if neither path finishes)

    def allow_late_errors(self) -> None:
        self.late = True

    # --- in order --------------------------------------------------------------------------

    def items(self) -> Iterator[Located]:
        try:
            yield from self._items()
        finally:
            self._finish()

    def _items(self) -> Iterator[Located]:
        if not self.late:
            whole = self._check_ahead()
            if whole is not None:
                yield from enumerate(whole, start=1)
                return
            for index, item in enumerate(_ArrayItems(self.stream), start=1):
                yield index, _as_checked(item, self.numbers)
            return
        values = iter(_ArrayItems(self.stream))
        try:
            for index, value in enumerate(values, start=1):
                yield index, check_item(value, f"item {index}", self.source, None, self.warnings)
        except _NotStreamable:
            raise self._whole_read_error() from None
        except PublistError as error:
            raise self._error_beyond(values, error) from None

    def _check_ahead(self) -> list[Item] | None:
        """Check every item; None when they are to be read again, the whole read's items when
        the array cannot be read a piece at a time (else its error is raised)."""
        notes: list[str] = []
        try:
            for index, item in enumerate(_ArrayItems(self.stream), start=1):
                # (the DOI is read in the second pass: these items are dropped)
                _validated(item, f"item {index}", self.source, None, notes)
        except (_NotStreamable, PublistError):
            return self._read_whole()
        finally:
            self.stream.seek(self.start)
        self.warnings.extend(notes)
        self.numbers = bool(notes)  # (its only warnings: a number where text is due)
        return None

    def _read_whole(self) -> list[Item]:
        stream = self._readable()
        stream.seek(self.start)
        items, warnings = _whole_read(stream, self.source)
        self.warnings.extend(warnings)
        return items

    def _whole_read_error(self) -> PublistError:
        """The error of the whole read, for input a piece at a time found bad."""
        try:
            self._read_whole()
        except PublistError as error:
            return error
        return PublistError("the JSON array could not be read a piece at a time", self.source)

    def _error_beyond(self, rest: Iterator[Any], error: PublistError) -> PublistError:
        """``error`` (the first bad item's), unless the JSON is invalid further on: the whole
        read reports that first."""
        try:
            for _ in rest:
                pass
        except _NotStreamable:
            return self._whole_read_error()
        return error

    # --- on several cores -------------------------------------------------------------------

    def records(self) -> RecordSource:
        self._texts = self._raw()
        return RecordSource(
            self._texts,
            self.parse,
            self.take_warnings,
            self.first_error,
            unpack=_unpacked,
            resume=self.resume,
            finish=self._finish,
        )

    def _raw(self) -> Iterator[Pack]:
        """The items in packs: of bytes cut where an item opens a line (see _cut_packs) when
        errors may come late and the layout allows, else of JSON texts found by decoding
        each item here, the whole array checked first unless late."""
        if not self.late:
            whole = self._check_ahead()
            if whole is not None:  # (checked items: parse hands them out as they are)
                for start in range(0, len(whole), PACK_RECORDS):
                    some = whole[start : start + PACK_RECORDS]
                    yield Pack(len(some), 0, (start + 1, some))
                return
        else:
            head = self.stream.read(_PIECE_BYTES)
            opening = _item_opening(head)
            self.stream.seek(self.start + (head.find(b"{") if opening else 0))
            if opening is not None:
                self._cut = True
                # (the second handle, not the stream: it stays open to the conversion's end)
                file = None if self._again is None else _open_file(self._again)
                yield from _cut_packs(self.stream, self.stream.tell(), opening, file)
                return
        yield from self._decoded_packs()

    def _decoded_packs(self, first: int = 1, offset: int | None = None) -> Iterator[Pack]:
        """Packs of the items' texts, from the array's start or from item ``first`` at
        ``offset`` in the file."""
        stream = self._readable()
        stream.seek(self.start if offset is None else offset)
        items = _ArrayItems(stream)
        try:
            yield from packed(items.texts() if offset is None else items.texts_inside(), first)
        except _NotStreamable:
            raise self._whole_read_error() from None

    def resume(self, first_pack: Any) -> Iterator[Pack]:
        """After a wrong cut: the items again from that pack's first one (RecordSource)."""
        return self._decoded_packs(first_pack.first, first_pack.offset)

    def _readable(self) -> BinaryIO:
        """The file for a second read (resumed, or for an error): the handle opened again at
        the start, else the stream."""
        stream = self._again or self.stream
        if stream.closed:
            raise PublistError("the file was closed before it was read to the end", self.source)
        return stream

    def _finish(self) -> None:
        """The reading is over: the second handle is closed (RecordSource.finish)."""
        if self._again is not None:
            self._again.close()

    def parse(self, raw: tuple[int, Any], source: str) -> Item:
        index, value = raw
        if isinstance(value, str):
            try:
                value = _decoder.raw_decode(value)[0]  # (this process decoded it: it is JSON)
            except RecursionError:
                raise PublistError("invalid JSON: nested too deeply", source) from None
        elif not self.late:  # (the whole read's items, checked)
            return value
        if not self.late:
            return _as_checked(value, self.numbers)
        return check_item(value, f"item {index}", source, None, self._noted)

    def take_warnings(self) -> list[str]:
        noted, self._noted = self._noted, []
        return noted

    def first_error(self, error: PublistError) -> PublistError:
        """What the whole read reports when a worker found ``error`` in the first bad item: it,
        unless the JSON is invalid further on (the rest is read to the end: exactly, from the
        start, if the packs were cut)."""
        if self._texts is None:
            return error
        rest = self._decoded_packs() if self._cut else self._texts
        try:
            for _ in rest:
                pass
        except PublistError as graver:
            return graver
        return error


def _streamed(stream: BinaryIO, source: str) -> Collection | None:
    """The array read a piece at a time (:class:`_ArrayReading`); None when it must be read
    whole (it does not open with an array, or the stream cannot tell where it is)."""
    try:
        start = stream.tell()
    except (OSError, AttributeError, ValueError):
        return None
    opens_array = _ArrayItems(stream).starts_array()
    stream.seek(start)
    if not opens_array:
        return None
    warnings: list[str] = []
    reading = _ArrayReading(stream, source, start, warnings)
    return Collection.located(
        reading.items(),
        source=source,
        records=reading.records(),
        warnings=warnings,
        late_errors=reading.allow_late_errors,
    )


def _whole_read(stream: BinaryIO, source: str) -> tuple[list[Item], list[str]]:
    """Every item of the stream read whole, checked, and the warnings."""
    data = _loads(read_text(stream, source), source)
    if (
        isinstance(data, dict)
        and "id" not in data
        and all(isinstance(v, dict) for v in data.values())
    ):
        # citeproc-js also takes an object keyed by id: the key is the id of an item without one
        items = [item if "id" in item else {"id": key, **item} for key, item in data.items()]
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise PublistError("CSL-JSON must be an array of items", source, 1)
    warnings: list[str] = []
    for index, item in enumerate(items, start=1):
        check_item(item, f"item {index}", source, warnings=warnings)
    return items, warnings


def read_csl_json(stream: BinaryIO, source: str) -> Collection:
    """CSL-JSON: an array is streamed (:func:`_streamed`) when the stream can seek; an object
    of items keyed by id, one item, or a stream that cannot seek is read whole."""
    streamed = _streamed(stream, source) if _seekable(stream) else None
    if streamed is not None:
        return streamed
    items, warnings = _whole_read(stream, source)
    return Collection.located(enumerate(items, start=1), source=source, warnings=warnings)


_dumps = json.JSONEncoder(ensure_ascii=False).encode  # indent=None: json's C encoder
_encode_string = json.encoder.encode_basestring  # what _dumps does for a str


def dumps_item(item: Item, indent: str = "") -> str:
    """One item as JSON: a variable per line, and a name (or list element) per line.

    Built from json's C encoder rather than ``json.dumps(indent=2)``, whose pure-Python
    encoder is several times slower and puts every part of 942 names on its own line.
    """
    inner = indent + "  "
    lines = []
    named = _VARIABLES.get
    for var, value in item.items():
        name = named(var) or _variable(var)
        if type(value) is str:  # most values: json's C string encoder, without the call layers
            lines.append(name + _encode_string(value))
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            elements = f",\n{inner}  ".join(_element_texts(value))
            text = f"[\n{inner}  {elements}\n{inner}]"
        else:
            text = _dumps(value)
        lines.append(name + text)
    if not lines:
        return "{}"
    return "{\n" + inner + f",\n{inner}".join(lines) + f"\n{indent}}}"


# A variable's name as JSON with its colon, by name: items share a few dozen names.
_VARIABLES: dict[str, str] = {}


def _variable(var: object) -> str:
    text = _dumps(str(var)) + ": "
    if type(var) is str and len(_VARIABLES) < 4096:  # (bounded: any names may come)
        _VARIABLES[var] = text
    return text


# The JSON of names (and other objects in lists) by their keys then values, texts only: names
# repeat across a library; bounded.
_ELEMENTS: dict[tuple, str] = {}
_ELEMENTS_SIZE = 16384


def _element_texts(values: list[Any]) -> list[str]:
    """Each element's JSON, as ``_dumps`` writes it."""
    cached = _ELEMENTS.get
    texts: list[Any]  # (a text, or None where the element is to be written)
    try:  # (most lists: names all seen before, each looked up by one comprehension step)
        texts = [cached((*v, *v.values())) if type(v) is dict else None for v in values]
    except TypeError:  # (a value that is a list or an object)
        texts = [None] * len(values)
    if None not in texts:
        return texts
    pairs = zip(values, texts, strict=True)
    return [_element_text(value) if text is None else text for value, text in pairs]


def _element_text(value: Any) -> str:
    """One element's JSON, remembered when it is an object of texts (1 and True hash alike)."""
    text = _dumps(value)
    if type(value) is dict and all(type(v) is str for v in value.values()):
        if len(_ELEMENTS) >= _ELEMENTS_SIZE:
            _ELEMENTS.clear()
        _ELEMENTS[(*value, *value.values())] = text
    return text


class CslJsonWriter(ChunkWriter):
    """A JSON array, an item per block, UTF-8 text, final newline."""

    header = "[\n  "
    separator = ",\n  "
    footer = "\n]\n"
    empty = "[]\n"
    kept_ids_in_workers = True  # (the ids are written as given: a worker writes them too)

    def format(self, items: list[Item]) -> str:
        return ",\n  ".join(dumps_item(item, "  ") for item in items)


def write_csl_json(collection: Collection, out: TextIO) -> None:
    """A JSON array, an item per block, UTF-8 text, final newline; written chunk by chunk."""
    write_chunks(CslJsonWriter(), collection, out)


def zotero_name(name: Name) -> Name:
    """A name as Zotero stores and exports it: the particles inside ``family`` / ``given`` and
    the suffix after a comma in ``given`` (Zotero's CSL JSON import reads only ``family``,
    ``given`` and ``literal``; citeproc-js parses the parts back out of this form)."""
    if "literal" in name or not any(name.get(p) for p in _FOLDED_PARTS):
        return name
    folded: Name = {}
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    if name.get("suffix"):
        given = f"{given}, {name['suffix']}" if given else f", {name['suffix']}"
    if family:
        folded["family"] = family
    if given:
        folded["given"] = given
    return folded


_FOLDED_PARTS = ("non-dropping-particle", "dropping-particle", "suffix")


def zotero_item(item: Item) -> Item:
    """``item`` with every name in Zotero's form (see :func:`zotero_name`)."""
    out = dict(item)
    for var in NAME_VARIABLES:
        names = item.get(var)
        if names:
            out[var] = [zotero_name(n) for n in names]
    return out


class ZoteroCslJsonWriter(CslJsonWriter):
    """CSL-JSON in the form Zotero's own export writes (names with their particles inside)."""

    def format(self, items: list[Item]) -> str:
        return super().format([zotero_item(item) for item in items])


def write_zotero_json(collection: Collection, out: TextIO) -> None:
    write_chunks(ZoteroCslJsonWriter(), collection, out)


def read_csl_jsonl(stream: BinaryIO, source: str) -> Collection:
    warnings: list[str] = []

    def generate() -> Iterator[Located]:
        for lineno, text in numbered_lines(stream, source):
            if not text.strip():
                continue
            data = _loads(text, source, lineno)
            yield lineno, check_item(data, "item", source, lineno, warnings)

    return Collection.located(generate(), source=source, warnings=warnings)


class CslJsonLinesWriter(ChunkWriter):
    """One compact JSON item per line."""

    kept_ids_in_workers = True  # (the ids are written as given)

    def format(self, items: list[Item]) -> str:
        return "".join(_compact(item) + "\n" for item in items)


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write_csl_jsonl(collection: Collection, out: TextIO) -> None:
    write_chunks(CslJsonLinesWriter(), collection, out)


register(
    Format(
        name="csl-json",
        description="CSL-JSON 1.0.2: a JSON array of items (Zotero, citeproc-js, pandoc)",
        extensions=(".json",),
        reader=read_csl_json,
        streaming_reader=False,
        writer=write_csl_json,
        chunk_writer=CslJsonWriter,
        default_extension=".json",
    )
)
register(
    Format(
        name="zotero",
        description=(
            "CSL-JSON for Zotero's import: particles and suffixes inside family/given, as "
            "Zotero writes them (csl-json keeps them structured, for citeproc)"
        ),
        extensions=(),
        writer=write_zotero_json,
        chunk_writer=ZoteroCslJsonWriter,
        default_extension=".json",
    )
)
register(
    Format(
        name="csl-jsonl",
        description="CSL-JSON Lines: one item per line (streams in constant memory)",
        extensions=(".jsonl", ".ndjson"),
        reader=read_csl_jsonl,
        writer=write_csl_jsonl,
        chunk_writer=CslJsonLinesWriter,
        default_extension=".jsonl",
    )
)
