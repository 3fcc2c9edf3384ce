"""CV and website publication lists: the owner highlighted, long author lists that keep the
owner visible, newest first, grouped by year (or type), numbered downwards.

The owner is found on structured names (:func:`publist.names.same_person`), and highlighted
inside the CSL style's own output: the owner's family name is marked while citeproc-py
renders, and the mark grows to the whole rendered name (particle, given name or initials)
before it becomes ``**…**`` (Markdown, text), ``<strong class="owner">`` (HTML) or
``\\textbf{…}`` (LaTeX).
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..errors import PublistError
from ..model import Collection, Item, Name, issued_year
from ..names import display_name, find_owner
from ..urls import safe_link
from . import fidelity, render_entries
from .formatters import FORMATS

START, END = "\ue200", "\ue201"
ELLIPSIS: Name = {"literal": "…"}
FORMATS_CV = ("markdown", "html", "latex", "text")
ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
TYPE_GROUPS = [
    ("article-journal", "Journal articles"),
    ("paper-conference", "Conference papers"),
    ("chapter", "Book chapters"),
    ("book", "Books"),
    ("article", "Preprints"),
    ("report", "Reports"),
    ("thesis", "Theses"),
]
_TYPE_LABEL = dict(TYPE_GROUPS)
_BOLD = {
    "markdown": ("**", "**"),
    "text": ("**", "**"),
    "html": ('<strong class="owner">', "</strong>"),
    "latex": ("\\textbf{", "}"),
}


@dataclass
class CVEntry:
    item: Item
    citation: str  # styled, owner highlighted, in the output format
    number: int | None = None
    owner_found: bool = True


@dataclass
class CVGroup:
    title: str
    entries: list[CVEntry] = field(default_factory=list)


def shown_authors(
    authors: list[Name], owner_indices: list[int], max_authors: int
) -> tuple[list[Name], list[int]]:
    """The authors a CV line shows: all, or (beyond ``max_authors``) the first ones, an
    ellipsis, the owner in place, an ellipsis and the last; and where the owner now stands."""
    if not max_authors or len(authors) <= max_authors:
        return list(authors), list(owner_indices)
    head = min(3, max(1, max_authors - 2))
    keep = list(range(head)) + [i for i in owner_indices if head <= i < len(authors) - 1]
    keep.append(len(authors) - 1)
    shown: list[Name] = []
    positions: list[int] = []
    previous = -1
    for index in keep:
        if index > previous + 1:
            shown.append(dict(ELLIPSIS))
        if index in owner_indices:
            positions.append(len(shown))
        shown.append(authors[index])
        previous = index
    return shown, positions


def _given_pattern(given: str) -> str:
    """The given name as a style may print it: whole, or initials in any punctuation."""
    words = [w for w in re.split(r"[\s\-]+", given) if w]
    if not words:
        return ""
    initials = r"[\s\-]*".join(re.escape(w[0]) + r"[^\W\d_]*\.?" for w in words)
    return rf"(?:{re.escape(given)}|{initials})"


def _highlight(text: str, owners: list[Name], fmt: str) -> str:
    """Marked family names → the whole rendered owner name in bold."""
    opening, closing = _BOLD[fmt]
    pattern = "|".join(p for p in (_given_pattern(o.get("given", "")) for o in owners) if p)
    particles = "|".join(
        re.escape(o[k])
        for o in owners
        for k in ("non-dropping-particle", "dropping-particle")
        if o.get(k)
    )
    out = []
    position = 0
    for match in re.finditer(f"{START}(.*?){END}", text):
        start, end = match.start(), match.end()
        before, after = text[position:start], text[end:]
        lead = ""
        if particles:
            found = re.search(rf"(?:{particles})\s$", before)
            if found:
                lead, before = before[found.start() :], before[: found.start()]
        given_before = None
        if pattern:  # display order: "L. Hussenot", "Nando de Freitas"
            given_before = re.search(rf"(?<![\w.])({pattern})\s$", before)
            if given_before:
                lead = before[given_before.start() :] + lead
                before = before[: given_before.start()]
        tail = ""
        if pattern:
            given_after = re.match(
                rf"(,?\s)({pattern})(?:\s(?:{particles or '(?!)'}))?(?![\w])", after
            )
            if given_after and not given_before:
                tail = given_after.group(0)
        name = lead + match.group(1) + tail
        out.append(before + opening + name + closing)
        position = end + len(tail)
    out.append(text[position:])
    return "".join(out)


@dataclass
class Link:
    """A link a CV line offers: ``href`` is None when the address is not a safe link
    (only http/https/mailto are, :func:`publist.urls.safe_link`); it is then shown as text."""

    label: str
    href: str | None
    text: str


def _links(item: Item) -> list[Link]:
    links = []
    doi = item.get("DOI")
    if doi:
        address = f"https://doi.org/{doi}"
        links.append(Link("DOI", safe_link(address), address))
    url = item.get("URL")
    if isinstance(url, str) and url.strip() and not (doi and url.endswith(str(doi))):
        href = safe_link(url)
        label = "arXiv" if href and urlsplit(href).hostname in ARXIV_HOSTS else "Link"
        links.append(Link(label, href, url))
    return links


def _bibtex(item: Item) -> str:
    from ..registry import get

    out = io.StringIO()
    get("bibtex").write(Collection([item]), out)
    return out.getvalue()


def build(
    items: Iterable[Item] | Collection,
    owners: list[Name] | None = None,
    style: str = "apa",
    format: str = "markdown",
    group_by: str = "year",
    max_authors: int = 10,
    numbered: bool = True,
    locale: str | None = None,
) -> tuple[list[CVGroup], list[Name]]:
    if format not in FORMATS_CV:
        raise PublistError(f"unknown CV format {format!r} (known: {', '.join(FORMATS_CV)})")
    if group_by not in ("year", "type", "none"):
        raise PublistError(f"unknown grouping {group_by!r} (year, type or none)")
    collection = Collection.of(items)
    records = list(collection)
    owners = owners or ([collection.owner] if collection.owner else [])
    if not owners:
        raise PublistError(
            'no owner: give --owner "Family, Given" (the seed\'s first line '
            "is used when there is one)"
        )
    copies, marks, after = [], {}, {}
    for index, item in enumerate(records):
        authors = item.get("author") or []
        found = find_owner(authors, owners)
        shown, positions = shown_authors(authors, found, max_authors)
        copy = dict(item)
        if authors:
            copy["author"] = shown
        copies.append(copy)
        key = f"k{index}"
        marks[key] = set(positions)
        if len(shown) != len(authors):
            after[key] = f" ({len(authors)} authors)"

    def mark_owner(key, variable, names):
        wanted = marks.get(key)
        if variable != "author" or not wanted:
            return None
        from citeproc.source import Name as SourceName

        marked = []
        for index, name in enumerate(names):
            if index in wanted:
                fields = dict(name)
                target = "literal" if "literal" in fields else "family"
                fields[target] = START + str(fields.get(target, "")) + END
                name = SourceName(**fields)
            marked.append(name)
        return marked

    tokens = (
        fidelity.NAME_TRANSFORM.set(mark_owner),
        fidelity.NAMES_AFTER.set(after),
        fidelity.NO_ET_AL.set(True),
    )
    try:
        entries = render_entries(copies, style, "html" if format == "html" else format, locale)
    finally:
        fidelity.NAME_TRANSFORM.reset(tokens[0])
        fidelity.NAMES_AFTER.reset(tokens[1])
        fidelity.NO_ET_AL.reset(tokens[2])
    by_id = {str(item.get("id")): (index, item) for index, item in enumerate(records)}
    cv_entries = []
    for entry in entries:
        index, item = by_id[entry.id]
        line = entry.line("html" if format == "html" else format)
        if format == "html":  # the entry's inner HTML, not the csl-entry div
            line = line[len('<div class="csl-entry">') : -len("</div>")]
        cv_entries.append(
            CVEntry(item, _highlight(line, owners, format), owner_found=bool(marks[f"k{index}"]))
        )
    groups = _group(cv_entries, group_by)
    if numbered:
        number = sum(len(g.entries) for g in groups)
        for group in groups:
            for entry in group.entries:
                entry.number = number
                number -= 1
    return groups, owners


def _group(entries: list[CVEntry], group_by: str) -> list[CVGroup]:
    if group_by == "none":
        ordered = sorted(entries, key=lambda e: -(issued_year(e.item) or 0))
        return [CVGroup("", ordered)]
    groups: dict[str, CVGroup] = {}
    for entry in entries:  # entries come in the style's order; grouping keeps it
        if group_by == "year":
            year = issued_year(entry.item)
            title = str(year) if year is not None else "Undated"
        else:
            title = _TYPE_LABEL.get(entry.item.get("type", ""), "Other")
        groups.setdefault(title, CVGroup(title)).entries.append(entry)
    if group_by == "year":
        order = sorted((t for t in groups if t != "Undated"), key=int, reverse=True)
        order += ["Undated"] if "Undated" in groups else []
    else:
        order = [label for _, label in TYPE_GROUPS if label in groups]
        order += ["Other"] if "Other" in groups else []
        for group in groups.values():
            group.entries.sort(key=lambda e: -(issued_year(e.item) or 0))
    return [groups[t] for t in order]


# --- output ------------------------------------------------------------------------------------


def _owner_label(owners: list[Name]) -> str:
    return " / ".join(display_name(o) for o in owners)


def to_markdown(groups: list[CVGroup], owners: list[Name], abstracts: bool) -> str:
    total = sum(len(g.entries) for g in groups)
    md = FORMATS["markdown"]
    lines = [
        f"# Publications of {md.escape_text(_owner_label(owners))}",
        "",
        f"{total} publication{'s' if total != 1 else ''}, newest first.",
        "",
    ]
    for group in groups:
        if group.title:
            lines += [f"## {group.title}", ""]
        for entry in group.entries:
            number = f"{entry.number}. " if entry.number is not None else "- "
            lines.append(number + entry.citation)
            indent = " " * len(number)
            links = _links(entry.item)
            if links:
                lines.append(indent + " · ".join(_markdown_link(link) for link in links))
            if abstracts and entry.item.get("abstract"):
                lines.append(
                    indent
                    + "Abstract: "
                    + md.escape_text(" ".join(str(entry.item["abstract"]).split()))
                )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_link(link: Link) -> str:
    if link.href is None:  # not a link: the address as inert text
        return f"{link.label}: {FORMATS['markdown'].escape_text(link.text)}"
    return f"[{link.label}](<{link.href}>)"


def _html_link(link: Link) -> str:
    if link.href is None:
        return f'<span class="link-text">{link.label}: {html.escape(link.text)}</span>'
    return f'<a href="{html.escape(link.href, quote=True)}">{link.label}</a>'


def to_text(groups: list[CVGroup], owners: list[Name], abstracts: bool) -> str:
    lines = [f"Publications of {_owner_label(owners)}", ""]
    for group in groups:
        if group.title:
            lines += [group.title, "-" * len(group.title)]
        for entry in group.entries:
            number = f"{entry.number}. " if entry.number is not None else "- "
            lines.append(number + entry.citation)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_latex(groups: list[CVGroup], owners: list[Name]) -> str:
    latex = FORMATS["latex"]
    lines = [
        f"% Publications of {_owner_label(owners)} (publist cv --format latex)",
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


def _normalised_text(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(text)).split())


def to_html(groups: list[CVGroup], owners: list[Name], abstracts: bool) -> str:
    owner = html.escape(_owner_label(owners))
    total = sum(len(g.entries) for g in groups)
    sections = []
    for group in groups:
        items = []
        for entry in group.entries:
            item = entry.item
            everyone = " ".join(display_name(n) for n in item.get("author") or [])
            search = html.escape(
                _normalised_text(
                    " ".join((entry.citation, everyone, str(item.get("abstract", ""))))
                ),
                quote=True,
            )
            controls = []
            if abstracts and item.get("abstract"):
                controls.append(
                    '<button type="button" class="toggle" aria-expanded="false">Abstract</button>'
                )
            controls.append('<button type="button" class="copy">BibTeX</button>')
            controls += [_html_link(link) for link in _links(item)]
            parts = [
                f'<li class="entry" value="{entry.number}" data-search="{search}">'
                if entry.number is not None
                else f'<li class="entry" data-search="{search}">',
                f'<div class="citation">{entry.citation}</div>',
                f'<div class="controls">{" ".join(controls)}</div>',
            ]
            if abstracts and item.get("abstract"):
                parts.append(f'<p class="abstract" hidden>{html.escape(item["abstract"])}</p>')
            parts.append(
                f'<textarea class="bibtex" hidden readonly>{html.escape(_bibtex(item))}</textarea>'
            )
            parts.append("</li>")
            items.append("\n".join(parts))
        heading = f"<h2>{html.escape(group.title)}</h2>\n" if group.title else ""
        list_tag = "<ol reversed>" if group.entries and group.entries[0].number else "<ul>"
        close_tag = "</ol>" if list_tag.startswith("<ol") else "</ul>"
        sections.append(
            f'<section class="group">\n{heading}{list_tag}\n'
            + "\n".join(items)
            + f"\n{close_tag}\n</section>"
        )
    return _PAGE.format(
        owner=owner,
        total=total,
        plural="s" if total != 1 else "",
        sections="\n".join(sections),
        css=_CSS,
        js=_JS,
        data=json.dumps({"total": total}),
    )


_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --accent: #0b57d0; --line: #e3e3e3; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 52rem; padding: 1rem; }
header h1 { font-size: 1.6rem; margin: .5rem 0 .25rem; }
header p { color: var(--muted); margin: 0 0 1rem; }
#filter { width: 100%; font: inherit; padding: .5rem .75rem; border: 1px solid var(--line);
          border-radius: .5rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
ol, ul { padding-left: 2.5rem; }
li.entry { margin: 0 0 1rem; overflow-wrap: anywhere; }
strong.owner { font-weight: 700; }
.controls { margin-top: .25rem; display: flex; gap: .5rem; flex-wrap: wrap; font-size: .9rem; }
.controls button, .controls a { font: inherit; padding: .1rem .6rem; background: #fff;
  border: 1px solid var(--line); border-radius: 1rem; color: var(--accent); cursor: pointer;
  text-decoration: none; }
.abstract { color: var(--muted); margin: .5rem 0 0; }
#status { color: var(--muted); font-size: .9rem; }
@media (max-width: 600px) { body { padding: .5rem; } ol, ul { padding-left: 1.75rem; } }
@media print { #filter, #status, .controls, .bibtex { display: none !important; }
  body { max-width: none; } a { color: inherit; } }
"""

_JS = """
(function () {
  "use strict";
  var fold = function (s) {
    return s.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  };
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry"));
  var status = document.getElementById("status");
  var filter = document.getElementById("filter");
  filter.addEventListener("input", function () {
    var words = fold(filter.value).split(/\\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (li) {
      var text = fold(li.getAttribute("data-search"));
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    document.querySelectorAll("section.group").forEach(function (section) {
      section.hidden = !section.querySelector("li.entry:not([hidden])");
    });
    status.textContent = words.length ? shown + " of " + entries.length + " shown" : "";
  });
  entries.forEach(function (li) {
    var toggle = li.querySelector("button.toggle");
    var abstract = li.querySelector(".abstract");
    if (toggle && abstract) {
      toggle.addEventListener("click", function () {
        abstract.hidden = !abstract.hidden;
        toggle.setAttribute("aria-expanded", String(!abstract.hidden));
      });
    }
    var copy = li.querySelector("button.copy");
    var bibtex = li.querySelector("textarea.bibtex");
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(bibtex.value).then(done, function () {
          fallback(); done();
        });
      } else { fallback(); done(); }
      function fallback() {
        bibtex.hidden = false; bibtex.select(); document.execCommand("copy"); bibtex.hidden = true;
      }
    });
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Publications of {owner}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>Publications of {owner}</h1>
<p><span id="count">{total}</span> publication{plural}, newest first.</p>
<input id="filter" type="search" placeholder="Filter: title, author, venue, year…"
 aria-label="Filter publications">
<p id="status" aria-live="polite"></p>
</header>
<main>
{sections}
</main>
<script type="application/json" id="cv-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""


def render_cv(
    items: Iterable[Item] | Collection,
    owners: list[Name] | None = None,
    style: str = "apa",
    format: str = "markdown",
    group_by: str = "year",
    max_authors: int = 10,
    numbered: bool = True,
    abstracts: bool = True,
    locale: str | None = None,
) -> str:
    """A publication list of ``items`` for the owner(s): Markdown, HTML page, LaTeX or text."""
    groups, owners = build(items, owners, style, format, group_by, max_authors, numbered, locale)
    if format == "markdown":
        return to_markdown(groups, owners, abstracts)
    if format == "html":
        return to_html(groups, owners, abstracts)
    if format == "latex":
        return to_latex(groups, owners)
    return to_text(groups, owners, abstracts)
