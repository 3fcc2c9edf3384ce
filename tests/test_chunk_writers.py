"""Every registered chunk writer keeps the contract a parallel conversion relies on.

(The contract is written in :class:`publist.pipeline.ChunkWriter`'s docstring.)  A worker
formats items under stand-in ids and this process puts the real keys in their place, so for
each writer: chunk sizes do not change the text, stand-ins renamed give the text the real ids
give, the chunk writer writes what the format's serial writer writes, and reports pickle.
"""

from __future__ import annotations

import copy
import io
import pickle
import re
from typing import Any

import pytest

from publist import registry
from publist.model import Collection, Item
from publist.pipeline import write_chunks

ITEMS: list[Item] = [
    {
        "id": "hussenot2024graphs",
        "type": "article-journal",
        "title": "Graphs of {Early} Modern Correspondence",
        "author": [
            {"family": "Hussenot", "given": "Léonard"},
            {"family": "van der Berg", "given": "Jan", "non-dropping-particle": "van der"},
            {"literal": "The ACME Consortium"},
        ],
        "container-title": "Journal of Networks",
        "volume": "12",
        "page": "101-120",
        "issued": {"date-parts": [[2024, 3]]},
        "DOI": "10.1234/jn.2024.12",
    },
    {
        "id": "ramewarp",
        "type": "book",
        "title": "Warp & Weft: Ramé's loom",
        "author": [{"family": "Ramé", "given": "Zoë"}],
        "publisher": "Presses de l'Université",
        "issued": {"date-parts": [[2019]]},
    },
    {
        "id": "doe2021talk",
        "type": "paper-conference",
        "title": "A talk — with an en dash – and 50% of the symbols",
        "author": [{"family": "Doe", "given": "J."}],
        "container-title": "Proceedings of Things",
        "URL": "https://example.org/talk?x=1&y=2",
        "issued": {"date-parts": [[2021, 6, 2]]},
    },
]
STAND_IN = "publistkey0123456789abcdef"
STAND_IN_RE = re.compile(STAND_IN + r"\d{9}(\d{6})")


def _option_value(option: Any) -> Any:
    """A value of the option's kind that changes the output of the test items."""
    if option.kind is bool:
        return True
    if option.kind is tuple:
        return ("Gemma", "Gemini")
    return (option.minimum or 1) + 1


def _option_sets(fmt: registry.Format) -> list[dict[str, Any]]:
    sets: list[dict[str, Any]] = [{}]
    for option in fmt.options:
        sets.append({option.name: _option_value(option)})
    return sets


CASES = [
    pytest.param(fmt, options, id=f"{fmt.name}-{'-'.join(options) or 'defaults'}")
    for fmt in registry.all_formats()
    if fmt.chunk_writer is not None
    for options in _option_sets(fmt)
]


def test_every_writer_that_streams_is_a_chunk_writer():
    names = {case.values[0].name for case in CASES}
    assert {"bibtex", "biblatex", "csl-json", "csl-jsonl", "ris"} <= names


def _write(make_writer: Any, items: list[Item], size: int) -> str:
    out = io.StringIO(newline="")
    write_chunks(make_writer(), Collection(copy.deepcopy(items)), out, size=size)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "options"), CASES)
def test_chunk_writer_contract(fmt: registry.Format, options: dict[str, Any]) -> None:
    assert fmt.chunk_writer is not None and fmt.writer is not None

    def make_writer() -> Any:
        return fmt.chunk_writer(**options)

    whole = _write(make_writer, ITEMS, 64)
    assert all(item["id"] in whole for item in ITEMS)
    # chunk boundaries do not show
    assert _write(make_writer, ITEMS, 1) == whole
    # the format's serial writer writes the same text
    serial = io.StringIO(newline="")
    fmt.writer(Collection(copy.deepcopy(ITEMS)), serial, **options)
    assert serial.getvalue() == whole
    # what a worker does: format under stand-ins; the parent renames them in the text
    writer, parent = make_writer(), make_writer()
    stand_ins = copy.deepcopy(ITEMS)
    for i, item in enumerate(stand_ins):
        item["id"] = f"{STAND_IN}{0:09d}{i:06d}"
    text = writer.format(stand_ins)
    report = pickle.loads(pickle.dumps(writer.take_report()))
    assert text.count(STAND_IN) >= len(ITEMS)  # every id written, as given

    def rename(found: str) -> str:
        return STAND_IN_RE.sub(lambda m: ITEMS[int(m.group(1))]["id"], found)

    parent.absorb(report, rename)
    assert parent.header + rename(text) + parent.footer == whole
    assert STAND_IN not in " ".join(parent.notes())
    assert parent.notes() == _notes(make_writer, ITEMS)


def _notes(make_writer: Any, items: list[Item]) -> list[str]:
    writer = make_writer()
    writer.format(copy.deepcopy(items))
    return writer.notes()
