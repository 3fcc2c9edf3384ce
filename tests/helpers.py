"""Paths and helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hussenot-leonard.txt"
DATA = Path(__file__).resolve().parent / "data"
SEED_AUTHOR_COUNTS = [216, 10, 108, 62, 14, 7, 942, 19, 7, 10]


def seed_authors(path: Path = SEED) -> list[list[str]]:
    """The raw author tokens of each record, straight from the file (independent of publist)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [[t.strip() for t in lines[i].split(",")] for i in range(2, len(lines), 3)]


def require_tools(*tools: str) -> None:
    """Skip when a checker is missing on a developer's machine; fail in CI, where `make test`
    installs every one of them (so a broken install cannot pass as green)."""
    import os
    import shutil

    import pytest

    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        message = f"missing {', '.join(missing)}: `make test` installs them"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def require_module(name: str):
    """Import a test-extra module; as require_tools, missing fails in CI and skips elsewhere."""
    import importlib
    import os

    import pytest

    try:
        return importlib.import_module(name)
    except ImportError:
        message = f"missing {name}: `make test` installs the test extra"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def raw_citeproc(cases: list[dict], folder: Path) -> list[list[str]]:
    """Each case ({"style": name or .csl path, "format", "items"}) rendered by citeproc-py as
    it ships, in a fresh interpreter (tests/raw_citeproc.py): what a correction changes."""
    import json
    import subprocess
    import sys

    path = folder / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "raw_citeproc.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def assert_correction_needed(
    ours_entries: list[str], raw_entries: list[str], ours: str, raw: str
) -> None:
    """A correction's A/B check: publist prints ``ours``, citeproc-py as shipped does not
    (it prints ``raw``, or fails)."""
    publist_text = " ".join(ours_entries)
    raw_text = " ".join(raw_entries)
    assert ours in publist_text
    assert ours not in raw_text  # without the correction citeproc-py prints something else
    assert raw in raw_text or raw_text.startswith("ERROR"), raw_text


def person(family: str, given: str, **extra: str) -> dict:
    """A CSL-JSON name for the correction cases."""
    return {"family": family, "given": given, **extra}


def book(id_: str, title: str, authors: list[dict], year: int = 2020) -> dict:
    """A CSL-JSON book for the correction cases: only its title, names and year vary."""
    return {
        "id": id_,
        "type": "book",
        "title": title,
        "author": authors,
        "publisher": "Press",
        "issued": {"date-parts": [[year]]},
    }


ABBOTT = person("Abbott", "Anna")
ABBOTT_TAIL = [person("Oakes", "Zoë"), person("Smith", "José")]


def abbott_group(year: int = 2021) -> list[dict]:
    """Four books that read alike as "Abbott et al." until the second or third name: the
    group citeproc-js widens step by step (Chen/Gaffney split it, Ngo/Zhu each half)."""
    return [
        book(
            key, title, [ABBOTT, person(second, "Mei"), person(third, "Rahul"), *ABBOTT_TAIL], year
        )
        for key, title, second, third in (
            ("a", "One", "Chen", "Ngo"),
            ("b", "Two", "Chen", "Zhu"),
            ("c", "Three", "Gaffney", "Ngo"),
            ("d", "Four", "Gaffney", "Zhu"),
        )
    ]
