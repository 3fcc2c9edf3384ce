"""The parallel conversion's tasks: keys put in place of stand-ins, bytes written as they come."""

from __future__ import annotations

import io

import pytest
from test_parallel import write_corpus

import publist
from publist import pipeline
from publist.pipeline import _with_keys

STAND_IN = "publistkey0123456789abcdef"


def stand_in(task: int, index: int) -> str:
    return f"{STAND_IN}{task:09d}{index:06d}"


@pytest.mark.parametrize("as_bytes", [False, True])
def test_each_stand_in_becomes_the_key_of_its_index(as_bytes):
    text = f"@a{{{stand_in(7, 1)},\n}} {stand_in(7, 0)}: x{stand_in(7, 1)}\n"
    keys = ["first", "second"]
    if as_bytes:
        got = _with_keys(text.encode(), STAND_IN.encode(), [k.encode() for k in keys])
        assert got == b"@a{second,\n} first: xsecond\n"
    else:
        assert _with_keys(text, STAND_IN, keys) == "@a{second,\n} first: xsecond\n"
    assert _with_keys("no stand-in", STAND_IN, keys) == "no stand-in"


def test_task_sizes_grow_to_the_limit_and_keep_every_record():
    sizes = [
        sum(map(len, task)) for task in pipeline._tasks(pipeline._chunk_packs(iter(range(5000))))
    ]
    assert sizes[:5] == [64, 128, 256, 512, 1024]
    assert max(sizes) == pipeline.TASK_RECORDS
    assert sum(sizes) == 5000


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json", "ris"])
def test_workers_writing_bytes_write_what_one_process_writes(tmp_path, monkeypatch, fmt):
    path = write_corpus(tmp_path / "corpus.txt", records=3000)
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    serial = io.BytesIO()
    serial_warnings = publist.write(publist.read(path), serial, fmt)
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    for dest in (io.BytesIO(), tmp_path / f"out.{fmt}"):
        warnings = publist.write(publist.read(path), dest, fmt)
        written = dest.getvalue() if isinstance(dest, io.BytesIO) else dest.read_bytes()
        assert written == serial.getvalue()
        assert warnings == serial_warnings


def test_tasks_of_long_records_stay_small():
    """Long records (a hundred authors): a task ends once it holds TASK_CHARS, in whole chunks."""
    record = (1, "Title", 2, "Family, Given, " * 100, "")
    size = sum(len(part) for part in record if isinstance(part, str))
    packs = pipeline._chunk_packs(iter([record] * 3000))
    sizes = [sum(map(len, task)) for task in pipeline._tasks(packs)]
    assert sizes[0] == pipeline.CHUNK_RECORDS
    assert all(n % pipeline.CHUNK_RECORDS == 0 for n in sizes[:-1])
    assert max(sizes) < pipeline.TASK_RECORDS
    assert max(sizes) * size < pipeline.TASK_CHARS + pipeline.CHUNK_RECORDS * size
    assert sum(sizes) == 3000
