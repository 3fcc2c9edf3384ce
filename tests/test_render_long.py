"""Long generated bibliographies (tests/long_corpus.py) against citeproc-js, run live (one
node run for the ten conformance styles, tests/conformance/render_styles.js): in every style
the entries at the same position and the entries identical as text and as HTML are at least
the floor kept in tests/conformance/long-floor.json for the full 2,000 items (``make long``
prints the figures, ``long_compare.py --raise-floor`` raises the floor); all ten styles are at
2,000 of 2,000, so a single entry out of place or printed differently fails."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import require_tools

sys.path.insert(0, str(Path(__file__).parent / "conformance"))
from generate import STYLES  # noqa: E402
from long_compare import FLOOR_FILE, citeproc_js, compare_style, without_metadata  # noqa: E402
from long_corpus import long_corpus

ITEMS = 2000  # the size: every style is at 2,000 of 2,000


@pytest.fixture(scope="module")
def expected() -> tuple[list[dict], dict[str, dict]]:
    require_tools("node", "npm")
    items = long_corpus(ITEMS)
    return items, citeproc_js(items, STYLES)  # (installs citeproc-js on first use)


def test_corpus_has_what_reorders_a_long_list() -> None:
    items = long_corpus()
    counts = {len(item["author"]) for item in items}
    assert {1, 30} <= counts and len(counts) >= 10
    firsts = [json.dumps(item["author"][0], sort_keys=True) for item in items]
    assert len(set(firsts)) < len(firsts) / 4  # shared first authors
    years = [(firsts[i], json.dumps(item.get("issued"))) for i, item in enumerate(items)]
    assert len(set(years)) < len(years)  # same author, same year
    names = [name for item in items for name in item["author"]]
    assert any("non-dropping-particle" in n for n in names)
    assert any("dropping-particle" in n for n in names)
    assert any("literal" in n for n in names)  # organisations
    assert any("issued" not in item for item in items)
    assert any(any(ch.isdigit() for ch in item["title"]) for item in items)


@pytest.mark.parametrize("style", STYLES)
def test_long_bibliography_against_citeproc_js(expected, style: str) -> None:
    items, rendered = expected
    result = compare_style(items, style, rendered[style])
    floor = json.loads(FLOOR_FILE.read_text("utf-8"))[str(ITEMS)][style]
    counts = result.counts()
    assert result.total == ITEMS
    below = {k: (counts[k], v) for k, v in floor.items() if counts[k] < v}
    assert not below, f"below the floor (now, floor): {below}; {result.differences[:3]}"


@pytest.fixture(scope="module")
def bare() -> dict[str, tuple[list[dict], dict[str, dict]]]:
    require_tools("node", "npm")
    return {name: (items, citeproc_js(items, STYLES)) for name, items in without_metadata().items()}


@pytest.mark.parametrize("corpus", ["seed-bare", "preprints"])
@pytest.mark.parametrize("style", STYLES)
def test_records_without_metadata_against_citeproc_js(bare, corpus: str, style: str) -> None:
    """The default path: the bundled seed without its overlay, and a seed of preprints with
    no identifiers (no dangling ``Preprint at.`` in Nature)."""
    items, rendered = bare[corpus]
    result = compare_style(items, style, rendered[style])
    floor = json.loads(FLOOR_FILE.read_text("utf-8"))[corpus][style]
    counts = result.counts()
    below = {k: (counts[k], v) for k, v in floor.items() if counts[k] < v}
    assert not below, f"below the floor (now, floor): {below}; {result.differences[:3]}"
    if style == "nature":  # (citeproc-js ends an entry without a link after the title)
        assert result.identical["text"] == result.total
