"""Entries finished (white space, markup, final punctuation) in the workers that render them
print as entries finished afterwards in this process, and remembered name conversions print
as names converted afresh.  Speed itself is measured in benchmarks/ (W1), never here."""

from __future__ import annotations

from pathlib import Path

import pytest

from publist import render as render_module
from publist.render import render_entries

NUMERIC_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="en-US">
  <info><title>publist test</title><id>publist-test</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography>
    <layout suffix="."><group delimiter=". "><text variable="citation-number"/>
      <names variable="author"><name initialize-with=". "/></names>
      <text variable="title" quotes="true"/></group></layout>
  </bibliography>
</style>"""


def _items() -> list[dict]:
    """Books by recurring authors, quoted titles ending in a mark, and records with nothing
    to print (no printed form) in every chunk, the last one's included."""
    people = [{"family": f"Doe{n % 3}", "given": "John Paul"} for n in range(3)]
    items: list[dict] = []
    for n in range(12):
        if n % 5 == 4:
            items.append({"id": f"empty{n}", "type": "book"})
            continue
        title = f"Is it {n}?" if n % 2 else f"A <i>study</i> of {n}"
        items.append({"id": f"b{n}", "type": "book", "title": title, "author": people[: n % 3 + 1]})
    return items


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("style", ["numeric", "ieee", "apa", "modern-language-association"])
def test_entries_finished_in_workers_print_as_finished_here(style, fmt, tmp_path: Path):
    if style == "numeric":
        path = tmp_path / "numeric.csl"
        path.write_text(NUMERIC_STYLE, encoding="utf-8")
        style = str(path)
    serial = render_entries(_items(), style, fmt, parallel=1)
    for workers in (2, 3):
        assert render_entries(_items(), style, fmt, parallel=workers) == serial
    if style.endswith("numeric.csl"):  # (each entry without a printed form, numbered in place)
        assert [e.text.split(".")[0] for e in serial] == [str(n) for n in range(1, 13)]


@pytest.mark.parametrize("style", ["ieee", "apa"])
def test_remembered_names_print_as_names_converted_afresh(style, monkeypatch):
    items = _items() + [
        {"id": "cjk", "type": "book", "title": "T", "author": [{"family": "李", "given": "明"}]},
        {"id": "lit", "type": "book", "title": "T", "author": [{"literal": "The Team"}]},
        {
            "id": "part",
            "type": "book",
            "title": "T",
            "author": [{"family": "van Doe", "given": "J"}],
        },
    ]
    remembered = render_entries(items, style, parallel=1)
    fresh = render_module._converted_name.__wrapped__
    monkeypatch.setattr(render_module, "_converted_name", fresh)
    assert render_entries(items, style, parallel=1) == remembered
