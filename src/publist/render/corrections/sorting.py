"""Sort keys (corrections 12 and 20) and sort keys on several cores (speed)."""

from __future__ import annotations

from typing import Any

from citeproc import string
from citeproc.source import VariableError

from .collation import SORT_SEPARATOR
from .keyed_sort import sorted_by_keys
from .state import ElementMixin, state_of


class SortKeysWithoutTerms(ElementMixin):
    """cs:key: keys are built with :attr:`RenderState.sorting` set (for correction 20); a
    name variable's names are kept apart (compared name by name, correction 23)."""

    def _format_name(self, item: Any, variable: str) -> Any:
        key = super()._format_name(item, variable)
        return key.replace(";", " ") if isinstance(key, str) else key

    def sort_keys(self, items: Any, context: Any) -> Any:
        state = state_of(self)
        saved, state.sorting = state.sorting, True
        try:
            return super().sort_keys(items, context)
        finally:
            state.sorting = saved


class CollatedSort(ElementMixin):
    """cs:sort: items ordered as citeproc-js orders them (correction 23, :mod:`.collation`).

    Sort keys depend on each item alone: a key is computed only for the items the keys
    before it leave tied (:mod:`.keyed_sort`), and with several workers a key for many items
    in parallel (speed only: tests/test_render.py test_parallel_rendering_matches_serial)."""

    def sort(self, items: Any, context: Any) -> Any:
        from ..parallel import MIN_ITEMS, map_chunks

        state = state_of(self)
        keys = self.findall("cs:key", self.nsmap)
        descending = [k.get("sort", "ascending").lower() == "descending" for k in keys]
        workers = state.sort_workers
        if any(k.get("variable") == "citation-number" for k in keys):
            workers = 1

        def values_of(key: Any, chosen: list[Any]) -> list[Any]:
            if workers <= 1 or len(chosen) < MIN_ITEMS:
                return list(key.sort_keys(chosen, context))
            return map_chunks(lambda chunk: key.sort_keys(chunk, context), chosen, workers)

        return sorted_by_keys(list(items), keys, descending, values_of)


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
        if name == "sort-separator":
            return SORT_SEPARATOR  # (23) family and given apart, as in citeproc-js's keys
        if name == "demote-non-dropping-particle" and str(value).lower() == "sort-only":
            return "display-and-sort"
        return value

    def et_al(self) -> Any:
        if state_of(self).sorting:
            return string.String("")
        term = super().et_al()
        # (51) an et-al term of white space only is no term: no "et al." and no space before
        # it (citeproc-js; a style's ``<term name="and others"> </term>``)
        return term if term is None or str(term).strip() else string.String("")


class SortOptionsThroughMacros(ElementMixin):
    """cs:text calling a macro while a sort key is built: the key's name options
    (``name-as-sort-order="all"``, names-min/-use-first, no "and") reach the macro's names
    (CSL 1.0.2 "Sorting": a macro key renders its names with those options; citeproc-py
    dropped them at ``<text macro>``, so APA's keys carried ``&``).  Part of correction 23.
    Test: tests/test_render_fidelity.py "sort keys through a text macro"."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        sort_options = kwargs.get("sort_options")
        if sort_options is None or "macro" not in self.attrib:
            return super().process(item, context=context, **kwargs)
        try:
            language = item.reference.language[:2]
        except VariableError:
            language = self.get_root().get("default-locale", "en")[:2]
        macro = self.get_macro(self.get("macro"))
        return macro.render(item, context if context is not None else self, sort_options), language
