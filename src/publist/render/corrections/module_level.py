"""The few corrections citeproc-py gives no seam for, in one place.

``citeproc.string`` builds and joins its strings through module functions and its own
``String`` class, which every element uses; no style or element can hand it others.  These are
replaced once, when :mod:`publist.render` is imported, by wrappers that behave exactly as
citeproc-py's own unless a publist rendering is in progress in the current context
(:data:`.state.ACTIVE`, set only by :func:`publist.render.render_entries` through
:func:`rendering`).  Any other user of citeproc-py in the process — a Sphinx plugin, a
notebook — gets citeproc-py as shipped (tests/test_render_scoped.py).

=============================  ==============================================  ============
replaced                       why there is no seam                             correction
=============================  ==============================================  ============
``string.normalize_seam``,     called by ``MixedString.__add__`` and            4, 5, 10
``model.normalize_seam``       ``string.join`` and ``Affixed.wrap`` directly
``string.join``,               called directly by ``Parent.render_children``,   5
``model.join``                 ``FormatNumber`` and ``Delimited.join``
``string.String``              strings are made by citeproc-py everywhere       1
``.capitalize_first``
=============================  ==============================================  ============
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from citeproc import model, string

from . import punctuation, textcase
from .state import ACTIVE, RenderState

_ORIGINAL_NORMALIZE_SEAM = string.normalize_seam
_ORIGINAL_JOIN = string.join
_ORIGINAL_CAPITALIZE_FIRST = string.String.capitalize_first
_installed = False


def _normalize_seam(left: Any, other: Any) -> Any:
    state = ACTIVE.get()
    if state is None:
        return _ORIGINAL_NORMALIZE_SEAM(left, other)
    return punctuation.normalize_seam(_ORIGINAL_NORMALIZE_SEAM, left, other, state.quotes)


def _join(strings: Any, delimiter: str = "") -> Any:
    state = ACTIVE.get()
    if state is None:
        return _ORIGINAL_JOIN(strings, delimiter)
    return punctuation.join(_ORIGINAL_JOIN, strings, delimiter, state.quotes)


def _capitalize_first(self: Any) -> Any:
    if ACTIVE.get() is None:
        return _ORIGINAL_CAPITALIZE_FIRST(self)
    return textcase.capitalize_first(self)


def install() -> None:
    """Put the wrappers in place (idempotent; they are inert outside publist renderings)."""
    global _installed
    if _installed:
        return
    _installed = True
    string.normalize_seam = _normalize_seam
    model.normalize_seam = _normalize_seam
    string.join = _join
    model.join = _join
    string.String.capitalize_first = _capitalize_first


@contextlib.contextmanager
def rendering(state: RenderState) -> Iterator[RenderState]:
    """The module-level corrections apply to what runs inside this block (this context)."""
    install()
    token = ACTIVE.set(state)
    try:
        yield state
    finally:
        ACTIVE.reset(token)
