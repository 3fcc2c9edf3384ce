"""A built CV list as Markdown, an HTML page (assets in ``assets/``), LaTeX or text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from urllib.parse import urlsplit

from ...model import Item, Name
from ...names import display_name
from ...urls import safe_link
from ...website import facts
from ..formatters import FORMATS
from .build import CVEntry, CVGroup

ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
SITE_LINKS = (
    ("pdf", "PDF"),
    ("code", "Code"),
    ("slides", "Slides"),
    ("video", "Video"),
    ("poster", "Poster"),
    ("website", "Website"),
)


@dataclass
class Link:
    """A link a CV line offers: ``href`` is None when the address is not a safe link
    (only http/https/mailto are, :func:`publist.urls.safe_link`); it is then shown as text."""

    label: str
    href: str | None
    text: str


def links(item: Item) -> list[Link]:
    found = []
    doi = item.get("DOI")
    if doi:
        address = f"https://doi.org/{doi}"
        found.append(Link("DOI", safe_link(address), address))
    url = item.get("URL")
    if isinstance(url, str) and url.strip() and not (doi and url.endswith(str(doi))):
        href = safe_link(url)
        label = "arXiv" if href and urlsplit(href).hostname in ARXIV_HOSTS else "Link"
        found.append(Link(label, href, url))
    # the overlay's links (already http/https only); a preview image is not a link
    site = facts(item).links
    found += [Link(label, site[name], site[name]) for name, label in SITE_LINKS if name in site]
    return found


def _owner_label(owners: list[Name]) -> str:
    return " / ".join(display_name(o) for o in owners)


def _total(groups: list[CVGroup]) -> int:
    return sum(len(g.entries) for g in groups)


def _number(entry: CVEntry) -> str:
    return f"{entry.number}. " if entry.number is not None else "- "


# --- Markdown and text -------------------------------------------------------------------------


def _markdown_link(link: Link) -> str:
    if link.href is None:  # not a link: the address as inert text
        return f"{link.label}: {FORMATS['markdown'].escape_text(link.text)}"
    return f"[{link.label}](<{link.href}>)"


def to_markdown(groups: list[CVGroup], owners: list[Name], abstracts: bool) -> str:
    total = _total(groups)
    md = FORMATS["markdown"]
    lines = [
        f"# Publications of {md.escape_text(_owner_label(owners))}",
        "",
        f"{total} publication{'s' if total != 1 else ''}, newest first.",
        "",
    ]
    for group in groups:
        if group.title:
            lines += [f"## {md.escape_text(group.title)}", ""]
        for entry in group.entries:
            number = _number(entry)
            lines.append(number + entry.citation)
            indent = " " * len(number)
            found = links(entry.item)
            if found:
                lines.append(indent + " · ".join(_markdown_link(link) for link in found))
            if abstracts and entry.item.get("abstract"):
                abstract = " ".join(str(entry.item["abstract"]).split())
                lines.append(indent + "Abstract: " + md.escape_text(abstract))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_text(groups: list[CVGroup], owners: list[Name]) -> str:
    lines = [f"Publications of {_owner_label(owners)}", ""]
    for group in groups:
        if group.title:
            lines += [group.title, "-" * len(group.title)]
        lines += [_number(entry) + entry.citation for entry in group.entries]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- LaTeX -------------------------------------------------------------------------------------


def to_latex(groups: list[CVGroup], owners: list[Name]) -> str:
    latex = FORMATS["latex"]
    lines = [
        f"% Publications of {latex.escape_text(_owner_label(owners))} (publist cv --format latex)",
        "\\section*{Publications}",
    ]
    for group in groups:
        if group.title:
            lines.append(f"\\subsection*{{{latex.escape_text(group.title)}}}")
        lines.append("\\begin{enumerate}")
        for entry in group.entries:
            label = f"[{entry.number}.]" if entry.number is not None else "[--]"
            lines.append(f"  \\item{label} {entry.citation}")
        lines.append("\\end{enumerate}")
    return "\n".join(lines) + "\n"


# --- the HTML page -----------------------------------------------------------------------------


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _html_link(link: Link) -> str:
    if link.href is None:
        return f'<span class="link-text">{link.label}: {html.escape(link.text)}</span>'
    return f'<a href="{html.escape(link.href, quote=True)}">{link.label}</a>'


def _bibtex(item: Item) -> str:
    from ...api import format_item

    return format_item(item, "bibtex")


def _normalised_text(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(text)).split())


def _html_entry(entry: CVEntry, abstracts: bool) -> str:
    item = entry.item
    everyone = " ".join(display_name(n) for n in item.get("author") or [])
    search = html.escape(
        _normalised_text(" ".join((entry.citation, everyone, str(item.get("abstract", ""))))),
        quote=True,
    )
    show_abstract = abstracts and bool(item.get("abstract"))
    controls = []
    if show_abstract:
        controls.append(
            '<button type="button" class="toggle" aria-expanded="false">Abstract</button>'
        )
    controls.append('<button type="button" class="copy">BibTeX</button>')
    controls += [_html_link(link) for link in links(item)]
    value = f' value="{entry.number}"' if entry.number is not None else ""
    parts = [
        f'<li class="entry"{value} data-search="{search}">',
        f'<div class="citation">{entry.citation}</div>',
        f'<div class="controls">{" ".join(controls)}</div>',
    ]
    if show_abstract:
        parts.append(f'<p class="abstract" hidden>{html.escape(item["abstract"])}</p>')
    bibtex = html.escape(_bibtex(item))
    parts.append(f'<textarea class="bibtex" hidden readonly>{bibtex}</textarea>')
    parts.append("</li>")
    return "\n".join(parts)


def _html_section(group: CVGroup, abstracts: bool) -> str:
    heading = f"<h2>{html.escape(group.title)}</h2>\n" if group.title else ""
    numbered = bool(group.entries and group.entries[0].number)
    opening, closing = ("<ol reversed>", "</ol>") if numbered else ("<ul>", "</ul>")
    body = "\n".join(_html_entry(entry, abstracts) for entry in group.entries)
    return f'<section class="group">\n{heading}{opening}\n{body}\n{closing}\n</section>'


def to_html(groups: list[CVGroup], owners: list[Name], abstracts: bool) -> str:
    total = _total(groups)
    return Template(_asset("page.html")).substitute(
        owner=html.escape(_owner_label(owners)),
        total=total,
        plural="s" if total != 1 else "",
        sections="\n".join(_html_section(group, abstracts) for group in groups),
        css=_asset("cv.css"),
        js=_asset("cv.js"),
    )
