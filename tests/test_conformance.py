"""publist's styled bibliographies against citeproc-js (fixtures in tests/conformance/).

Every entry of two corpora (the bundled seed with its overlay, and the hard cases), in ten
styles, text and HTML, is compared with what citeproc-js printed.  Each remaining difference is
listed with its cause in known-differences.json; a new difference fails, and so does a listed
one that no longer differs (the list stays true).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CONFORMANCE = Path(__file__).resolve().parent / "conformance"
sys.path.insert(0, str(CONFORMANCE))

from compare import compare  # noqa: E402
from generate import STYLES  # noqa: E402
from helpers import require_tools  # noqa: E402

FIGURES: list[str] = []


@pytest.fixture(scope="module")
def results():
    outcome = compare()
    total = sum(r.total for r in outcome)
    identical = sum(r.identical for r in outcome)
    FIGURES.extend(f"{r.style}: identical: {r.identical}/{r.total}" for r in outcome)
    FIGURES.append(f"all styles: identical: {identical}/{total}")
    return outcome


def known() -> dict[str, str]:
    return json.loads((CONFORMANCE / "known-differences.json").read_text(encoding="utf-8"))


def test_every_difference_is_known_and_explained(results):
    listed = known()
    found = {f"{r.style} {key}" for r in results for key in r.differences}
    new = sorted(found - set(listed))
    assert not new, "new differences from citeproc-js:\n" + "\n".join(
        f"{k}\n  publist:     {r.differences[k.split(' ', 1)[1]]['publist']}\n"
        f"  citeproc-js: {r.differences[k.split(' ', 1)[1]]['citeproc-js']}"
        for r in results
        for k in new
        if k.startswith(r.style + " ")
    )
    assert all(cause and cause != "UNEXPLAINED" for cause in listed.values())
    assert sorted(set(listed) - found) == [], "fixed: remove these from known-differences.json"


def test_fidelity_figures(results):
    total = sum(r.total for r in results)
    identical = sum(r.identical for r in results)
    assert [r.style for r in results] == STYLES
    assert total == 1000  # 50 entries x 10 styles x (text, html)
    assert identical / total >= 0.99  # the target: 99% identical overall,
    assert all(r.identical / r.total >= 0.95 for r in results)  # no style below 95%


def test_apa_seed_identical_to_citeproc_js(results):
    apa = next(r for r in results if r.style == "apa")
    assert not [k for k in apa.differences if k.startswith("seed/")]


def test_fixtures_regenerate_identically(tmp_path):
    require_tools("node", "npm")
    run = subprocess.run(
        [sys.executable, str(CONFORMANCE / "generate.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr
    for fixture in sorted((CONFORMANCE / "fixtures").glob("*.json")):
        assert (tmp_path / fixture.name).read_text(encoding="utf-8") == fixture.read_text(
            encoding="utf-8"
        ), fixture.name
