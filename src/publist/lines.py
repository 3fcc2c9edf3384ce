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


def numbered_lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for every line; one final line end does not start a line."""
    for lineno, raw in enumerate(stream, start=1):
        if lineno == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        yield lineno, decode_line(raw, source, lineno)


def read_text(stream: BinaryIO, source: str) -> str:
    """The whole stream as text (BOM dropped), with a line number on a decoding error."""
    data = stream.read()
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
    if "\x00" in text:
        lineno = text.count("\n", 0, text.index("\x00")) + 1
        raise PublistError("binary data (NUL byte): not a text file", source, lineno)
    return text
