"""Sort keys (corrections 12 and 20) and sort keys on several cores (speed)."""

from __future__ import annotations

from typing import Any

from citeproc import string

from .state import ElementMixin, state_of


class SortKeysWithoutTerms(ElementMixin):
    """cs:key: keys are built with :attr:`RenderState.sorting` set (for correction 20), or
    taken from the keys workers computed (speed, no change in output)."""

    def sort_keys(self, items: Any, context: Any) -> Any:
        state = state_of(self)
        precomputed = (state.precomputed_keys or {}).get(self)
        if precomputed is not None and len(precomputed) == len(items):
            return precomputed
        saved, state.sorting = state.sorting, True
        try:
            return super().sort_keys(items, context)
        finally:
            state.sorting = saved


class ParallelSortKeys(ElementMixin):
    """cs:sort: sort keys depend on each item alone, so with several workers they are
    computed in parallel (each worker all keys for a chunk of items), then citeproc-py sorts
    as before.  Speed only: tests/test_render.py test_parallel_rendering_matches_serial."""

    def sort(self, items: Any, context: Any) -> Any:
        from ..parallel import map_chunks

        state = state_of(self)
        keys = self.findall("cs:key", self.nsmap)
        if (
            state.sort_workers <= 1
            or not keys
            or any(k.get("variable") == "citation-number" for k in keys)
        ):
            return super().sort(items, context)

        def chunk_keys(chunk: Any) -> list[list[Any]]:
            return [[key.sort_keys(chunk, context) for key in keys]]

        per_chunk = map_chunks(chunk_keys, list(items), state.sort_workers)
        merged = {
            key: [v for chunk in per_chunk for v in chunk[index]] for index, key in enumerate(keys)
        }
        saved, state.precomputed_keys = state.precomputed_keys, merged
        try:
            return super().sort(items, context)
        finally:
            state.precomputed_keys = saved


class NameSortOptions(ElementMixin):
    """cs:name in sort keys (corrections 12 and 20).

    12. ``demote-non-dropping-particle="sort-only"`` demotes the particle in sort keys
        (CSL 1.0.2 "Name-part order"; ``de Freitas`` sorts under F, as citeproc-js sorts it).
        Test: tests/test_render_fidelity.py "sort-only particle demotion".
    20. Sort keys built from names leave out the "and" and "et al." terms (CSL 1.0.2
        "Sorting": name lists are compared name by name, without terms), so
        ``de Freitas et al.`` sorts before ``de Freitas and Smith``.
        Test: tests/test_render_fidelity.py "sort keys without et al.".
    """

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = super().get_option(name, context, sort_options)
        if sort_options is None:
            return value
        if name == "and":
            return None
        if name == "demote-non-dropping-particle" and str(value).lower() == "sort-only":
            return "display-and-sort"
        return value

    def et_al(self) -> Any:
        return string.String("") if state_of(self).sorting else super().et_al()
