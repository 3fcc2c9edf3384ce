"""The CSL-JSON reader streams an array a piece at a time: the same items, warnings and errors
as reading the file whole (a stream that cannot seek is read whole, as before)."""

from __future__ import annotations

import io
import json

import pytest

import publist
from publist.errors import PublistError
from publist.formats import csljson


class Unseekable(io.BytesIO):
    def seekable(self) -> bool:
        return False


def items(count: int = 60) -> list[dict]:
    out = []
    for i in range(count):
        item = {"id": f"k{i}", "type": "article-journal", "title": f"T{i} \u00e9\u4e2d 🙂"}
        if i % 3 == 0:
            item["volume"] = i  # a number: kept
            item["DOI"] = f"https://doi.org/10.1/{i}"  # read as the bare DOI
        if i % 5 == 0:
            item["publisher"] = 2000 + i  # a number where text is due: a warning
        if i % 7 == 0:
            item["author"] = [{"family": "Müller", "given": "Jürgen"}] * (i % 4 + 1)
        out.append(item)
    return out


def read_both(data: bytes) -> tuple[object, object]:
    def read(stream: io.BytesIO) -> object:
        try:
            collection = csljson.read_csl_json(stream, "x.json")
            return collection.to_list(), collection.warnings
        except PublistError as err:
            return str(err)

    return read(io.BytesIO(data)), read(Unseekable(data))


@pytest.mark.parametrize("piece", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_streamed_as_read_whole(monkeypatch, piece, indent):
    monkeypatch.setattr(csljson, "_PIECE_BYTES", piece)
    data = b"\xef\xbb\xbf" + json.dumps(items(), indent=indent, ensure_ascii=False).encode()
    streamed, whole = read_both(data)
    assert streamed == whole
    assert len(streamed[0]) == 60 and streamed[1]  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        " [ ] ",
        "[1,]",
        '[{"id": "a", "type": "book"}] x',
        '[{"id": "a", "type": "book"} {"id": "b"}]',
        '[{"id": "a", "type": "book"}, {"id": "b", "type": "book", "title": ["x"]}]',
        '{"a": {"type": "book"}}',
        '{"id": "a", "type": "book"}',
        '[{"id": "a", "type": "book", "volume": NaN}]',
        '[{"id": "a", "type": "book", "title": "\\ud800"}]',
        '[{"id": "a", "type": "book"}, 12',
        "",
        "[" + "1" * 5000 + "]",
    ],
)
def test_odd_inputs_as_read_whole(monkeypatch, text):
    monkeypatch.setattr(csljson, "_PIECE_BYTES", 5)
    streamed, whole = read_both(text.encode())
    assert streamed == whole


def test_bad_bytes_as_read_whole(monkeypatch):
    monkeypatch.setattr(csljson, "_PIECE_BYTES", 16)
    good = json.dumps(items(5)).encode()
    for bad in (good[:40] + b"\xff" + good[40:], good[:30] + b"\x00" + good[30:]):
        streamed, whole = read_both(bad)
        assert streamed == whole and isinstance(whole, str)


def test_a_file_streams(tmp_path, monkeypatch):
    def whole(*args: object) -> str:
        raise AssertionError("read whole")

    monkeypatch.setattr(csljson, "read_text", whole)
    monkeypatch.setattr(csljson, "_PIECE_BYTES", 100)
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items()), encoding="utf-8")
    out = io.StringIO()
    publist.write(publist.read(path), out, "csl-jsonl")
    assert len(out.getvalue().splitlines()) == 60
