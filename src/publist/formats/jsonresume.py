"""JSON Resume (jsonresume.org, resume-schema v1): a ``resume.json`` with ``basics.name`` (the
owner) and the ``publications`` section — ``name``, ``publisher`` (the venue), ``releaseDate``
(ISO 8601, as precise as the record), ``url`` (http/https only: the DOI, else the record's URL,
else its arXiv page) and ``summary`` (the abstract). Works the overlay marks ``selected``
come first; the rest follow newest first. Merge the section into an existing resume.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..identifiers import arxiv_id
from ..model import Collection, Item, date_parts
from ..names import display_name
from ..registry import Format, register
from ..urls import safe_link
from ..website import facts

SCHEMA = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def _web(url: object) -> str | None:
    link = safe_link(url)
    return link if link and link.startswith(("http://", "https://")) else None


def record_url(item: Item) -> str | None:
    """The page a CV links a work to: its DOI, else its URL, else its arXiv abstract page."""
    doi = item.get("DOI")
    arxiv = arxiv_id(item)
    for candidate in (
        f"https://doi.org/{doi}" if doi else None,
        item.get("URL"),
        f"https://arxiv.org/abs/{arxiv}" if arxiv else None,
    ):
        link = _web(candidate)
        if link:
            return link
    return None


def newest_selected_first(items: list[Item]) -> list[Item]:
    """Selected works first, then the rest; newest first within each (stable)."""
    return sorted(items, key=lambda i: (not facts(i).selected, [-p for p in date_parts(i)] or [1]))


def publication(item: Item) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": " ".join(str(item.get("title", "")).split())}
    venue = item.get("container-title") or item.get("publisher")
    if venue:
        entry["publisher"] = str(venue)
    parts = date_parts(item)
    if parts:
        entry["releaseDate"] = "-".join(
            f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts[:3])
        )
    url = record_url(item)
    if url:
        entry["url"] = url
    if item.get("abstract"):
        entry["summary"] = " ".join(str(item["abstract"]).split())
    return entry


def write_jsonresume(collection: Collection, out: TextIO) -> None:
    items = newest_selected_first(list(collection))
    resume: dict[str, Any] = {"$schema": SCHEMA}
    if collection.owner:
        resume["basics"] = {"name": display_name(collection.owner)}
    resume["publications"] = [publication(item) for item in items]
    json.dump(resume, out, ensure_ascii=False, indent=2)
    out.write("\n")


register(
    Format(
        name="jsonresume",
        description="JSON Resume resume.json: the publications section (resume-schema v1)",
        writer=write_jsonresume,
        default_extension=".json",
    )
)
