"""Styled bibliographies: any CSL style through citeproc-py, corrected to print as citeproc-js.

``render(items, style, format="text")`` returns one string per entry, in the style's order.
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..errors import PublistError
from ..model import Collection, Item, date_parts
from ..text import CJK_ONLY
from ..urls import LINK_SCHEMES, safe_link
from . import fidelity
from .corrections import (
    CachedCitationItem,
    NameHooks,
    PublistStyle,
    Rendered,
    rendering,
    substitute_repeated_names,
)
from .corrections.disambiguation import disambiguate, disambiguates, prepare_given_names
from .corrections.layout import has_printed_form, no_printed_form
from .corrections.particles import parsed_name
from .corrections.roles import add_name_roles
from .corrections.substitution import variables_under
from .corrections.variables import citation_label, citeproc_js_variables
from .formatters import (
    DISPLAY_MARKERS,
    FORMATS,
    OutputFormat,
    drop_empty_display,
    flatten_display,
    mark_rich_text,
    protect,
)
from .parallel import map_chunks, workers_for
from .styles import StyleSource, list_styles, resolve

__all__ = [
    "Entry",
    "NameHooks",
    "item_key",
    "render",
    "render_entries",
    "render_document",
    "list_styles",
    "resolve",
    "FORMATS",
]

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from citeproc import NAMES as CITEPROC_NAMES
    from citeproc import (
        Citation,
        CitationStylesBibliography,
    )
    from citeproc.source.json import CiteProcJSON

#: the citeproc-py releases publist's corrections are tested against (pyproject.toml pins
#: the same range; `make citeproc-upstream` assesses a newer release deliberately)
CITEPROC_PY_RANGE = ((0, 11, 1), (0, 12))
_UNPINNED_ENV = "PUBLIST_CITEPROC_UNPINNED"
_checked_version: str | None = None


def check_citeproc_version() -> None:
    """A clear error when the installed citeproc-py is outside the tested range (once)."""
    global _checked_version
    if _checked_version is not None:
        return
    import os

    import citeproc

    # (citeproc-py's own version string, written at its release: importlib.metadata would
    # cost a tenth of a second at start-up)
    installed = str(citeproc.__version__)
    numbers = tuple(int(p) for p in re.findall(r"\d+", installed)[:3])
    low, high = CITEPROC_PY_RANGE
    if not (low <= numbers < high) and not os.environ.get(_UNPINNED_ENV):
        raise PublistError(
            f"citeproc-py {installed} is installed; publist's styled output is tested with "
            "citeproc-py>=0.11.1,<0.12 (pip install 'citeproc-py>=0.11.1,<0.12')"
        )
    _checked_version = installed


_NAME_VARS = {n.replace("_", "-") for n in CITEPROC_NAMES}
_OTHER_NAME_VARS = {
    "chair",
    "compiler",
    "contributor",
    "curator",
    "director",
    "editor-translator",
    "executive-producer",
    "guest",
    "host",
    "narrator",
    "organizer",
    "performer",
    "producer",
    "reviewed-author",
    "script-writer",
    "series-creator",
}


@dataclass
class Entry:
    """One rendered bibliography entry."""

    id: str
    text: str
    left_margin: str | None = None  # the first field, for styles that display it apart
    index: int = -1  # the item's position in the list given to render_entries

    def body(self, fmt: str) -> str:
        """The entry's content: one line (text/markdown/…), or the inside of its csl-entry div
        (html), for callers that wrap entries themselves."""
        if fmt == "html":
            if self.left_margin is None:
                return self.text
            return (
                f'<div class="csl-left-margin">{self.left_margin}</div>'
                f'<div class="csl-right-inline">{self.text}</div>'
            )
        if self.left_margin is not None:
            return f"{self.left_margin.strip()} {self.text.strip()}".strip()
        return self.text

    def line(self, fmt: str) -> str:
        """The entry as one line (text/markdown/…) or one csl-entry div (html; the margin and
        the rest on a line of their own, as citeproc-js writes second-field-align)."""
        if fmt == "html":
            body = self.text
            if self.left_margin is not None:
                inline = self.text.rstrip(" ")
                trailing = self.text[len(inline) :]  # (citeproc-js puts it after the block)
                body = (
                    f'\n    <div class="csl-left-margin">{self.left_margin}</div>'
                    f'<div class="csl-right-inline">{inline}</div>\n  {trailing}'
                )
            return f'<div class="csl-entry">{body}</div>'
        return self.body(fmt)


def item_key(index: int) -> str:
    """The key the ``index``-th item carries inside citeproc-py, which the name hooks
    receive; citeproc-py lower-cases ids, so records' own ids cannot serve."""
    return f"k{index}"


_VERBATIM = frozenset(
    {"URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "number", "page", "volume", "issue", "language"}
)


_SINGLE_QUOTED = re.compile(r"(?<![\w’'])'(?=\S)([^']*?[^\s'])'(?!\w)")
_DOUBLE_QUOTED = re.compile(r'(?<![\w"])"(?=\S)([^"]*?[^\s"])"(?!\w)')
_APOSTROPHE_RUN = re.compile(r"(?<!\S)'{2,}")


class QuoteMarks(NamedTuple):
    """The locale's open-quote, close-quote, open-inner-quote and close-inner-quote."""

    open: str = "\u201c"
    close: str = "\u201d"
    inner_open: str = "\u2018"
    inner_close: str = "\u2019"


EN_QUOTES = QuoteMarks()


def _quote_marks(style: PublistStyle) -> QuoteMarks:
    terms = ("open-quote", "close-quote", "open-inner-quote", "close-inner-quote")
    found = [str(style.root.get_single_term(term) or "") for term in terms]
    return QuoteMarks(*found) if all(found) else EN_QUOTES


def _typographic(text: str, marks: QuoteMarks = EN_QUOTES) -> str:
    """Straight quotes as citeproc-js prints them: a quoted span ('x' or "x") in the
    locale's quotes, the kind that opens first as the outer ones and the other kind as the
    inner ones (citeproc-js's flip-flop: en-US “x”, en-GB ‘x’; inner ‘x’ inside a quoted
    title, correction 8), an apostrophe ’ (Bob’s), a run of apostrophes opening a word ’ ’."""
    if "'" not in text and '"' not in text:
        return text
    single, double = _SINGLE_QUOTED.search(text), _DOUBLE_QUOTED.search(text)
    single_first = single is not None and (double is None or single.start() < double.start())
    outer, inner = (
        (_SINGLE_QUOTED, _DOUBLE_QUOTED) if single_first else (_DOUBLE_QUOTED, _SINGLE_QUOTED)
    )
    text = outer.sub(lambda m: marks.open + m.group(1) + marks.close, text)
    text = inner.sub(lambda m: marks.inner_open + m.group(1) + marks.inner_close, text)
    text = _APOSTROPHE_RUN.sub(lambda m: " ".join("\u2019" * len(m.group())), text)
    return text.replace("'", "\u2019")


def _field(var: str, value: str, marks: QuoteMarks = EN_QUOTES) -> str:
    value = value.replace("\t", " ")  # (a tab in the output is the style's: _SPACES keeps it)
    if var in _VERBATIM:
        return protect(value)
    return protect(_typographic(mark_rich_text(value), marks))


_CJK = CJK_ONLY  # the one CJK range (publist.text)


def _name(name: dict, marks: QuoteMarks = EN_QUOTES) -> dict:
    """A name as citeproc-py takes it (:func:`_converted_name`; a new dict each time)."""
    try:
        return dict(_converted_name(tuple(name.items()), marks))
    except TypeError:  # (a part that is no string, a list: unhashable, converted as is)
        return _converted_name.__wrapped__(tuple(name.items()), marks)


@functools.lru_cache(maxsize=16384)
def _converted_name(parts: tuple[tuple[str, Any], ...], marks: QuoteMarks) -> dict:
    """CSL renders a name in CJK script as family+given, unspaced and never inverted or
    initialised: citeproc-py does not, so such a name is handed over as one literal.
    Speed: remembered, as the same people recur across a bibliography's entries (names
    repeat about four times over in W1's 2,000 items); callers copy it."""
    name = dict(parts)
    family, given = name.get("family", ""), name.get("given", "")
    if family and given and _CJK.match(family) and _CJK.match(given):
        return {"literal": _field("literal", family + given, marks)}
    return {k: _field(k, v, marks) for k, v in parsed_name(name).items() if isinstance(v, str)}


_DATE_VARS = frozenset(
    {"issued", "accessed", "original-date", "event-date", "submitted", "container"}
)


def _citeproc_date(value: dict) -> dict | None:
    """A date as citeproc-py takes it: a range as given, else the parts known, else literal."""
    parts = date_parts({"issued": value})
    if value.get("date-parts") and len(value["date-parts"]) > 1:
        return {"date-parts": value["date-parts"]}
    if parts:
        return {"date-parts": [parts]}
    if value.get("literal"):
        return {"literal": protect(str(value["literal"]))}
    return None


def _citeproc_value(var: str, value: object, marks: QuoteMarks = EN_QUOTES) -> object | None:
    """One variable's value for citeproc-py, or None to leave it out."""
    if var in _NAME_VARS:
        if not isinstance(value, list):
            return None
        return [_name(n, marks) for n in value if isinstance(n, dict)]
    if var in _OTHER_NAME_VARS:
        return None  # CSL 1.0.2 roles citeproc-py 0.11 cannot read: added after (roles.py)
    if isinstance(value, dict):
        return _citeproc_date(value) if var in _DATE_VARS else None
    if var == "URL":
        # as every writer that could make a link of it: http/https/mailto only, cleaned
        link = safe_link(value)
        return _field(var, link) if link is not None else None
    if isinstance(value, (str, int, float)):
        return _field(var, str(value), marks)
    return None


def _other_names(
    items: list[Item], keys: list[str], marks: QuoteMarks = EN_QUOTES
) -> dict[str, dict[str, list[dict]]]:
    """The CSL 1.0.2 name roles of each item, as citeproc-py takes names (correction 46)."""
    found: dict[str, dict[str, list[dict]]] = {}
    for item, key in zip(items, keys, strict=True):
        for var in _OTHER_NAME_VARS.intersection(item):
            value = item[var]
            if isinstance(value, list):
                names = [_name(n, marks) for n in value if isinstance(n, dict)]
                found.setdefault(key, {})[var] = [n for n in names if n]
    return found


def _citeproc_item(
    item: Item, key: str, marks: QuoteMarks = EN_QUOTES, labels: bool = False
) -> dict:
    """A copy citeproc-py can take: safe id, protected text, dates it understands (and the
    citation-label citeproc-js would make, when ``labels``).  ``item`` has had its
    citeproc-js variables added (:func:`.corrections.variables.citeproc_js_variables`)."""
    if labels and not item.get("citation-label"):
        item = {**item, "citation-label": citation_label(item)}
    out: dict = {"id": key, "type": item.get("type") or "document"}
    for var, value in item.items():
        if var in ("id", "type"):
            continue
        converted = _citeproc_value(var, value, marks)
        if converted is not None:
            out[var] = converted
    return out


def unsafe_url_warnings(items: Iterable[Item]) -> list[str]:
    """One warning per item whose URL is left out (not an http, https or mailto link)."""
    return [
        f"{item.get('id')}: URL {str(item['URL'])[:60]!r} not written: "
        "only http, https and mailto links are"
        for item in items
        if item.get("URL") not in (None, "") and safe_link(item["URL"]) is None
    ]


def _check_locale(locale: str) -> None:
    import difflib
    from pathlib import Path

    import citeproc

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    known = sorted(p.name[len("locales-") : -4] for p in folder.glob("locales-*.xml"))
    if locale not in known and locale.split("-")[0] not in {k.split("-")[0] for k in known}:
        close = difflib.get_close_matches(locale, known, n=4)
        hint = f" (closest: {', '.join(close)})" if close else ""
        raise PublistError(f"{locale!r} is not a known locale{hint}")


def _load_style(source: StyleSource, locale: str | None) -> PublistStyle:
    if locale:
        _check_locale(locale)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return PublistStyle(
                io.BytesIO(source.xml), locale=locale or source.default_locale or "en-US"
            )
    except ValueError as err:
        raise PublistError(f"style {source.name!r}: {err}") from None
    except Exception as err:  # a style citeproc-py cannot parse: one clear error
        raise PublistError(
            f"style {source.name!r} cannot be used: {type(err).__name__}: {err}"
        ) from None


def _quotes_for(style: PublistStyle) -> tuple[str, ...]:
    if str(style.root.get_locale_option("punctuation-in-quote") or "").lower() != "true":
        return ()
    quotes = []
    for term in ("close-quote", "close-inner-quote"):
        text = str(style.root.get_single_term(term) or "")
        if text:
            quotes.append(text)
    return tuple(quotes)


def render_entries(
    items: Iterable[Item],
    style: str,
    format: str = "text",
    locale: str | None = None,
    parallel: int | None = None,
    hooks: NameHooks | None = None,
) -> list[Entry]:
    """Render every item with ``style``; entries in the style's order.

    ``parallel``: worker processes for long lists (default: one per core from 300 items on;
    the environment variable PUBLIST_WORKERS=1 turns it off).  ``hooks``: how names are
    displayed, for CV lists (:class:`NameHooks`, the documented extension point)."""
    if format not in FORMATS:
        raise PublistError(f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    check_citeproc_version()
    output: OutputFormat = FORMATS[format]
    source = resolve(style)
    csl_style = _load_style(source, locale)
    state = csl_style.state
    state.hooks = hooks if hooks is not None else fidelity.legacy_hooks()
    # (the variables citeproc-js reads from the note and from Zotero's field names, so that
    # roles given in the note reach the names too)
    items = [citeproc_js_variables(i, _NAME_VARS | _OTHER_NAME_VARS) for i in items]
    keys = [item_key(i) for i in range(len(items))]
    by_key = dict(zip(keys, items, strict=True))
    index_of = {key: i for i, key in enumerate(keys)}
    csl_style.root.formatter = output.citeproc_formatter()  # (the locale's terms need one)
    marks = _quote_marks(csl_style)
    labels = b"citation-label" in source.xml
    references = _Source(by_key, marks, labels)
    bibliography = _Bibliography(csl_style, references, output.citeproc_formatter())
    if _records_read_before_rendering(csl_style):
        references.values()  # (once here, not again in each step's workers)
    # (terms can be read once the bibliography has given the style its formatter)
    state.quotes = _quotes_for(csl_style)
    prepare_given_names(csl_style, state)

    def finished(rendered: Rendered, key: str) -> Entry:
        entry = _entry(rendered, by_key[key], index_of[key], format)
        _final_punctuation([entry], format, state.quotes)
        return entry

    try:
        with warnings.catch_warnings(), rendering(state):
            warnings.simplefilter("ignore")
            bibliography.register(Citation([CachedCitationItem(k) for k in keys]))
            workers = workers_for(len(keys)) if parallel is None else parallel
            state.sort_workers = workers
            bibliography.sort()
            state.sort_workers = 1
            disambiguate(csl_style, bibliography, workers, by_key, state)
            layout = csl_style.root.bibliography.layout
            if layout.getparent().get("subsequent-author-substitute") is None:
                # (no entry depends on the one before: each is finished where it is rendered,
                # in the workers; the rest, below, is what printed nothing)
                results: list[Entry | Rendered] = map_chunks(
                    functools.partial(_rendered_and_finished, layout, finished),
                    bibliography.items,
                    workers,
                )
            else:
                rendered = map_chunks(layout.render_bibliography, bibliography.items, workers)
                substitute_repeated_names(rendered, layout, bibliography.items)
                results = list(rendered)
    except PublistError:
        raise
    except Exception as err:
        raise PublistError(
            f"style {source.name!r} failed on these items: {type(err).__name__}: {err}"
        ) from None
    return _printed_entries(results, bibliography.keys, finished, _citations_are_numbers(csl_style))


def _rendered_and_finished(
    layout: Any, finished: Callable[[Rendered, str], Entry], citation_items: list[Any]
) -> list[Entry | Rendered]:
    """The chunk's entries rendered, each with a printed form made into its :class:`Entry`
    (the others left as rendered, for :func:`_printed_entries`)."""
    rendered = layout.render_bibliography(citation_items)
    return [
        finished(entry, item.key) if has_printed_form(entry) else entry
        for entry, item in zip(rendered, citation_items, strict=True)
    ]


def _printed_entries(
    results: list[Entry | Rendered],
    keys: list[str],
    finished: Callable[[Rendered, str], Entry],
    numeric: bool,
) -> list[Entry]:
    """The entries to print, in order: each result finished (if its worker did not), an entry
    without a printed form left out, or, in a style whose citations are numbers, printed as
    :func:`.corrections.layout.no_printed_form` in its place."""
    entries: list[Entry] = []
    for key, result in zip(keys, results, strict=True):
        if isinstance(result, Rendered):
            if not has_printed_form(result):
                if not numeric:
                    continue
                result.text = no_printed_form(len(entries) + 1)
            result = finished(result, key)
        entries.append(result)
    return entries


def _records_read_before_rendering(style: PublistStyle) -> bool:
    """Whether the bibliography is sorted or its citations disambiguated (steps that read
    every record, in workers of their own, before the entries are rendered)."""
    root = style.root
    bibliography = root.bibliography
    if bibliography is not None and bibliography.find("cs:sort", root.nsmap) is not None:
        return True
    return disambiguates(style)


class _Source(CiteProcJSON):
    """citeproc-py's source of the items, each record converted (:func:`_citeproc_item`, read
    by citeproc-py, its CSL 1.0.2 roles added) when it is first asked for.  Speed: a style
    that neither sorts nor disambiguates (IEEE) converts each record in the worker that
    renders it, in parallel; the others convert every record once, before sorting."""

    def __init__(self, by_key: dict[str, Item], marks: QuoteMarks, labels: bool) -> None:
        dict.__init__(self)  # (CiteProcJSON.__init__ would read every record now)
        self.records = by_key
        self.marks, self.labels = marks, labels

    def __contains__(self, key: object) -> bool:
        return key in self.records

    def __missing__(self, key: str) -> Any:
        item = self.records[key]  # (KeyError for a key that is no record's)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            one = CiteProcJSON([_citeproc_item(item, key, self.marks, self.labels)])
            add_name_roles(one, _other_names([item], [key], self.marks))
        reference = one[key]
        dict.__setitem__(self, key, reference)
        return reference

    def values(self) -> Any:  # (every record, converted)
        return [self[key] for key in self.records]


class _Bibliography(CitationStylesBibliography):
    """citeproc-py's bibliography, its registered keys also held in a set (speed: citeproc-py
    searched the list of keys for each item it registers, and disambiguation registers every
    item's citation again)."""

    def register(self, citation: Any, callback: Any = None) -> None:
        citation.bibliography = self
        known = self.__dict__.get("_publist_known")
        if known is None or len(known) != len(self.keys):
            known = self.__dict__["_publist_known"] = set(self.keys)
        for item in citation.cites:
            if item.key in self.source:
                if item.key not in known:
                    self.keys.append(item.key)
                    self.items.append(item)
                    known.add(item.key)
            elif callback is not None:
                callback(item)


def _final_punctuation(entries: list[Entry], format: str, quotes: tuple[str, ...]) -> None:
    """What citeproc-js does to a whole entry's punctuation that no element sees: in HTML,
    punctuation-in-quote across closing markup; in text, no doubled full stop."""
    for entry in entries:
        if format == "html":
            entry.text = _into_quote_through_markup(entry.text, quotes)
        elif format == "text":
            entry.text = _DOUBLED_STOP.sub(r"\1", entry.text)


_CLOSING_MARKUP = r"((?:</(?:i|b|span|sup|sub)>)+)([.,])"


def _into_quote_through_markup(html: str, quotes: tuple[str, ...]) -> str:
    """punctuation-in-quote across closing tags: ``<i>“the”</i>.`` → ``<i>“the.”</i>``, as
    citeproc-js prints it; a period after ``?”`` / ``!”`` / ``.”`` is dropped."""
    for quote in quotes:
        if quote not in html:
            continue
        pattern = re.compile(r"(.?)" + re.escape(quote) + _CLOSING_MARKUP)

        def moved(match: re.Match[str], quote: str = quote) -> str:
            before, tags, mark = match.groups()
            if mark == "." and before in (".", "?", "!"):
                mark = ""
            return before + mark + quote + tags

        html = pattern.sub(moved, html)
    html = _AFTER_QUOTE_IN_MARKUP.sub(r"\1\3\2", html)
    return _DOUBLED_STOP.sub(r"\1", html)


# ``<i>“The”</i>;`` → ``<i>“The”;</i>``: punctuation after a quote ending markup goes inside it
_AFTER_QUOTE_IN_MARKUP = re.compile(r"([”’»])((?:</(?:i|b|span|sup|sub)>)+)([;:])")


# ``‘Real?’.``, ``<i>‘Real?’</i>.``: the period after an end mark and a closing quote goes
_DOUBLED_STOP = re.compile(r"([.?!][”’»]+(?:</(?:i|b|span|sup|sub)>)*)\.")


def _entry(text: Any, item: Item, index: int, format: str) -> Entry:
    """One rendered entry in ``format``'s own text (white space folded, markup restored)."""
    output = FORMATS[format]
    clean = _collapse if format == "html" else _clean
    left = output.restore(clean(text.left)) if text.left is not None else None
    body = text.text
    body = (
        _leading_space_out(drop_empty_display(body)) if format == "html" else flatten_display(body)
    )
    body = output.restore(clean(body))
    if format == "rst":
        body, left = _rst_unlink(body), _rst_unlink(left) if left is not None else None
    return Entry(str(item.get("id", "")), body, left, index)


def _leading_space_out(text: str) -> str:
    """An entry that opens with a display whose text opens with a space: citeproc-js writes
    the space before the display's block."""
    if len(text) > 1 and text[0] in DISPLAY_MARKERS and text[1] == " ":
        return " " + text[0] + text[2:]
    return text


def _citations_are_numbers(style: PublistStyle) -> bool:
    citation = style.root.citation
    layout = citation.layout if citation is not None else None
    return layout is not None and any(
        variable == "citation-number" for _, variable in variables_under(layout)
    )


# White space and control characters (no output has a form for a control character, and one
# would reach a terminal as an escape sequence); not U+00A0 and the other no-break spaces.
# (not the tab: a style's affix may hold one, ``suffix=".&#9;"``, and citeproc-js prints it;
# a tab in the data became a space in _field)
_SPACES = re.compile(r"[ \n\r\f\v\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]+")


def _collapse(text: str) -> str:
    """Runs of white space as one space; the entry's own leading and trailing spaces kept
    (HTML, compared exactly with citeproc-js)."""
    return _SPACES.sub(" ", text)


def _clean(text: str) -> str:
    return _collapse(text).strip()


# docutils makes a link of any "scheme:rest" whose scheme it knows (javascript:, data:, file:…)
# in running text, wherever a scheme may start — after a space, but also after "-", ":" or
# "/" inside a word: so every colon after scheme characters is escaped (it prints the same),
# unless what comes before it is exactly an allowed scheme.  (publist's own roles, such as
# :sup:`2` after a word, are not schemes: data's backticks are escaped, so an unescaped role
# can only be publist's markup)
_RST_SCHEME = re.compile(r"(?<![A-Za-z0-9+.\-])([A-Za-z0-9+.\-]+):(?=[^\s`])(?![a-z\-]+:`)")


def _rst_unlink(text: str) -> str:
    return _RST_SCHEME.sub(
        lambda m: m.group(0) if m.group(1).lower() in LINK_SCHEMES else m.group(1) + "\\:", text
    )


def render(
    items: Iterable[Item], style: str, format: str = "text", locale: str | None = None
) -> list[str]:
    """One string per entry: a line of text/Markdown/LaTeX/RST, or a csl-entry div (HTML)."""
    return [e.line(format) for e in render_entries(items, style, format, locale)]


def render_document(
    items: Iterable[Item], style: str, format: str = "text", locale: str | None = None
) -> str:
    """The whole bibliography as one document: text one entry per line; HTML in a
    ``csl-bib-body`` div (as citeproc-js writes it); Markdown, LaTeX and RST one paragraph
    per entry.  A URL that is not an http, https or mailto link is left out, with a warning
    in the collection's ``warnings``."""
    collection = Collection.of(items)
    items = list(collection)
    collection.warnings.extend(unsafe_url_warnings(items))
    lines = render(items, style, format, locale)
    if format == "html":
        body = "".join(f"  {line}\n" for line in lines)
        return f'<div class="csl-bib-body">\n{body}</div>\n'
    if format == "text":
        return "".join(line + "\n" for line in lines)
    return "\n\n".join(lines) + ("\n" if lines else "")
