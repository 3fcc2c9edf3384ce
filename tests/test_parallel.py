"""Conversion on several cores: the same bytes and warnings as one process, errors with lines."""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import subprocess
import sys

import pytest
from helpers import ROOT, SEED

import publist
from publist import pipeline
from publist.errors import PublistError
from publist.formats.csljson import CslJsonLinesWriter
from publist.model import KeyPolicy

FAMILIES = ["Müller", "van der Berg", "Nguyễn", "Łukasiewicz", "O'Neil", "Smith", "García Márquez"]
GIVENS = ["Anna", "Jürgen", "Văn An", "José", "Zoë", "Jean-bastien", "Quoc V."]


def write_corpus(path, records: int = 1400, bad_record: int | None = None):
    """A seed file over several chunks: repeated base keys, particles, a character with no LaTeX
    form (ễ), an organisation, a control character, empty abstracts."""
    lines = ["Hussenot, Léonard"]
    for i in range(records):
        count = 1 + (i * 7) % 40
        names = []
        for j in range(count):
            family = FAMILIES[(i + j) % len(FAMILIES)] + ("" if j % 3 else str(j % 11))
            names.append(f"{family}, {GIVENS[(i * 3 + j) % len(GIVENS)]}")
        if i % 50 == 0:
            names.insert(0, "Gemma Team, null")
        if i == bad_record:
            names.append("Orphan")
        lines.append(f"{['Gemma', 'WARP: On the Benefits', 'Scaling'][i % 3]} {i % 13}")
        lines.append(", ".join(names))
        lines.append("" if i % 4 else f"Abstract {i} with a\x0bcontrol & 50% of {{braces}}.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def convert(path, fmt: str, **options) -> tuple[str, list[str]]:
    out = io.StringIO(newline="")
    warnings = publist.write(publist.read(path), out, fmt, **options)
    return out.getvalue(), warnings


@pytest.fixture
def pools(monkeypatch):
    """The multiprocessing contexts conversion asked for (to tell the paths apart)."""
    asked = []
    real = multiprocessing.get_context

    def spy(method=None):
        asked.append(method)
        return real(method)

    monkeypatch.setattr(pipeline.multiprocessing, "get_context", spy)
    return asked


@pytest.mark.parametrize(
    "fmt, options",
    [
        ("bibtex", {}),
        ("bibtex", {"unicode": True, "max_authors": 5}),
        ("biblatex", {}),
        ("biblatex", {"extended_names": True}),
        ("ris", {}),
        ("csl-json", {}),
        ("csl-jsonl", {}),
    ],
)
def test_workers_write_what_one_process_writes(tmp_path, monkeypatch, pools, fmt, options):
    path = write_corpus(tmp_path / "corpus.txt")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    serial, serial_warnings = convert(path, fmt, **options)
    assert pools == []
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    parallel, parallel_warnings = convert(path, fmt, **options)
    assert pools == ["fork"]
    assert parallel == serial
    assert parallel_warnings == serial_warnings
    assert "publistkey" not in parallel + "".join(parallel_warnings)  # every stand-in replaced
    if fmt == "bibtex" and not options:
        (note,) = [w for w in parallel_warnings if "no LaTeX form" in w]
        first_in = note.split("first in ")[1].rstrip(")")
        assert f"{{{first_in},\n" in parallel  # names a key of the output


def test_keys_given_out_in_input_order_across_chunks(tmp_path, monkeypatch):
    path = write_corpus(tmp_path / "corpus.txt")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    text, _ = convert(path, "csl-jsonl")
    keys = [line.split('"id":"')[1].split('"')[0] for line in text.splitlines()]
    assert len(keys) == 1400 == len(set(keys))
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    assert keys == [item["id"] for item in publist.read(path)]


def test_small_input_needs_no_workers(monkeypatch, pools):
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    text, _ = convert(SEED, "ris")
    assert pools == []  # ten records: one chunk, formatted here
    assert text.count("ER  - ") == 10


def test_overlay_makes_conversion_run_in_one_process(tmp_path, monkeypatch):
    # the overlay matches records by the keys given out before them: that is sequential
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    assert pipeline.can_run_parallel(publist.read(SEED, meta=False))
    assert not pipeline.can_run_parallel(publist.read(SEED))  # its sidecar overlay applies


def test_error_in_a_worker_names_file_and_line_and_leaves_no_file(tmp_path):
    path = write_corpus(tmp_path / "bad.txt", bad_record=900)
    out = tmp_path / "out.bib"
    result = subprocess.run(
        [sys.executable, "-m", "publist.cli", "convert", str(path), "-t", "bibtex", "-o", str(out)],
        capture_output=True,
        text=True,
        env={"PUBLIST_WORKERS": "2", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 1
    assert f"{path}:{2 + 3 * 900 + 1}: odd number of comma-separated name parts" in result.stderr
    assert result.stderr.count("error:") == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]  # no partial file left behind


def test_errors_cross_processes_with_file_and_line():
    error = pickle.loads(pickle.dumps(PublistError("bad", "list.txt", 12)))
    assert (error.message, error.source, error.line) == ("bad", "list.txt", 12)
    assert str(error) == "list.txt:12: bad"


def _dies_on_record_300(raw, source):
    if raw == 300:
        os._exit(3)  # a worker killed (by the OOM killer, say) in the middle of a chunk
    return {"id": "", "type": "article", "title": f"Record {raw}"}


def test_a_worker_that_dies_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    collection = publist.Collection(
        source="big.txt",
        keys=KeyPolicy.GENERATED,
        records=pipeline.RecordSource(iter(range(1000)), _dies_on_record_300),
    )
    with pytest.raises(PublistError, match="worker process stopped unexpectedly") as caught:
        pipeline.write_parallel(collection, CslJsonLinesWriter, io.StringIO())
    assert caught.value.source == "big.txt"


def test_a_truncated_large_file_fails_with_its_line(tmp_path, monkeypatch):
    path = write_corpus(tmp_path / "cut.txt", records=600)
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")  # last abstract gone
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    with pytest.raises(PublistError, match="truncated record") as caught:
        convert(path, "bibtex")
    assert caught.value.line == 2 + 3 * 599


_TEST_PROCESS = os.getpid()


def _exit_in_worker(chunk):
    # (map_chunks renders the first chunk in the calling process: only a worker dies)
    if os.getpid() != _TEST_PROCESS:
        os._exit(3)
    return list(chunk)


def test_a_rendering_worker_that_dies_is_an_error_not_a_hang():
    from publist.render.parallel import map_chunks

    with pytest.raises(PublistError, match="rendering worker process stopped"):
        map_chunks(_exit_in_worker, list(range(400)), 2)


def test_a_collection_partly_read_is_written_in_order(tmp_path, monkeypatch):
    path = write_corpus(tmp_path / "corpus.txt", records=600)
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    whole = [item["id"] for item in publist.read(path)]
    collection = publist.read(path)
    iterator = iter(collection)
    first = [next(iterator)["id"] for _ in range(3)]
    out = io.StringIO()
    publist.write(collection, out, "csl-jsonl")  # the rest of it
    rest = [line.split('"id":"')[1].split('"')[0] for line in out.getvalue().splitlines()]
    assert first + rest == whole  # keys continue from the records already read


def test_a_bad_workers_setting_is_a_clear_error(tmp_path):
    out = tmp_path / "out.ris"
    result = subprocess.run(
        [sys.executable, "-m", "publist.cli", "convert", str(SEED), "-t", "ris", "-o", str(out)],
        capture_output=True,
        text=True,
        env={"PUBLIST_WORKERS": "two", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 1  # bad input: exit 1, as the README promises
    assert "PUBLIST_WORKERS must be a whole number of processes, not 'two'" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def _seed_lines(records: int, seed: int) -> list[str]:
    """Seed records' lines, a few with author lines longer than a pack's text."""
    import random

    draw = random.Random(seed)
    lines = []
    for i in range(records):
        count = 5000 if draw.random() < 0.02 else draw.randint(1, 12)
        lines.append(f"Title {i}")
        lines.append(", ".join(f"Family{j}, Given" for j in range(count)))
        lines.append("" if draw.random() < 0.3 else f"Abstract {i}.")
    return lines


@pytest.mark.parametrize("seed", range(6))
def test_seed_packs_hold_the_records_line_by_line_reading_gives(seed):
    """However the lines come in blocks, the packs this process cuts for the workers unpack
    to the records, lines and all, and stay small (one long record on its own)."""
    import random

    from publist.formats import seed as seed_format

    lines = _seed_lines(300, seed)
    draw = random.Random(seed)
    blocks, at = [], 0
    while at < len(lines):  # (blocks of any size, records across their edges)
        size = draw.choice([1, 2, 5, 97, 400])
        blocks.append((at + 2, lines[at : at + size]))
        at += size
    packs = list(seed_format._record_packs(iter(blocks), "s.txt"))
    unpacked = [raw for pack in packs for raw in seed_format._unpacked(pack.data, "s.txt")]
    numbered = iter(enumerate(lines, 2))
    assert unpacked == list(seed_format._raw_records(numbered, "s.txt"))
    assert sum(pack.record_count for pack in packs) == 300
    for pack in packs:
        assert pack.record_count == len(pack.data[1]) // 3 <= pipeline.PACK_RECORDS
        assert pack.chars == sum(map(len, pack.data[1]))
        assert pack.chars <= pipeline.PACK_CHARS or pack.record_count == 1


@pytest.mark.parametrize("missing", [1, 2])
def test_seed_packs_end_with_the_truncated_records_error(missing):
    from publist.formats import seed as seed_format

    lines = _seed_lines(10, 0)[:-missing]
    blocks = iter([(2, lines[:7]), (9, lines[7:])])
    with pytest.raises(PublistError) as packed:
        list(seed_format._record_packs(blocks, "s.txt"))
    with pytest.raises(PublistError) as one_by_one:
        list(seed_format._raw_records(iter(enumerate(lines, 2)), "s.txt"))
    assert packed.value.line == one_by_one.value.line == 2 + 27
    assert str(packed.value) == str(one_by_one.value)


def test_workers_convert_long_records_and_many_blocks_as_one_process(tmp_path, monkeypatch):
    """A seed file of several read blocks (1 MB each) with author lines longer than a pack:
    the same bytes on workers."""
    path = tmp_path / "long.txt"
    path.write_text("\n".join(["Owner, Ann", *_seed_lines(1000, 7)]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 2_000_000
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    alone = convert(path, "bibtex")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    assert convert(path, "bibtex") == alone
