"""The RIS reader's block path gives what reading line by line gives, on every input.

A block's records are matched by one regex while they are clean (a `TY` line, tag lines, an
`ER` line, empty lines between records), and read line by line (:func:`ris._records_of`,
rispy's records) from the first place they are not; both are checked against line by line
reading of the whole block, on many random blocks made of the pieces that decide a branch
(a fixed seed: the same blocks every run), and the file cut into blocks against one block.
"""

from __future__ import annotations

import io
import random

import pytest

from publist import lines
from publist.errors import PublistError
from publist.formats import ris

LINE_PIECES = [
    "TY  - JOUR", "TY  - ", "TY  -", "TY  -x", "ER  - ", "ER  -", "ER  - x", "ER  -x",
    "AU  - Doe, J", "AU  - Roe R.", "AU  -   ", "TI  - A title ", "TI  -", "T2  - Venue",
    "UR  - http://a.org ; http://b.org;", "KW  - x", "KW  - ", "DO  - 10.1/x", "PY  - 2020",
    "DA  - 2020/05/01", "SP  - 1", "EP  - 9", "ZZ  - unknown", "Z1  - other", "AD  - addr",
    "UK  - rispy's own", "N1  - note", "C2  - 123", "M3  - doi: 10.2/y", "SN  - 1234 (ISSN)",
    "ID  - key", "ID  - key", "", "", "  ", "continued text", "\u2028 spaced \r", "tI  - x",
    "AB  - é<i>x</i>", "TI  - \x0b\x0c",
]  # fmt: skip
RAW_PIECES = [b"\xef\xbb\xbf", b"\xff", b"\x00", b"\r", b"\xc3\xa9"]


def _random_block(rng: random.Random) -> bytes:
    out = []
    for _ in range(rng.randint(0, 30)):
        if rng.random() < 0.4:  # a clean record, most of the time
            body = rng.choices([p for p in LINE_PIECES[8:33] if p[:2] != "UK"], k=rng.randint(0, 6))
            out += ["TY  - " + rng.choice(["JOUR", "CPAPER", "BOOK", "", "rprt"]), *body, "ER  - "]
            out += [""] * rng.randint(0, 2)
        else:
            out.append(rng.choice(LINE_PIECES))
    end = rng.choice(["\n", "\r\n"])
    data = (end.join(out) + rng.choice(["", end])).encode()
    if rng.random() < 0.05:
        at = rng.randint(0, len(data))
        data = data[:at] + rng.choice(RAW_PIECES) + data[at:]
    if rng.random() < 0.05:
        data = lines.BOM + data
    return data


class _Reports:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.errors: list[PublistError] = []


def _read(records_of, first: int, data: bytes) -> list:
    """Every record (its tags' first lines resolved) and message, in order; the error last."""
    reports = _Reports()
    found: list = []
    try:
        for start, ris_type, tags, tag_lines in records_of(first, data, reports):
            where = {tag: tag_lines.get(tag, start) for tag in tags or {}}
            found.append((start, ris_type, tags, where))
    except PublistError as err:
        found.append(str(err))
    return [*found, reports.warnings, [str(e) for e in reports.errors]]


def _by_blocks(first: int, data: bytes, reports: _Reports):
    return ris._block_records(first, data, True, "x.ris", reports)


def _line_by_line(first: int, data: bytes, reports: _Reports):
    numbered = ris._numbered_by_line(ris._raw_lines(data), first, "x.ris")
    return ris._general(numbered, "x.ris", reports, True)


def test_block_records_as_line_by_line() -> None:
    rng = random.Random(18)
    for _ in range(6_000):
        data, first = _random_block(rng), rng.choice([1, 7])
        assert _read(_by_blocks, first, data) == _read(_line_by_line, first, data), data


@pytest.mark.parametrize("per_block", [1, 2, 3, 16])
def test_file_cut_into_blocks_as_one_block(monkeypatch, per_block: int) -> None:
    """The items and messages of a file read in blocks (cut before `TY` lines) are those of
    the file read line by line in one go, whatever the block size."""
    from publist import pipeline

    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    rng = random.Random(per_block)
    for _ in range(300):
        data = b"\n".join(_random_block(rng) for _ in range(3))

        def read(data: bytes = data) -> list:
            collection = ris.read_ris(io.BytesIO(data), "x.ris")
            found: list = []
            try:
                found.extend(collection.located_items())
            except PublistError as err:
                found.append(str(err))
            return [*found, collection.warnings, [str(e) for e in collection.errors]]

        monkeypatch.setattr(ris, "_RECORDS_PER_BLOCK", 10**9)
        monkeypatch.setattr(ris, "_PIECE_BYTES", 1 << 30)
        whole = read()
        monkeypatch.setattr(ris, "_RECORDS_PER_BLOCK", per_block)
        monkeypatch.setattr(ris, "_PIECE_BYTES", rng.choice([7, 64, 1 << 20]))
        assert read() == whole, data


def test_rispy_unknown_tag_name_kept_in_the_note_like_any_unknown_tag() -> None:
    """``UK`` (rispy's own name for unknown tags; reading it through rispy crashed) is kept in
    the note, with the one warning an unknown tag gets."""
    data = b"TY  - JOUR\nTI  - x\nUK  - y\nUK  - z\nER  - \n"
    continued = data.replace(b"TI  - x\n", b"TI  - x\n  more\n")  # (read line by line)
    for text, line in ((data, 3), (continued, 4)):
        collection = ris.read_ris(io.BytesIO(text), "x.ris")
        (item,) = list(collection)
        assert item["note"] == "UK: y\nUK: z"
        assert collection.warnings == [f"x.ris:{line}: unknown tag 'UK': kept in the record's note"]
