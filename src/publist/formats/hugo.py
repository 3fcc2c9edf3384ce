"""Hugo Blox publication pages: one folder per publication under ``content/publications/``,
each with an ``index.md`` (front matter as Hugo Blox's templates define it) and a ``cite.bib``
(the Cite button's download).

Front matter: ``title``, ``authors`` (display names; the owner as the site owner's user id,
``me`` in current Hugo Blox, ``admin`` in sites made before 2025), ``date``,
``publication_types`` (a CSL type: a preprint is ``article``), ``publication`` and
``publication_short`` (the venue and its badge), ``abstract``, ``featured`` (the overlay's
``selected``), ``hugoblox.ids`` (``doi``, ``arxiv``: Hugo Blox derives their links) and
``links`` (``pdf``, ``code``, ``slides``, ``video``, ``poster``, ``site``). A preview image is
a local ``featured.jpg`` in Hugo Blox, so the overlay's ``preview`` is not written.

A folder is written, not a stream: :func:`site_files` builds every file first, so a bad record
leaves nothing behind; ``publist hugo INPUT -o FOLDER`` writes them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import PublistError
from ..identifiers import arxiv_id
from ..keys import KeyAllocator
from ..model import Collection, Item, Name, date_parts
from ..names import display_name, find_owner
from ..render.formatters import FORMATS
from ..website import facts

DEFAULT_OWNER_ID = "me"
# the overlay's link names -> Hugo Blox link types (modules/blox/data/link_types.yaml)
LINK_TYPES = {
    "pdf": "pdf",
    "code": "code",
    "slides": "slides",
    "video": "video",
    "poster": "poster",
    "website": "site",
}
_SLUG_BAD = re.compile(r"[^a-z0-9]+")
_USER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _markdown(text: str) -> str:
    """Hugo Blox renders ``publication`` and ``abstract`` as Markdown: data stays text."""
    return FORMATS["markdown"].escape_text(" ".join(str(text).split()))


def _date(item: Item) -> str | None:
    parts = date_parts(item)
    if not parts:
        return None
    year, month, day = (parts + [1, 1])[:3]
    return f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"


def _authors(item: Item, owners: list[Name], owner_id: str) -> list[str]:
    names = [n for n in item.get("author") or [] if isinstance(n, dict)]
    owner_at = set(find_owner(names, owners)) if owners else set()
    return [owner_id if i in owner_at else display_name(n) for i, n in enumerate(names)]


def front_matter(
    item: Item, owners: list[Name], owner_id: str = DEFAULT_OWNER_ID
) -> dict[str, Any]:
    found = facts(item)
    matter: dict[str, Any] = {
        "title": " ".join(str(item.get("title", "")).split()),
        "authors": _authors(item, owners, owner_id),
    }
    date = _date(item)
    if date:
        matter["date"] = date
    matter["publication_types"] = [str(item.get("type") or "article")]
    venue = item.get("container-title") or item.get("publisher")
    if venue:
        matter["publication"] = _markdown(venue)
    if found.abbr:
        matter["publication_short"] = _markdown(found.abbr)
    if item.get("abstract"):
        matter["abstract"] = _markdown(item["abstract"])
    matter["featured"] = found.selected
    ids = {}
    if item.get("DOI"):
        ids["doi"] = str(item["DOI"])
    arxiv = arxiv_id(item)
    if arxiv:
        ids["arxiv"] = arxiv
    if ids:
        matter["hugoblox"] = {"ids": ids}
    links = [{"type": LINK_TYPES[k], "url": v} for k, v in found.links.items() if k in LINK_TYPES]
    if links:
        matter["links"] = links
    return matter


def _cite_bib(item: Item) -> str:
    from ..api import format_item

    return format_item(item, "bibtex", unicode=True)  # academic mangles ASCII accents


def site_files(
    items: Collection | list[Item], owners: list[Name] | None = None, owner_id: str = ""
) -> dict[str, str]:
    """``{relative path: text}`` for every publication's ``index.md`` and ``cite.bib``."""
    owner_id = owner_id or DEFAULT_OWNER_ID
    if not _USER_ID.match(owner_id):
        raise PublistError(f"owner id {owner_id!r} is not a Hugo user id (a-z, 0-9, - and _)")
    collection = Collection.of(items)
    owner_names = list(owners or ([collection.owner] if collection.owner else []))
    slugs = KeyAllocator()
    files: dict[str, str] = {}
    for item in collection:
        slug = slugs.claim(_SLUG_BAD.sub("-", str(item.get("id", "")).lower()).strip("-") or "item")
        matter = yaml.safe_dump(
            front_matter(item, owner_names, owner_id),
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        files[f"{slug}/index.md"] = f"---\n{matter}---\n"
        files[f"{slug}/cite.bib"] = _cite_bib(item)
    return files


def write_site(
    items: Collection | list[Item],
    folder: str | os.PathLike[str],
    owners: list[Name] | None = None,
    owner_id: str = "",
) -> int:
    """Write the publication folders under ``folder``; returns how many publications."""
    from ..api import atomic_output

    files = site_files(items, owners, owner_id)
    root = Path(folder)
    for relative, text in files.items():
        path = root / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise PublistError(f"cannot create {path.parent}: {err.strerror}") from None
        with atomic_output(path) as out:
            out.write(text)
    return len(files) // 2
