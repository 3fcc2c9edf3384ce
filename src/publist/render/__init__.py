"""Styled bibliographies: any CSL style through citeproc-py, corrected to print as citeproc-js.

``render(items, style, format="text")`` returns one string per entry, in the style's order.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import PublistError
from ..model import Collection, Item, date_parts
from ..text import CJK_ONLY
from ..urls import LINK_SCHEMES, safe_link
from . import fidelity
from .formatters import FORMATS, OutputFormat, protect
from .parallel import map_chunks, workers_for
from .styles import StyleSource, list_styles, resolve

__all__ = [
    "Entry",
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
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
    )
    from citeproc.source.json import CiteProcJSON

fidelity.install()

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
            return f"{self.left_margin} {self.text}".strip()
        return self.text

    def line(self, fmt: str) -> str:
        """The entry as one line (text/markdown/…) or one csl-entry div (html)."""
        if fmt == "html":
            return f'<div class="csl-entry">{self.body(fmt)}</div>'
        return self.body(fmt)


def item_key(index: int) -> str:
    """The key the ``index``-th item carries inside citeproc-py, which the name hooks of
    :mod:`.fidelity` (``NAME_TRANSFORM``, ``NAMES_AFTER``) receive; citeproc-py lower-cases
    ids, so records' own ids cannot serve."""
    return f"k{index}"


_VERBATIM = frozenset(
    {"URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "number", "page", "volume", "issue", "language"}
)


_SINGLE_QUOTED = re.compile(r"(?<![\w’'])'(?=\S)([^']*?[^\s'])'(?!\w)")
_DOUBLE_QUOTED = re.compile(r'(?<![\w"])"(?=\S)([^"]*?[^\s"])"(?!\w)')
_APOSTROPHE_RUN = re.compile(r"(?<!\S)'{2,}")


def _typographic(text: str) -> str:
    """Straight quotes as citeproc-js prints them: a quoted span ('x' or "x") becomes “x”
    (inner ‘x’ inside a quoted title), an apostrophe ’ (Bob’s), a run of apostrophes opening
    a word ’ ’."""
    if "'" not in text and '"' not in text:
        return text
    text = _SINGLE_QUOTED.sub("\u201c\\1\u201d", text)
    text = _DOUBLE_QUOTED.sub("\u201c\\1\u201d", text)
    text = _APOSTROPHE_RUN.sub(lambda m: " ".join("\u2019" * len(m.group())), text)
    return text.replace("'", "\u2019")


def _field(var: str, value: str) -> str:
    return protect(value if var in _VERBATIM else _typographic(value))


_CJK = CJK_ONLY  # the one CJK range (publist.text)


def _name(name: dict) -> dict:
    """CSL renders a name in CJK script as family+given, unspaced and never inverted or
    initialised: citeproc-py does not, so such a name is handed over as one literal."""
    family, given = name.get("family", ""), name.get("given", "")
    if family and given and _CJK.match(family) and _CJK.match(given):
        return {"literal": _field("literal", family + given)}
    return {k: _field(k, v) for k, v in name.items() if isinstance(v, str)}


def _citeproc_item(item: Item, key: str) -> dict:
    """A copy citeproc-py can take: safe id, protected text, dates it understands."""
    out: dict = {"id": key, "type": item.get("type") or "document"}
    for var, value in item.items():
        if var in ("id", "type"):
            continue
        if var in _NAME_VARS:
            if isinstance(value, list):
                out[var] = [_name(n) for n in value if isinstance(n, dict)]
            continue
        if var in _OTHER_NAME_VARS:
            continue  # CSL 1.0.2 roles citeproc-py 0.11 cannot render (it would raise)
        if isinstance(value, dict):
            if var in (
                "issued",
                "accessed",
                "original-date",
                "event-date",
                "submitted",
                "container",
            ):
                parts = date_parts({"issued": value})
                if value.get("date-parts") and len(value["date-parts"]) > 1:
                    out[var] = {"date-parts": value["date-parts"]}
                elif parts:
                    out[var] = {"date-parts": [parts]}
                elif value.get("literal"):
                    out[var] = {"literal": protect(str(value["literal"]))}
            continue
        if var == "URL":
            # as every writer that could make a link of it: http/https/mailto only, cleaned
            link = safe_link(value)
            if link is not None:
                out[var] = _field(var, link)
            continue
        if isinstance(value, (str, int, float)):
            out[var] = _field(var, str(value))
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


def _load_style(source: StyleSource, locale: str | None):
    if locale:
        _check_locale(locale)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CitationStylesStyle(
                io.BytesIO(source.xml),
                locale=locale or source.default_locale or "en-US",
                validate=False,
            )
    except ValueError as err:
        raise PublistError(f"style {source.name!r}: {err}") from None
    except Exception as err:  # a style citeproc-py cannot parse: one clear error
        raise PublistError(
            f"style {source.name!r} cannot be used: {type(err).__name__}: {err}"
        ) from None


def _quotes_for(style) -> tuple[str, ...]:
    if str(style.root.get_locale_option("punctuation-in-quote") or "").lower() != "true":
        return ()
    quotes = []
    for term in ("close-quote", "close-inner-quote"):
        text = str(style.root.get_single_term(term) or "")
        if text:
            quotes.append(text)
    return tuple(quotes)


def _author_key(item: Item) -> tuple:
    names = item.get("author") or item.get("editor") or []
    return tuple(tuple(sorted(n.items())) for n in names)


def _cite_text(bibliography, key: str) -> str:
    """The item's citation as the style prints it alone (cached: disambiguation asks often)."""
    cache = bibliography.__dict__.setdefault("_publist_cites", {})
    if key not in cache:
        cite = Citation([CitationItem(key)])
        bibliography.register(cite)
        cache[key] = str(bibliography.cite(cite, lambda _: None))
    return cache[key]


def _names_to_show(style, bibliography, items_by_key: dict[str, Item]) -> dict[str, int]:
    """For styles that disambiguate by adding names: entries whose citations read alike show
    as many names as tell them apart (citeproc-js prints those in the bibliography too)."""
    citation = style.root.citation
    if citation is None or citation.get("disambiguate-add-names", "false") != "true":
        return {}
    groups: dict[str, list[str]] = {}
    for key in bibliography.keys:
        groups.setdefault(_cite_text(bibliography, key), []).append(key)
    shown: dict[str, int] = {}
    for keys in groups.values():
        if len(keys) < 2:
            continue
        names = [_author_key(items_by_key[k]) for k in keys]
        for count in range(1, max(len(n) for n in names) + 1):
            if len({n[:count] for n in names}) == len(names):
                shown.update((k, count) for k in keys)
                break
    return shown


def _still_ambiguous(bibliography, shown: dict[str, int]) -> frozenset:
    """Keys whose citations read alike even with names added: <if disambiguate> is for them."""
    groups: dict[str, list[str]] = {}
    for key in bibliography.keys:
        if key not in shown:
            groups.setdefault(_cite_text(bibliography, key), []).append(key)
    return frozenset(k for keys in groups.values() if len(keys) > 1 for k in keys)


def _year_suffixes(style, bibliography, items_by_key: dict[str, Item]) -> None:
    """Year-suffix disambiguation (2024a, 2024b) for styles that ask for it.

    Two entries are ambiguous when their author lists and years are the same (styles that
    can add names) or when their citations render the same; suffixes follow the
    bibliography's order, as citeproc-js assigns them."""
    citation = style.root.citation
    if citation is None or citation.get("disambiguate-add-year-suffix", "false") != "true":
        return
    add_names = citation.get("disambiguate-add-names", "false") == "true"
    groups: dict[object, list[str]] = {}
    for key in bibliography.keys:
        item = items_by_key[key]
        year = (date_parts(item) or [None])[0]
        if add_names:
            group = (_author_key(item), year)
        else:
            group = (_cite_text(bibliography, key), year)
        groups.setdefault(group, []).append(key)
    for keys in groups.values():
        if len(keys) > 1:
            for index, key in enumerate(keys):
                bibliography.source[key]["year_suffix"] = "abcdefghijklmnopqrstuvwxyz"[index % 26]


def _first_author_key(item: Item) -> str:
    names = item.get("author") or item.get("editor") or []
    if not names:
        return "\x00no-author"
    first = names[0]
    return str(first.get("literal") or first.get("family") or first.get("given") or "").casefold()


def _prepare_cites(style, bibliography, workers: int, items_by_key: dict[str, Item]) -> None:
    """Every item's citation text, which disambiguation compares, rendered up front (in
    parallel for long lists).

    When the style's citations print author names, two citations can only read alike if
    their first authors do: items whose first author is unique in the list get a citation
    text no other can equal, without rendering it."""
    citation = style.root.citation
    if citation is None or not any(
        citation.get(option, "false") == "true"
        for option in ("disambiguate-add-names", "disambiguate-add-year-suffix")
    ):
        return
    keys = list(bibliography.keys)
    cache = bibliography.__dict__.setdefault("_publist_cites", {})
    if _cites_print_authors(citation):
        buckets: dict[str, int] = {}
        for key in keys:
            bucket = _first_author_key(items_by_key[key])
            buckets[bucket] = buckets.get(bucket, 0) + 1
        unique = [k for k in keys if buckets[_first_author_key(items_by_key[k])] == 1]
        cache.update((k, "\x00unique:" + k) for k in unique)
        keys = [k for k in keys if k not in cache]
    texts = map_chunks(lambda chunk: [_cite_text(bibliography, k) for k in chunk], keys, workers)
    cache.update(zip(keys, texts, strict=True))


def _cites_print_authors(citation) -> bool:
    """Does the citation layout print the author names (directly or through macros)?"""
    from .fidelity import _variables_under

    layout = citation.layout
    return layout is not None and any(
        tag == "publist-names" and variable == "author"
        for tag, variable in _variables_under(layout)
    )


def render_entries(
    items: Iterable[Item],
    style: str,
    format: str = "text",
    locale: str | None = None,
    parallel: int | None = None,
) -> list[Entry]:
    """Render every item with ``style``; entries in the style's order.

    ``parallel``: worker processes for long lists (default: one per core from 300 items on;
    the environment variable PUBLIST_WORKERS=1 turns it off)."""
    if format not in FORMATS:
        raise PublistError(f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    output: OutputFormat = FORMATS[format]
    source = resolve(style)
    csl_style = _load_style(source, locale)
    items = list(items)
    keys = [item_key(i) for i in range(len(items))]
    by_key = dict(zip(keys, items, strict=True))
    index_of = {key: i for i, key in enumerate(keys)}
    data = [_citeproc_item(item, key) for item, key in zip(items, keys, strict=True)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(
            csl_style, CiteProcJSON(data), output.citeproc_formatter()
        )
    # (terms can be read once the bibliography has given the style its formatter)
    token = fidelity.PUNCTUATION_IN_QUOTE.set(_quotes_for(csl_style))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bibliography.register(Citation([CitationItem(k) for k in keys]))
            workers = workers_for(len(keys)) if parallel is None else parallel
            sort_workers = fidelity.SORT_WORKERS.set(workers)
            try:
                bibliography.sort()
            finally:
                fidelity.SORT_WORKERS.reset(sort_workers)
            _prepare_cites(csl_style, bibliography, workers, by_key)
            _year_suffixes(csl_style, bibliography, by_key)
            names_shown = _names_to_show(csl_style, bibliography, by_key)
            ambiguous = _still_ambiguous(bibliography, names_shown)
            shown = fidelity.NAMES_SHOWN.set(names_shown)
            flagged = fidelity.DISAMBIGUATE.set(ambiguous)
            try:
                layout = csl_style.root.bibliography.layout
                rendered = map_chunks(layout.render_bibliography, bibliography.items, workers)
            finally:
                fidelity.NAMES_SHOWN.reset(shown)
                fidelity.DISAMBIGUATE.reset(flagged)
    except PublistError:
        raise
    except Exception as err:
        raise PublistError(
            f"style {source.name!r} failed on these items: {type(err).__name__}: {err}"
        ) from None
    finally:
        fidelity.PUNCTUATION_IN_QUOTE.reset(token)
    fidelity.substitute_repeated_names(
        rendered, csl_style.root.bibliography.get("subsequent-author-substitute")
    )
    entries = []
    for key, text in zip(bibliography.keys, rendered, strict=True):
        item_id = str(by_key[key].get("id", ""))
        left = output.restore(_clean(text.left)) if text.left is not None else None
        body = output.restore(_clean(text.text))
        if format == "rst":
            body, left = _rst_unlink(body), _rst_unlink(left) if left is not None else None
        entries.append(Entry(item_id, body, left, index_of[key]))
    return entries


# Runs of white space and control characters (which no output has a form for, and which
# would reach a terminal as escape sequences) become one space.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def _clean(text: str) -> str:
    return _SPACE_OR_CONTROL.sub(" ", text).strip()


# docutils makes a link of any "scheme:rest" whose scheme it knows (javascript:, data:, file:…)
# in running text; an escaped colon keeps such text as text and prints the same.
_RST_SCHEME = re.compile(r"(?<![A-Za-z0-9+.\-:\\])([A-Za-z][A-Za-z0-9+.\-]*):(?=[^\s`])")


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
