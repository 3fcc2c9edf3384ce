"""Speed: sort keys computed only where the keys before them tie (no change in order).

CSL 1.0.2 "Sorting" compares entries key by key: a later key only decides between entries
whose earlier keys are equal.  citeproc-py (and citeproc-js) compute every key of every
entry, and a key is often a whole macro (Chicago sorts on eleven keys, among them its
title and source macros).  Here the first key is computed for every entry, the next only
for the entries tied on it, and so on: the order is the one :func:`.collation.sort_items`
gives (absent keys last, descending keys reversed, ties in input order), from fewer
renderings.  Tested by tests/test_render.py test_parallel_rendering_matches_serial, the
long-bibliography and conformance tests (order compared with citeproc-js).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .collation import sort_key

#: (the key, the items) -> that key's value for each item (None: absent)
KeyValues = Callable[[Any, list[Any]], list[Any]]


def _split(group: list[int], values: dict[int, Any], descending: bool) -> list[list[int]]:
    """One tied group ordered by one key: runs of equal values, the absent ones last."""
    present = [i for i in group if values[i] is not None]
    absent = [i for i in group if values[i] is None]
    keyed = {i: sort_key(values[i]) for i in present}
    present.sort(key=keyed.__getitem__, reverse=descending)
    runs: list[list[int]] = []
    for index in present:
        if runs and keyed[runs[-1][0]] == keyed[index]:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs + ([absent] if absent else [])


def sorted_by_keys(
    items: Sequence[Any], keys: Sequence[Any], descending: Sequence[bool], values_of: KeyValues
) -> list[Any]:
    """``items`` in the order of ``keys``, each key's values asked of ``values_of`` only for
    the items the keys before it leave tied."""
    groups = [list(range(len(items)))]
    for key, down in zip(keys, descending, strict=True):
        tied = [i for group in groups if len(group) > 1 for i in group]
        if not tied:
            break
        values = dict(zip(tied, values_of(key, [items[i] for i in tied]), strict=True))
        groups = [
            part
            for group in groups
            for part in (_split(group, values, down) if len(group) > 1 else [group])
        ]
    return [items[i] for group in groups for i in group]
