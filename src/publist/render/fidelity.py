"""The CV hook interface render/cv.py uses today, kept working on the corrections layer.

The corrections that make citeproc-py print what citeproc-js prints live in
:mod:`publist.render.corrections` (its docstring holds the table of corrections).  The CV
name hooks are now the documented extension point :class:`~.corrections.NameHooks`, passed
as ``render_entries(..., hooks=NameHooks(...))``.  The three context variables below are the
earlier way cv.py sets them; :func:`publist.render.render_entries` reads them once, when no
``hooks`` are passed, and nothing else does.  (They go once cv.py passes ``hooks=``.)
"""

from __future__ import annotations

import contextvars
from typing import Any

from .corrections import NameHooks, Rendered
from .corrections.state import NameTransform

__all__ = ["NAME_TRANSFORM", "NAMES_AFTER", "NO_ET_AL", "Rendered", "legacy_hooks"]

NAME_TRANSFORM: contextvars.ContextVar[NameTransform | None] = contextvars.ContextVar(
    "publist_name_transform", default=None
)
NAMES_AFTER: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "publist_names_after", default=None
)
NO_ET_AL: contextvars.ContextVar[bool] = contextvars.ContextVar("publist_no_et_al", default=False)


def legacy_hooks() -> NameHooks:
    """The hooks set through the context variables above (defaults when none are set)."""
    return NameHooks(
        name_transform=NAME_TRANSFORM.get(),
        names_after=dict(NAMES_AFTER.get() or {}),
        no_et_al=NO_ET_AL.get(),
    )


def install() -> None:
    """Kept for callers of the earlier API: the corrections need no installing any more."""


def __getattr__(name: str) -> Any:
    raise AttributeError(f"publist.render.fidelity.{name} is gone: see publist.render.corrections")
