"""Disambiguation and year suffixes: computed here before the entries are rendered
(:func:`disambiguate`), consumed here while they are (the mixins below).

citeproc-py 0.11 does not disambiguate; citeproc-js does, and what it decides shows in the
bibliography.  Corrections 14, 18, 19 and the year-suffix assignment:

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
  at the second name, its second half starts from where the first half left); for the
  ``by-cite`` rule in styles without ``<if disambiguate>`` (Harvard), others keep 18's
  fewest names.  Test:
  tests/test_render_fidelity_long.py "names added as citeproc-js widens an ambiguous group";
- 19. ``<if disambiguate="true">`` is taken only for entries the other steps could not tell
  apart (CSL 1.0.2 "Choose": disambiguate; citeproc-py took it always, so every MLA citation
  carried its title).  Test: the conformance fixtures (MLA).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from citeproc import Citation, model, string

from ...model import Item, date_parts
from ..parallel import map_chunks
from .memo import CachedCitationItem
from .state import ElementMixin, RenderState, state_of
from .substitution import NAMES_KEY, variables_under

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


# givenname-disambiguation-rule → (what the first name can show, what the others can)
_GIVEN_SHOWN = {
    "all-names": ("full", "full"),
    "all-names-with-initials": ("initials", "initials"),
    "primary-name": ("full", "none"),
    "primary-name-with-initials": ("initials", "none"),
    "by-cite": ("full", "full"),
}


def _citable_names(citation: Any, item: Item) -> tuple[Any, ...]:
    """The item's names as far as its citation can tell them apart (CSL 1.0.2
    "Disambiguation": names added, given names as the givenname-disambiguation-rule allows):
    two items whose lists agree here read alike however many names are shown, and need a
    year suffix (APA ``Åberg, Lukas, & Garcia`` for ``J. Garcia`` and ``M. Garcia``)."""
    names = item.get("author") or item.get("editor") or []
    first, others = ("none", "none")
    if _option(citation, "disambiguate-add-givenname"):
        rule = citation.get("givenname-disambiguation-rule", "by-cite")
        first, others = _GIVEN_SHOWN.get(rule, ("full", "full"))
    return tuple(_shown_name(n, first if i == 0 else others) for i, n in enumerate(names))


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


def _names_to_show(
    citation: Any, bibliography: Any, by_key: Mapping[str, Item], extra_text: bool
) -> tuple[dict[str, int], frozenset[str]]:
    """Entries whose citations read alike show the names their group's widening reached
    (18, 53); also the entries it told apart."""
    if not _option(citation, "disambiguate-add-names"):
        return {}, frozenset()
    groups: dict[str, list[str]] = {}
    for key in bibliography.keys:
        groups.setdefault(_cite_text(bibliography, key), []).append(key)
    by_cite = _option(citation, "disambiguate-add-givenname") and (
        citation.get("givenname-disambiguation-rule", "by-cite") == "by-cite"
    )
    shown: dict[str, int] = {}
    apart: set[str] = set()
    for keys in groups.values():
        if len(keys) < 2:
            continue
        if not by_cite or extra_text:
            # (other rules: citeproc-js sets given names first; with <if disambiguate> it
            # re-runs the widening with the extra text: neither modelled step by step)
            fewest = _fewest_names(citation, keys, by_key)
            shown.update(fewest)
            apart |= set(fewest)
            continue
        names = {k: tuple(by_key[k].get("author") or by_key[k].get("editor") or []) for k in keys}
        widening = _GroupWidening(names, _use_first(citation), _et_al_min(citation), by_cite)
        widening.run()
        shown.update(widening.shown)
        apart |= widening.apart
    return shown, frozenset(apart)


def _fewest_names(citation: Any, keys: list[str], by_key: Mapping[str, Item]) -> dict[str, int]:
    """Each entry of a group with the fewest names that tell it apart (18)."""
    names = {k: _citable_names(citation, by_key[k]) for k in keys}
    shown: dict[str, int] = {}
    for key in keys:
        others = [n for k, n in names.items() if k != key]
        count = _names_telling_apart(names[key], others, _et_al_min(citation))
        if count:
            shown[key] = count
    return shown


def _et_al_min(citation: Any) -> int:
    value = str(citation.get("et-al-min", "") or "")
    return int(value) if value.isdigit() else 0


def _cited_names(names: tuple[Any, ...], count: int, et_al_min: int) -> tuple[Any, ...]:
    """The names a citation showing ``count`` of them prints, "et al." marked: a list
    shorter than et-al-min is printed whole."""
    if not et_al_min or len(names) < et_al_min or count >= len(names):
        return names
    return (*names[:count], "et al.")


def _use_first(citation: Any) -> int:
    value = str(citation.get("et-al-use-first", "") or "")
    return int(value) if value.isdigit() else 1


def _cited_with_givens(
    names: tuple[Any, ...], count: int, givens: list[int], et_al_min: int
) -> tuple[Any, ...]:
    """What a citation showing ``count`` names prints, the first names' given names at the
    level ``givens`` reached (0 none, 1 initials, 2 full: citeproc-js's by-cite levels)."""
    levels = ("none", "initials", "full")
    shown = tuple(
        _shown_name(name, levels[givens[i]] if i < len(givens) else "none")
        for i, name in enumerate(names)
    )
    return _cited_names(shown, count, et_al_min)


class _GroupWidening:
    """Names added to one group of citations that read alike, step by step as citeproc-js
    widens it (correction 53): a forward-only counter of names (and, for the ``by-cite``
    rule, of the first name's given-name level) grows one step at a time; whenever a step
    tells entries apart, the names reached so far become the group's "better" count, and an
    entry keeps the better count of the moment it was told apart, not the fewest names it
    would need alone."""

    def __init__(
        self, lists: dict[str, tuple[Any, ...]], use_first: int, et_al_min: int, by_cite: bool
    ) -> None:
        # citeproc-js orders a group by its entries' name counts (compared as text), then ids
        order = sorted(lists, key=lambda k: (str(len(lists[k])), k))
        self.lists = lists
        self.et_al_min = et_al_min
        self.names = self.better = use_first
        self.givens: list[int] = [0] if by_cite else []
        self.names_max = len(lists[order[0]])
        self.pending: list[list[str]] = [order]
        self.shown: dict[str, int] = {}
        self.apart: set[str] = set()

    def _cite(self, key: str) -> tuple[Any, ...]:
        if not self.givens:
            return _cited_names(self.lists[key], self.names, self.et_al_min)
        return _cited_with_givens(self.lists[key], self.names, self.givens, self.et_al_min)

    def _step(self, gname: int, skip: bool) -> tuple[int, bool]:
        if skip:
            return gname, False
        if self.givens and gname < len(self.givens) and self.givens[gname] < 2:
            self.givens[gname] += 1
        elif gname < self.names_max:
            self.names += 1
            gname += 1
        givens_done = gname >= len(self.givens) or self.givens[gname] == 2
        return gname, gname == self.names_max and givens_done

    def _told(self, keys: list[str]) -> None:
        for key in keys:
            self.shown[key] = self.better
            self.apart.add(key)

    def run(self) -> None:
        skip = first_list = True
        while self.pending:
            keys = self.pending[0]
            gname, clashes = 0, [1, 0]
            while keys:
                gname, maxed = self._step(gname, skip)
                skip = False
                mine = self._cite(keys[0])
                partners = [keys[0]] + [k for k in keys[1:] if self._cite(k) == mine]
                others = [k for k in keys[1:] if k not in partners]
                clashes = [clashes[1], len(partners) - 1]
                keys, skip = self._evaluate(keys, partners, others, clashes, maxed, first_list)
            self.pending.pop(0)
            first_list = False

    def _evaluate(
        self,
        keys: list[str],
        partners: list[str],
        others: list[str],
        clashes: list[int],
        maxed: bool,
        first_list: bool,
    ) -> tuple[list[str], bool]:
        if clashes[1] == 0:
            self.better = self.names
            self._told(partners + (others if len(others) == 1 else []))
            return ([] if len(others) == 1 else others), len(others) > 1
        if len(others) == 1:
            self.better = self.names
            self._told(others)
            return partners, False
        if clashes[1] < clashes[0]:
            self.better = self.names
            self.pending.append(others)
            return partners, False
        if maxed:
            # no more names to add: entries that no names could tell apart keep the last
            # better count (a year suffix tells them apart), the others what was reached
            alike = all(self.lists[k] == self.lists[keys[0]] for k in keys)
            reached = self.better if alike or not first_list else self.names
            for key in keys:
                self.shown[key] = reached
            return [], False
        return keys, False


def _names_telling_apart(
    own: tuple[Any, ...], others: list[tuple[Any, ...]], et_al_min: int
) -> int:
    """The fewest leading names that set ``own`` apart from every list of ``others`` (0 when
    none do): each entry as many as it needs, as citeproc-js splits an ambiguous group
    (``A, B, and C`` is apart from ``A, B, C, et al.``)."""
    for count in range(1, len(own) + 1):
        mine = _cited_names(own, count, et_al_min)
        if all(_cited_names(other, count, et_al_min) != mine for other in others):
            return count
    return 0


def _still_ambiguous(bibliography: Any, shown: Collection[str]) -> frozenset[str]:
    """Keys whose citations read alike even with names added: <if disambiguate> is for them."""
    groups: dict[str, list[str]] = {}
    for key in bibliography.keys:
        if key not in shown:
            groups.setdefault(_cite_text(bibliography, key), []).append(key)
    return frozenset(k for keys in groups.values() if len(keys) > 1 for k in keys)


def _year_suffixes(citation: Any, bibliography: Any, by_key: Mapping[str, Item]) -> None:
    """Two entries are ambiguous when their author lists and years are the same (styles that
    can add names) or when their citations render the same; suffixes follow the
    bibliography's order, as citeproc-js assigns them."""
    if not _option(citation, "disambiguate-add-year-suffix"):
        return
    add_names = _option(citation, "disambiguate-add-names")
    groups: dict[object, list[str]] = {}
    for key in bibliography.keys:
        item = by_key[key]
        parts = date_parts(item)
        year = parts[0] if parts else None
        if add_names:
            group: object = (_citable_names(citation, item), year)
        else:
            group = (_cite_text(bibliography, key), year)
        groups.setdefault(group, []).append(key)
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


def disambiguate(
    style: Any, bibliography: Any, workers: int, by_key: Mapping[str, Item], state: RenderState
) -> None:
    """Year suffixes into the items' data, names to show and the still-ambiguous entries into
    ``state``: everything the bibliography needs from disambiguation, for a sorted
    bibliography."""
    citation = style.root.citation
    if not (
        _option(citation, "disambiguate-add-names")
        or _option(citation, "disambiguate-add-year-suffix")
    ):
        state.names_shown = {}
        # (only <if disambiguate> reads the ambiguous entries: without one, none to find)
        asks = bool(style.root.xpath_search(".//cs:if[@disambiguate]|.//cs:else-if[@disambiguate]"))
        state.ambiguous = _still_ambiguous(bibliography, {}) if asks else frozenset()
        return
    _prepare_cites(citation, bibliography, workers, by_key)
    _year_suffixes(citation, bibliography, by_key)
    extra_text = bool(
        style.root.xpath_search(".//cs:if[@disambiguate]|.//cs:else-if[@disambiguate]")
    )
    state.names_shown, apart = _names_to_show(citation, bibliography, by_key, extra_text)
    state.ambiguous = _still_ambiguous(bibliography, apart)


class NamesShownForDisambiguation(ElementMixin):
    """cs:name (18): ``et-al-use-first`` raised to the names the entry must show."""

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = super().get_option(name, context, sort_options)
        if name == "et-al-use-first" and sort_options is None:
            state = state_of(self)
            entry = state.entry
            shown = state.names_shown.get(entry.get("key", "")) if entry else None
            if shown and shown > value:
                return shown
        return value


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
