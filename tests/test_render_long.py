"""Long generated bibliographies (tests/long_corpus.py) stand in citeproc-js's order: every
entry at the same position, in apa, ieee and chicago-author-date (citeproc-js run live by
tests/conformance/render_js.js)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import require_tools

sys.path.insert(0, str(Path(__file__).parent / "conformance"))
from generate import ensure_node_tools  # noqa: E402
from long_corpus import long_corpus

from publist.render import render_entries
from publist.render.styles import resolve

HERE = Path(__file__).resolve().parent
ITEMS = 400


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    require_tools("node", "npm")
    ensure_node_tools()  # citeproc-js from tests/conformance/package-lock.json, on first use
    folder = tmp_path_factory.mktemp("long")
    items = long_corpus(ITEMS)
    path = folder / "items.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return folder, path, items


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-author-date"])
def test_long_bibliography_in_citeproc_js_order(corpus, style):
    import citeproc

    folder, path, items = corpus
    style_path = folder / f"{style}.csl"
    style_path.write_bytes(resolve(style).xml)
    locales = Path(citeproc.__file__).parent / "data" / "locales"
    run = subprocess.run(
        [
            "node",
            str(HERE / "conformance" / "render_js.js"),
            str(path),
            str(style_path),
            str(locales),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    expected = json.loads(run.stdout)["order"]
    ours = [entry.id for entry in render_entries(items, style)]
    assert len(ours) == ITEMS
    misplaced = [i for i, (a, b) in enumerate(zip(ours, expected, strict=True)) if a != b]
    assert not misplaced, f"{len(misplaced)} entries out of place, first at {misplaced[0]}"
