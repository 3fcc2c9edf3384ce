"""Reading .bib, RIS and CSL-JSON on several cores: the same items, warnings and errors, in
the same order, as one process.

The inputs are small but cut into many runs (the readers' run sizes are patched down), and
hold what the parallel path must carry across runs: ``@string`` macros defined in one run and
used in later ones, crossref and xdata parents in other runs, duplicate keys and entries
without a key across runs, unknown LaTeX commands (reported once per file), fields with no CSL
variable, text outside entries, malformed entries, RIS tags with no CSL variable (one warning
per tag and file) and records without IDs.
"""

from __future__ import annotations

import io
import multiprocessing

import pytest

import publist
from publist import lines, pipeline
from publist.errors import PublistError
from publist.formats import bibtex_scan, ris

ENTRY_KINDS = 9


def _bib_entry(i: int) -> str:
    kind = i % ENTRY_KINDS
    if kind == 0:
        return f"@string{{j{i} = {{Journal {i}}}}}\n"
    if kind == 1:
        return f"@book{{parent{i}, title = {{Parent {i}}}, publisher = {{P}}, year = 2001}}\n"
    if kind == 2:
        return (
            f'@inbook{{child{i}, crossref = {{parent{i - 1}}}, author = {{M{{\\"u}}ller, Jürgen'
            f" and {{\\O}}degård, Ole}}, pages = {{1--2}}, title = {{Ch {i} \\mystery{{x}}}}}}\n"
        )
    if kind == 3:
        return (
            f"@article{{dup{i // 30}, title = {{T {i}}}, journal = j{i - 3}, weird{i % 2} = x}}\n"
        )
    if kind == 4:
        return f"@misc{{, title = {{No key {i // 20}}}, author = {{Smith, Anna and others}}}}\n"
    if kind == 5:
        return f"stray = {{{i}}}\n@article{{a{i}, title = {{$\\alpha$ \\emph{{x}} \\other}}}}\n"
    if kind == 6:
        return f"@xdata{{x{i}, publisher = {{X {i}}}}}\n@book{{b{i}, xdata = {{x{i}}}}}\n"
    if kind == 7:
        return f"@article{{m{i}, title = {{Broken {i}}} year = 2020}}\n"  # malformed: skipped
    return (
        f"@article{{ok{i},\n  title = {{Fine {i}}},\n  % a comment\n  year = {{{1990 + i}}}\n}}\n"
    )


def bib_text(entries: int = 400) -> str:
    return "% a file\n" + "".join(_bib_entry(i) for i in range(entries))


def ris_text(records: int = 300) -> str:
    out = []
    for i in range(records):
        lines = ["TY  - JOUR", f"TI  - Title {i % 17}", f"AU  - Family{i % 5}, Given"]
        if i % 3:
            lines.append(f"ID  - key{i % 40}")
        if i % 7 == 0:
            lines.append(f"Z{i % 3}  - custom {i}")
        if i % 11 == 0:
            lines.append("XY  - unknown")
        if i % 16 != 15 and i != records - 1:  # some records never end: at a block's end too
            lines.append("ER  - ")
        out.append("\n".join(lines))
        if i % 50 == 0:
            out.append("text between records")
    return "\n".join(out) + "\n"


@pytest.fixture
def pools(monkeypatch):
    asked = []
    real = multiprocessing.get_context

    def spy(method=None):
        asked.append(method)
        return real(method)

    monkeypatch.setattr(pipeline.multiprocessing, "get_context", spy)
    return asked


def convert(path, fmt: str) -> tuple[str, list[str], list[str]]:
    collection = publist.read(path)
    out = io.StringIO(newline="")
    warnings = publist.write(collection, out, fmt, skip_bad=True)  # (errors compared too)
    return out.getvalue(), list(warnings), [str(e) for e in collection.errors]


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex", "ris"])
def test_bib_read_on_workers_as_in_one_process(tmp_path, monkeypatch, pools, fmt):
    monkeypatch.setattr(bibtex_scan, "_BLOCKS_PER_CHUNK", 7)
    path = tmp_path / "lib.bib"
    path.write_text(bib_text(), encoding="utf-8")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    serial = convert(path, fmt)
    assert pools == []
    monkeypatch.setenv(pipeline.WORKERS_ENV, "3")
    parallel = convert(path, fmt)
    assert "fork" in pools
    assert parallel == serial
    text, warnings, errors = serial
    # what the runs had to carry across: each kind is there
    assert any("unknown LaTeX command \\mystery" in w for w in warnings)
    assert sum("unknown LaTeX command \\mystery" in w for w in warnings) == 1
    assert any("entry without a key" in w for w in warnings)
    assert any("duplicate key" in e for e in errors)
    assert any("malformed entry" in e for e in errors)
    assert "Journal 0" in text and "Parent 1" in text  # a macro, a crossref parent inherited


def test_ris_read_on_workers_as_in_one_process(tmp_path, monkeypatch, pools):
    monkeypatch.setattr(ris, "_RECORDS_PER_BLOCK", 16)
    path = tmp_path / "lib.ris"
    path.write_text(ris_text(), encoding="utf-8")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "1")
    serial = convert(path, "csl-json")
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    parallel = convert(path, "csl-json")
    assert "fork" in pools
    assert parallel == serial
    text, warnings, errors = serial
    assert sum("unknown tag 'XY'" in w for w in warnings) == 1  # once per file
    assert any("text outside a record" in w for w in warnings)
    assert any("before the next `TY`" in e for e in errors) and "(file ends)" in errors[-1]
    assert '"id": "key1a"' in text  # a repeated ID, made unique across blocks


def test_ris_errors_on_workers_as_in_one_process(tmp_path, monkeypatch):
    """A line too long late in the file and a bad byte earlier: the bad byte is the error, as
    one process reads them, though the workers read the earlier block while this process has
    read past it."""
    monkeypatch.setattr(ris, "_RECORDS_PER_BLOCK", 16)
    monkeypatch.setattr(lines, "MAX_LINE_BYTES", 200_000)
    text = ris_text().encode()
    cut = text.index(b"TI  - Title", len(text) // 5)
    long_line = b"N1  - " + b"x" * 300_000 + b"\n"
    path = tmp_path / "bad.ris"
    for data in (text[:cut] + b"TI  - \xff\n" + text[cut:] + long_line, text + long_line):
        path.write_bytes(data)
        found = []
        for workers in ("1", "2"):
            monkeypatch.setenv(pipeline.WORKERS_ENV, workers)
            with pytest.raises(PublistError) as err:
                convert(path, "csl-json")
            found.append(str(err.value))
        assert found[0] == found[1]
