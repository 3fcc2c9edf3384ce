"""Reading text line by line with errors that name the line.

Lines are split on ``\\n`` only (a ``\\r`` right before it belongs to the line end): U+2028,
U+0085, form feed and the like are text inside a line, as ``str.splitlines()`` would not have it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .errors import PublistError

BOM = b"\xef\xbb\xbf"


def decode_line(raw: bytes, source: str, lineno: int) -> str:
    if b"\x00" in raw:
        raise PublistError("binary data (NUL byte): not a text file", source, lineno)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = raw[err.start : err.start + 1].hex()
        raise PublistError(
            f"not UTF-8 text (byte 0x{bad} at column {err.start + 1})", source, lineno
        ) from None


# The longest line publist reads (a JSON Lines item, a seed author line, a .bib or RIS line):
# long enough for any real record (the seed's 942-author line is 16 KB), short enough that a
# file without line ends (/dev/zero, a binary) is refused early and memory stays bounded.
MAX_LINE_BYTES = 16 * 1024 * 1024
_PIECE = 64 * 1024  # lines are read in pieces of this size; a NUL stops the reading at once


def _too_long(source: str, lineno: int) -> PublistError:
    return PublistError(
        f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB (the most publist reads "
        "in one line): not a text file of records?",
        source,
        lineno,
    )


def _nul(source: str, lineno: int) -> PublistError:
    return PublistError("binary data (NUL byte): not a text file", source, lineno)


def raw_lines(
    stream: BinaryIO | _Unread, source: str, before: int = 0
) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes with the line end)``, read in bounded pieces; ``before``: the
    lines already read."""
    lineno = before
    while piece := stream.readline(_PIECE):
        lineno += 1
        if len(piece) == _PIECE and not piece.endswith(b"\n"):
            pieces, size = [piece], len(piece)
            while not pieces[-1].endswith(b"\n"):
                if b"\x00" in pieces[-1]:
                    raise _nul(source, lineno)
                more = stream.readline(_PIECE)
                if not more:
                    break
                size += len(more)
                if size > MAX_LINE_BYTES:
                    raise _too_long(source, lineno)
                pieces.append(more)
            piece = b"".join(pieces)
        yield lineno, piece


def numbered_lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for every line; one final line end does not start a line."""
    for start, lines in numbered_blocks(stream, source):
        yield from enumerate(lines, start)


def numbered_blocks(stream: BinaryIO, source: str) -> Iterator[tuple[int, list[str]]]:
    """The lines of :func:`numbered_lines` a block at a time: ``(the first one's number, the
    lines)``, never an empty block.

    Read a block at a time, and a block's whole lines decoded and split at once (a seed or
    RIS file has millions of short lines); from a block with a NUL byte or bad UTF-8, or a
    line longer than a piece, on line by line (:func:`_lines_one_by_one`, a line a block):
    that gives the error at its line, after the lines before it."""
    read = getattr(stream, "read1", stream.read)  # (a pipe: what has come, not a full block)
    lineno = 0
    pending = b""
    while True:
        block = read(_BLOCK)
        data = pending + block if pending else block
        cut = data.rfind(b"\n") + 1 if block else len(data)  # (at the end: the last line too)
        batch, pending = data[:cut], data[cut:]
        lines = _decoded_lines(batch, lineno == 0)
        # (a line in a block no longer than the limit is not too long; one past a piece is
        # read piece by piece, as line by line reading does)
        if lines is None or len(pending) >= _PIECE or len(data) > MAX_LINE_BYTES:
            for number, line in _lines_one_by_one(_Unread(data, stream), source, lineno):
                yield number, [line]
            return
        if lines:
            yield lineno + 1, lines
        lineno += len(lines)
        if not block:
            return


_BLOCK = 1 << 20  # bytes numbered_lines reads at a time


def _decoded_lines(batch: bytes, first: bool) -> list[str] | None:
    """The lines of ``batch`` (whole lines; at the end of the file, its last line without a
    line end) as line by line reading gives them; None when it has a NUL byte or bad UTF-8."""
    if b"\x00" in batch:
        return None
    try:
        text = batch.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text:
        return []
    lines = text.split("\n")
    last = lines.pop()  # "" after a line end; else the file's last line, kept as it is
    if "\r" in text:
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if last:
        lines.append(last)
    if first and lines and lines[0].startswith("\ufeff"):  # (the BOM, only at the start)
        lines[0] = lines[0][1:]
    return lines


class _Unread:
    """``stream`` with ``head`` (bytes already read from it) back in front, for readline."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def readline(self, size: int) -> bytes:
        head = self.head
        if not head:
            return self.stream.readline(size)
        end = head.find(b"\n", 0, size)
        if end >= 0 or len(head) >= size:
            line = head[: end + 1] if end >= 0 else head[:size]
            self.head = head[len(line) :]
            return line
        self.head = b""
        return head + self.stream.readline(size - len(head))


def _lines_one_by_one(
    stream: BinaryIO | _Unread, source: str, before: int = 0
) -> Iterator[tuple[int, str]]:
    """:func:`numbered_lines` read line by line, the ``before`` first lines already read."""
    for lineno, raw in raw_lines(stream, source, before):
        if lineno == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        yield lineno, decode_line(raw, source, lineno)


def read_text(stream: BinaryIO, source: str) -> str:
    """The whole stream as text (BOM dropped), with a line number on a decoding error; read
    in pieces, stopping at the first NUL byte (/dev/zero is refused at once)."""
    pieces: list[bytes] = []
    while piece := stream.read(_PIECE * 16):
        if b"\x00" in piece:
            before = b"".join(pieces)
            lineno = before.count(b"\n") + piece.count(b"\n", 0, piece.index(b"\x00")) + 1
            raise _nul(source, lineno)
        pieces.append(piece)
    data = b"".join(pieces)
    del pieces
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        lineno = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        bad = data[err.start : err.start + 1].hex()
        raise PublistError(
            f"not UTF-8 text (byte 0x{bad} at column {column})", source, lineno
        ) from None
    return text
