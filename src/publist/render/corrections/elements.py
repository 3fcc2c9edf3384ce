"""publist's CSL style: citeproc-py's element classes with publist's corrections mixed in.

citeproc-py builds a style's element objects through an lxml class lookup keyed by CSL tag
(``citeproc/frontend.py``).  :class:`PublistStyle` parses the style and its locales with a
lookup of its own, whose classes are composed here: :data:`CORRECTIONS` is **the one place
to read what publist changes in each CSL element** (mixins listed first win, each calls
``super()``), :data:`SPEED` the memoisation mixins (no change in output), :data:`SPEED_FIRST`
the few that memoise what the corrections give.  citeproc-py's own
classes are untouched, so a plain ``citeproc.CitationStylesStyle`` renders as shipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from citeproc import model
from citeproc.frontend import CitationStylesStyle, CitationStylesXML
from lxml import etree

from ..formatters import DISPLAY_KINDS
from . import (
    dates,
    decorations,
    disambiguation,
    display,
    groups,
    labels,
    layout,
    longlists,
    names,
    numbers,
    punctuation,
    sorting,
    substitution,
    textcase,
    variables,
)
from .memo import (
    BranchesTestedFirst,
    ChildrenListed,
    MemoisedCallsVariable,
    MemoisedConditions,
    MemoisedElement,
    MemoisedFormatting,
    MemoisedTerms,
    MemoisedTermText,
    TextProcessed,
    UnquotedText,
    own_cache,
)
from .state import ElementMixin, RenderState

CSL_NS = "http://purl.org/net/xbiblio/csl"
_AFFIX = punctuation.PunctuationInQuote
_TITLE = textcase.TitleCase

#: CSL element → correction mixins (see the table in publist/render/corrections/__init__.py)
CORRECTIONS: dict[str, tuple[type, ...]] = {
    "layout": (layout.EntriesApart, _AFFIX, display.SuffixInsideDisplay),
    "text": (
        display.DisplayedApart,
        groups.VariableCounted,
        sorting.SortOptionsThroughMacros,
        punctuation.NestedQuotes,
        numbers.PageRangeFormat,
        _TITLE,
        _AFFIX,
    ),
    "number": (
        display.DisplayedApart,
        groups.VariableCounted,
        numbers.PageRangeFormat,
        _TITLE,
        _AFFIX,
    ),
    "date": (
        display.DisplayedApart,
        groups.VariableCounted,
        disambiguation.ImplicitYearSuffix,
        dates.LocaleDateDelimiter,
        _AFFIX,
        dates.DateRangeDelimiter,
        substitution.SuppressedDate,
    ),
    "date-part": (_TITLE, _AFFIX, dates.DayOrdinalGender),
    "names": (
        display.DisplayedApart,
        groups.VariableCounted,
        layout.FirstNamesRecorded,
        substitution.SuppressedNames,
        _AFFIX,
    ),
    "name": (
        disambiguation.NamesShownForDisambiguation,
        sorting.NameSortOptions,
        names.NameListAdjustments,
        names.Initials,
        _AFFIX,
        layout.NameTextRecorded,
    ),
    "name-part": (_TITLE, _AFFIX),
    "et-al": (_AFFIX,),
    "label": (labels.LabelOfPresentVariable, _TITLE, _AFFIX),
    "group": (display.DisplayedApart, groups.SuppressedGroup, _AFFIX),
    "substitute": (substitution.SuppressingSubstitute,),
    "if": (disambiguation.DisambiguateCondition,),
    "else-if": (disambiguation.DisambiguateCondition,),
    "key": (sorting.SortKeysWithoutTerms, longlists.NameKeyCutByEtAl),
    "sort": (sorting.CollatedSort,),
}
for _tag in ("text", "number", "date", "date-part", "names", "name", "name-part", "label", "group"):
    CORRECTIONS[_tag] = CORRECTIONS[_tag] + (decorations.ExplicitBaseline,)
CORRECTIONS["text"] = CORRECTIONS["text"] + (numbers.NumberRangeDelimiter,)
CORRECTIONS["text"] = CORRECTIONS["text"] + (variables.YearSuffixOnLabel,)


class _NameChildEnsured(ElementMixin):
    """cs:names without cs:name: citeproc-py inserts a stock ``Name()`` on every call (its
    corrections would be missing); publist inserts its own cs:name once."""

    def process(self, item: Any, names_context: Any = None, context: Any = None, **kw: Any) -> Any:
        holder = names_context if names_context is not None else self
        own = own_cache(holder)
        if "name ensured" not in own:
            if holder.find("cs:name", self.nsmap) is None:
                holder.insert(0, holder.makeelement(f"{{{CSL_NS}}}name"))
            own["name ensured"] = True
        return super().process(item, names_context=names_context, context=context, **kw)


class _ChildLookupsKept(ElementMixin):
    """cs:names: ``names.name`` and ``names.label`` (citeproc-py finds the child by XPath for
    every entry) looked up once, when the cs:name is ensured (a cs:names's children change
    only there, :class:`_NameChildEnsured`)."""

    def __getattr__(self, name: str) -> Any:
        own = own_cache(self)
        if "name ensured" not in own:
            return super().__getattr__(name)
        key = ("child", name)
        if key not in own:
            own[key] = super().__getattr__(name)
        return own[key]


_CALLS = (MemoisedCallsVariable,)
_FORMATTED = (MemoisedFormatting,)
#: CSL element → speed mixins (after the corrections, before citeproc-py's class)
SPEED: dict[str, tuple[type, ...]] = {
    "macro": _CALLS + (ChildrenListed,),
    "layout": _CALLS + _FORMATTED + (ChildrenListed,),
    "text": _CALLS + _FORMATTED + (TextProcessed, UnquotedText),
    "number": _FORMATTED,
    "date": _FORMATTED,
    "date-part": _FORMATTED,
    "names": (_NameChildEnsured, _ChildLookupsKept) + _FORMATTED,
    "name": (names.MemoisedNameOptions,) + _FORMATTED,
    "name-part": _FORMATTED,
    "et-al": _FORMATTED,
    "label": _FORMATTED,
    "group": _FORMATTED,
    "substitute": _CALLS,
    "choose": _CALLS + (BranchesTestedFirst,),
    "if": _CALLS + (MemoisedConditions, ChildrenListed),
    "else-if": _CALLS + (MemoisedConditions, ChildrenListed),
    "else": _CALLS + (ChildrenListed,),
    "term": (MemoisedTermText,),
}


#: CSL element → speed mixins that must see a call before the corrections do (they call the
#: corrections once and keep what they give; no change in output)
SPEED_FIRST: dict[str, tuple[type, ...]] = {"name": (disambiguation.PlainNameOptions,)}


def _stock_classes() -> dict[str, type]:
    return {
        cls.__name__.replace("_", "-").lower(): cls
        for cls in model.CitationStylesElement.__subclasses__()
    }


def _mixins(tag: str) -> tuple[type, ...]:
    # (cs:locale's own get_term takes other arguments: its terms are memoised by the
    # elements that ask)
    terms = () if tag == "locale" else (MemoisedTerms,)
    return (
        SPEED_FIRST.get(tag, ())
        + CORRECTIONS.get(tag, ())
        + SPEED.get(tag, ())
        + terms
        + (MemoisedElement,)
    )


def _compose(tag: str, stock: type, mixins: tuple[type, ...] | None = None) -> type:
    mixins = _mixins(tag) if mixins is None else mixins
    for mixin in mixins:
        methods = [n for n, v in vars(mixin).items() if callable(v) and not n.startswith("__")]
        if methods and not any(hasattr(stock, n) for n in methods):
            # the seam this mixin overrides is gone: a citeproc-py release changed its model
            raise RuntimeError(f"citeproc-py's {stock.__name__} has none of {methods}")
    name = "Publist" + stock.__name__.replace("_", "")
    return type(name, (*mixins, stock), {"__module__": __name__})


_STOCK = _stock_classes()
ELEMENT_CLASSES: dict[str, type] = {tag: _compose(tag, cls) for tag, cls in _STOCK.items()}
#: every element that is not one of citeproc-py's classes (cs:info, cs:terms, …).  (A direct
#: subclass of CitationStylesElement, so citeproc-py's own lookup lists it too, under the tag
#: "publist-generic", which no CSL file has.)
Publist_Generic = type(
    "Publist_Generic", (MemoisedElement, model.CitationStylesElement), {"__module__": __name__}
)

#: Speed: mixin → the elements it can change anything for, decided once per element when
#: lxml makes its object (an element the rule leaves out gets a class without that mixin,
#: and no call through it); a mixin not listed applies to every element of its tags.  Each
#: rule is the mixin's own first test, which returns citeproc-py's result unchanged when it
#: fails (tests/test_render_speed.py renders with and without this table).
APPLIES: dict[type, Callable[[Any], bool]] = {
    display.DisplayedApart: lambda e: e.get("display") in DISPLAY_KINDS,
    groups.VariableCounted: lambda e: (
        e.get("variable", e.get("macro")) not in (None, "year-suffix")
    ),
    sorting.SortOptionsThroughMacros: lambda e: e.get("macro") is not None,
    punctuation.NestedQuotes: lambda e: e.get("quotes", "false").lower() == "true",
    decorations.ExplicitBaseline: lambda e: e.get("vertical-align") == "baseline",
    disambiguation.DisambiguateCondition: lambda e: e.get("disambiguate") is not None,
}
#: citeproc-py copies a style's cs:date-part attributes onto the locale's while rendering
#: (Date_Part.process): their classes cannot be decided from the attributes they are made with
_ATTRIBUTES_CHANGE = frozenset({"date-part"})
_VARIANTS: dict[tuple[str, tuple[type, ...]], type] = {}


def _element_class(tag: str, element: Any) -> type:
    """The class for one element of ``tag``: its tag's mixins less those :data:`APPLIES`
    rules out for it."""
    mixins = _mixins(tag)
    if tag not in _ATTRIBUTES_CHANGE:
        mixins = tuple(m for m in mixins if m not in APPLIES or APPLIES[m](element))
    found = _VARIANTS.get((tag, mixins))
    if found is None:
        found = _VARIANTS[tag, mixins] = _compose(tag, _STOCK[tag], mixins)
    return found


class _ElementLookup(etree.PythonElementClassLookup):
    """CSL elements get their class by tag and attributes (:func:`_element_class`)."""

    def lookup(self, document: Any, element: Any) -> Any:
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith(_CSL_PREFIX):
            return None  # (the fallback: lxml's own classes)
        local = tag[len(_CSL_PREFIX) :]
        if local not in _STOCK:
            return Publist_Generic
        return _element_class(local, element)


_CSL_PREFIX = "{" + CSL_NS + "}"


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
    parser.set_element_class_lookup(_ElementLookup())
    return parser


class _PublistXML(CitationStylesXML):
    """citeproc-py's XML loading with publist's element classes (validation: never, publist
    checks styles itself, render/styles.py)."""

    def __init__(self, f: Any, validate: bool = False) -> None:
        self.parser = _parser()
        self.xml = etree.parse(f, self.parser)
        self.root = self.xml.getroot()


class PublistStyle(CitationStylesStyle, _PublistXML):
    """A CSL style whose elements carry publist's corrections, holding its :class:`RenderState`.

    (``CitationStylesStyle.__init__`` calls ``super().__init__``, which the method resolution
    order sends to :class:`_PublistXML`; the locales are parsed with the same lookup.)"""

    def __init__(self, style: Any, locale: str | None = None, state: RenderState | None = None):
        CitationStylesStyle.__init__(self, style, locale=locale, validate=False)
        self.state = state if state is not None else RenderState()
        self.root.__dict__["publist_state"] = self.state
        self._reparse_system_locales()
        self._keep_element_objects()

    def _keep_element_objects(self) -> None:
        """Speed: every element's object kept alive with the style, so lxml hands back the
        same one (and its memo) each time instead of making a new one through the class
        lookup (:class:`_ElementLookup`)."""
        kept = [element for element in self.root.iter() if isinstance(element.tag, str)]
        for locale in self.root.locales:
            if locale.getroottree().getroot() is not self.root:
                kept += [e for e in locale.iter() if isinstance(e.tag, str)]
        self.root.__dict__["_publist_elements"] = kept

    def _reparse_system_locales(self) -> None:
        locales = []
        for locale in self.root.locales:
            if locale.getroottree().getroot() is not self.root:  # a locale file
                url = locale.getroottree().docinfo.URL
                locale = _PublistXML(os.fsdecode(url)).root
                locale.style = self.root
            locales.append(locale)
        self.root.locales = locales
