"""The render speed-ups change nothing: each one against the way it replaces, on a long
generated bibliography (tests/long_corpus.py) in styles that exercise it.  Speed itself is
measured in benchmarks/ (W1), never here."""

from __future__ import annotations

import random

import pytest
from long_corpus import long_corpus

from publist.render import render_entries
from publist.render.corrections import collation, keyed_sort, memo, sorting

ITEMS = long_corpus(160)
STYLES = ("chicago-author-date", "apa", "modern-language-association", "ieee")


def _lines(style: str, fmt: str = "text") -> list[str]:
    return [e.line(fmt) for e in render_entries(ITEMS, style, fmt, parallel=1)]


@pytest.mark.parametrize("style", STYLES)
def test_branches_tested_first_render_as_citeproc_py_asks_them(style, monkeypatch):
    fast = _lines(style)
    asked = []

    def ask_every_branch(branch):
        asked.append(branch)
        return None  # every branch rendered and ConditionFailed caught, as citeproc-py does

    monkeypatch.setattr(memo, "_branch_test", ask_every_branch)
    assert _lines(style) == fast
    assert asked  # (the styles have cs:choose)


def _every_key_sorted(items, keys, descending, values_of):
    """The sort as it was: every key of every item, then collation.sort_items."""
    values = [values_of(key, list(items)) for key in keys]
    return collation.sort_items(list(items), values, list(descending))


@pytest.mark.parametrize("style", ("chicago-author-date", "apa", "harvard-cite-them-right"))
def test_keys_computed_for_ties_only_sort_as_every_key(style, monkeypatch):
    lazy = [e.id for e in render_entries(ITEMS, style, parallel=1)]
    monkeypatch.setattr(sorting, "sorted_by_keys", _every_key_sorted)
    assert [e.id for e in render_entries(ITEMS, style, parallel=1)] == lazy


def test_sorted_by_keys_is_sort_items_with_fewer_keys_computed():
    rng = random.Random(7)
    for _ in range(200):
        count, width = rng.randint(0, 30), rng.randint(1, 4)
        table = [
            [rng.choice([None, 1, 2, "a", "B", "b", "Study 9", "Study 10"]) for _ in range(count)]
            for _ in range(width)
        ]
        descending = [rng.random() < 0.3 for _ in range(width)]
        items = list(range(count))
        asked: list[int] = []

        def values_of(key: int, chosen: list[int], table=table, asked=asked) -> list:
            asked.append(len(chosen))
            return [table[key][i] for i in chosen]

        expected = collation.sort_items(items, table, descending)
        assert keyed_sort.sorted_by_keys(items, list(range(width)), descending, values_of) == (
            expected
        )
        assert sum(asked) <= count * width


@pytest.mark.parametrize("style", STYLES + ("nature",))
@pytest.mark.parametrize("fmt", ("text", "html"))
def test_mixins_left_out_by_attribute_change_nothing(style, fmt, monkeypatch):
    from publist.render.corrections import elements

    decided = _lines(style, fmt)
    monkeypatch.setattr(elements, "APPLIES", {})  # every mixin on every element of its tags
    assert _lines(style, fmt) == decided
    assert any(len(mixins) < len(elements._mixins(tag)) for tag, mixins in elements._VARIANTS)


@pytest.mark.parametrize("style", STYLES + ("nature",))
@pytest.mark.parametrize("fmt", ("text", "html"))
def test_seams_passed_over_print_as_every_seam_corrected(style, fmt, monkeypatch):
    from publist.render.corrections import punctuation

    assert punctuation._SEAM_LEFT_ENDS is not None  # (else this test compares nothing)
    passed_over = _lines(style, fmt)
    monkeypatch.setattr(punctuation, "_SEAM_LEFT_ENDS", None)  # every seam through both
    assert _lines(style, fmt) == passed_over


@pytest.mark.parametrize("style", STYLES)
def test_name_options_kept_print_as_options_read_each_time(style, monkeypatch):
    from publist.render.corrections import disambiguation

    kept = _lines(style)
    monkeypatch.delattr(disambiguation.PlainNameOptions, "get_option")  # read each time
    assert _lines(style) == kept
