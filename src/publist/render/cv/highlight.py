"""Owner highlighting inside the style's own output.

While citeproc-py renders, the owner's family name is wrapped in two private-use marks
(:data:`START`, :data:`END`); afterwards :func:`highlight` grows the mark to the whole rendered
name (particle, given name or initials, in either order) and turns it into bold.
"""

from __future__ import annotations

import re

from ...model import Name

START, END = "\ue200", "\ue201"
BOLD = {
    "markdown": ("**", "**"),
    "text": ("**", "**"),
    "html": ('<strong class="owner">', "</strong>"),
    "latex": ("\\textbf{", "}"),
}


def mark(name_fields: dict[str, object]) -> dict[str, object]:
    """A copy of a name's fields with its family (or literal) name between the marks."""
    fields = dict(name_fields)
    target = "literal" if "literal" in fields else "family"
    fields[target] = START + str(fields.get(target, "")) + END
    return fields


def _given_pattern(given: str) -> str:
    """The given name as a style may print it: whole, or initials in any punctuation."""
    words = [w for w in re.split(r"[\s\-]+", given) if w]
    if not words:
        return ""
    initials = r"[\s\-]*".join(re.escape(w[0]) + r"[^\W\d_]*\.?" for w in words)
    return rf"(?:{re.escape(given)}|{initials})"


def _particles(owners: list[Name]) -> str:
    return "|".join(
        re.escape(o[k])
        for o in owners
        for k in ("non-dropping-particle", "dropping-particle")
        if o.get(k)
    )


def _lead(before: str, pattern: str, particles: str) -> tuple[str, str, bool]:
    """What of the text before a marked family name belongs to the name (a particle, a given
    name in display order: "L. Hussenot", "Nando de Freitas"); the rest; given name found?"""
    lead = ""
    if particles:
        found = re.search(rf"(?:{particles})\s$", before)
        if found:
            lead, before = before[found.start() :], before[: found.start()]
    if pattern:
        given = re.search(rf"(?<![\w.])({pattern})\s$", before)
        if given:
            return before[given.start() :] + lead, before[: given.start()], True
    return lead, before, False


def highlight(text: str, owners: list[Name], fmt: str) -> str:
    """Marked family names → the whole rendered owner name in bold."""
    opening, closing = BOLD[fmt]
    pattern = "|".join(p for p in (_given_pattern(o.get("given", "")) for o in owners) if p)
    particles = _particles(owners)
    out = []
    position = 0
    for match in re.finditer(f"{START}(.*?){END}", text):
        lead, before, given_before = _lead(text[position : match.start()], pattern, particles)
        tail = ""
        if pattern and not given_before:  # inverted order: "Hussenot, L."
            given_after = re.match(
                rf"(,?\s)({pattern})(?:\s(?:{particles or '(?!)'}))?(?![\w])",
                text[match.end() :],
            )
            tail = given_after.group(0) if given_after else ""
        out.append(before + opening + lead + match.group(1) + tail + closing)
        position = match.end() + len(tail)
    out.append(text[position:])
    return "".join(out)
