"""Corrections around citeproc-py so that it prints what citeproc-js (Zotero's processor) prints.

Each correction is a narrowly scoped replacement of one citeproc-py method, applied once by
:func:`install`, documented here and tested on its own (tests/test_render_fidelity.py):

1. ``capitalize-first`` / ``capitalize-all`` change only lower-case words (CSL spec; citeproc-py
   capitalised ``arXiv`` to ``ArXiv``).
2. ``initialize="false"`` on cs:name keeps given names whole (Chicago, MLA: ``Botev, Aleksandar``).
3. Hyphenated given names with a lower-case second part initialise to the first initial
   (``Jean-bastien`` → ``J.``, not ``J.-. bastien .``); a word opening with several capitals
   before lower-case letters initialises as citeproc-js does it (``GUStavo`` → ``Gus.``).
4. Punctuation at a seam: ``?.`` / ``!.`` lose the period (``Imitation Learning?.``).
5. ``punctuation-in-quote`` (en-US and others): a comma or period after a closing quote moves
   inside it (``“Title,”``).
6. ``display="left-margin"`` / ``second-field-align``: the first field is rendered apart, so
   the number is not glued to the text (``[1] Gemma Team``; in HTML csl-left-margin and
   csl-right-inline blocks, as citeproc-js writes them).
7. ``cs:substitute`` suppresses every variable it substituted, inside macros and for names too
   (APA printed a substituted title twice; Chicago the substituted editors twice).
8. Quotes inside a quoted title become inner quotes (``“A ‘quoted’ word”``).
9. With ``initialize="false"``, initials written without a period get one (``Samuel L. Smith``).
10. A period after markup that already ends in one is dropped (``<i>et al.</i>.``).
11. ``cs:label`` of a variable the item lacks renders nothing (ACS printed ``p .``).
12. ``demote-non-dropping-particle="sort-only"`` demotes the particle in sort keys
    (``de Freitas`` sorts under F, as citeproc-js sorts it).
13. A localized date (``<date form="text">``) joins its parts with the locale's delimiter
    (NLM: ``2008 Nov``, not ``2008Nov``).
15. Title case as citeproc-js applies it: on English items (also when the language is unset,
    e.g. for labels: APA's ``(Eds.)``), on each part of a hyphenated word (``T-SNE``), after
    opening quotes (``‘Curly’``), keeping citeproc-js's stop words (``about``) lower-case.
17. ``subsequent-author-substitute``: an entry whose names repeat the previous entry's prints
    the substitute instead (MLA ``———.``), rule ``complete-all``.
18. Names added for disambiguation show in the bibliography too: when two entries' citations
    would read alike (MLA ``(Ramé et al.)``), both list as many names as tell them apart
    (``Ramé, Alexandre, Johan Ferret, et al.``), as citeproc-js prints them.  The caller finds
    how many (render/__init__.py) and sets :data:`NAMES_SHOWN`.
19. ``<if disambiguate="true">`` is taken only for entries that other means could not tell apart
    (citeproc-py took it always, so every MLA citation carried its title); the caller lists
    them in :data:`DISAMBIGUATE`.
20. Sort keys built from names leave out the "and" and "et al." terms (CSL spec), so
    ``de Freitas et al.`` sorts before ``de Freitas and Smith`` as in citeproc-js.
21. A suffix loses its periods in styles that initialise without them (NLM: ``Smith J Jr``).
22. No delimiter before "and" between two organisations
    (APA: ``ATLAS Collaboration & CMS Collaboration``), as citeproc-js prints it.
16. ``page-range-format`` minimal / minimal-two as the CSL spec defines them (MLA printed
    ``1–9`` for ``1-29``).
14. A year-suffix is printed after the first year of ``issued`` when the style does not place
    the ``year-suffix`` variable itself (Springer: ``(2024a)``), as the CSL spec says.
Speed (no change in output): XPath lookups (macros, ancestors) and ``calls_variable`` are
memoised per style tree, which never changes shape where those look.
Year-suffix disambiguation, typographic apostrophes and safe ids are done by the caller
(render/__init__.py).
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass

from citeproc import model, source, string
from citeproc.source import VariableError

#: quote characters that close a quotation, for punctuation-in-quote (set per render)
PUNCTUATION_IN_QUOTE: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "publist_piq", default=()
)
_installed = False


@dataclass
class Rendered:
    """One bibliography entry as plain strings (picklable: workers return these).

    ``left`` is the first field displayed apart (citation numbers), ``names`` the entry's
    first rendered name list (for subsequent-author-substitute, applied in order afterwards).
    """

    text: str
    left: str | None = None
    names: str | None = None


# 1. text-case on lower-case words only ------------------------------------------------------


def _capitalize_first(self):
    text = str(self)
    words = text.split(maxsplit=1)
    if not words or not words[0].islower():
        return self
    return self.__class__(text[0].upper() + text[1:])


# 2, 3. names -----------------------------------------------------------------------------------


def _initialize_option(name_element, context) -> bool:
    value = name_element.get("initialize")
    if value is None:
        expr = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
        holder = (context if context is not None else name_element).xpath_search(expr)
        value = holder[0].get("initialize") if holder else None
        if value is None:
            value = name_element.get_root().get("initialize")
    return (value or "true").lower() != "false"


def _initialize(self, given, mark, context):
    if not _initialize_option(self, context):
        period = mark.strip()
        words = []
        for word in given.split(" "):
            if period and len(word) == 1 and word.isupper():
                word += period
            words.append(word)
        return " ".join(words)
    if self.get_option("initialize-with-hyphen", context):
        hyphen_parts = given.split("-")
    else:
        hyphen_parts = [given.replace("-", " ")]
    result_parts = []
    for index, hyphen_part in enumerate(hyphen_parts):
        parts = hyphen_part.replace(".", " ").split()
        if index > 0 and parts and not parts[0][0].isupper():
            continue  # "Jean-bastien": the lower-case part after a hyphen is no initial
        result = ""
        group = []
        for part in parts:
            if part[0].isupper():
                # citeproc-js: a word opening with several capitals before lower-case letters
                # keeps that run, title-cased, as its "initial" (GUStavo → Gus.)
                run = re.match(r"^([A-Z]{2,})[a-z]", part)
                group.append(run.group(1).capitalize() if run else part[0])
            else:  # a particle inside the given name stays whole
                if group:
                    result += mark.join(group) + mark
                result += " " + part + " "
                group = []
        if group:
            result += mark.join(group) + mark
        result_parts.append(" ".join(result.split()))
    return "-".join(p for p in result_parts if p)


# 4, 5. seams and quotes ----------------------------------------------------------------------

_original_normalize_seam = string.normalize_seam


_TRAILING_MARKUP = re.compile(r"(?:</[a-z]+>|\*|\})+$")


def _normalize_seam(left, other):
    other = _original_normalize_seam(left, other)
    left_text, other_text = str(left), str(other)
    if left_text and other_text:
        visible = _TRAILING_MARKUP.sub("", left_text)
        if visible != left_text and visible.endswith(".") and other_text[0] == ".":
            return string._strip_first_char(other)  # "<i>et al.</i>" + "."
        last, first = left_text[-1], other_text[0]
        if last in "?!" and first == ".":
            return string._strip_first_char(other)
        quotes = PUNCTUATION_IN_QUOTE.get()
        if quotes and last in quotes and first in ".,":
            before = left_text[-2:-1]
            if (first == "." and before in ".?!") or (first == "," and before == ","):
                return string._strip_first_char(other)
    return other


def _move_into_quote(text, quotes):
    """``“Title”,`` → ``“Title,”`` (for locales with punctuation-in-quote)."""
    rendered = str(text)
    for quote in quotes:
        for mark in (".", ","):
            seam = quote + mark
            while seam in rendered:
                at = rendered.index(seam)
                before = rendered[at - 1 : at]
                # "Learning?" + "." → "Learning?"; "Learning?" + "," → "Learning?,"
                redundant = (mark == "." and before in ".?!") or (mark == "," and before == ",")
                replacement = quote if redundant else mark + quote
                rendered = rendered[:at] + replacement + rendered[at + len(seam) :]
    return rendered


_original_wrap = model.Affixed.wrap


def _wrap(self, text):
    result = _original_wrap(self, text)
    quotes = PUNCTUATION_IN_QUOTE.get()
    if result is not None and quotes and any(q in str(result) for q in quotes):
        moved = _move_into_quote(result, quotes)
        if moved != str(result):
            return string.String(moved)
    return result


_original_join = string.join


def _join(strings, delimiter=""):
    result = _original_join(strings, delimiter)
    quotes = PUNCTUATION_IN_QUOTE.get()
    if quotes and delimiter and delimiter[0] in ".," and any(q in str(result) for q in quotes):
        moved = _move_into_quote(result, quotes)
        if moved != str(result):
            return string.String(moved)
    return result


# 7. substitute ----------------------------------------------------------------------------------

_NAMES_KEY = "publist-names"


def _variables_under(element):
    """(tag, variable) of every variable an element renders, through macros."""
    found = []
    stack = [element]
    seen = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, model.CitationStylesElement):
            continue
        variable = node.get("variable")
        if variable:
            if isinstance(node, model.Names):
                found += [(_NAMES_KEY, v) for v in variable.split()]
            else:
                found += [(node.tag, v) for v in variable.split()]
        macro = node.get("macro")
        if macro and macro not in seen:
            seen.add(macro)
            stack.append(node.get_macro(macro))
        stack.extend(node.iterchildren())
    return found


def _add_to_repressed_list(self, child, context, item, text):
    layout = context.get_layout()
    direct = child.get("variable") is not None
    for tag, variable in _variables_under(child):
        if not direct:
            # through a macro: suppress only what the substitute actually printed
            value = item.reference.get(variable.replace("-", "_"))
            if (
                value is None
                or (isinstance(value, str) or hasattr(value, "words"))
                and str(value) not in str(text)
            ):
                continue
        layout.repressed.setdefault(tag, []).append(variable)


def _substitute_render(self, item, context=None, **kwargs):
    for child in self.getchildren():
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        if text:
            _add_to_repressed_list(self, child, context, item, text)
            return text
    return None


_original_names_process = model.Names.process


_FIRST_NAMES = "publist-first-names"
#: hooks for CV lists (render/cv.py): names as displayed (owner marked), text after the
#: first name list of an entry ("(942 authors)"), and et-al truncation turned off
NAME_TRANSFORM: contextvars.ContextVar = contextvars.ContextVar(
    "publist_name_transform", default=None
)
NAMES_AFTER: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "publist_names_after", default=None
)
NO_ET_AL: contextvars.ContextVar[bool] = contextvars.ContextVar("publist_no_et_al", default=False)
#: keys of the items still ambiguous after names were added (19)
DISAMBIGUATE: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "publist_disambiguate", default=frozenset()
)
#: item key → how many names its entry must show (18), set by the caller per render
NAMES_SHOWN: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "publist_names", default=None
)
#: what the entry being rendered has printed so far (its first names, for 17)
_CURRENT_ENTRY: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "publist_entry", default=None
)
_original_names_render = model.Names.render


def _names_render(self, item, *args, **kwargs):
    text = _original_names_render(self, item, *args, **kwargs)
    entry = _CURRENT_ENTRY.get()
    if text and entry is not None and _FIRST_NAMES not in entry:
        entry[_FIRST_NAMES] = str(text)
        after = (NAMES_AFTER.get() or {}).get(entry.get("key"))
        if after:
            return string.String(str(text) + after)
    return text


def _names_process(self, item, names_context=None, context=None, **kwargs):
    try:
        repressed = (context if context is not None else self).get_layout().repressed
    except (IndexError, AttributeError):
        repressed = {}
    hidden = repressed.get(_NAMES_KEY, [])
    present = [r for r in self.get("variable", "").split() if r.replace("-", "_") in item.reference]
    if hidden and present and all(role in hidden for role in present):
        raise VariableError  # already shown in place of another variable
    return _original_names_process(
        self, item, names_context=names_context, context=context, **kwargs
    )


# 8. nested quotes ----------------------------------------------------------------------------


def _quote(self, text):
    if self.get("quotes", "false").lower() != "true":
        return text
    outer_open = self.get_single_term(name="open-quote")
    outer_close = self.get_single_term(name="close-quote")
    inner_open = self.get_single_term(name="open-inner-quote")
    inner_close = self.get_single_term(name="close-inner-quote")
    inner = str(text)
    if outer_open and inner_open and (str(outer_open) in inner or '"' in inner):
        inner = inner.replace(str(outer_open), str(inner_open))
        inner = inner.replace(str(outer_close), str(inner_close))
        text = string.String(inner)
    return outer_open + text + outer_close


# 11. labels of absent variables ----------------------------------------------------------------

_original_label_process = model.Label.process


def _label_process(self, item, variable=None, plural=None, context=None, **kwargs):
    name = variable if variable is not None else self.get("variable")
    if (
        name
        and variable is None
        and name != "locator"
        and name.replace("-", "_") not in item.reference
    ):
        return None
    return _original_label_process(
        self, item, variable=variable, plural=plural, context=context, **kwargs
    )


# 12. sort-only particle demotion ------------------------------------------------------------

_original_name_get_option = model.Name.get_option


def _name_get_option(self, name, context=None, sort_options=None):
    if sort_options is None:  # a name element's options are fixed per context: look up once
        own = _own_cache(self)
        key = ("option", name, context)
        value = own.get(key, own)
        if value is own:
            value = own[key] = _original_name_get_option(self, name, context, sort_options)
    else:
        value = _original_name_get_option(self, name, context, sort_options)
    if name == "et-al-use-first" and sort_options is None:
        entry = _CURRENT_ENTRY.get()
        shown = (NAMES_SHOWN.get() or {}).get(entry.get("key")) if entry else None
        if shown and shown > value:
            return shown
    override = (_OPTION_OVERRIDES.get() or {}).get(name)
    if override is not None:
        return override
    if name == "et-al-min" and NO_ET_AL.get():
        return 0
    if name == "and" and sort_options is not None:
        return None  # (20) no "and" term in sort keys
    if (
        name == "demote-non-dropping-particle"
        and sort_options is not None
        and str(value).lower() == "sort-only"
    ):
        return "display-and-sort"
    return value


# 13. localized date delimiters ----------------------------------------------------------------


def _render_single_date(self, date, show_parts=None, context=None):
    parts = (
        self.parts(date, show_parts, context) if context != self else self.parts(date, show_parts)
    )
    if not parts:
        return None
    # a localized date's own delimiter wins; the calling cs:date only adds affixes
    return self.join(parts)


# 14. implicit year-suffix ---------------------------------------------------------------------

_SUFFIX_DONE = "publist-year-suffix-done"
_original_date_process = model.Date.process


def _date_process(self, item, variable=None, show_parts=None, context=None, **kwargs):
    text = _original_date_process(
        self, item, variable=variable, show_parts=show_parts, context=context, **kwargs
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
    year = (
        str(item.reference.issued.get("year", "")) if hasattr(item.reference.issued, "get") else ""
    )
    rendered = str(text)
    if year and year in rendered:
        layout.repressed[_SUFFIX_DONE] = True
        at = rendered.index(year) + len(year)
        return string.String(rendered[:at] + suffix + rendered[at:])
    return text


def _explicit_year_suffix(root) -> bool:
    cached = getattr(root, "_publist_explicit_suffix", None)
    if cached is None:
        cached = bool(root.xpath_search('.//cs:text[@variable="year-suffix"]'))
        root._publist_explicit_suffix = cached
    return cached


# 15. title case ------------------------------------------------------------------------------

# citeproc-js's list (CSL's, plus common prepositions)
STOP_WORDS = frozenset(
    """a about above across afore after against along alongside amid amidst
    among amongst an and anenst apropos apud around as aside astride at athwart atop barring
    before behind below beneath beside besides between beyond but by circa despite down during
    except for forenenst from given in inside into lest like modulo near next nor notwithstanding
    of off on onto opposite or out outside over pace past per plus pro qua regarding round sans
    save since so than the through throughout till times to toward towards under underneath
    unlike until unto up upon versus via vis-à-vis with within without worth yet""".split()
)
# only quotes and brackets before a word let it be capitalised (“‘curly’” → “‘Curly’”)
_LEADING_PUNCT = re.compile(r"^([\"'“‘«(\[]*)(.*)$", re.DOTALL)


def _title_word(word: str, force: bool) -> str:
    pieces = word.split("-")
    out = []
    for index, piece in enumerate(pieces):
        head, core = _LEADING_PUNCT.match(piece).groups()
        bare = core.rstrip(".,;:!?’”)\"'").lower()
        if core and core.islower() and (force or index > 0 or bare not in STOP_WORDS):
            core = core[0].upper() + core[1:]
        out.append(head + core)
    return "-".join(out)


def _title_case(text):
    words = []
    force = True  # the first word, and a word after a colon or period
    for word in text.words():
        if isinstance(word, string.NoCase):
            words.append(word)
        else:
            words.append(type(word)(_title_word(str(word), force)))
        force = str(word)[-1:] in ":.?!"
    return string.String(" ".join(str(w) for w in words)) if words else text


_original_case = model.TextCased.case


def _case(self, text, language=None):
    if self.get("text-case") == "title":
        if language is None:
            language = (self.get_root().get("default-locale") or "en")[:2]
        if language != "en":
            return text
        return _title_case(text)
    return _original_case(self, text, language)


# 16. page ranges ----------------------------------------------------------------------------


def _minimal(first: str, last: str, two: bool) -> str:
    common = 0
    while common < len(first) and first[common] == last[common]:
        common += 1
    keep = len(last) - common
    if two and len(last) >= 2:
        keep = max(keep, 2)
    return last[len(last) - keep :] if keep else last[-1:]


_PAGE = re.compile(r"^(\D*)(\d+)$")


def _format_last_page(self, first, last):
    range_format = self.get_root().get_option("page-range-format")
    first_match, last_match = _PAGE.match(first), _PAGE.match(last)
    if not (range_format and first_match and last_match):
        return last
    prefix, first_digits = first_match.groups()
    last_prefix, last_digits = last_match.groups()
    if last_prefix != prefix or len(first_digits) != len(last_digits):
        return last
    number = int(first_digits)
    if range_format in ("chicago", "chicago-16", "chicago-15"):
        if number < 100 or number % 100 == 0:
            return last
        if (
            range_format == "chicago-15"
            and len(first_digits) == 4
            and len(_minimal(first_digits, last_digits, False)) >= 3
        ):
            return last
        range_format = "minimal" if number % 100 < 10 else "minimal-two"
    if range_format == "minimal":
        return _minimal(first_digits, last_digits, False)
    if range_format == "minimal-two":
        return _minimal(first_digits, last_digits, True)
    return last


_original_format_last_page = model.FormatNumber._format_last_page


# 21, 22. per-name-list adjustments -----------------------------------------------------------

_OPTION_OVERRIDES: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "publist_name_options", default=None
)
_original_name_process = model.Name.process


def _name_process(self, item, variable, context=None, sort_options=None, **kwargs):
    names = item.reference.get(variable)
    if not names:
        return _original_name_process(
            self, item, variable, context=context, sort_options=sort_options, **kwargs
        )
    overrides = {}
    if len(names) >= 2 and "literal" in names[-2] and "literal" in names[-1]:
        et_al_min = self.get_option("et-al-min", context, sort_options)
        if not (et_al_min and len(names) >= et_al_min):
            overrides["delimiter-precedes-last"] = "never"
    mark = self.get_option("initialize-with", context, sort_options)
    stripped = None
    if mark is not None and "." not in mark and any("." in (n.get("suffix") or "") for n in names):
        stripped = [source_name_without_suffix_periods(n) for n in names]
    transform = NAME_TRANSFORM.get()
    if transform is not None and sort_options is None:
        shown = transform(item.key, variable, stripped if stripped is not None else names)
        if shown is not None:
            stripped = shown
    token = _OPTION_OVERRIDES.set(overrides)
    if stripped is not None:
        item.reference[variable] = stripped
    try:
        return _original_name_process(
            self, item, variable, context=context, sort_options=sort_options, **kwargs
        )
    finally:
        _OPTION_OVERRIDES.reset(token)
        if stripped is not None:
            item.reference[variable] = names


def source_name_without_suffix_periods(name):
    from citeproc.source import Name as SourceName

    fields = dict(name)
    fields["suffix"] = fields["suffix"].replace(".", "") if fields.get("suffix") else None
    return SourceName(**{k: v for k, v in fields.items() if v})


# 20. no et-al term in sort keys --------------------------------------------------------------

SORTING: contextvars.ContextVar[bool] = contextvars.ContextVar("publist_sorting", default=False)
_original_et_al = model.Name.et_al
_original_sort_keys = model.Key.sort_keys


def _et_al(self):
    return string.String("") if SORTING.get() else _original_et_al(self)


def _sort_keys(self, items, context):
    precomputed = (_PRECOMPUTED_KEYS.get() or {}).get(self)
    if precomputed is not None and len(precomputed) == len(items):
        return precomputed
    token = SORTING.set(True)
    try:
        return _original_sort_keys(self, items, context)
    finally:
        SORTING.reset(token)


#: workers for the sort keys of a long bibliography (set by the caller), and the keys they made
SORT_WORKERS: contextvars.ContextVar[int] = contextvars.ContextVar(
    "publist_sort_workers", default=1
)
_PRECOMPUTED_KEYS: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "publist_sort_keys", default=None
)
_original_sort = model.Sort.sort


def _sort(self, items, context):
    """Sort keys depend on each item alone: with several workers they are computed in
    parallel (each worker all keys for a chunk of items), then citeproc-py sorts as before."""
    from .parallel import map_chunks

    workers = SORT_WORKERS.get()
    keys = self.findall("cs:key", self.nsmap)
    if workers <= 1 or not keys or any(k.get("variable") == "citation-number" for k in keys):
        return _original_sort(self, items, context)

    def chunk_keys(chunk):
        return [[key.sort_keys(chunk, context) for key in keys]]

    per_chunk = map_chunks(chunk_keys, list(items), workers)
    merged = {
        key: [v for chunk in per_chunk for v in chunk[index]] for index, key in enumerate(keys)
    }
    token = _PRECOMPUTED_KEYS.set(merged)
    try:
        return _original_sort(self, items, context)
    finally:
        _PRECOMPUTED_KEYS.reset(token)


# 19. the disambiguate condition ------------------------------------------------------------

_original_if_render = model.If.render


def _if_render(self, item, context=None, delimiter="", **kwargs):
    wanted = self.get("disambiguate")
    if wanted is not None and self.get("match", "all") == "all":
        state = getattr(item, "key", None) in DISAMBIGUATE.get()
        if state != (wanted.lower() == "true"):
            raise model.ConditionFailed
    return _original_if_render(self, item, context=context, delimiter=delimiter, **kwargs)


# 6. display="left-margin" ---------------------------------------------------------------------


def _render_child(child, item, delimiter=""):
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter=delimiter)
        return child.render(item)
    except VariableError:
        return None


def _render_bibliography(self, citation_items):
    bibliography = self.getparent()
    children = list(self.iterchildren())
    left_margin = bool(children) and (
        children[0].get("display") == "left-margin"
        or bibliography.get("second-field-align") in ("flush", "margin")
    )
    output = []
    for item in citation_items:
        self.repressed = {}
        record: dict = {"key": item.key}
        token = _CURRENT_ENTRY.set(record)
        try:
            rendered = _render_entry(self, item, children, left_margin)
        finally:
            _CURRENT_ENTRY.reset(token)
        rendered.names = record.get(_FIRST_NAMES)
        output.append(rendered)
    return output


def substitute_repeated_names(entries: list[Rendered], substitute: str | None) -> None:
    """(17) An entry whose first names repeat the previous entry's prints ``substitute``."""
    if substitute is None:
        return
    previous = None
    for entry in entries:
        names = entry.names
        if entry.left is None and names and names == previous and entry.text.startswith(names):
            entry.text = substitute + entry.text[len(names) :]
        previous = names


def _render_entry(layout, item, children, left_margin) -> Rendered:
    if not left_margin:
        return Rendered(str(layout.format(layout.wrap(layout.render_children(item)))))
    left = _render_child(children[0], item)
    rest = [t for t in (_render_child(c, item) for c in children[1:]) if t is not None]
    right = string.join(rest, "") if rest else None
    if left is None:
        return Rendered(str(layout.format(layout.wrap(right))))
    return Rendered(str(layout.format(layout.wrap(right))), str(layout.format(left)))


# speed: memoised XPath lookups and calls_variable ------------------------------------------

_original_xpath_search = model.CitationStylesElement.xpath_search


def _memo(element) -> dict:
    """A cache that lives on the element's tree root (dropped with the style)."""
    root = element.getroottree().getroot()
    cache = root.__dict__.get("_publist_memo")
    if cache is None:
        cache = root.__dict__["_publist_memo"] = {}
    return cache


def _own_cache(element) -> dict:
    """A cache on the element's proxy object.  The proxy is kept alive from the root's memo,
    so lxml hands back this same object (and its cache) for this node from then on."""
    own = element.__dict__.get("_publist_own")
    if own is None:
        own = element.__dict__["_publist_own"] = {}
        _memo(element)[("keep", element)] = element
    return own


def _xpath_search(self, expression):
    own = _own_cache(self)
    found = own.get(expression)
    if found is None:
        found = own[expression] = _original_xpath_search(self, expression)
    return found


def _get_root(self):
    attributes = self.__dict__
    root = attributes.get("_publist_root")
    if root is None:
        root = attributes["_publist_root"] = self.getroottree().getroot()
        _own_cache(self)  # keeps this proxy (and so its cached root) alive
    return root


_original_get_formatter = model.CitationStylesElement.get_formatter


def _get_formatter(self):
    # one formatter per style object (publist builds a style per rendering)
    attributes = self.__dict__
    formatter = attributes.get("_publist_formatter")
    if formatter is None:
        formatter = _original_get_formatter(self)
        if formatter is not None:
            attributes["_publist_formatter"] = formatter
            _own_cache(self)
    return formatter


_original_parent_calls_variable = model.Parent.calls_variable
_original_text_calls_variable = model.Text.calls_variable


def _memoised(original):
    def calls_variable(self):
        own = _own_cache(self)
        found = own.get("calls")
        if found is None:
            found = own["calls"] = original(self)
        return found

    return calls_variable


def _if_type(self, item):
    own = _own_cache(self)
    types = own.get("types")
    if types is None:
        types = own["types"] = [t.lower() for t in self.get("type").split()]
    kind = item.reference.type
    return [t == kind for t in types]


def _if_variable(self, item):
    own = _own_cache(self)
    variables = own.get("variables")
    if variables is None:
        variables = own["variables"] = [v.replace("-", "_") for v in self.get("variable").split()]
    reference = item.reference
    return [("locator" in item) if v == "locator" else (v in reference) for v in variables]


_FORMATTING = (
    ("font-style", "normal", {"italic": "Italic", "oblique": "Oblique"}),
    ("font-variant", "normal", {"small-caps": "SmallCaps"}),
    ("font-weight", "normal", {"bold": "Bold", "light": "Light"}),
    ("text-decoration", "none", {"underline": "Underline"}),
    ("vertical-align", "baseline", {"sup": "Superscript", "sub": "Subscript"}),
)


def _format(self, text):
    """citeproc-py's Formatted.format, with the element's wrappers looked up once."""
    if isinstance(text, (int, float)):
        text = str(text)
    own = _own_cache(self)
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


def _cached_reference(self):
    # citeproc-py looks the reference up through the citation and bibliography on every
    # condition test; an item's reference never changes
    try:
        return dict.__getitem__(self, "_publist_reference")
    except KeyError:
        reference = self.bibliography.source[self.key]
        dict.__setitem__(self, "_publist_reference", reference)
        return reference


def install() -> None:
    """Apply the corrections (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    model.CitationStylesElement.xpath_search = _xpath_search
    model.CitationStylesElement.get_root = _get_root
    model.CitationStylesElement.get_formatter = _get_formatter
    model.Locale.get_formatter = _get_formatter
    model.If._type = _if_type
    model.Formatted.format = _format
    model.If._variable = _if_variable
    source.CitationItem.reference = property(_cached_reference)
    model.Parent.calls_variable = _memoised(_original_parent_calls_variable)
    model.Text.calls_variable = _memoised(_original_text_calls_variable)
    string.String.capitalize_first = _capitalize_first
    model.Name.initialize = _initialize
    string.normalize_seam = _normalize_seam
    model.normalize_seam = _normalize_seam
    model.Affixed.wrap = _wrap
    string.join = _join
    model.join = _join
    model.Layout.render_bibliography = _render_bibliography
    model.Substitute.render = _substitute_render
    model.Names.render = _names_render
    model.If.render = _if_render
    model.Name.process = _name_process
    model.Name.et_al = _et_al
    model.Key.sort_keys = _sort_keys
    model.Sort.sort = _sort
    model.Else_If.render = _if_render
    model.Names.process = _names_process
    model.Quoted.quote = _quote
    model.Label.process = _label_process
    model.Name.get_option = _name_get_option
    model.Date.render_single_date = _render_single_date
    model.Date.process = _date_process
    model.TextCased.case = _case
    model.FormatNumber._format_last_page = _format_last_page
