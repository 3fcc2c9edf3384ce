"""A CSL-JSON array converts on workers with the output, warnings and errors of one process.

The parent finds each item's JSON text, workers decode, check and format it, and the keys a
writer makes of the input's ids (BibTeX's safe, unique keys) are claimed by the parent in input
order.  Written to a file (atomic), the array is read once, each item checked as it is handed
out; to standard output it is checked whole first, as before.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import publist
from publist import pipeline, registry
from publist.formats import csljson

SRC = Path(__file__).resolve().parents[1] / "src"
COUNT = 1500  # several tasks on each of two workers


def library(count: int = COUNT) -> list[dict]:
    """Items with what the key protocol and the reader's checks must carry over: ids repeated
    across tasks, ids BibTeX cannot take as they are, numbers where text is due, DOIs as links,
    characters with no LaTeX form."""
    unsafe = ["a key", "{braced}", "x,y", "Müller2020", "trailing_", "", "ÅÅ", "a  key"]
    out = []
    for i in range(count):
        item: dict = {"id": f"k{i % 400}", "type": "article-journal", "title": f"Title {i}"}
        if i % 9 == 0:
            item["id"] = unsafe[(i // 9) % len(unsafe)] or "item"
        if i % 13 == 0:
            item["id"] = i  # a number
        if i % 5 == 0:
            item["publisher"] = 1900 + i  # a number where text is due: a warning
        if i % 7 == 0:
            item["DOI"] = f"https://doi.org/10.1000/X{i}"
        if i % 11 == 0:
            item["author"] = [{"family": "Ωmega ☃", "given": "Zoë"}]
        if i % 17 == 0:
            item["volume"] = i
        out.append(item)
    return out


def run(args: list[str], workers: int, stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC), pipeline.WORKERS_ENV: str(workers)}
    done = subprocess.run(
        [sys.executable, "-m", "publist.cli", *args],
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def convert_to_file(source: Path, target: Path, fmt: str, workers: int) -> tuple:
    code, stdout, stderr = run(["convert", str(source), "-t", fmt, "-o", str(target)], workers)
    written = target.read_bytes() if target.exists() else None
    if target.exists():
        target.unlink()
    return code, stdout, stderr, written


def write_json(path: Path, items: object, indent: int | None = 1) -> Path:
    path.write_text(json.dumps(items, indent=indent, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csl-json", "ris"])
def test_same_output_and_warnings_on_one_or_two_workers(tmp_path, fmt):
    source = write_json(tmp_path / "lib.json", library())
    target = tmp_path / "out"
    one = convert_to_file(source, target, fmt, 1)
    two = convert_to_file(source, target, fmt, 2)
    assert one == two
    code, _, stderr, written = one
    assert code == 0 and written
    # to standard output (the array checked whole first): the same again
    assert run(["convert", str(source), "-t", fmt], 2) == (0, written, stderr)
    assert run(["convert", str(source), "-t", fmt], 1) == (0, written, stderr)
    assert b"the number 1900 taken as text" in stderr
    if fmt == "bibtex":
        text = written.decode()
        assert "citation key 'k0' written as 'k0a'" in stderr.decode()
        assert "@article{a_key," in text and "@article{a_keya," in text
        assert "{Muller2020," in text and "doi = {10.1000/X7}" in text


def test_bibtex_keys_claimed_in_input_order(tmp_path):
    # the same id in every task: its suffixes follow the input order, not the workers'
    items = [{"id": "same id", "type": "book", "title": f"T{i}"} for i in range(COUNT)]
    source = write_json(tmp_path / "same.json", items)
    code, _, stderr, written = convert_to_file(source, tmp_path / "o.bib", "bibtex", 2)
    assert code == 0 and written is not None
    keys = [line[len("@book{") : -1] for line in written.decode().splitlines() if line[:1] == "@"]
    assert keys[:3] == ["same_id", "same_ida", "same_idb"] and len(set(keys)) == COUNT
    assert keys == [line.split("'")[3] for line in stderr.decode().splitlines()]
    assert convert_to_file(source, tmp_path / "o.bib", "bibtex", 1) == (code, b"", stderr, written)


def bad_late(tmp_path: Path, broken_json_after: bool = False) -> Path:
    items = library()
    items[1234]["title"] = ["not", "text"]
    text = json.dumps(items, indent=1)
    if broken_json_after:  # invalid JSON further on: the whole read names that first
        cut = text.rindex('"Title 1400"')
        text = text[:cut] + "'Title 1400'" + text[cut + len('"Title 1400"') :]
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("broken_json_after", [False, True])
def test_an_invalid_item_late_in_the_file(tmp_path, broken_json_after):
    source = bad_late(tmp_path, broken_json_after)
    target = tmp_path / "out.bib"
    results = [convert_to_file(source, target, "bibtex", w) for w in (1, 2)]
    results.append(run(["convert", str(source), "-t", "bibtex"], 2)[:3] + (None,))
    for code, stdout, stderr, written in results:
        assert code != 0 and written is None and stdout == b""
        assert b"Traceback" not in stderr
    assert len({result[2] for result in results}) == 1
    message = results[0][2].decode()
    if broken_json_after:
        assert "invalid JSON" in message and "bad.json:" in message
    else:
        assert f"{source}: item 1235 (k34): title: must be text, not a list" in message
    assert list(tmp_path.iterdir()) == [source]  # no output file, no .part left


def test_not_an_array(tmp_path):
    items = {str(i): {"type": "book", "title": f"T{i}", "edition": i} for i in range(300)}
    source = write_json(tmp_path / "keyed.json", items)
    one = convert_to_file(source, tmp_path / "o.bib", "bibtex", 1)
    assert one == convert_to_file(source, tmp_path / "o.bib", "bibtex", 2)
    assert one[0] == 0 and one[3] and b"@book{299," in one[3]


def test_standard_input_read_whole(tmp_path):
    data = json.dumps(library()).encode()
    one = run(["convert", "-", "-f", "csl-json", "-t", "bibtex"], 1, stdin=data)
    two = run(["convert", "-", "-f", "csl-json", "-t", "bibtex"], 2, stdin=data)
    assert one == two and one[0] == 0
    # (the warnings name the file, not standard input)
    source = write_json(tmp_path / "lib.json", library(), indent=None)
    assert convert_to_file(source, tmp_path / "o.bib", "bibtex", 2)[3] == one[1]


def test_which_writers_convert_input_ids_on_workers(tmp_path, monkeypatch):
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    source = write_json(tmp_path / "lib.json", library(10))

    def parallel(fmt: str) -> bool:
        return pipeline.can_run_parallel(publist.read(source), registry.get(fmt).chunk_writer)

    assert parallel("bibtex") and parallel("biblatex")
    # RIS makes unique keys of the ids on its own (no deferred claim): one process
    assert not parallel("ris")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    assert not parallel("bibtex")


def count_reads(monkeypatch) -> list[int]:
    walks = [0]
    walk = csljson._ArrayItems._walk

    def counted(self, value):  # type: ignore[no-untyped-def]
        walks[0] += 1
        return walk(self, value)

    monkeypatch.setattr(csljson._ArrayItems, "_walk", counted)
    return walks


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_atomic_file_reads_the_array_once(tmp_path, monkeypatch, workers):
    monkeypatch.setenv(pipeline.WORKERS_ENV, workers)
    source = write_json(tmp_path / "lib.json", library(300))
    walks = count_reads(monkeypatch)
    warnings = publist.convert(source, tmp_path / "o.bib", "bibtex")
    assert walks[0] == 1
    out = io.StringIO()
    assert publist.write(publist.read(source), out, "bibtex") == warnings  # checked first
    assert walks[0] == 3
    assert out.getvalue() == (tmp_path / "o.bib").read_text(encoding="utf-8")


def test_one_pass_gives_the_errors_of_a_whole_read(tmp_path):
    source = bad_late(tmp_path)
    messages = []
    for late in (True, False):
        collection = publist.read(source)
        if late:
            collection.allow_late_errors()
        with pytest.raises(publist.PublistError) as caught:
            collection.to_list()
        messages.append(str(caught.value))
    with open(source, "rb") as stream, pytest.raises(publist.PublistError) as whole:
        csljson._whole_read(stream, str(source))
    assert messages == [str(whole.value)] * 2
