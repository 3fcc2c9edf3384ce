"""RenderCV (rendercv.com): a CV YAML file whose ``cv.sections`` holds the publications, as
RenderCV's ``PublicationEntry`` reads them — ``title``, ``authors`` (every author, the owner
in RenderCV's bold-italic ``***…***``), ``date``, ``journal`` (the venue), ``doi`` or ``url``.

Selected works (the overlay's ``selected``) make a "selected publications" section before
"publications"; no work is listed twice. RenderCV reads its fields as Markdown (``*`` for
emphasis, ``[text](url)`` for links), so a ``*`` in the data is written ``\\*`` and a ``](``
that would start a link gets a zero-width space.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

import yaml

from ..model import Collection, Item, Name, date_parts
from ..names import display_name, find_owner
from ..registry import Format, register
from ..website import facts
from .jsonresume import newest_selected_first, record_url

_MARKUP = re.compile(r"(\*)")


def _text(value: object) -> str:
    text = " ".join(str(value).split())
    # RenderCV's Markdown: \* is a literal star; "[a](b)" would become a link
    return _MARKUP.sub(r"\\\1", text).replace("](", "]\u200b(")


def _authors(item: Item, owners: list[Name]) -> list[str]:
    names = [n for n in item.get("author") or [] if isinstance(n, dict)]
    owner_at = set(find_owner(names, owners)) if owners else set()
    return [
        f"***{_text(display_name(n))}***" if i in owner_at else _text(display_name(n))
        for i, n in enumerate(names)
    ]


def entry(item: Item, owners: list[Name]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": _text(item.get("title", "")),
        "authors": _authors(item, owners),
    }
    parts = date_parts(item)
    if parts:
        out["date"] = "-".join(
            f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts[:2])
        )
    venue = item.get("container-title") or item.get("publisher")
    if venue:
        out["journal"] = _text(venue)
    if item.get("DOI"):
        out["doi"] = str(item["DOI"])
    else:
        url = record_url(item)
        if url:
            out["url"] = url
    return out


def document(collection: Collection) -> dict[str, Any]:
    owners = [collection.owner] if collection.owner else []
    items = newest_selected_first(list(collection))
    selected = [entry(i, owners) for i in items if facts(i).selected]
    rest = [entry(i, owners) for i in items if not facts(i).selected]
    sections: dict[str, list[dict[str, Any]]] = {}
    if selected:
        sections["selected_publications"] = selected
    if rest:
        sections["publications"] = rest
    cv: dict[str, Any] = {}
    if collection.owner:
        cv["name"] = display_name(collection.owner)
    cv["sections"] = sections
    return {"cv": cv}


def write_rendercv(collection: Collection, out: TextIO) -> None:
    out.write("# RenderCV input: `rendercv render FILE` (merge cv.sections into your CV)\n")
    yaml.safe_dump(document(collection), out, allow_unicode=True, sort_keys=False, width=100)


register(
    Format(
        name="rendercv",
        description="RenderCV YAML: publications sections (selected first), owner in bold",
        writer=write_rendercv,
        default_extension=".yaml",
    )
)
