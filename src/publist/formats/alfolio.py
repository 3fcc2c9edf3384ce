"""al-folio's ``_bibliography/papers.bib``: BibTeX with the fields al-folio's ``bib.liquid``
layout reads (jekyll-scholar hands every field to it).

Per entry: ``abbr`` (the venue badge), ``selected`` (the about page's list), ``bibtex_show``,
``arxiv`` (the arXiv button), ``html`` (the record's own page, from its URL), and the links
``pdf``, ``code``, ``slides``, ``video``, ``poster``, ``website``, ``preview`` from the overlay.
The layout prints field values into the page unescaped, so ``<`` and ``>`` are written as
HTML entities; ``&`` and ``%`` are written raw, as al-folio's own papers.bib does (bibtex-ruby
reads them inside braces; ``\\&`` would reach the page as a backslash). The file has no
front matter: with one, jekyll-scholar runs Liquid over the file, and a ``{{`` or ``{%`` in the
data (or BibTeX's own ``{{WARP}: …}`` case braces) would be Liquid code.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TextIO

from bibtexparser.model import Entry, Field

from ..identifiers import arxiv_id
from ..model import Collection, Item
from ..pipeline import write_chunks
from ..registry import Format, register
from ..urls import safe_link
from ..website import LINK_FIELDS, arxiv_url, facts
from .bibtex import MAX_AUTHORS, BibWriter

# LaTeX escapes jekyll-scholar's page would show, and HTML the layout would let through
_RAW = [("{\\&}", "&"), ("\\&", "&"), ("{\\%}", "%"), ("\\%", "%"), ("<", "&lt;"), (">", "&gt;")]
_TEXT_FIELD = re.compile(r"^\{.*\}$", re.DOTALL)


def _page_text(value: str) -> str:
    for old, new in _RAW:
        value = value.replace(old, new)
    return value


class AlFolioWriter(BibWriter):
    def __init__(self, *, max_authors: int | None = None) -> None:
        super().__init__(False, max_authors=max_authors, unicode=True)

    def entry(self, item: Item) -> Entry:
        entry = super().entry(item)
        fields = [
            Field(f.key, _page_text(f.value) if f.key not in ("url", "doi") else f.value)
            for f in entry.fields
        ]
        fields += [Field(k, "{" + v + "}") for k, v in self.site_fields(item).items()]
        return Entry(entry.entry_type, entry.key, fields)

    @staticmethod
    def site_fields(item: Item) -> dict[str, str]:
        found = facts(item)
        extra: dict[str, str] = {}
        if found.abbr:
            extra["abbr"] = _page_text(found.abbr)
        if found.selected:
            extra["selected"] = "true"
        extra["bibtex_show"] = "true"
        arxiv = arxiv_id(item)
        if arxiv:
            extra["arxiv"] = arxiv
        page = safe_link(item.get("URL"))
        if page and page.startswith(("http://", "https://")) and page != arxiv_url(item):
            extra["html"] = page
        for name in LINK_FIELDS:
            if name in found.links:
                extra[name] = found.links[name]
        return extra


def write_alfolio(collection: Collection, out: TextIO, *, max_authors: int | None = None) -> None:
    write_chunks(AlFolioWriter(max_authors=max_authors), collection, out)


register(
    Format(
        name="al-folio",
        description="al-folio's _bibliography/papers.bib (jekyll-scholar; badges, links, selected)",
        writer=write_alfolio,
        chunk_writer=partial(AlFolioWriter),
        options=(MAX_AUTHORS,),
        default_extension=".bib",
    )
)
