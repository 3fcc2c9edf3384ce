"""Rendering independent entries on several cores.

A bibliography is sorted and disambiguated as a whole, in this process; what follows — each
entry's citation text and its bibliography entry — depends on that entry alone, so contiguous
chunks go to forked workers that inherit the prepared style and data (nothing but the chunk's
index and the rendered strings cross the process boundary), the first staying in this
process.  Order is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..pipeline import worker_pool, workers

MIN_ITEMS = 300  # below this, starting workers costs more than it saves

_TASK: tuple[Callable[[Sequence[Any]], list], list[Sequence[Any]]] | None = None


def workers_for(count: int) -> int:
    """Workers for rendering ``count`` entries (``PUBLIST_WORKERS``, else one per core)."""
    if count < MIN_ITEMS:
        return 1
    return min(workers(), 8, count)


def _run(index: int) -> list:
    if _TASK is None:
        raise RuntimeError("_run runs only inside map_chunks")
    function, chunks = _TASK
    return function(chunks[index])


def map_chunks(
    function: Callable[[Sequence[Any]], list], items: Sequence[Any], workers: int
) -> list:
    """``function`` over contiguous chunks of ``items`` (in forked workers when ``workers`` > 1),
    results concatenated in order.  This process renders the first chunk itself while the
    workers render the others (one fork and one chunk's results fewer to pickle)."""
    global _TASK
    if workers <= 1 or len(items) < 2:
        return function(items)
    size = -(-len(items) // workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _TASK = (function, chunks)
    try:
        with worker_pool(len(chunks) - 1, "rendering") as pool:
            # (the workers are forked at the first submit, before this process goes on)
            pending = [pool.submit(_run, index) for index in range(1, len(chunks))]
            results = [function(chunks[0])] + [future.result() for future in pending]
    finally:
        _TASK = None
    return [value for chunk in results for value in chunk]
