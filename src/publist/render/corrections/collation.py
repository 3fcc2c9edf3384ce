"""Sort-key comparison as citeproc-js does it (correction 23).

citeproc-js compares sort keys with ``localeCompare`` on lower-cased keys, options
``sensitivity: "base"`` (case and accents ignored), ``ignorePunctuation: true`` (spaces and
punctuation ignored) and ``numeric: true`` (``Study 54`` < ``Study 911`` < ``Study 1680``),
after dropping leading brackets and quotes; an absent key goes last (descending too); ties
keep the input order (citeproc-js ``CSL.getSortCompare``,
``CSL.Registry.Comparifier``).  citeproc-py compares code points, so ``Müller`` sorted after
``Myers`` and ``Study 1680`` before ``Study 54``.  As in citeproc-js's keys, every space is a
``|`` and a key ends with one (``Garcia|Marquez|J.|``): ``|`` is a symbol, which sorts before
digits and letters and is not ignored, so name lists compare name by name and word by word
(``Lukas, Z.`` before ``Lukasiewicz, A.``); names in keys are family then given, separated
by a space (not the style's sort-separator).
Tests: tests/test_render_fidelity.py "numbers in sort keys compare as numbers",
"accents and punctuation ignored in sort keys"; tests/test_render_long.py (2,000 items).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from ..formatters import RICH_MARKERS, unprotect

#: the separator between family and given name in sort keys (citeproc-js: a space)
SORT_SEPARATOR = " "
_SPACE_RUNS = re.compile(r"\s+")

_MARKUP = re.compile(r"<[^>]*>|\\[a-zA-Z]+|\{\.[a-z]+\}|&#\d+;")
_DIGITS = re.compile(r"\d+")
# letters a base-level comparison treats as another letter (or two)
_BASE_LETTERS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ĳ": "ij",
    }
)
_IGNORED = ("Z", "P", "C")  # spaces, punctuation, controls (and private-use markers)


@lru_cache(maxsize=65536)
def _text_key(text: str) -> tuple[tuple[int, Any], ...]:
    text = unprotect(text)
    text = _MARKUP.sub(" ", text).strip().lstrip("[]'\"")
    text = _SPACE_RUNS.sub("|", text) + "|"
    text = unicodedata.normalize("NFKD", text.lower().translate(_BASE_LETTERS))
    key: list[tuple[int, Any]] = []
    at = 0
    for match in _DIGITS.finditer(text):
        key.extend(_letters(text[at : match.start()]))
        key.append((1, int(match.group())))
        at = match.end()
    key.extend(_letters(text[at:]))
    return tuple(key)


def _letters(text: str) -> list[tuple[int, Any]]:
    out = []
    for char in text:
        if char in RICH_MARKERS:
            continue
        category = unicodedata.category(char)
        if category[0] in _IGNORED or category == "Mn":
            continue
        out.append((0 if category[0] == "S" else 2, char))
    return out


def sort_key(value: Any) -> Any:
    """A key comparing as citeproc-js compares this sort-key value (not None)."""
    if isinstance(value, (int, float)):
        return ((1, value), (0, "|"))
    return _text_key(str(value))


def sort_items(items: list[Any], keys: list[list[Any]], descending: list[bool]) -> list[Any]:
    """``items`` sorted by their ``keys`` (one list per cs:key), as citeproc-js sorts."""
    order = list(range(len(items)))
    # one stable pass per key, last key first
    for values, down in reversed(list(zip(keys, descending, strict=True))):
        present = [i for i in order if values[i] is not None]
        absent = [i for i in order if values[i] is None]
        present.sort(key=lambda i: sort_key(values[i]), reverse=down)
        order = present + absent
    return [items[i] for i in order]
