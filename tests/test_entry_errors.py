"""An input with an entry that cannot be read writes nothing (exit 1) unless --skip-bad.

A .bib or RIS file keeps being read past a bad entry, so that every bad entry is reported at
once (file and line each); but a file missing some of its entries must not pass for the
converted file — not on disk, and not on standard output either (``> out.bib`` keeps what was
printed).  ``--skip-bad`` writes the entries that could be read and reports the others.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parent.parent / "src")

# two good records around one without its ER line (Zotero-shaped RIS)
BAD_RIS = (
    "TY  - JOUR\nAU  - Smith, Jane\nTI  - First title\nPY  - 2020\nER  - \n\n"
    "TY  - JOUR\nAU  - Doe, John\nTI  - No end\n\n"
    "TY  - BOOK\nAU  - Roe, Rita\nTI  - Third title\nPY  - 2021\nER  - \n"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, "-m", "publist.cli", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture
def bad_ris(tmp_path: Path) -> Path:
    path = tmp_path / "refs.ris"
    path.write_text(BAD_RIS, encoding="utf-8")
    return path


@pytest.mark.parametrize("to", ["bibtex", "csl-json", "ris"])
def test_convert_to_stdout_prints_nothing(bad_ris: Path, to: str) -> None:
    result = run("convert", str(bad_ris), "-t", to, cwd=bad_ris.parent)
    assert result.returncode == 1
    assert result.stdout == b""
    err = result.stderr.decode()
    assert f"{bad_ris}:7: record has no `ER  - ` line" in err
    assert "1 entry could not be read: nothing written" in err
    assert "Traceback" not in err


def test_convert_to_stdout_with_skip_bad_prints_the_rest(bad_ris: Path) -> None:
    result = run("convert", str(bad_ris), "-t", "csl-json", "--skip-bad", cwd=bad_ris.parent)
    assert result.returncode == 0, result.stderr
    titles = [item["title"] for item in json.loads(result.stdout)]
    assert titles == ["First title", "Third title"]
    assert "1 entry skipped (--skip-bad)" in result.stderr.decode()


def test_good_input_to_stdout_is_unchanged(tmp_path: Path) -> None:
    """Held until the end, the output is the same bytes as written to a file."""
    good = tmp_path / "good.ris"
    good.write_text(BAD_RIS.replace("TI  - No end\n", "TI  - No end\nER  - \n"), "utf-8")
    printed = run("convert", str(good), "-t", "bibtex", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    written = run("convert", str(good), "-t", "bibtex", "-o", "out.bib", cwd=tmp_path)
    assert written.returncode == 0
    assert printed.stdout == (tmp_path / "out.bib").read_bytes()
    assert printed.stdout.count(b"@article") == 2


def test_render_and_cv_write_nothing(bad_ris: Path) -> None:
    folder = bad_ris.parent
    for command in (
        ["render", str(bad_ris), "-s", "apa"],
        ["cv", str(bad_ris), "--owner", "Smith, Jane"],
    ):
        result = run(*command, "-o", "out.txt", cwd=folder)
        assert result.returncode == 1, command
        assert not (folder / "out.txt").exists(), command
        assert "nothing written" in result.stderr.decode()
        skipped = run(*command, "-o", "out.txt", "--skip-bad", cwd=folder)
        assert skipped.returncode == 0, skipped.stderr
        text = (folder / "out.txt").read_text(encoding="utf-8")
        assert "First title" in text and "Third title" in text and "No end" not in text
        (folder / "out.txt").unlink()


def test_hugo_writes_no_folder(bad_ris: Path) -> None:
    folder = bad_ris.parent
    result = run("hugo", str(bad_ris), "-o", "site", cwd=folder)
    assert result.returncode == 1
    assert not (folder / "site").exists()
    skipped = run("hugo", str(bad_ris), "-o", "site", "--skip-bad", cwd=folder)
    assert skipped.returncode == 0, skipped.stderr
    assert len([p for p in (folder / "site").iterdir() if p.is_dir()]) == 2


def test_duplicate_bibtex_key_writes_nothing(tmp_path: Path) -> None:
    """A duplicate key would lose the second entry: said, and nothing written."""
    source = tmp_path / "refs.bib"
    source.write_text(
        "@article{smith2020, title = {One}, year = 2020}\n\n"
        "@article{smith2020, title = {Two}, year = 2020}\n",
        encoding="utf-8",
    )
    result = run("convert", str(source), "-t", "ris", "-o", "out.ris", cwd=tmp_path)
    assert result.returncode == 1
    assert f"{source}:3: duplicate key 'smith2020' (the first is kept)" in result.stderr.decode()
    assert not (tmp_path / "out.ris").exists()
