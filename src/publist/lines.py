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


def raw_lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes with the line end)``, read in bounded pieces."""
    lineno = 0
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
    for lineno, raw in raw_lines(stream, source):
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
