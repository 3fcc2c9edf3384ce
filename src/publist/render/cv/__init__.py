"""CV and website publication lists: the owner highlighted, long author lists that keep the
owner visible, newest first, grouped by year (or type), numbered downwards.

:mod:`.build` makes the list (owner found on structured names, :func:`publist.names.same_person`,
and marked inside the CSL style's own output), :mod:`.highlight` turns the mark into bold
over the whole rendered name, :mod:`.writers` writes Markdown, the HTML page (its CSS and
script are files in ``assets/``), LaTeX or text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...model import Collection, Item, Name
from .build import (
    FORMATS_CV,
    GROUPINGS,
    TYPE_GROUPS,
    CVEntry,
    CVGroup,
    CVOptions,
    build,
    options,
    shown_authors,
)
from .writers import to_html, to_latex, to_markdown, to_text

__all__ = [
    "FORMATS_CV",
    "GROUPINGS",
    "TYPE_GROUPS",
    "CVEntry",
    "CVGroup",
    "CVOptions",
    "build",
    "options",
    "render_cv",
    "shown_authors",
]


def render_cv(
    items: Iterable[Item] | Collection,
    owners: list[Name] | None = None,
    chosen: CVOptions | None = None,
    **fields: Any,
) -> str:
    """A publication list of ``items`` for the owner(s): Markdown, HTML page, LaTeX or text.

    ``chosen`` (or the defaults) with ``fields`` (any :class:`CVOptions` field) changed."""
    if owners:
        fields["owners"] = tuple(owners)
    chosen = options(chosen, **fields)
    groups, found = build(items, chosen)
    if chosen.format == "markdown":
        return to_markdown(groups, found, chosen.abstracts)
    if chosen.format == "html":
        return to_html(groups, found, chosen.abstracts)
    if chosen.format == "latex":
        return to_latex(groups, found)
    return to_text(groups, found)
