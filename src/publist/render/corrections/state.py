"""The state one rendering shares with its corrections, and the CV extension point.

A :class:`RenderState` is made by :func:`publist.render.render_entries` for each rendering and
held by the style (:class:`~publist.render.corrections.elements.PublistStyle`); element
corrections read it through :func:`state_of`.  The few module-level replacements, which have
no element to ask, read the state of the rendering in progress through :data:`ACTIVE`
(see :mod:`.module_level`); outside a publist rendering it is ``None`` and citeproc-py
behaves as shipped.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    #: base of the correction mixins for the type checker (citeproc-py ships no types)
    ElementMixin = Any
else:
    ElementMixin = object

#: ``(item key, name variable, names) -> names to display instead, or None``
NameTransform = Callable[[str, str, Sequence[Any]], "list[Any] | None"]


@dataclass
class NameHooks:
    """The extension point for CV lists (render/cv.py): how names are displayed.

    ``name_transform`` may return the names of one item's variable as they should be displayed
    (the CV owner marked), or ``None`` to keep them; ``names_after`` maps an item key to text
    printed after the entry's first name list (``" (942 authors)"``); ``no_et_al`` turns et-al
    truncation off.  Pass an instance as ``render_entries(..., hooks=...)``.
    """

    name_transform: NameTransform | None = None
    names_after: dict[str, str] = field(default_factory=dict)
    no_et_al: bool = False


@dataclass
class Rendered:
    """One bibliography entry as plain strings (picklable: workers return these).

    ``left`` is the first field displayed apart (citation numbers), ``names`` the entry's
    first rendered name list (for subsequent-author-substitute, applied in order afterwards).
    """

    text: str
    left: str | None = None
    names: str | None = None
    names_key: str | None = None  # what subsequent-author-substitute compares (correction 63)


@dataclass
class RenderState:
    """Everything a rendering tells its corrections (one object per rendering).

    Set before rendering: ``quotes`` (closing quotes punctuation moves into, empty unless the
    locale has punctuation-in-quote), ``sort_workers``, ``names_shown`` and ``ambiguous``
    (disambiguation results, see :mod:`.disambiguation`), ``hooks`` (CV lists).
    Changed while rendering (one rendering at a time per state): ``sorting`` (sort keys are
    being built), ``entry`` (what the
    entry being rendered has printed so far), ``name_options`` (per-name-list overrides),
    ``variables_called`` / ``variables_printed`` (counters for group suppression).
    """

    quotes: tuple[str, ...] = ()
    sort_workers: int = 1
    names_shown: dict[str, int] = field(default_factory=dict)
    #: (disambiguation) per entry, its citation's given-name levels (0 none, 1, 2 full)
    given_levels: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: (disambiguation) citeproc-js writes out given names that clash within an entry
    givens_in_entry: bool = False
    ambiguous: frozenset[str] = frozenset()
    hooks: NameHooks = field(default_factory=NameHooks)
    sorting: bool = False
    entry: dict[str, Any] | None = None
    name_options: dict[str, Any] = field(default_factory=dict)
    variables_called: int = 0
    variables_printed: int = 0


#: the state of the publist rendering in progress in this context (module-level replacements)
ACTIVE: contextvars.ContextVar[RenderState | None] = contextvars.ContextVar(
    "publist_render_state", default=None
)

_DEFAULT = RenderState()


def state_of(element: Any) -> RenderState:
    """The render state of the style ``element`` belongs to (a locale's: its style's);
    remembered on the element (whose proxy the memo keeps alive, see :mod:`.memo`)."""
    attributes = element.__dict__
    state = attributes.get("_publist_state")
    if state is not None:
        return state
    root = element.get_root()
    state = root.__dict__.get("publist_state")
    if state is None:
        style = root.__dict__.get("style")  # a locale's root points to its style
        if style is not None:
            state = style.__dict__.get("publist_state")
    if state is None:
        return _DEFAULT
    attributes["_publist_state"] = state
    return state
