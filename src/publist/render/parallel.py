"""Rendering independent entries on several cores.

A bibliography is sorted and disambiguated as a whole, in this process; what follows — each
entry's citation text and its bibliography entry — depends on that entry alone, so contiguous
chunks go to forked workers that inherit the prepared style and data (nothing but the chunk's
index and the rendered strings cross the process boundary).  Order is kept.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

WORKERS_ENV = "PUBLIST_WORKERS"  # 1 turns parallel rendering off
MIN_ITEMS = 300  # below this, starting workers costs more than it saves

_TASK: tuple[Callable[[Sequence[Any]], list], list[Sequence[Any]]] | None = None


def workers_for(count: int) -> int:
    configured = os.environ.get(WORKERS_ENV)
    workers = int(configured) if configured else (os.cpu_count() or 1)
    if count < MIN_ITEMS or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(workers, 8, count)


def _run(index: int) -> list:
    function, chunks = _TASK
    return function(chunks[index])


def map_chunks(
    function: Callable[[Sequence[Any]], list], items: Sequence[Any], workers: int
) -> list:
    """``function`` over contiguous chunks of ``items`` (in forked workers when ``workers`` > 1),
    results concatenated in order."""
    global _TASK
    if workers <= 1 or len(items) < 2:
        return function(items)
    size = -(-len(items) // workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _TASK = (function, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
            results = pool.map(_run, range(len(chunks)), chunksize=1)
    finally:
        _TASK = None
    return [value for chunk in results for value in chunk]
