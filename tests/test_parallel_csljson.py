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


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csl-json", "zotero", "csl-jsonl", "ris"])
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
    if fmt == "ris":  # its own unique keys, claimed in input order across the tasks
        ids = [line[6:] for line in written.decode().split("\r\n") if line.startswith("ID  - ")]
        assert len(set(ids)) == COUNT and ids[:2] == ["0", "k1"] and "k0a" in ids
        assert ids.index("k0a") < ids.index("k0b") and "Müller2020" in ids


CHUNK_FORMATS = [f.name for f in registry.all_formats() if f.chunk_writer is not None]


@pytest.mark.parametrize("layout", ["[]", "[\n]\n", "[\n  \n]", "\ufeff[ ]"])
def test_an_empty_array_writes_what_one_process_writes(tmp_path, layout):
    # (the workers are asked for nothing: the writer's ``empty``, not its header and footer)
    source = tmp_path / "empty.json"
    source.write_text(layout, encoding="utf-8")
    assert len(CHUNK_FORMATS) >= 7
    for fmt in CHUNK_FORMATS:
        one = convert_to_file(source, tmp_path / "out", fmt, 1)
        assert one[0] == 0 and one[3] is not None
        assert one[3] == (b"[]\n" if fmt in ("csl-json", "zotero") else b"")
        assert convert_to_file(source, tmp_path / "out", fmt, 2) == one
        assert run(["convert", str(source), "-t", fmt], 2) == (0, one[3], one[2])


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
    # the CSL-JSON writers write the ids as given: workers write them too
    assert parallel("csl-json") and parallel("zotero") and parallel("csl-jsonl")
    # RIS makes unique keys of the ids: claimed in this process, in order
    assert parallel("ris")
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


def count_cuts(monkeypatch) -> list[int]:
    cuts = [0]
    cut_packs = csljson._cut_packs

    def counted(*args):  # type: ignore[no-untyped-def]
        cuts[0] += 1
        return cut_packs(*args)

    monkeypatch.setattr(csljson, "_cut_packs", counted)
    return cuts


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_atomic_file_reads_the_array_once(tmp_path, monkeypatch, workers):
    monkeypatch.setenv(pipeline.WORKERS_ENV, workers)
    source = write_json(tmp_path / "lib.json", library(300))
    walks = count_reads(monkeypatch)
    cuts = count_cuts(monkeypatch)
    warnings = publist.convert(source, tmp_path / "o.bib", "bibtex")
    # one process decodes the items one by one; for workers the bytes are cut (no decoding)
    assert (walks[0], cuts[0]) == ((1, 0) if workers == "1" else (0, 1))
    walks_before = walks[0]
    out = io.StringIO()
    assert publist.write(publist.read(source), out, "bibtex") == warnings  # checked first
    assert walks[0] == walks_before + 2
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


# --- packs cut where an item opens a line -----------------------------------------------------
# How programs lay out CSL-JSON arrays: Zotero's export (a tab per level), citeproc-js's and
# pandoc's (two spaces), Python's json.dump with indent=1 and CR LF line ends, publist's own.
# A minified array, or one whose first item shares the `[` line, is decoded item by item.
LAYOUTS = {
    "zotero tabs": lambda items: json.dumps(items, indent="\t", ensure_ascii=False),
    "two spaces": lambda items: json.dumps(items, indent=2, ensure_ascii=False),
    "crlf": lambda items: json.dumps(items, indent=1).replace("\n", "\r\n"),
    "no indent": lambda items: json.dumps(items, indent=0),
    "minified": lambda items: json.dumps(items, separators=(",", ":")),
    "first on the [ line": lambda items: "[" + json.dumps(items, indent=2)[2:],
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_converts_on_workers_as_in_one_process(tmp_path, layout):
    source = tmp_path / "lib.json"
    source.write_bytes(LAYOUTS[layout](library()).encode())
    one = convert_to_file(source, tmp_path / "o.bib", "bibtex", 1)
    assert one[0] == 0 and one[3]
    assert convert_to_file(source, tmp_path / "o.bib", "bibtex", 2) == one


def test_the_cut_is_where_items_open_a_line():
    head = b'\xef\xbb\xbf[\n\t{\n\t\t"id": "a"'
    assert csljson._item_opening(head) == b"\n\t{"
    assert csljson._item_opening(b'[\r\n  {"id": 1}') == b"\n  {"
    assert csljson._item_opening(b'[{"id": 1}') is None  # minified
    assert csljson._item_opening(b'[\n  1,\n  {"id": 1}') is None  # not an object first
    assert csljson._item_opening(b"[\n]") is None


def nested_at_item_indent(items: list[dict], at: set[int]) -> str:
    """The array with two spaces per level, but the authors of the items ``at`` written
    each on a line of the items' own indent: a cut there falls inside an item."""
    texts = []
    for index, item in enumerate(items):
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        if index in at:
            names = ",\n".join(json.dumps(n) for n in item["author"])
            text = text.replace(json.dumps(item["author"], indent=2).replace("\n", "\n  "), "")
            text = text[:-1] + ',\n  "author": [\n  ' + names.replace("\n", "\n  ") + "\n  ]}"
        texts.append("  " + text)
    return "[\n" + ",\n".join(texts) + "\n]\n"


def count_resumes(monkeypatch) -> list[int]:
    """The first item of each resumed read (after a wrong cut), as they come."""
    resumed: list[int] = []
    resume = csljson._ArrayReading.resume

    def counted(self, first_pack):  # type: ignore[no-untyped-def]
        resumed.append(first_pack.first)
        return resume(self, first_pack)

    monkeypatch.setattr(csljson._ArrayReading, "resume", counted)
    return resumed


@pytest.mark.parametrize("at", [{3}, {700}, {1499}, {20, 21, 900}])
def test_a_wrong_cut_is_read_again_exactly(tmp_path, monkeypatch, at):
    # an item whose authors open lines at the items' indent: the cut there is wrong, the
    # worker says so, and the array is read again from that task on, item by item
    items = library()
    for index in at:
        items[index]["author"] = [{"family": f"F{n}", "given": "G"} for n in range(3)]
    source = tmp_path / "odd.json"
    source.write_text(nested_at_item_indent(items, at), encoding="utf-8")
    assert [item["title"] for item in json.loads(source.read_text())] == [
        item["title"] for item in items
    ]
    resumed = count_resumes(monkeypatch)
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    two = publist.convert(source, tmp_path / "two.bib", "bibtex")
    assert resumed and all(first <= min(at) + 1 for first in resumed[:1])
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    one = publist.convert(source, tmp_path / "one.bib", "bibtex")
    assert two == one
    assert (tmp_path / "two.bib").read_bytes() == (tmp_path / "one.bib").read_bytes()
    assert (tmp_path / "one.bib").read_text().count("{F0, G and F1, G and F2, G}") == len(at)


@pytest.mark.parametrize("damage", ["bad json", "bad utf-8", "text after the array"])
def test_a_cut_that_finds_bad_input_gives_the_one_process_error(tmp_path, damage):
    text = json.dumps(library(), indent=2).encode()
    cut = text.index(b'"Title 1000"')
    if damage == "bad json":
        text = text[:cut] + b"'Title 1000'" + text[cut + 12 :]
    elif damage == "bad utf-8":
        text = text[:cut] + b'"Title \xff"' + text[cut + 12 :]
    else:
        text += b"\n[]"
    source = tmp_path / "bad.json"
    source.write_bytes(text)
    target = tmp_path / "o.bib"
    one, two = (convert_to_file(source, target, "bibtex", w) for w in (1, 2))
    assert one == two and one[0] != 0 and one[3] is None
    assert b"bad.json" in one[2] and b"Traceback" not in one[2]


def comma_first(items: list[dict]) -> str:
    """Each item on a line that opens with its comma (as some hand-kept files are): the first
    item's line is never seen again, so no cut is found after it."""
    return "[\n  " + "\n, ".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n]\n"


def large_library(count: int, abstract_chars: int) -> list[dict]:
    items = library(count)
    for index, item in enumerate(items):
        item["abstract"] = f"Abstract {index}: " + "words " * (abstract_chars // 6)
    return items


def test_no_opening_for_a_mb_asks_for_the_rest_read_exactly():
    # (the bytes held stay a few MB, however far the layout goes on without an opening)
    data = comma_first(large_library(600, 10_000)).encode()
    assert len(data) > 5_000_000
    reads: list[int] = []

    class Counted(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            reads.append(size or -1)
            return super().read(size)

    start = data.index(b"{")
    stream = Counted(data)
    stream.seek(start)
    packs = list(csljson._cut_packs(stream, start, b"\n  {"))
    assert len(packs) == 1 and packs[0].record_count == 0
    exactly = packs[0].data
    assert exactly.items == csljson._READ_EXACTLY and exactly.offset == start
    assert (exactly.first, exactly.data) == (1, b"") and len(reads) <= 3
    with pytest.raises(pipeline.WrongCut):
        csljson._cut_items(exactly)


@pytest.mark.parametrize("layout", ["comma first", "an item of 3 MB"])
def test_a_layout_without_cuts_converts_as_in_one_process(tmp_path, monkeypatch, layout):
    if layout == "comma first":
        text = comma_first(large_library(400, 8_000))
    else:
        items = large_library(3000, 100)
        items[1700]["abstract"] = "long " * 600_000
        text = json.dumps(items, indent=2)
    source = tmp_path / "lib.json"
    source.write_text(text, encoding="utf-8")
    assert len(text) > 1_500_000
    resumed = count_resumes(monkeypatch)
    outputs = []
    for workers in ("1", "2"):
        monkeypatch.setenv(pipeline.WORKERS_ENV, workers)
        warnings = publist.convert(source, tmp_path / f"{workers}.bib", "bibtex")
        outputs.append((warnings, (tmp_path / f"{workers}.bib").read_bytes()))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].count(b"@article{") == len(json.loads(text))
    # read exactly from the first item (comma first) or from the task before the large one
    assert resumed == [1] if layout == "comma first" else len(resumed) == 1 < resumed[0] <= 1701


def open_handles(path: Path) -> int:
    """How many of this process's file descriptors are open on ``path``."""
    target = os.path.realpath(path)
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}") == target
        except OSError:
            pass
    return count


def last_pack_cut_wrong(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """An array whose last item opens a line at the items' indent inside it (its last pack is
    cut wrong), and its BibTeX converted in one process."""
    items = library()
    items[1499]["author"] = [{"family": f"F{n}", "given": "G"} for n in range(3)]
    source = tmp_path / "odd.json"
    source.write_text(nested_at_item_indent(items, {1499}), encoding="utf-8")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    expected = tmp_path / "expected.bib"
    publist.convert(source, expected, "bibtex")
    return source, expected


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_file_replaced_before_the_conversion_is_read_as_it_was(tmp_path, monkeypatch, workers):
    # (the API reads, the name gets another file, then the items are written: a wrong cut in
    # the last pack reads the array again, from the file that was read, and lets it go after)
    source, expected = last_pack_cut_wrong(tmp_path, monkeypatch)
    resumed = count_resumes(monkeypatch)
    monkeypatch.setenv(pipeline.WORKERS_ENV, workers)
    collection = publist.read(source)
    kept = tmp_path / "kept.json"
    os.rename(source, kept)
    write_json(source, library(10))
    target = tmp_path / "out.bib"
    publist.write(collection, target, "bibtex")
    assert target.read_bytes() == expected.read_bytes()
    assert len(resumed) == (workers == "2")
    assert open_handles(kept) == 0  # (closed when the conversion ended, not by a collection)


def test_a_file_replaced_during_the_run_is_read_as_it_was(tmp_path, monkeypatch):
    # a wrong cut in the last pack: the array is read again after the file was closed, and by
    # then its name is another file's; the second read is of the file that was opened
    source, expected = last_pack_cut_wrong(tmp_path, monkeypatch)
    resume = csljson._ArrayReading.resume

    def replaced_first(self, first_pack):  # type: ignore[no-untyped-def]
        other = tmp_path / "other.json"
        write_json(other, library(10))
        os.replace(other, source)
        return resume(self, first_pack)

    monkeypatch.setattr(csljson._ArrayReading, "resume", replaced_first)
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    publist.convert(source, tmp_path / "two.bib", "bibtex")
    assert (tmp_path / "two.bib").read_bytes() == expected.read_bytes()
    assert len(json.loads(source.read_text())) == 10  # (the name is the other file's now)


def cut_from(stream: io.IOBase, data: bytes) -> list[pipeline.Pack]:
    """The packs cut from ``stream`` (of ``data``), naming its file when it has one."""
    start = data.index(b"{")
    stream.seek(start)
    file = csljson._open_file(stream)  # type: ignore[arg-type]
    return list(csljson._cut_packs(stream, start, b"\n {", file))  # type: ignore[arg-type]


def test_packs_of_a_file_travel_as_their_place_in_it(tmp_path):
    # (a worker reads its pack from the descriptor it inherited: no bytes go down the pipe)
    source = write_json(tmp_path / "lib.json", large_library(300, 1000))
    data = source.read_bytes()
    with source.open("rb") as stream:
        packs = cut_from(stream, data)
        assert len(packs) > 3
        assert all(pack.data.data == b"" and pack.data.file is not None for pack in packs)
        decoded = [value for pack in packs for _, value in csljson._cut_items(pack.data)]
    assert decoded == json.loads(data)
    in_memory = cut_from(io.BytesIO(data), data)  # (no file: the pack holds its bytes)
    assert [pack.data.data for pack in in_memory] == [
        data[pack.data.offset : pack.data.offset + pack.data.size] for pack in packs
    ]


@pytest.mark.parametrize("change", ["truncated", "another file on the descriptor"])
def test_a_pack_whose_file_changed_is_a_wrong_cut(tmp_path, change):
    source = write_json(tmp_path / "lib.json", large_library(300, 1000))
    data = source.read_bytes()
    with source.open("rb") as stream:
        last = cut_from(stream, data)[-1].data
        if change == "truncated":
            os.truncate(source, len(data) - 10)
        else:
            other = write_json(tmp_path / "other.json", large_library(300, 1000))
            with other.open("rb") as replacement:
                os.dup2(replacement.fileno(), stream.fileno())
        with pytest.raises(pipeline.WrongCut):
            csljson._cut_items(last)


def test_a_wrong_cut_after_a_pack_with_warnings_warns_once(tmp_path):
    # too few items for workers: the one task runs in this process, which formats a pack
    # before it meets the wrong cut in the last; the warnings of that pack come once
    items = large_library(100, 1500)
    items[0]["title"] = 2024  # a number where text is due: a warning
    items[99]["author"] = [{"family": f"F{n}", "given": "G"} for n in range(3)]
    source = tmp_path / "odd.json"
    source.write_text(nested_at_item_indent(items, {99}), encoding="utf-8")
    one, two = (convert_to_file(source, tmp_path / "o.bib", "bibtex", w) for w in (1, 2))
    assert one == two and one[0] == 0
    assert one[2].count(b"the number 2024 taken as text") == 1
