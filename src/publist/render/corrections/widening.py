"""How citeproc-js tells apart citations that read alike, step by step (correction 54).

citeproc-js (``CSL.Disambiguation`` in disambig_cites.js) runs, for each group of items whose
citations read alike, a fixed sequence of *modes*: adding names and given names
(``disNames``), then year suffixes (``disYears``) and the ``<if disambiguate>`` text
(``disExtraText``), in that order.  Its results are not the fewest names each entry would
need on its own: one forward-only counter (names shown, each name's given-name level) grows
for the whole group; a scan compares every item with the group's first; a step that tells
some items apart registers them with the counter reached, and the rest go on as new lists,
which the *next* mode handles once the names are exhausted.  So a year suffix goes to a list
only when its first item still clashes with another (and then to the whole list), and an
entry that ``<if disambiguate>`` sets apart keeps the names the group had reached.

This module is that procedure, on an abstract citation (:class:`CiteOracle`): the names a
citation with a given configuration shows, whether it is cut with "et al.", and the extra
text ``<if disambiguate>`` adds.  The oracle, like citeproc-js's renderer, writes back into
the configuration it is given (the names it could show, the given-name levels it used), and
later comparisons see those values: that is part of the behaviour followed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class AmbigConfig:
    """citeproc-js's disambiguation parameters of one citation (``CSL.AmbigConfig``, one
    name list): names shown, given-name level per name (0 family only, 1 initials, 2 full),
    how many ``<if disambiguate>`` conditions are true, the year suffix (an index)."""

    names: int
    givens: list[int] = field(default_factory=list)
    disambiguate: int = 0
    year_suffix: int | None = None

    def clone(self) -> AmbigConfig:
        return AmbigConfig(self.names, list(self.givens), self.disambiguate, self.year_suffix)


class CiteOracle(Protocol):
    """The citations being compared."""

    def names_in(self, key: str) -> int:
        """How many names the item's citation name list has."""

    def item_id(self, key: str) -> str:
        """The item's id (CSL-JSON ``id``, as text)."""

    def cite(self, key: str, config: AmbigConfig) -> Hashable:
        """The item's citation under ``config`` (writes the names shown and the given-name
        levels used back into ``config``, as citeproc-js's renderer does)."""


@dataclass
class Modes:
    """Which of citeproc-js's modes a style runs, in its order (``configModes``)."""

    add_names: bool
    by_cite_givens: bool
    year_suffix: bool
    extra_text: bool

    def sequence(self) -> list[str]:
        modes = ["names"] if self.add_names or self.by_cite_givens else []
        if self.year_suffix:
            modes.append("years")
        if self.extra_text:
            modes.append("extra")
        return modes


class Widening:
    """One group of items whose citations read alike, told apart as citeproc-js does;
    ``registered`` holds each item's final configuration."""

    def __init__(
        self,
        keys: Sequence[str],
        oracle: CiteOracle,
        modes: Modes,
        start: AmbigConfig,
        bibliography_order: Callable[[str], int],
    ) -> None:
        self.oracle = oracle
        self.add_names = modes.add_names
        self.modes = modes.sequence()
        self.mode = 0
        self.order = bibliography_order
        # citeproc-js sorts the group by name counts compared as text, then by item id
        items = sorted(keys, key=lambda k: (str(oracle.names_in(k)), oracle.item_id(k)))
        self.base = start.clone()
        for key in items:  # (each first rendering writes its levels into the counter)
            oracle.cite(key, self.base)
        self.better = self.base.clone()
        self.names_max: int | None = oracle.names_in(items[0]) or None
        self.givens_max: int | None = 2 if modes.by_cite_givens else None
        self.lists: list[tuple[AmbigConfig, list[str]]] = [(self.base, items)]
        self.registered: dict[str, AmbigConfig] = {key: start.clone() for key in keys}
        self.gname = 0
        self.clashes = [1, 0]
        self.partners: list[str] = []
        self.others: list[str] = []
        self.init_givens = True

    def run(self) -> None:
        """``runDisambig``: each list scanned until its items are told apart or given up."""
        while self.lists:
            self.gname = 0
            self.clashes = [1, 0]
            while self.lists[0][1]:
                maxed = self._increment()
                self._scan(self.lists[0][1])
                self._evaluate(maxed)
            self.lists = self.lists[1:]

    def _register(self, key: str, config: AmbigConfig) -> None:
        self.registered[key] = config.clone()

    def _scan(self, keys: list[str]) -> None:
        first = self.oracle.cite(keys[0], self.base)
        self.partners, self.others = [keys[0]], []
        for key in keys[1:]:
            alike = self.oracle.cite(key, self.base) == first
            (self.partners if alike else self.others).append(key)
        self.clashes = [self.clashes[1], len(self.partners) - 1]

    def _evaluate(self, maxed: bool) -> None:
        mode = self.modes[self.mode]
        if mode == "names":
            self._names(maxed)
        elif mode == "years":
            self._years()
        else:
            self._extra_text()
        if maxed:
            if self.mode < len(self.modes) - 1:
                self.mode += 1
            else:
                # (citeproc-js overwrites the list after the current one here)
                self._set_list(1, self.base, [])

    def _set_list(self, index: int, config: AmbigConfig, keys: list[str]) -> None:
        if index < len(self.lists):
            self.lists[index] = (config, keys)
        else:
            self.lists.append((config, keys))

    def _increment(self) -> bool:
        """``incrementDisambig``: one step forward of the counter; True when exhausted."""
        if self.init_givens:
            self.init_givens = False
            return False
        mode = self.modes[self.mode]
        if mode == "extra":
            self.base.disambiguate += 1
            self.better.disambiguate += 1
            return False
        return mode == "names" and self._step_names()

    def _step_names(self) -> bool:
        """The next given name (by-cite) or the next name; True when none is left."""
        if self.names_max is None:
            return True
        grow_names = self.givens_max is None
        if self.givens_max is not None:
            if self.gname < len(self.base.givens) and self.base.givens[self.gname] < 2:
                self.base.givens[self.gname] += 1
            else:
                grow_names = True
        if grow_names and self.add_names and self.gname < self.names_max:
            self.base.names += 1
            self.gname += 1
        names_done = not self.add_names or self.gname == self.names_max
        givens_done = (
            self.givens_max is None
            or self.gname >= len(self.base.givens)
            or self.base.givens[self.gname] == self.givens_max
        )
        return names_done and givens_done

    def _capture(self) -> None:
        """``captureStepToBase``: the step just taken becomes the group's better result."""
        if self.givens_max is not None and self.gname < len(self.base.givens):
            # (citeproc-js copies only the level just stepped; the others stay as they were)
            self.better.givens.extend([0] * (self.gname + 1 - len(self.better.givens)))
            self.better.givens[self.gname] = self.base.givens[self.gname]
        self.better.names = self.base.names

    def _names(self, maxed: bool) -> None:
        """``disNames``: what a step of added names (or given names) told apart."""
        partners, others = self.partners, self.others
        if self.clashes[1] == 0 and len(others) == 1:
            self._capture()
            self._register(others[0], self.better)
            self._register(partners[0], self.better)
            self.lists[0] = (self.better, [])
        elif self.clashes[1] == 0:
            self._capture()
            self._register(partners[0], self.better)
            self.lists[0] = (self.better, others)
            if others:
                self.init_givens = True
        elif len(others) == 1:
            self._capture()
            self._register(others[0], self.better)
            self.lists[0] = (self.better, partners)
        elif self.clashes[1] < self.clashes[0]:
            self._capture()
            self.lists[0] = (self.better, partners)
            self.lists.append((self.better, others))
        elif maxed:
            self.lists[0] = (self.better, others)
            self.lists.append((self.better, partners))
            if self.mode == len(self.modes) - 1:
                for key in partners:
                    self._register(key, self.better)
                self.lists[0] = (self.better, [])

    def _years(self) -> None:
        """``disYears``: year suffixes in bibliography order for the whole list, only when
        its first item still clashes."""
        config, keys = self.lists[0]
        if self.clashes[1]:
            for index, key in enumerate(sorted(keys, key=self.order)):
                config.year_suffix = index
                self._register(key, config)
        self.lists[0] = (self.better, [])

    def _extra_text(self) -> None:
        """``disExtraText`` with one ``<if disambiguate>`` reached: every item of the list
        keeps the list's configuration, its condition true."""
        config, keys = self.lists[0]
        for key in keys:
            self._register(key, config)
        self.lists[0] = (self.better, [])
