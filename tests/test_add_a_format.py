"""The README's "How to add a format", followed: its module registered, used through the CLI."""

from __future__ import annotations

import json
import re

import pytest
from helpers import ROOT, SEED

import publist
from publist import registry


def walkthrough_code() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### How to add a format", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the walk-through has a python block"
    return match.group(1)


@pytest.fixture
def titles_format():
    namespace: dict[str, object] = {"__name__": "publist.formats.titles"}
    exec(compile(walkthrough_code(), "titles.py", "exec"), namespace)
    try:
        yield registry.get("titles")
    finally:
        registry.unregister("titles")


def test_the_toy_format_reads_and_writes_through_the_cli(cli, titles_format, tmp_path):
    source = tmp_path / "list.titles"
    source.write_text("Attention is all you need\n\nGemma 3 Technical Report\n", encoding="utf-8")

    listed = [line.split() for line in cli("formats").stdout.splitlines()]
    assert ["titles", "rw", ".titles", "one", "title", "per", "line"] in listed

    read = cli("convert", str(source), "-t", "csl-json")
    assert read.exit_code == 0, read.output
    assert [(i["id"], i["title"]) for i in json.loads(read.stdout)] == [
        ("title1", "Attention is all you need"),
        ("title3", "Gemma 3 Technical Report"),
    ]

    out = tmp_path / "seed.titles"
    written = cli("convert", str(SEED), "-t", "titles", "--upper", "-o", str(out), "--no-meta")
    assert written.exit_code == 0, written.output
    titles = [item["title"] for item in publist.read(SEED, meta=False)]
    assert out.read_text(encoding="utf-8").splitlines() == [t.upper() for t in titles]

    # the option is the toy format's own: other writers refuse it, as a usage error
    assert cli("convert", str(source), "-t", "bibtex", "--upper").exit_code == 2
    assert "--upper" in cli("convert", "--help").stdout

    # `publist check` runs the format's hook, at the item's line
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps([{"id": "x", "type": "article", "title": "One\nTwo", "author": []}]),
        encoding="utf-8",
    )
    problems = cli("check", str(broken)).stdout.splitlines()
    hook = "a line break in the title: written as a space in a titles file"
    assert f"{broken}:1: warning: x: {hook}" in problems


def test_the_toy_format_round_trips_through_the_api(titles_format, tmp_path):
    path = tmp_path / "a.titles"
    publist.write([{"id": "a", "type": "book", "title": "A  book\ntitle"}], path)  # by extension
    assert path.read_text(encoding="utf-8") == "A book title\n"
    assert [i["title"] for i in publist.read(path)] == ["A book title"]
