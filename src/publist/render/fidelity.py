"""Corrections around citeproc-py so that it prints what citeproc-js (Zotero's processor) prints.

Each correction is a narrowly scoped replacement of one citeproc-py method, applied once by
:func:`install`, documented here and tested on its own (tests/test_render_fidelity.py):

1. ``capitalize-first`` / ``capitalize-all`` change only lower-case words (CSL spec; citeproc-py
   capitalised ``arXiv`` to ``ArXiv``).
2. ``initialize="false"`` on cs:name keeps given names whole (Chicago, MLA: ``Botev, Aleksandar``).
3. Hyphenated given names with a lower-case second part initialise to the first initial
   (``Jean-bastien`` → ``J.``, not ``J.-. bastien .``).
4. Punctuation at a seam: ``?.`` / ``!.`` lose the period (``Imitation Learning?.``).
5. ``punctuation-in-quote`` (en-US and others): a comma or period after a closing quote moves
   inside it (``“Title,”``).
6. ``display="left-margin"`` / ``second-field-align``: the first field is rendered apart, so
   the number is not glued to the text (``[1] Gemma Team``; in HTML csl-left-margin and
   csl-right-inline blocks, as citeproc-js writes them).
Year-suffix disambiguation and safe ids are done by the caller (render/__init__.py).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from citeproc import model, string
from citeproc.source import VariableError

#: quote characters that close a quotation, for punctuation-in-quote (set per render)
PUNCTUATION_IN_QUOTE: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "publist_piq", default=()
)
_installed = False


@dataclass
class LeftMargin:
    """A bibliography entry whose first field is displayed apart (citation numbers)."""

    left: object
    right: object


# 1. text-case on lower-case words only ------------------------------------------------------


def _capitalize_first(self):
    text = str(self)
    words = text.split(maxsplit=1)
    if not words or not words[0].islower():
        return self
    return self.__class__(text[0].upper() + text[1:])


# 2, 3. names -----------------------------------------------------------------------------------


def _initialize_option(name_element, context) -> bool:
    value = name_element.get("initialize")
    if value is None:
        expr = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
        holder = (context if context is not None else name_element).xpath_search(expr)
        value = holder[0].get("initialize") if holder else None
        if value is None:
            value = name_element.get_root().get("initialize")
    return (value or "true").lower() != "false"


def _initialize(self, given, mark, context):
    if not _initialize_option(self, context):
        return given
    if self.get_option("initialize-with-hyphen", context):
        hyphen_parts = given.split("-")
    else:
        hyphen_parts = [given.replace("-", " ")]
    result_parts = []
    for index, hyphen_part in enumerate(hyphen_parts):
        parts = hyphen_part.replace(".", " ").split()
        if index > 0 and parts and not parts[0][0].isupper():
            continue  # "Jean-bastien": the lower-case part after a hyphen is no initial
        result = ""
        group = []
        for part in parts:
            if part[0].isupper():
                group.append(part[0])
            else:  # a particle inside the given name stays whole
                if group:
                    result += mark.join(group) + mark
                result += " " + part + " "
                group = []
        if group:
            result += mark.join(group) + mark
        result_parts.append(" ".join(result.split()))
    return "-".join(p for p in result_parts if p)


# 4, 5. seams and quotes ----------------------------------------------------------------------

_original_normalize_seam = string.normalize_seam


def _normalize_seam(left, other):
    other = _original_normalize_seam(left, other)
    left_text, other_text = str(left), str(other)
    if left_text and other_text:
        last, first = left_text[-1], other_text[0]
        if last in "?!" and first == ".":
            return string._strip_first_char(other)
        quotes = PUNCTUATION_IN_QUOTE.get()
        if quotes and last in quotes and first in ".,":
            before = left_text[-2:-1]
            if (first == "." and before in ".?!") or (first == "," and before == ","):
                return string._strip_first_char(other)
    return other


def _move_into_quote(text, quotes):
    """``“Title”,`` → ``“Title,”`` (for locales with punctuation-in-quote)."""
    rendered = str(text)
    for quote in quotes:
        for mark in (".", ","):
            seam = quote + mark
            while seam in rendered:
                at = rendered.index(seam)
                before = rendered[at - 1 : at]
                # "Learning?" + "." → "Learning?"; "Learning?" + "," → "Learning?,"
                redundant = (mark == "." and before in ".?!") or (mark == "," and before == ",")
                replacement = quote if redundant else mark + quote
                rendered = rendered[:at] + replacement + rendered[at + len(seam) :]
    return rendered


_original_wrap = model.Affixed.wrap


def _wrap(self, text):
    result = _original_wrap(self, text)
    quotes = PUNCTUATION_IN_QUOTE.get()
    if result is not None and quotes and any(q in str(result) for q in quotes):
        moved = _move_into_quote(result, quotes)
        if moved != str(result):
            return string.String(moved)
    return result


_original_join = string.join


def _join(strings, delimiter=""):
    result = _original_join(strings, delimiter)
    quotes = PUNCTUATION_IN_QUOTE.get()
    if quotes and delimiter and delimiter[0] in ".," and any(q in str(result) for q in quotes):
        moved = _move_into_quote(result, quotes)
        if moved != str(result):
            return string.String(moved)
    return result


# 6. display="left-margin" ---------------------------------------------------------------------


def _render_child(child, item, delimiter=""):
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter=delimiter)
        return child.render(item)
    except VariableError:
        return None


def _render_bibliography(self, citation_items):
    bibliography = self.getparent()
    children = list(self.iterchildren())
    left_margin = bool(children) and (
        children[0].get("display") == "left-margin"
        or bibliography.get("second-field-align") in ("flush", "margin")
    )
    output = []
    for item in citation_items:
        self.repressed = {}
        if not left_margin:
            output.append(self.format(self.wrap(self.render_children(item))))
            continue
        left = _render_child(children[0], item)
        rest = [t for t in (_render_child(c, item) for c in children[1:]) if t is not None]
        right = string.join(rest, "") if rest else None
        if left is None:
            output.append(self.format(self.wrap(right)))
        else:
            output.append(LeftMargin(self.format(left), self.format(self.wrap(right))))
    return output


def install() -> None:
    """Apply the corrections (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    string.String.capitalize_first = _capitalize_first
    model.Name.initialize = _initialize
    string.normalize_seam = _normalize_seam
    model.normalize_seam = _normalize_seam
    model.Affixed.wrap = _wrap
    string.join = _join
    model.join = _join
    model.Layout.render_bibliography = _render_bibliography
