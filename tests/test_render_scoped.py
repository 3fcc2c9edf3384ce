"""publist's corrections are scoped to publist's own style (render/corrections): a plain
citeproc-py style in the same process, after publist has rendered, prints exactly what
citeproc-py prints in a fresh interpreter; and the citeproc-py version is checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import hard_cases

import publist
from publist.errors import PublistError
from publist.render import render

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "conformance"))
from generate import STYLES  # noqa: E402


def _cases() -> list[dict]:
    corpora = {
        "seed": publist.read(ROOT / "seeds" / "hussenot-leonard.txt").to_list(),
        "hard": hard_cases(),
    }
    return [
        {"style": style, "format": fmt, "items": items}
        for items in corpora.values()
        for style in STYLES
        for fmt in ("text", "html")
    ]


def test_plain_citeproc_style_unchanged_after_publist_rendered(tmp_path):
    cases = _cases()
    for case in cases[:: len(STYLES)]:  # publist renders (every corpus and format) first
        assert render(case["items"], case["style"], case["format"])
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    fresh = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "raw_citeproc.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    import raw_citeproc

    same_process = raw_citeproc.render_cases(cases)
    assert same_process == json.loads(fresh.stdout)
    # and they differ from publist's output (so the comparison could fail)
    ours = render(cases[0]["items"], cases[0]["style"], cases[0]["format"])
    assert same_process[0] != ours


def test_citeproc_version_outside_the_tested_range_is_a_clear_error(monkeypatch):
    import publist.render as rendering

    monkeypatch.setattr(rendering, "_checked_version", None)
    monkeypatch.delenv("PUBLIST_CITEPROC_UNPINNED", raising=False)
    monkeypatch.setattr("citeproc.__version__", "0.12.0")
    with pytest.raises(PublistError, match=r"citeproc-py 0\.12\.0 is installed.*<0\.12"):
        render([{"id": "a", "type": "book", "title": "T"}], "apa")
    monkeypatch.setattr("citeproc.__version__", "0.11.1")
    assert render([{"id": "a", "type": "book", "title": "T"}], "apa")


def test_name_hooks_are_the_cv_extension_point():
    from publist.render import NameHooks, render_entries

    authors = [{"family": f"Author{i}", "given": "A."} for i in range(30)]
    items = [{"id": "x", "type": "article-journal", "title": "T", "author": authors}]
    plain = render_entries(items, "apa")[0].text
    assert "Author29" in plain and "Author20" not in plain  # APA: 19 names, …, the last

    def shout(key, variable, names):
        from citeproc.source import Name

        return [Name(**{**dict(n), "family": str(n["family"]).upper()}) for n in names]

    hooked = render_entries(
        items,
        "apa",
        hooks=NameHooks(name_transform=shout, names_after={"k0": " (30 authors)"}, no_et_al=True),
    )[0].text
    assert "AUTHOR0, A." in hooked and "AUTHOR20" in hooked  # every name, transformed
    assert "(30 authors)" in hooked
    # the hooks belong to that rendering only
    assert render_entries(items, "apa")[0].text == plain
