"""What a personal website shows beside a citation: a venue badge (``abbr``), a "selected"
flag and links to the PDF, code, slides, video, poster, project website and a preview image.

The facts come from the metadata overlay (:mod:`publist.meta`) and ride in the CSL item's
``custom`` object (CSL-JSON's place for data with no CSL variable), so CSL-JSON keeps them and
every other writer ignores them. A venue with no ``abbr`` of its own gets one from
``data/venues.csv`` when it is a well-known venue; an arXiv preprint with no venue gets
``arXiv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .identifiers import arxiv_id
from .model import Item
from .urls import safe_link

#: the overlay's link fields, in the order sites show them
LINK_FIELDS = ("pdf", "code", "slides", "video", "poster", "website", "preview")
CUSTOM = "custom"  # the CSL-JSON variable the facts live in


@dataclass(frozen=True)
class Venue:
    abbr: str
    names: tuple[str, ...]
    exact: bool  # the whole venue must be the name ("Nature", not "Nature Communications")


@cache
def venues() -> tuple[Venue, ...]:
    text = resources.files("publist").joinpath("data", "venues.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Venue(
            row["abbr"], tuple(n.strip() for n in row["names"].split("|")), row["match"] == "exact"
        )
        for row in rows
    )


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def venue_abbreviation(venue: str) -> str | None:
    """The short name of a well-known venue: a name from the table inside the venue (or the
    whole venue, for exact rows), or the abbreviation itself in parentheses, "… (ICML)"."""
    folded = _fold(venue)
    for row in venues():
        if re.search(rf"\({re.escape(row.abbr)}(?:[\s'’]*\d{{2,4}})?\)", venue):
            return row.abbr
        for name in row.names:
            target = _fold(name)
            if folded == target or (
                not row.exact and re.search(rf"(?:^| ){re.escape(target)}(?: |$)", folded)
            ):
                return row.abbr
    return None


@dataclass
class Facts:
    selected: bool = False
    abbr: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # LINK_FIELDS name -> safe URL


def facts(item: Item) -> Facts:
    """The website facts of ``item``: overlay values, with the venue's default ``abbr``."""
    value = item.get(CUSTOM)
    custom: dict[str, Any] = value if isinstance(value, dict) else {}
    links = {}
    for name in LINK_FIELDS:
        url = safe_link(custom.get(name))
        if url and url.startswith(("http://", "https://")):
            links[name] = url
    abbr = custom.get("abbr") if isinstance(custom.get("abbr"), str) else None
    if not abbr:
        venue = str(item.get("container-title") or "")
        abbr = venue_abbreviation(venue) if venue else None
        if not abbr and not venue and arxiv_id(item):
            abbr = "arXiv"
    return Facts(custom.get("selected") is True, abbr, links)


def arxiv_url(item: Item) -> str | None:
    arxiv = arxiv_id(item)
    return f"https://arxiv.org/abs/{arxiv}" if arxiv else None
