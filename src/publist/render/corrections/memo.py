"""Speed: lookups citeproc-py repeats for every entry, memoised (no change in output).

A style's tree never changes shape while it renders, so what an XPath lookup, the root, the
formatter, ``calls_variable`` or a condition's attribute list gives for an element is computed
once.  The caches live on lxml's proxy objects; a proxy is kept alive from the root's memo, so
lxml hands back the same object (and its cache) for that node from then on.  Tested by the
byte-identical output of the conformance tests (tests/test_conformance.py) and
tests/test_render_scoped.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc import model, source, string
from citeproc.source import VariableError

from .state import ElementMixin


def _memo(element: Any) -> dict[Any, Any]:
    """A cache that lives on the element's tree root (dropped with the style)."""
    root = element.getroottree().getroot()
    cache = root.__dict__.get("_publist_memo")
    if cache is None:
        cache = root.__dict__["_publist_memo"] = {}
    return cache


def own_cache(element: Any) -> dict[Any, Any]:
    """A cache on the element's proxy object (kept alive from the root's memo)."""
    own = element.__dict__.get("_publist_own")
    if own is None:
        own = element.__dict__["_publist_own"] = {}
        _memo(element)[("keep", element)] = element
    return own


class MemoisedElement(ElementMixin):
    """Every element: XPath results, root and formatter looked up once."""

    def xpath_search(self, expression: str) -> Any:
        own = own_cache(self)
        found = own.get(expression)
        if found is None:
            found = own[expression] = super().xpath_search(expression)
        return found

    def get_root(self) -> Any:
        attributes = self.__dict__
        root = attributes.get("_publist_root")
        if root is None:
            root = attributes["_publist_root"] = self.getroottree().getroot()
            own_cache(self)  # keeps this proxy (and so its cached root) alive
        return root

    def get_formatter(self) -> Any:
        # one formatter per style object (publist builds a style per rendering)
        attributes = self.__dict__
        formatter = attributes.get("_publist_formatter")
        if formatter is None:
            formatter = super().get_formatter()
            if formatter is not None:
                attributes["_publist_formatter"] = formatter
                own_cache(self)
        return formatter


_FORMATTING = (
    ("font-style", "normal", {"italic": "Italic", "oblique": "Oblique"}),
    ("font-variant", "normal", {"small-caps": "SmallCaps"}),
    ("font-weight", "normal", {"bold": "Bold", "light": "Light"}),
    ("text-decoration", "none", {"underline": "Underline"}),
    ("vertical-align", "baseline", {"sup": "Superscript", "sub": "Subscript"}),
)


class MemoisedFormatting(ElementMixin):
    """Formatted elements: citeproc-py's ``format`` with the element's wrappers found once."""

    def format(self, text: Any) -> Any:
        if isinstance(text, (int, float)):
            text = str(text)
        own = own_cache(self)
        wrappers = own.get("wrappers")
        if wrappers is None:
            formatter = self.get_formatter()
            wrappers = own["wrappers"] = [
                getattr(formatter, names[value])
                for attribute, default, names in _FORMATTING
                if (value := self.get(attribute, default)) in names
            ]
        for wrap in wrappers:
            text = wrap(text)
        return text


class MemoisedTerms(ElementMixin):
    """Style elements: a term and a locale option looked up once per style (citeproc-py runs
    an XPath query in each locale for every term it prints: 40,000 queries for 2,000 IEEE
    entries).  Not on cs:locale, whose own ``get_term`` has another signature."""

    def get_term(
        self, name: str, form: Any = None, fallback_locale: bool = True, zero_padded: bool = False
    ) -> Any:
        root = self.get_root()
        terms = root.__dict__.get("_publist_terms")
        if terms is None:
            terms = root.__dict__["_publist_terms"] = {}
        key = (name, form, fallback_locale, zero_padded)
        try:
            return terms[key]
        except KeyError:
            found = terms[key] = super().get_term(name, form, fallback_locale, zero_padded)
            return found

    def get_locale_option(self, name: str) -> Any:
        # (punctuation-in-quote is asked by every cs:text citeproc-py quotes or not)
        root = self.get_root()
        options = root.__dict__.get("_publist_locale_options")
        if options is None:
            options = root.__dict__["_publist_locale_options"] = {}
        try:
            return options[name]
        except KeyError:
            found = options[name] = super().get_locale_option(name)
            return found


#: what a cs:text prints, in the order citeproc-py's Text.process looks for it
_TEXT_SOURCES = ("variable", "macro", "term", "value")


class TextProcessed(ElementMixin):
    """cs:text: citeproc-py's ``Text.process`` with what the element prints found once, and
    the item's language read without raising VariableError for the (usual) item without one."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        if context is None:
            context = self
        own = own_cache(self)
        source_kind = own.get("text source")
        if source_kind is None:
            source_kind = own["text source"] = next(
                (kind for kind in _TEXT_SOURCES if self.get(kind) is not None), ""
            )
        language = item.reference.get("language")
        if language is None:
            language = own.get("default language")
            if language is None:
                language = own["default language"] = self.get_root().get("default-locale", "en")
        if source_kind == "variable":
            text = self._variable(item, context)
        elif source_kind == "macro":
            text = self.get_macro(self.get("macro")).render(item, context)
        elif source_kind == "term":
            text = self._term(item)
        elif source_kind == "value":
            text = string.String(self.preformat(self.get("value")))
        else:  # (nothing to print: citeproc-py's own failure)
            return super().process(item, context=context, **kwargs)
        return text, language[:2]


class UnquotedText(ElementMixin):
    """cs:text without ``quotes="true"``: citeproc-py's ``quote`` gives the text back as it
    is, after reading the punctuation-in-quote option it does not use."""

    def quote(self, text: Any) -> Any:
        if self.get("quotes", "false").lower() != "true":
            return text
        return super().quote(text)


def _term_text(term: Any, which: str) -> str:
    """``term.single`` or ``term.multiple`` as citeproc-py makes it, kept per formatter."""
    formatter = term.get_formatter()
    own = own_cache(term)
    kept = own.get(which)
    if kept is None or kept[0] is not formatter:
        stock = getattr(model.Term, which)
        kept = own[which] = (formatter, str(stock.fget(term)))
    text: str = kept[1]
    return text


class MemoisedTermText(ElementMixin):
    """cs:term: its singular and plural text read once per formatter (a new String each
    time, as ``Term.single`` and ``Term.multiple`` return)."""

    @property
    def single(self) -> Any:
        return string.String(_term_text(self, "single"))

    @property
    def multiple(self) -> Any:
        return string.String(_term_text(self, "multiple"))


class MemoisedCallsVariable(ElementMixin):
    """Parents and cs:text: whether a variable is called below, computed once."""

    def calls_variable(self) -> Any:
        own = own_cache(self)
        found = own.get("calls")
        if found is None:
            found = own["calls"] = super().calls_variable()
        return found


class MemoisedConditions(ElementMixin):
    """cs:if / cs:else-if: the listed types and variables split once."""

    def _type(self, item: Any) -> list[bool]:
        own = own_cache(self)
        types = own.get("types")
        if types is None:
            types = own["types"] = [t.lower() for t in self.get("type").split()]
        kind = item.reference.type
        return [t == kind for t in types]

    def _variable(self, item: Any) -> list[bool]:
        own = own_cache(self)
        variables = own.get("variables")
        if variables is None:
            variables = own["variables"] = [
                v.replace("-", "_") for v in self.get("variable").split()
            ]
        reference = item.reference
        return [("locator" in item) if v == "locator" else (v in reference) for v in variables]


#: what a branch may carry for its condition to be tested here: citeproc-py's type and
#: variable tests (as :class:`MemoisedConditions` makes them) and ``match``
_PLAIN_TESTS = frozenset({"type", "variable", "match"})
#: the classes that may define a branch's ``render``, ``_type`` or ``_variable`` for the test
#: here to be the one the branch would make (``DisambiguateCondition`` acts only on
#: ``disambiguate``, which a plain branch does not carry)
_KNOWN_BRANCH_CLASSES = frozenset(
    {"DisambiguateCondition", "MemoisedConditions", "If", "CitationStylesElement"}
)


def _always(item: Any) -> bool:
    return True


def _branch_test(branch: Any) -> Callable[[Any], bool] | None:
    """A cs:if / cs:else-if condition as a function (cs:else: always true), or None when the
    branch must be asked itself (other tests: is-numeric, position, disambiguate…; or a
    class publist does not know defines how it is tested)."""
    if isinstance(branch, model.Else):
        owners = {c.__name__ for c in type(branch).__mro__ if "render" in vars(c)}
        return _always if owners <= {"Else", "CitationStylesElement"} else None
    if not isinstance(branch, model.If) or not set(branch.attrib.keys()) <= _PLAIN_TESTS:
        return None
    for method in ("render", "_type", "_variable"):
        owners = {c.__name__ for c in type(branch).__mro__ if method in vars(c)}
        if not owners <= _KNOWN_BRANCH_CLASSES:
            return None
    types = [t.lower() for t in branch.get("type").split()] if "type" in branch.attrib else []
    variables = (
        [v.replace("-", "_") for v in branch.get("variable").split()]
        if "variable" in branch.attrib
        else []
    )
    return _condition(types, variables, branch.get("match"))


def _condition(types: list[str], variables: list[str], match: str | None) -> Callable[[Any], bool]:
    """citeproc-py's If.render test: a result per type (``type == item's``), then one per
    variable (present), combined by ``match`` ("any", "none", else all)."""
    kinds = frozenset(types)
    names = tuple(v for v in variables if v != "locator")
    locator = "locator" in variables

    def any_true(item: Any) -> bool:
        reference = item.reference
        return (
            (bool(kinds) and reference["type"] in kinds)
            or any(v in reference for v in names)
            or (locator and "locator" in item)
        )

    if match == "any":
        return any_true
    if match == "none":
        return lambda item: not any_true(item)
    if len(kinds) > 1:  # (every type must equal the item's: never)
        return lambda item: False
    kind = next(iter(kinds), None)

    def all_true(item: Any) -> bool:
        reference = item.reference
        return (
            (kind is None or reference["type"] == kind)
            and all(v in reference for v in names)
            and (not locator or "locator" in item)
        )

    return all_true


class ChildrenListed(ElementMixin):
    """cs:macro, cs:layout and the branches of cs:choose: citeproc-py's ``render_children``
    over the element's children listed once (with which of them is a cs:choose), not found
    again on every render.  (Their children never change; cs:names, which gets a cs:name
    inserted, is not one of them.)"""

    def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        own = own_cache(self)
        children = own.get("children")
        if children is None:
            children = own["children"] = [
                (child, isinstance(child, model.Choose)) for child in self.iterchildren()
            ]
        output = []
        for child, choose in children:
            try:
                if choose:
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
                if text is not None:
                    output.append(text)
            except VariableError:
                pass
        if output:
            return model.join(output, delimiter)  # (looked up here: module_level replaces it)
        return None


class BranchesTestedFirst(ElementMixin):
    """cs:choose: each branch's condition tested before the branch is rendered, so a branch
    whose condition fails costs one test instead of a render call through every mixin and a
    ConditionFailed exception (Chicago's long choose chains); the branch taken renders as
    citeproc-py renders it.  Branches with other tests are asked as citeproc-py asks them."""

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        own = own_cache(self)
        branches = own.get("branches")
        if branches is None:
            branches = own["branches"] = [(b, _branch_test(b)) for b in self.iterchildren()]
        for branch, test in branches:
            if test is None:
                try:
                    return branch.render(item, context=context, delimiter=delimiter, **kwargs)
                except model.ConditionFailed:
                    continue
            elif test(item):
                # (what the branch's render does once its condition holds: _branch_test
                # gives a test only where that is citeproc-py's If.render or Else.render)
                return branch.render_children(item, context=context, delimiter=delimiter, **kwargs)
        return None


class CachedCitationItem(source.CitationItem):
    """A citation item whose reference is looked up once (citeproc-py looks it up through the
    citation and the bibliography on every condition test; an item's reference never
    changes).  publist creates its own citation items, so this is a subclass, not a patch."""

    @property
    def reference(self) -> Any:
        try:
            return dict.__getitem__(self, "_publist_reference")
        except KeyError:
            reference = self.bibliography.source[self.key]
            dict.__setitem__(self, "_publist_reference", reference)
            return reference

    def _numbers(self) -> dict[str, int]:
        """Each registered key's citation number (citeproc-py searches the list of keys for
        every number it prints and every citation it checks)."""
        bibliography = self.bibliography
        keys = bibliography.keys
        kept = bibliography.__dict__.get("_publist_numbers")
        if kept is None or kept[0] is not keys or kept[1] != len(keys):
            numbers: dict[str, int] = {}
            for position, key in enumerate(keys, 1):
                numbers.setdefault(key, position)  # (the first, as list.index finds it)
            kept = bibliography.__dict__["_publist_numbers"] = (keys, len(keys), numbers)
        found: dict[str, int] = kept[2]
        return found

    @property
    def number(self) -> int:
        try:
            return self._numbers()[self.key]
        except KeyError:
            raise ValueError(f"{self.key!r} is not in list") from None

    def is_bad(self) -> bool:
        return self.key not in self._numbers()
