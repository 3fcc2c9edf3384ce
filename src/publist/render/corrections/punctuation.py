"""Corrections to punctuation at seams and around quotes (corrections 4, 5, 8, 10, 60)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from citeproc import string

from .state import ElementMixin, state_of

_TRAILING_MARKUP = re.compile(r"(?:</[a-z]+>|\*|\})+$")
# the opening mark of each closing quote a locale with punctuation-in-quote uses
_OPENING_QUOTE = {"\u201d": "\u201c", "\u2019": "\u2018", "\u00bb": "\u00ab", "\u203a": "\u2039"}


def closes_quote(text: str, at: int, quote: str) -> bool:
    """Whether the ``quote`` at ``text[at]`` closes a quotation (correction 60): a closing mark
    with no opening mark before it is an apostrophe (``Alembert, Chris d’``), and
    punctuation-in-quote moves punctuation only into quotes (citeproc-js moves it across
    quote decorations, never into a name's apostrophe).  Test:
    tests/test_render_fidelity_longfix.py "a particle's apostrophe is no closing quote"."""
    opening = _OPENING_QUOTE.get(quote)
    return opening is None or opening in text[:at]


def _without_trailing_markup(text: str) -> str:
    # (the pattern can only match text ending in ">", "*" or "}": most seams skip it)
    return _TRAILING_MARKUP.sub("", text) if text[-1:] in (">", "*", "}") else text


def _seam_left_ends() -> frozenset[str] | None:
    """The last characters of a seam's left side that citeproc-py's ``normalize_seam`` or
    corrections 4, 5 and 10 act on (citeproc-py 0.11: a space or ``SEAM_PUNCTUATION``; a
    trailing-markup end ``>``, ``*``, ``}``; ``?``, ``!``); closing quotes are the locale's.
    None (every seam through both) for a citeproc-py without ``SEAM_PUNCTUATION``."""
    stock = getattr(string, "SEAM_PUNCTUATION", None)
    if not isinstance(stock, (frozenset, set)):
        return None
    return frozenset(stock) | {" ", ">", "*", "}", "?", "!"}


_SEAM_LEFT_ENDS = _seam_left_ends()


def normalize_seam(
    original: Callable[[Any, Any], Any], left: Any, other: Any, quotes: tuple[str, ...]
) -> Any:
    """citeproc-py's ``normalize_seam`` (``original``), then corrections 4, 5 and 10.

    4. ``?.`` / ``!.`` lose the period (CSL 1.0.2 Appendix V "Punctuation": duplicate
       punctuation is removed; ``Imitation Learning?.``).  Test: "no period after a question
       mark".
    5. With punctuation-in-quote, a period or comma already inside the closing quote is not
       repeated after it (CSL 1.0.2 Locale Options: punctuation-in-quote).  Test:
       "punctuation inside quotes".
    10. A period after markup that already ends in one is dropped (``<i>et al.</i>.``),
        citeproc-js behaviour.  Test: "no period after et al. in markup".
    """
    left_text = str(left)
    if not left_text:
        return other  # (what citeproc-py's and these corrections do with nothing on the left)
    if _SEAM_LEFT_ENDS is not None and left_text[-1] not in _SEAM_LEFT_ENDS:
        if left_text[-1] not in quotes:
            return other  # (speed: a seam neither citeproc-py nor 4, 5, 10 would change)
    other = original(left, other)
    other_text = str(other)
    if not other_text:
        return other
    visible = _without_trailing_markup(left_text)
    if visible != left_text and visible[-1:] in (".", "?", "!") and other_text[0] == ".":
        return string._strip_first_char(other)  # "<i>et al.</i>" + ".", "<i>Why?</i>" + "."
    last, first = left_text[-1], other_text[0]
    if last in "?!" and first == ".":
        return string._strip_first_char(other)
    if quotes and last in quotes and _repeated_in_quote(left_text, first):
        return string._strip_first_char(other)
    return other


def _repeated_in_quote(left: str, mark: str) -> bool:
    """(5) ``mark`` after ``left``'s closing quote repeats the punctuation inside it."""
    if mark not in ".," or not closes_quote(left, -1, left[-1]):
        return False
    before = left[-2:-1]
    return (mark == "." and before in ".?!") or (mark == "," and before == ",")


# rich-text closing markers between a closing quote and the punctuation after it
# (``<span class="nocase">“Title”</span>.``: the period still moves inside the quote)
_MARKERS_BEFORE_MARK = "([\ue100-\ue1ff]+)([.,])"


def _mark_before_markers(quote: str, match: re.Match[str]) -> str:
    """``”`` + markers + ``.`` → ``”.`` + markers, unless the quote is an apostrophe (60)."""
    if not closes_quote(match.string, match.start(), quote):
        return match[0]
    return quote + match[2] + match[1]


@lru_cache(maxsize=8)
def _quote_then_mark(quotes: tuple[str, ...]) -> re.Pattern[str]:
    """A closing quote followed by a period, a comma or a rich-text marker: the only places
    :func:`move_into_quote` changes."""
    alternatives = "|".join(re.escape(quote) for quote in quotes)
    return re.compile(f"(?:{alternatives})[.,\ue100-\ue1ff]")


def move_into_quote(text: Any, quotes: tuple[str, ...]) -> str:
    """``“Title”,`` → ``“Title,”`` (correction 5, for locales with punctuation-in-quote)."""
    rendered = str(text)
    if not quotes or not _quote_then_mark(quotes).search(rendered):
        return rendered  # (speed: the usual quoted title, with nothing to move)
    for quote in quotes:
        if quote in rendered:
            rendered = re.sub(
                re.escape(quote) + _MARKERS_BEFORE_MARK,
                partial(_mark_before_markers, quote),
                rendered,
            )
    for quote in quotes:
        for mark in (".", ","):
            seam = quote + mark
            at = rendered.find(seam)
            while at >= 0:
                if not closes_quote(rendered, at, quote):
                    at = rendered.find(seam, at + 1)
                    continue
                before = rendered[at - 1 : at]
                # "Learning?" + "." → "Learning?"; "Learning?" + "," → "Learning?,"
                redundant = (mark == "." and before in ".?!") or (mark == "," and before == ",")
                replacement = quote if redundant else mark + quote
                rendered = rendered[:at] + replacement + rendered[at + len(seam) :]
                at = rendered.find(seam)
    return rendered


def join(
    original: Callable[..., Any], strings: Any, delimiter: str, quotes: tuple[str, ...]
) -> Any:
    """citeproc-py's ``join``, then correction 5 on a delimiter opening with ``.`` or ``,``
    (CSL 1.0.2 punctuation-in-quote).  Test: "punctuation inside quotes"."""
    result = original(strings, delimiter)
    if quotes and delimiter and delimiter[0] in ".," and any(q in str(result) for q in quotes):
        moved = move_into_quote(result, quotes)
        if moved != str(result):
            return string.String(moved)
    return result


class PunctuationInQuote(ElementMixin):
    """Affixed elements (correction 5): a comma or period after a closing quote moves inside
    it (``“Title,”``), CSL 1.0.2 Locale Options: punctuation-in-quote.
    Test: tests/test_render_fidelity.py "punctuation inside quotes"."""

    def wrap(self, text: Any) -> Any:
        result = super().wrap(text)
        quotes = state_of(self).quotes
        if result is None or not quotes:
            return result
        printed = str(result)
        if any(q in printed for q in quotes):
            moved = move_into_quote(printed, quotes)
            if moved != printed:
                return string.String(moved)
        return result


class NestedQuotes(ElementMixin):
    """cs:text with ``quotes="true"`` (correction 8): quotes inside a quoted title become inner
    quotes (``“A ‘quoted’ word”``), CSL 1.0.2 "Formatting": quotes (open-inner-quote).
    Test: tests/test_render_fidelity.py "quotes inside a quoted title"."""

    def quote(self, text: Any) -> Any:
        if self.get("quotes", "false").lower() != "true":
            return text
        outer_open = self.get_single_term(name="open-quote")
        outer_close = self.get_single_term(name="close-quote")
        inner_open = self.get_single_term(name="open-inner-quote")
        inner_close = self.get_single_term(name="close-inner-quote")
        inner = str(text)
        if outer_open and inner_open and (str(outer_open) in inner or '"' in inner):
            inner = inner.replace(str(outer_open), str(inner_open))
            inner = inner.replace(str(outer_close), str(inner_close))
            text = string.String(inner)
        return outer_open + text + outer_close
