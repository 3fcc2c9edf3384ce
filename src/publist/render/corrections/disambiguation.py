"""Disambiguation and year suffixes: computed here before the entries are rendered
(:func:`disambiguate`), consumed here while they are (the mixins below).

citeproc-py 0.11 does not disambiguate; citeproc-js does, and what it decides shows in the
bibliography.  Corrections 14, 18, 19, 53-55 and the year-suffix assignment:

- year suffixes (``2024a``, ``2024b``) for styles with ``disambiguate-add-year-suffix``,
  CSL 1.0.2 "Disambiguation" step 4, in bibliography order as citeproc-js assigns them
  (test: tests/test_render.py and the conformance fixtures); after ``z`` come ``aa``,
  ``ab`` (test: tests/test_render_fidelity_long.py "year suffixes after z");
- 14. the suffix is printed after the first year of ``issued`` when the style does not place
  the ``year-suffix`` variable itself (CSL 1.0.2 "year-suffix": "if the style does not
  render the variable, it is rendered after the first year"; Springer ``(2024a)``).
  Test: tests/test_render_fidelity.py "implicit year-suffix";
- 18. names added for disambiguation (``disambiguate-add-names``, step 1) show in the
  bibliography too, as citeproc-js prints them (MLA ``Ramé, Alexandre, Johan Ferret, et
  al.``).  Test: "names added to tell entries apart";
- 53. how many names (18): citeproc-js widens an ambiguous group with a forward-only
  counter and each entry keeps the count reached when it was told apart (the group split
  at the second name, its second half starts from where the first half left), now part of
  54.  Test:
  tests/test_render_fidelity_long.py "names added as citeproc-js widens an ambiguous group";
- 54. for styles that add names or given names, all of the above as citeproc-js's
  ``CSL.Disambiguation`` runs it (:mod:`.widening`): names, given names (by-cite steps, or
  the name registry's levels for the ``primary-name`` rules), year suffixes and
  ``<if disambiguate>`` in its order of modes on its lists, so a year suffix only where the
  list's first item still clashes, and an entry keeps the names its group had reached; a
  list shown whole has no "et al.".  53's counter is part of it.  Test:
  tests/test_render_fidelity_disamb.py;
- 55. given names written out in the bibliography and its sort keys, as citeproc-js writes
  them for the ``by-cite`` rule (Harvard ``Gaffney, Mei``): a name its citation's widening
  stepped to the full given name, and a name another name of the same entry shares family
  name and initials with (citeproc-js's name registry is per item under by-cite; in sort
  keys always, in the entry unless the citation stepped it to initials).  Test:
  tests/test_render_fidelity_disamb.py "given names written out";
- 19. ``<if disambiguate="true">`` is taken only for entries the other steps could not tell
  apart (CSL 1.0.2 "Choose": disambiguate; citeproc-py took it always, so every MLA citation
  carried its title).  Test: the conformance fixtures (MLA).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from citeproc import Citation, model, string
from citeproc.source import Name as SourceName

from ...model import Item
from ..parallel import map_chunks
from .memo import CachedCitationItem, own_cache
from .state import ElementMixin, RenderState, state_of
from .substitution import NAMES_KEY, variables_under
from .widening import AmbigConfig, Modes, Widening

_SUFFIX_DONE = "publist-year-suffix-done"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _printed_alike(name: Any) -> Any:
    """A family name alone prints as the literal name it spells (citeproc-js compares what
    is printed: ``{"family": "Beijing Zoo"}`` and ``{"literal": "Beijing Zoo"}`` get year
    suffixes).  Test: tests/test_render_fidelity_names.py "literal and family-only name
    alike"."""
    if isinstance(name, dict) and set(name) == {"family"}:
        return {"literal": name["family"]}
    return name


def _initials(given: str) -> str:
    return "".join(part[:1] for part in re.split(r"[\s.\-]+", given) if part)


def _shown_name(name: Mapping[str, Any], given: str) -> tuple[str, ...]:
    """What a citation can show of one name: the family name (with its particle), and the
    given name as ``given`` says: ``full``, ``initials`` or ``none``; a family name alone
    as the literal it spells (:func:`_printed_alike`)."""
    name = _printed_alike(name)
    family = " ".join(
        str(name.get(part, "")) for part in ("non-dropping-particle", "family") if name.get(part)
    )
    text = str(name.get("given", ""))
    shown = {"full": text, "initials": _initials(text), "none": ""}[given]
    return (str(name.get("literal", "")), family, shown)


def _cite_text(bibliography: Any, key: str) -> str:
    """The item's citation as the style prints it alone (cached: disambiguation asks often)."""
    cache = bibliography.__dict__.setdefault("_publist_cites", {})
    if key not in cache:
        cite = Citation([CachedCitationItem(key)])
        bibliography.register(cite)
        cache[key] = str(bibliography.cite(cite, lambda _: None))
    return cache[key]


def _option(citation: Any, name: str) -> bool:
    return citation is not None and citation.get(name, "false") == "true"


def _et_al_min(citation: Any) -> int:
    value = str(citation.get("et-al-min", "") or "")
    return int(value) if value.isdigit() else 0


def _use_first(citation: Any) -> int:
    value = str(citation.get("et-al-use-first", "") or "")
    return int(value) if value.isdigit() else 1


def _cite_names(item: Item) -> list[Any]:
    return list(item.get("author") or item.get("editor") or [])


def _strip_periods(text: str) -> str:
    return " ".join(text.replace(".", " ").split())


def _name_keys(name: Mapping[str, Any]) -> tuple[str, str, str]:
    """citeproc-js's name registry keys: family, initials, given (periods stripped)."""
    given = _strip_periods(str(name.get("given", "")))
    return _strip_periods(str(name.get("family", ""))), _initials(given), given


class _GivenLevels:
    """The given-name level a citation gives each first name under a global rule
    (``primary-name``, ``primary-name-with-initials``: citeproc-js's name registry, over
    every item's first cited name): initials when another person shares the family name,
    the full given name when another shares the initials too (or the style has no
    initials)."""

    def __init__(self, citation: Any, by_key: Mapping[str, Item]) -> None:
        self.rule = str(citation.get("givenname-disambiguation-rule", "by-cite"))
        self.initials_only = self.rule.endswith("-with-initials")
        self.initialize_with = _cite_initialize_with(citation)
        self.initials: dict[str, set[str]] = {}
        self.givens: dict[tuple[str, str], set[str]] = {}
        primary = self.rule.startswith("primary-")
        for item in by_key.values():
            names = _cite_names(item)
            for name in names[:1] if primary else names:
                family, initials, given = _name_keys(name)
                if family and given:
                    self.initials.setdefault(family, set()).add(initials)
                    self.givens.setdefault((family, initials), set()).add(given)
        self.primary = primary

    def level(self, name: Mapping[str, Any], index: int) -> int:
        family, initials, given = _name_keys(name)
        if not (family and given) or (self.primary and index > 0):
            return 0
        shared = len(self.initials.get(family, ())) > 1
        if self.initials_only:
            return 1 if shared else 0
        if len(self.givens.get((family, initials), ())) > 1 or (
            shared and self.initialize_with is None
        ):
            return 2
        return 1 if shared else 0


def _cite_initialize_with(citation: Any) -> str | None:
    """The citation's ``initialize-with`` (on its first cs:name, or inherited from
    cs:citation or cs:style: MLA sets it on cs:style)."""
    found = [name for name in _names_under(citation) if name.get("initialize-with")]
    value = found[0].get("initialize-with") if found else None
    for holder in (citation, citation.get_root()):
        if value is None:
            value = holder.get("initialize-with")
    return None if value is None else str(value)


def _names_under(element: Any) -> list[Any]:
    """The cs:name elements ``element`` renders, through the macros it calls, in order."""
    root = element.get_root()
    macros = {m.get("name"): m for m in root.xpath_search("./cs:macro")}
    found: list[Any] = []
    pending, seen = [element], set()
    while pending:
        current = pending.pop(0)
        for node in current.iter():
            if not isinstance(node.tag, str):
                continue
            if node.tag.endswith("}name"):
                found.append(node)
            macro = node.get("macro") if node.tag.endswith("}text") else None
            if macro in macros and macro not in seen:
                seen.add(macro)
                pending.append(macros[macro])
    return found


_LEVELS = ("none", "initials", "full")


class _Citations:
    """Each item's citation as citeproc-js compares them while disambiguating (the
    :class:`~.widening.CiteOracle`): the names shown at their given-name levels, whether
    "et al." cuts the list, and what ``<if disambiguate>`` adds."""

    def __init__(self, citation: Any, by_key: Mapping[str, Item], extra: Mapping[str, str]) -> None:
        self.by_cite = citation.get("givenname-disambiguation-rule", "by-cite") == "by-cite"
        self.add_givens = _option(citation, "disambiguate-add-givenname")
        self.global_levels = None if self.by_cite else _GivenLevels(citation, by_key)
        self.initialize_with = _cite_initialize_with(citation)
        self.et_al_min = _et_al_min(citation)
        self.use_first = _use_first(citation)
        self.lists = {key: _cite_names(item) for key, item in by_key.items()}
        self.ids = {key: str(item.get("id", key)) for key, item in by_key.items()}
        self.extra = extra

    def names_in(self, key: str) -> int:
        return len(self.lists[key])

    def item_id(self, key: str) -> str:
        return self.ids[key]

    def start(self, key: str) -> AmbigConfig:
        """The configuration an item is registered with: the style's et-al rule."""
        count = self.names_in(key)
        cut = self.et_al_min and count >= self.et_al_min and self.et_al_min >= self.use_first
        shown = self.use_first if cut else count
        return AmbigConfig(shown, [0] * shown)

    def _level(self, name: Mapping[str, Any], index: int, requested: int) -> int:
        if self.global_levels is not None:
            return self.global_levels.level(name, index) if self.add_givens else 0
        # by-cite: initials asked for without initialize-with (or a given name) are full
        if requested == 1 and (self.initialize_with is None or not name.get("given")):
            return 2
        return requested

    def cite(self, key: str, config: AmbigConfig) -> Hashable:
        names = self.lists[key]
        count = len(names)
        shown = min(config.names, count) if self.et_al_min >= self.use_first else count
        config.names = shown
        config.givens.extend([0] * (shown - len(config.givens)))
        printed = []
        for index, name in enumerate(names[:shown]):
            level = config.givens[index]
            if name.get("given") or name.get("family"):
                level = config.givens[index] = self._level(name, index, level)
            printed.append(_shown_name(name, _LEVELS[level]))
        extra = self.extra.get(key) if config.disambiguate else None
        return (tuple(printed), shown < count, extra)


def _extra_texts(
    bibliography: Any, keys: list[str], state: RenderState, workers: int
) -> dict[str, str]:
    """Each item's citation with ``<if disambiguate>`` true (what disExtraText compares)."""
    kept = state.ambiguous
    state.ambiguous = frozenset(keys)
    try:
        texts = map_chunks(
            lambda chunk: [_cite_text_fresh(bibliography, k) for k in chunk], keys, workers
        )
    finally:
        state.ambiguous = kept
    return dict(zip(keys, texts, strict=True))


def _cite_text_fresh(bibliography: Any, key: str) -> str:
    cite = Citation([CachedCitationItem(key)])
    bibliography.register(cite)
    return str(bibliography.cite(cite, lambda _: None))


@dataclass
class _Outcome:
    """What disambiguation leaves the bibliography: names to show, entries whose
    ``<if disambiguate>`` is true, year suffixes (indexes)."""

    shown: dict[str, int] = field(default_factory=dict)
    levels: dict[str, tuple[int, ...]] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    suffixes: dict[str, int] = field(default_factory=dict)


def _bibliography_names(style: Any, oracle: _Citations, key: str, names: int) -> int:
    """The names an entry prints from its citation's count, as citeproc-js constrains
    them in the bibliography (``et-al-use-last``: never above et-al-min − 2)."""
    bibliography = style.root.bibliography
    if names > oracle.names_in(key):
        names = oracle.names_in(key)
    if bibliography is not None and bibliography.get("et-al-use-last", "false") == "true":
        cap = _et_al_min(bibliography) - 2
        if cap > 0:
            names = min(names, cap)
    return names


def _widen_groups(
    style: Any, bibliography: Any, by_key: Mapping[str, Item], state: RenderState, workers: int
) -> _Outcome:
    """Every group of items whose citations read alike, told apart as citeproc-js does
    (correction 54, :mod:`.widening`)."""
    citation = style.root.citation
    groups: dict[str, list[str]] = {}
    for key in by_key:  # (citeproc-js registers the items in input order)
        groups.setdefault(_cite_text(bibliography, key), []).append(key)
    ambiguous = [k for keys in groups.values() if len(keys) > 1 for k in keys]
    extra_text = _asks_disambiguate(style)
    extra = _extra_texts(bibliography, ambiguous, state, workers) if extra_text else {}
    oracle = _Citations(citation, by_key, extra)
    modes = Modes(
        add_names=_option(citation, "disambiguate-add-names"),
        by_cite_givens=oracle.by_cite and oracle.add_givens,
        year_suffix=_option(citation, "disambiguate-add-year-suffix"),
        extra_text=extra_text,
    )
    position = {key: index for index, key in enumerate(bibliography.keys)}
    outcome = _Outcome()
    for keys in groups.values():
        if len(keys) < 2:
            continue
        widening = Widening(keys, oracle, modes, oracle.start(keys[0]), position.__getitem__)
        widening.run()
        for key, config in widening.registered.items():
            _record(style, oracle, key, config, outcome)
    return outcome


def _record(
    style: Any, oracle: _Citations, key: str, config: AmbigConfig, outcome: _Outcome
) -> None:
    if config.year_suffix is not None:
        outcome.suffixes[key] = config.year_suffix
    if config.disambiguate:
        outcome.ambiguous.add(key)
    if any(config.givens):
        outcome.levels[key] = tuple(config.givens)
    names = _bibliography_names(style, oracle, key, config.names)
    if names > oracle.start(key).names:
        outcome.shown[key] = names


def _asks_disambiguate(style: Any) -> bool:
    return bool(style.root.xpath_search(".//cs:if[@disambiguate]|.//cs:else-if[@disambiguate]"))


_DISAMBIGUATION_OPTIONS = (
    "disambiguate-add-names",
    "disambiguate-add-givenname",
    "disambiguate-add-year-suffix",
)


def disambiguates(style: Any) -> bool:
    """Whether :func:`disambiguate` has work for the style: a disambiguation option on its
    cs:citation, or an ``<if disambiguate>`` anywhere (both read every record)."""
    citation = style.root.citation
    if any(_option(citation, name) for name in _DISAMBIGUATION_OPTIONS):
        return True
    return _asks_disambiguate(style)


def _still_ambiguous(bibliography: Any, shown: Collection[str]) -> frozenset[str]:
    """Keys whose citations read alike even with names added: <if disambiguate> is for them."""
    groups: dict[str, list[str]] = {}
    for key in bibliography.keys:
        if key not in shown:
            groups.setdefault(_cite_text(bibliography, key), []).append(key)
    return frozenset(k for keys in groups.values() if len(keys) > 1 for k in keys)


def _year_suffixes(citation: Any, bibliography: Any) -> None:
    """Styles that add no names: two entries are ambiguous when their citations render the
    same; suffixes follow the bibliography's order, as citeproc-js assigns them."""
    groups: dict[str, list[str]] = {}
    for key in bibliography.keys:
        groups.setdefault(_cite_text(bibliography, key), []).append(key)
    for keys in groups.values():
        if len(keys) > 1:
            for index, key in enumerate(keys):
                bibliography.source[key]["year_suffix"] = year_suffix(index)


def year_suffix(index: int) -> str:
    """The ``index``-th year suffix as citeproc-js counts them: a … z, aa, ab, … (CSL 1.0.2
    "year-suffix": "a", "b", … "z", "aa", "ab")."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = _LETTERS[rest] + letters
    return letters


def _first_author_key(item: Item) -> str:
    names = item.get("author") or item.get("editor") or []
    if not names:
        return "\x00no-author"
    first = names[0]
    return str(first.get("literal") or first.get("family") or first.get("given") or "").casefold()


def _cites_print_authors(citation: Any) -> bool:
    """Does the citation layout print the author names (directly or through macros)?"""
    layout = citation.layout
    return layout is not None and any(
        tag == NAMES_KEY and variable == "author" for tag, variable in variables_under(layout)
    )


def _prepare_cites(
    citation: Any, bibliography: Any, workers: int, by_key: Mapping[str, Item]
) -> None:
    """Every item's citation text, which disambiguation compares, rendered up front (in
    parallel for long lists).

    When the style's citations print author names, two citations can only read alike if
    their first authors do: items whose first author is unique in the list get a citation
    text no other can equal, without rendering it."""
    keys = list(bibliography.keys)
    cache = bibliography.__dict__.setdefault("_publist_cites", {})
    if _cites_print_authors(citation):
        buckets: dict[str, int] = {}
        for key in keys:
            bucket = _first_author_key(by_key[key])
            buckets[bucket] = buckets.get(bucket, 0) + 1
        unique = [k for k in keys if buckets[_first_author_key(by_key[k])] == 1]
        cache.update((k, "\x00unique:" + k) for k in unique)
        keys = [k for k in keys if k not in cache]
    texts = map_chunks(lambda chunk: [_cite_text(bibliography, k) for k in chunk], keys, workers)
    cache.update(zip(keys, texts, strict=True))


def _by_cite_givens(citation: Any) -> bool:
    """Given names added citation by citation (``by-cite``, the default rule)."""
    rule = citation.get("givenname-disambiguation-rule", "by-cite")
    return rule == "by-cite" and _option(citation, "disambiguate-add-givenname")


def prepare_given_names(style: Any, state: RenderState) -> None:
    """Before sorting: does the style write out given names that clash within an entry
    (by-cite given names: citeproc-js's name registry is per item)?"""
    citation = style.root.citation
    state.givens_in_entry = citation is not None and _by_cite_givens(citation)


#: the name variables citeproc-js's name registry sees in an entry
_NAME_VARIABLES = (
    "author",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
    "composer",
    "director",
    "illustrator",
    "interviewer",
    "original-author",
    "recipient",
    "reviewed-author",
)


def _clashing_givens(item: Any, names: Any) -> set[int]:
    """Positions of the names another name of the entry (any name variable) shares family
    name and initials with, under another given name (``García Márquez, Rahul`` and
    ``García Márquez, R.``): citeproc-js's name registry (by-cite: per item) writes these
    given names out."""
    seen: dict[tuple[str, str], set[str]] = {}
    everyone = [n for v in _NAME_VARIABLES for n in (item.reference.get(v) or ())]
    for family, initials, given in map(_name_keys, everyone):
        if family and given:
            seen.setdefault((family, initials), set()).add(given)
    keys = [_name_keys(name) for name in names]
    return {
        index
        for index, (family, initials, given) in enumerate(keys)
        if given and len(seen.get((family, initials), ())) > 1
    }


def _widens(citation: Any) -> bool:
    """Does citeproc-js add names or given names to tell citations apart (its disNames)?"""
    by_cite = citation.get("givenname-disambiguation-rule", "by-cite") == "by-cite"
    return _option(citation, "disambiguate-add-names") or (
        by_cite and _option(citation, "disambiguate-add-givenname")
    )


def disambiguate(
    style: Any, bibliography: Any, workers: int, by_key: Mapping[str, Item], state: RenderState
) -> None:
    """Year suffixes into the items' data, names to show and the entries whose
    ``<if disambiguate>`` is true into ``state``: everything the bibliography needs from
    disambiguation, for a sorted bibliography."""
    citation = style.root.citation
    state.names_shown = {}
    if citation is not None and _widens(citation):
        _prepare_cites(citation, bibliography, workers, by_key)
        outcome = _widen_groups(style, bibliography, by_key, state, workers)
        for key, index in outcome.suffixes.items():
            bibliography.source[key]["year_suffix"] = year_suffix(index)
        state.names_shown = outcome.shown
        state.given_levels = outcome.levels if _by_cite_givens(citation) else {}
        state.ambiguous = frozenset(outcome.ambiguous)
        return
    if _option(citation, "disambiguate-add-year-suffix"):
        _prepare_cites(citation, bibliography, workers, by_key)
        _year_suffixes(citation, bibliography)
    # (only <if disambiguate> reads the ambiguous entries: without one, none to find)
    asks = _asks_disambiguate(style)
    state.ambiguous = _still_ambiguous(bibliography, {}) if asks else frozenset()


#: the et-al options names added for disambiguation raise: to the names shown (+ 0, + 1)
_RAISED = {"et-al-use-first": 0, "et-al-min": 1}


class PlainNameOptions(ElementMixin):
    """Speed (cs:name, before its corrections): an option read for display is fixed per
    context while no correction changes it — no names shown for disambiguation for an et-al
    option (18, :class:`NamesShownForDisambiguation`), no override of the name list being
    rendered (22, 43, :class:`.names.NameListAdjustments`) — so it is read once through them
    (no change in output; sort keys, ``sort_options``, always go through)."""

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        state = state_of(self)
        if (
            sort_options is not None
            or state.name_options.get(name) is not None
            or (state.names_shown and name in _RAISED)
        ):
            return super().get_option(name, context, sort_options)
        own = own_cache(self)
        key = ("plain option", name, context, state.hooks.no_et_al)
        value = own.get(key, own)
        if value is own:
            value = own[key] = super().get_option(name, context, sort_options)
        return value


class NamesShownForDisambiguation(ElementMixin):
    """cs:name (18): ``et-al-use-first`` raised to the names the entry must show, and
    ``et-al-min`` above them (54: citeproc-js prints a list shown whole without "et al.")."""

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = super().get_option(name, context, sort_options)
        if name in _RAISED and sort_options is None:
            state = state_of(self)
            entry = state.entry
            shown = state.names_shown.get(entry.get("key", "")) if entry else None
            # (a list never cut, et-al-min 0, stays whole)
            if shown and value and shown + _RAISED[name] > value:
                # (et-al-min above the names shown: a list shown whole has no "et al.")
                return shown + _RAISED[name]
        return value

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kw: Any
    ) -> Any:
        names = item.reference.get(variable)
        full = self._full_givens(item, variable, names, context, sort_options)
        if not full:
            return super().process(item, variable, context=context, sort_options=sort_options, **kw)
        item.reference[variable] = [
            _written_out(name) if index in full and name.get("given") else name
            for index, name in enumerate(names)
        ]
        try:
            return super().process(item, variable, context=context, sort_options=sort_options, **kw)
        finally:
            item.reference[variable] = names

    def _full_givens(
        self, item: Any, variable: str, names: Any, context: Any, sort_options: Any
    ) -> set[int]:
        """(55) The names whose given names citeproc-js writes out whole: the levels the
        entry's citation reached (2), or a clash within the entry (names at level 0, and
        every clash in sort keys)."""
        state = state_of(self)
        if not (state.givens_in_entry and names):
            return set()
        if self.get_option("initialize-with", context, sort_options) is None:
            return set()
        clashing = _clashing_givens(item, names)
        if sort_options is not None or variable != _cite_variable(item):
            return clashing
        levels = state.given_levels.get(getattr(item, "key", ""), ())
        return {
            index
            for index in range(len(names))
            if (levels[index] if index < len(levels) else 0) == 2
            or (index in clashing and (index >= len(levels) or levels[index] == 0))
        }

    def initialize(self, given: str, mark: str, context: Any) -> str:
        if given.startswith(_WRITTEN_OUT):
            return given[len(_WRITTEN_OUT) :]
        return super().initialize(given, mark, context)


#: marks a given name to be printed whole (stripped where the name is initialised)
_WRITTEN_OUT = "\u2063"


def _written_out(name: Any) -> Any:
    fields = dict(name)
    fields["given"] = _WRITTEN_OUT + str(fields["given"])
    return SourceName(**fields)


def _cite_variable(item: Any) -> str:
    return "author" if item.reference.get("author") else "editor"


class DisambiguateCondition(ElementMixin):
    """cs:if / cs:else-if (19): ``disambiguate`` is true only for still-ambiguous entries."""

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        wanted = self.get("disambiguate")
        if wanted is not None and self.get("match", "all") == "all":
            ambiguous = getattr(item, "key", None) in state_of(self).ambiguous
            if ambiguous != (wanted.lower() == "true"):
                raise model.ConditionFailed
        return super().render(item, context=context, delimiter=delimiter, **kwargs)


def _explicit_year_suffix(root: Any) -> bool:
    cached = root.__dict__.get("_publist_explicit_suffix")
    if cached is None:
        cached = bool(root.xpath_search('.//cs:text[@variable="year-suffix"]'))
        root.__dict__["_publist_explicit_suffix"] = cached
    return cached


class ImplicitYearSuffix(ElementMixin):
    """cs:date (14): the year suffix after the first year of ``issued``."""

    def process(
        self,
        item: Any,
        variable: str | None = None,
        show_parts: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        text = super().process(
            item, variable=variable, show_parts=show_parts, context=context, **kwargs
        )
        name = variable if variable is not None else self.get("variable")
        if text is None or name != "issued" or self.is_locale_date():
            return text
        try:
            suffix = item.reference.get("year_suffix")
            root = self.get_root()
            layout = (context if context is not None else self).get_layout()
        except (IndexError, AttributeError):
            return text
        if not suffix or layout.repressed.get(_SUFFIX_DONE) or _explicit_year_suffix(root):
            return text
        issued = item.reference.issued
        year = str(issued.get("year", "")) if hasattr(issued, "get") else ""
        rendered = str(text)
        if year and year in rendered:
            layout.repressed[_SUFFIX_DONE] = True
            at = rendered.index(year) + len(year)
            return string.String(rendered[:at] + suffix + rendered[at:])
        return text
