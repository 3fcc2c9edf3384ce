"""The .bib syntax as BibTeX reads it: blocks, ``@string`` macros, ``#`` concatenation.

:class:`Scanner` turns the text of a run of whole blocks into :class:`RawEntry` values (fields
as the LaTeX text BibTeX would pass on, macros expanded) and keeps the macros for the next run,
so a file is read a few hundred entries at a time.  What BibTeX would warn about is collected in
``warnings`` with its line; what it would reject is collected in ``errors`` and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..errors import PublistError
from ..lines import BOM, decode_line

#: BibTeX's predefined month macros (plain.bst); biber reads the same names
MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

_TYPE_RE = re.compile(r"[ \t\r\n]*([A-Za-z][\w:.+-]*)[ \t\r\n]*([{(])")
_KEY_RE = {
    "{": re.compile(r"[ \t\r\n]*([^,\s}]*)[ \t\r\n]*"),
    "(": re.compile(r"[ \t\r\n]*([^,\s)]*)[ \t\r\n]*"),
}
_NAME_RE = re.compile(r"([^\s=,{}()\"#%]+)[ \t\r\n]*=[ \t\r\n]*")
_MACRO_RE = re.compile(r"[^\s=,{}()\"#%]+")
_NUMBER_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"[ \t\r\n]*")
_SIMPLE_BRACED_RE = re.compile(r"\{([^{}]*)\}")
_BRACE_RE = re.compile(r"[{}]")
_QUOTED_RE = re.compile(r'[{}"]')
_COMMENT_LINE_RE = re.compile(r"%[^\n]*")
_RESYNC_RE = re.compile(r"\n[ \t]*@")
# text between blocks that looks like data (a field, a brace) rather than a comment
_DATA_LIKE_RE = re.compile(r"[={}]")
_CLOSE = {"{": "}", "(": ")"}
# braced text nested up to two levels inside a value's braces (``{\r{A}}sa``); possessive, so
# that a field the pattern does not take fails at once, however long its value
_NESTED = r"[^{}]*+(?:\{[^{}]*+(?:\{[^{}]*+\}[^{}]*+)*+\}[^{}]*+)*+"
# a whole field with a value that needs no further look (braces nested at most three deep, no
# "#"), up to and including the comma after it, or up to the closing delimiter
_SIMPLE_FIELD_RE = {
    close: re.compile(
        r"[ \t\r\n]*+([^\s=,{}()\"#%]++)[ \t\r\n]*+=[ \t\r\n]*+"
        r"(?:\{(" + _NESTED + r")\}|\"([^{}\"]*+)\"|(\d++))[ \t\r\n]*+"
        r"(?:,|(?=" + re.escape(close) + r"))"
    )
    for close in ("}", ")")
}


@dataclass
class RawEntry:
    entry_type: str
    key: str
    line: int
    #: field name (lower case) -> (LaTeX text, line)
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE_RE.match(text, pos)
    return match.end() if match else pos  # (the pattern matches the empty string too)


class _Malformed(Exception):
    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.pos = pos


class Scanner:
    """Blocks of .bib text → raw entries; macros and messages kept across runs."""

    def __init__(self, source: str):
        self.source = source
        self.macros: dict[str, str] = dict(MONTH_MACROS)
        self.warnings: list[tuple[int, str]] = []
        self.errors: list[PublistError] = []
        self.text = ""
        #: when set, only entries with these (lower-case) keys are read field by field; the
        #: others are skipped by their braces (the first pass over a file with crossrefs)
        self.keep: set[str] | None = None
        self._line_pos = 0
        self._line = 1

    # positions and lines

    def line_at(self, pos: int) -> int:
        """The line of ``pos``; positions are asked for in increasing order mostly."""
        if pos < self._line_pos:
            self._line_pos, self._line = 0, self._first
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def warn(self, pos: int, message: str) -> None:
        self.warnings.append((self.line_at(pos), message))

    # blocks

    def entries(self, text: str, first_line: int) -> Iterator[RawEntry]:
        self.text, self._first, self._line_pos, self._line = text, first_line, 0, first_line
        pos = 0
        while True:
            at = text.find("@", pos)
            self._outside(pos, len(text) if at < 0 else at)
            if at < 0:
                return
            try:
                entry, pos = self._block(at)
            except _Malformed as err:
                self.errors.append(
                    PublistError(f"malformed entry: {err}", self.source, self.line_at(at))
                )
                self.line_at(err.pos)
                resync = _RESYNC_RE.search(text, max(text.rfind("\n", 0, err.pos), at + 1))
                pos = resync.start() + 1 if resync else len(text)
                continue
            if entry is not None:
                yield entry

    def _outside(self, start: int, end: int) -> None:
        """Text between blocks is a comment for BibTeX; data-like leftovers are reported."""
        if end <= start:
            return
        chunk = self.text[start:end]
        if not chunk.strip():
            return
        chunk = _COMMENT_LINE_RE.sub("", chunk)
        if _DATA_LIKE_RE.search(chunk):
            offset = start + len(chunk) - len(chunk.lstrip())
            snippet = " ".join(chunk.split())[:60]
            self.warn(offset, f"text outside any entry ignored: {snippet!r}")

    def _block(self, at: int) -> tuple[RawEntry | None, int]:
        match = _TYPE_RE.match(self.text, at + 1)
        if not match:
            if not self._in_comment(at):
                self.warn(at, "'@' not followed by an entry type and a brace: ignored")
            return None, at + 1
        kind = match.group(1).lower()
        opener = match.group(2)
        body = match.end()
        if kind == "comment":
            return None, self._balanced_end(body - 1, opener)
        if kind == "preamble":
            return None, self._balanced_end(body - 1, opener)
        if kind == "string":
            return None, self._string(body, opener)
        return self._entry(kind, at, body, opener)

    def _in_comment(self, at: int) -> bool:
        line_start = self.text.rfind("\n", 0, at) + 1
        return "%" in self.text[line_start:at]

    def _balanced_end(self, open_pos: int, opener: str) -> int:
        """The position after the delimiter closing the one at ``open_pos``."""
        if opener == "(":
            close = self.text.find(")", open_pos)
            if close < 0:
                raise _Malformed("'(' never closed", len(self.text))
            return close + 1
        return self._brace_end(open_pos) + 1

    def _brace_end(self, open_pos: int) -> int:
        """The index of the brace closing the one at ``open_pos``."""
        simple = _SIMPLE_BRACED_RE.match(self.text, open_pos)
        if simple:
            return simple.end() - 1
        depth = 0
        for match in _BRACE_RE.finditer(self.text, open_pos):
            depth += 1 if match.group() == "{" else -1
            if depth == 0:
                return match.start()
        raise _Malformed("unbalanced braces: '{' never closed", len(self.text))

    def _quote_end(self, open_pos: int) -> int:
        depth = 0
        for match in _QUOTED_RE.finditer(self.text, open_pos + 1):
            char = match.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    raise _Malformed(
                        "'}' closes a brace never opened in a quoted value", match.start()
                    )
            elif depth == 0:
                return match.start()
        raise _Malformed("'\"' never closed", len(self.text))

    # @string

    def _string(self, pos: int, opener: str) -> int:
        match = _NAME_RE.match(self.text, pos)
        if not match:
            raise _Malformed("@string without 'name = value'", pos)
        value, pos = self._value(match.end())
        self.macros[match.group(1).lower()] = value
        pos = _skip_space(self.text, pos)
        if self.text.startswith(_CLOSE[opener], pos):
            return pos + 1
        raise _Malformed(f"@string {match.group(1)}: expected {_CLOSE[opener]!r}", pos)

    # entries

    def _entry(self, kind: str, at: int, pos: int, opener: str) -> tuple[RawEntry, int]:
        close = _CLOSE[opener]
        key_match = _KEY_RE[opener].match(self.text, pos)
        assert key_match is not None  # every part of the pattern may be empty
        key, pos = key_match.group(1), key_match.end()
        if self.text.startswith("=", pos):  # no key at all: "@misc{title = ..."
            key, pos = "", key_match.start(1)
        elif self.text.startswith(",", pos):
            pos += 1
        elif not self.text.startswith(close, pos):
            raise _Malformed(f"expected ',' after the key {key!r}", pos)
        entry = RawEntry(kind, key, self.line_at(at))
        if self.keep is not None and key.lower() not in self.keep:
            return entry, self._balanced_end(at + self.text[at:pos].index(opener), opener)
        return entry, self._fields(entry, pos, close)

    def _fields(self, entry: RawEntry, pos: int, close: str) -> int:
        text = self.text
        simple = _SIMPLE_FIELD_RE[close]
        while True:
            match = simple.match(text, pos)
            if match:  # the common case in one step: name = {text} / "text" / 123, then , or }
                name, value = match.group(1).lower(), match.group(2)
                if value is None:
                    value = match.group(3) if match.group(3) is not None else match.group(4)
                self._add_field(entry, name, value, self.line_at(match.start(1)))
                pos = match.end()
                continue
            pos = self._skip_space_and_comments(pos)
            if pos >= len(text):
                raise _Malformed(f"entry {entry.key!r} never closed", pos)
            char = text[pos]
            if char == close:
                return pos + 1
            if char == ",":
                pos += 1
                continue
            pos = self._field(entry, pos, close)

    def _field(self, entry: RawEntry, pos: int, close: str) -> int:
        """One field the fast path did not take (braces inside, ``#``, macros)."""
        text = self.text
        match = _NAME_RE.match(text, pos)
        if not match:
            raise _Malformed(f"expected a field name in entry {entry.key!r}", pos)
        name = match.group(1).lower()
        line = self.line_at(pos)
        value, pos = self._value(match.end())
        self._add_field(entry, name, value, line)
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] not in (",", close):
            raise _Malformed(f"expected ',' or {close!r} after field {name!r}", pos)
        return pos

    def _add_field(self, entry: RawEntry, name: str, value: str, line: int) -> None:
        if name in entry.fields:
            first = entry.fields[name][1]
            self.warnings.append(
                (
                    line,
                    f"{entry.key}: field {name!r} repeated (first at line {first}): "
                    "the first value is kept",
                )
            )
        else:
            entry.fields[name] = (value, line)

    def _skip_space_and_comments(self, pos: int) -> int:
        text = self.text
        while True:
            pos = _skip_space(text, pos)
            if not text.startswith("%", pos):
                return pos
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            self.warn(pos, f"comment line inside an entry ignored: {text[pos:end][:60]!r}")
            pos = end

    def _value(self, pos: int) -> tuple[str, int]:
        """One field value: pieces joined by ``#``, macros expanded."""
        text = self.text
        pieces: list[str] = []
        while True:
            piece, pos = self._piece(pos)
            pieces.append(piece)
            pos = _skip_space(text, pos)
            if not text.startswith("#", pos):
                return "".join(pieces), pos
            pos = _skip_space(text, pos + 1)

    def _piece(self, pos: int) -> tuple[str, int]:
        text = self.text
        char = text[pos : pos + 1]
        if char == "{":
            end = self._brace_end(pos)
            return text[pos + 1 : end], end + 1
        if char == '"':
            end = self._quote_end(pos)
            return text[pos + 1 : end], end + 1
        number = _NUMBER_RE.match(text, pos)
        if number:
            return number.group(), number.end()
        macro = _MACRO_RE.match(text, pos)
        if not macro:
            raise _Malformed("expected a value (braces, quotes, a number or a macro)", pos)
        name = macro.group()
        value = self.macros.get(name.lower())
        if value is None:
            self.warn(pos, f"undefined macro {name!r}: expands to nothing (as in BibTeX)")
            value = ""
        return value, macro.end()


_BLOCKS_PER_CHUNK = 512


def chunks(stream: BinaryIO, source: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of runs of whole blocks, so a .bib is parsed a piece at a time.

    A run ends before a line that opens a block (``@`` first) where every brace so far is
    closed: BibTeX counts every brace, escaped or not, so a value can never leave one open.
    Lines are split as bytes and each run is decoded at once; only a run that fails to decode
    is read again line by line, for the line number of the error."""
    lines: list[bytes] = []
    first = 1
    blocks = 0
    depth = 0
    lineno = 0
    for lineno, raw in enumerate(stream, start=1):
        if depth == 0 and raw.lstrip().startswith(b"@"):
            if blocks >= _BLOCKS_PER_CHUNK:
                yield first, _decoded(lines, first, source)
                lines, first, blocks = [], lineno, 0
            blocks += 1
        lines.append(raw)
        if b"{" in raw or b"}" in raw:
            depth = max(0, depth + raw.count(b"{") - raw.count(b"}"))
    if lines:
        yield first, _decoded(lines, first, source)


def _decoded(lines: list[bytes], first: int, source: str) -> str:
    data = b"".join(lines)
    if first == 1 and data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        if b"\x00" in data:
            raise ValueError("NUL")
        text = data.decode("utf-8")
    except ValueError:
        for lineno, raw in enumerate(lines, start=first):
            decode_line(raw, source, lineno)  # raises, naming the line
        raise
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text[:-1] if text.endswith("\n") else text
