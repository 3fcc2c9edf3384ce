"""Names read as citeproc-js reads them before rendering (correction 39).

citeproc-js (``CSL.NameOutput._parseName``, ``CSL.parseParticles``) parses a personal name
whose record gives no ``non-dropping-particle``:

* a family name wrapped in double quotes (``"\\"Van Dyke\\""``) is taken literally: the
  quotes are dropped and nothing is parsed out of it;
* leading words of the family name that open with a lower-case letter (after any leading
  apostrophes or hyphens) are its non-dropping particle: ``van der Berg``, ``d'Alembert``
  (a word ending in an apostrophe or a hyphen is a particle too: ``al-One``);
* a given name ``John, Jr.`` carries its suffix after the comma;
* trailing lower-case words of the given name are its dropping particle (``Ludwig van``).

citeproc-py takes the fields as given, so ``von Hoppel`` was never demoted
(``Hoppel, Gustav von`` in a style demoting particles), ``al-One`` sorted under A and a
quoted family name kept its quotes.  A name with ``"parse-names": false`` is left alone,
one with ``"static-particles"`` keeps its family name whole.
Tests: tests/test_render_fidelity_names.py "family-name particles parsed",
"quoted family name taken literally", "hyphenated particle sorts under the family name".
"""

from __future__ import annotations

import re

# citeproc-js's CSL.PARTICLE_FAMILY_REGEXP / PARTICLE_GIVEN_REGEXP (the latter is matched on
# the reversed given name, so it finds the last word)
_FAMILY_WORD = re.compile(r"^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")
_GIVEN_WORD_REVERSED = re.compile(r"^([^ ]+(?:\u02bb |\u2019 | |' ) *)(.+)$")
_LEAD = re.compile(r"^[-'\u02bb\u2019\s]*")
_SUFFIX_COMMA = re.compile(r"\s*,!*\s*")
_APOSTROPHES = ("'", "\u2019")


def _is_particle(word: str) -> bool:
    """A word opening (after apostrophes, hyphens, spaces) with a lower-case letter."""
    rest = _LEAD.sub("", word, count=1)
    first = rest[:1] if rest else word[:1]
    return bool(first) and first.upper() != first


def _family_particles(family: str) -> tuple[str, str]:
    """(particle, family): the leading particle words split off the family name."""
    particle = ""
    rest = family
    match = _FAMILY_WORD.match(rest)
    while match and _is_particle(match.group(1)):
        particle += match.group(1)
        rest = match.group(2)
        match = _FAMILY_WORD.match(rest)
    # a particle ending in an apostrophe and a space keeps the space ("de' Frinkle")
    trimmed = particle.strip()
    if particle.endswith(" ") and trimmed.endswith(_APOSTROPHES):
        trimmed += " "
    return trimmed, rest


def _given_particles(given: str) -> tuple[str, str]:
    """(given, particle): the trailing particle words split off the given name."""
    words: list[str] = []
    remaining = given
    match = _GIVEN_WORD_REVERSED.match(remaining[::-1])
    while match and _is_particle(match.group(1)[::-1]):
        cut = len(match.group(1))
        words.insert(0, remaining[-cut:])
        remaining = remaining[:-cut]
        match = _GIVEN_WORD_REVERSED.match(remaining[::-1])
    return remaining, " ".join("".join(words).split())


def _split_suffix(name: dict) -> None:
    given = name.get("given")
    if name.get("suffix") or not given:
        return
    comma = _SUFFIX_COMMA.search(given)
    if comma:
        name["suffix"] = given[comma.end() :]
        name["given"] = given[: comma.start()]


def parsed_name(name: dict) -> dict:
    """A CSL-JSON personal name as citeproc-js reads it (a new dict; ``name`` is kept)."""
    if name.get("parse-names") is False or name.get("parse-names") == 0:
        return name
    out = dict(name)
    family = out.get("family")
    if not isinstance(family, str) or not family:
        return out
    if len(family) > 1 and family.startswith('"') and family.endswith('"'):
        out["family"] = family[1:-1]
        return out
    if out.get("non-dropping-particle") or not out.get("given") or out.get("static-particles"):
        return out
    particle, rest = _family_particles(family)
    if particle:
        out["non-dropping-particle"], out["family"] = particle, rest
    _split_suffix(out)
    given = out.get("given") or ""
    kept, dropping = _given_particles(given)
    if dropping:
        out["given"], out["dropping-particle"] = kept, dropping
    return out
