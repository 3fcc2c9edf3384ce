"""Structured names: seed/RIS/BibTeX name text to CSL name objects, and back.

CSL name fields out: ``family``, ``given``, ``non-dropping-particle``, ``dropping-particle``,
``suffix``, ``literal``.  nameparser finds the parts (particles, suffixes); publist keeps the
text exactly as written and only moves whole words between fields.  If nameparser's reading
would lose or change a word, the name is kept as written (family and given unsplit).
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .limits import NAME_CACHE_SIZE
from .model import Name
from .text import fold

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import nameparser

# Words that make a given-less name an organisation rather than a person.
ORGANISATION_WORDS = frozenset(
    w.casefold()
    for w in """team group consortium collaboration collaborators lab laboratory laboratories
    institute institut university universität université college school center centre
    foundation society association council committee project initiative network alliance
    inc inc. ltd ltd. llc corp corp. corporation company gmbh ag sa research deepmind google
    openai microsoft meta anthropic nvidia ibm board agency department ministry office
    organization organisation commission federation union working authors contributors""".split()
)

# nameparser's shipped lexicon lacks a few Arabic particles the seed uses (`El`, `Abi`).
_LEXICON = nameparser.Lexicon.default().add(particles=["el", "abi"])
_PARSER = nameparser.Parser(lexicon=_LEXICON)


def _words(text: str) -> list[str]:
    return text.split()


def _is_generational(word: str) -> bool:
    folded = word.casefold().strip(".")
    return len(folded) > 1 and folded in _LEXICON.suffix_words


def _all_particles(words: list[str]) -> bool:
    return all(w.casefold() in _LEXICON.particles for w in words)


def is_organisation(family: str) -> bool:
    """True for a given-less name that reads as an organisation (``Gemma Team``)."""
    words = _words(family)
    return len(words) > 1 or any(w.casefold().strip(".,") in ORGANISATION_WORDS for w in words)


# Words that could be read as a particle or a generational suffix.  nameparser tags a particle
# only by a lexicon lookup of the word lower-cased, NFC-composed and stripped of edge full stops
# (a `;` glued to a word is the one exception), and publist moves only whole words that are
# particles or suffixes; so a name with none of these words reads back exactly as written.
_MOVABLE_WORDS = frozenset(_LEXICON.particles) | frozenset(_LEXICON.suffix_words)
_FULL_STOPS = ".．。｡"


def _is_plain(text: str) -> bool:
    """True when no word of ``text`` could be moved out as a particle or suffix."""
    if ";" in text:
        return False
    for word in text.split():
        lower = word.lower()
        if not lower.isascii():
            lower = unicodedata.normalize("NFC", lower)
        folded = word.casefold()
        forms = {lower, lower.strip(_FULL_STOPS), folded, folded.strip(".")}
        if not forms.isdisjoint(_MOVABLE_WORDS):
            return False
    return True


def _parse_pair(family: str, given: str | None) -> tuple[tuple[str, str], ...]:
    """The name fields of one (family, given) pair, as (field, text) pairs."""
    if given is None:
        if is_organisation(family):
            return (("literal", family),)
        return (("family", family),)
    if not family:
        return (("given", given),)
    if _is_plain(family) and _is_plain(given):
        # nameparser's reading could move no word (most names): skip its ~0.1 ms per name
        return (("family", family), ("given", given))
    return _parse_with_nameparser(family, given)


def _parse_with_nameparser(family: str, given: str) -> tuple[tuple[str, str], ...]:
    """nameparser's reading of ``Family, Given``, kept only where it moves whole words."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = _PARSER.parse(f"{family}, {given}")
    family_words, given_words, particle = _take_particle(
        _words(family), _words(given), _words(parsed.family_particles or "")
    )
    family_words, given_words, suffix = _take_suffix(
        family_words, given_words, _generational(_words(parsed.suffix or ""))
    )
    fields: list[tuple[str, str]] = []
    # Unmoved parts keep their exact original text (spacing included).
    fields.append(("family", " ".join(family_words) if (particle or suffix) else family))
    moved_from_given = len(given_words) != len(_words(given))
    fields.append(("given", " ".join(given_words) if moved_from_given else given))
    if particle:
        fields.append(("non-dropping-particle", particle))
    if suffix:
        fields.append(("suffix", suffix))
    return tuple(fields)


Words = list[str]


def _generational(suffix_words: Words) -> Words:
    # Only Jr./Sr./III…: credentials (`AE`, `MD`) and `V`/`I` are more often name parts.
    if len(suffix_words) == 1 and _is_generational(suffix_words[0]):
        return suffix_words
    return []


def _take_particle(
    family_words: Words, given_words: Words, particle_words: Words
) -> tuple[Words, Words, str]:
    """(family, given, particle): the particle nameparser found, moved out of the family's
    start or the given's end; else the particles leading the family."""
    n = len(particle_words)
    if n and family_words[:n] == particle_words and len(family_words) > n:
        return family_words[n:], given_words, " ".join(particle_words)
    if n and given_words[-n:] == particle_words and len(given_words) > n:
        return family_words, given_words[:-n], " ".join(particle_words)
    # nameparser can miss a particle before an unusual family name (`van der v`, `Le v`).
    lead = 0
    while lead < len(family_words) - 1 and _all_particles(family_words[lead : lead + 1]):
        lead += 1
    return family_words[lead:], given_words, " ".join(family_words[:lead])


def _take_suffix(
    family_words: Words, given_words: Words, suffix_words: Words
) -> tuple[Words, Words, str]:
    """(family, given, suffix): a generational suffix moved out of the family's or the given's
    end (not when only particles would be left of the family)."""
    n = len(suffix_words)
    if not n:
        return family_words, given_words, ""
    rest = family_words[:-n]
    if family_words[-n:] == suffix_words and rest and not _all_particles(rest):
        return rest, given_words, " ".join(suffix_words)
    if given_words[-n:] == suffix_words and len(given_words) > n:
        return family_words, given_words[:-n], " ".join(suffix_words)
    return family_words, given_words, ""


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _cached_name(family: str, given: str | None) -> Name:
    """Parsed names by (family, given): big author lists and whole libraries repeat names.
    Callers copy the dict they get."""
    return dict(_parse_pair(family, given))


def name_from_parts(family: str, given: str | None) -> Name:
    """A CSL name from a ``family`` and a ``given`` part (``None``: the source's ``null``).

    >>> name_from_parts("Driessche", "George van den")
    {'family': 'Driessche', 'given': 'George', 'non-dropping-particle': 'van den'}
    >>> name_from_parts("Gemma Team", None)
    {'literal': 'Gemma Team'}
    """
    return _cached_name(family, given).copy()


def names_from_pairs(families: Sequence[str], givens: Sequence[str | None]) -> list[Name]:
    """``name_from_parts`` over parallel sequences, in order (the seed reader's hot loop)."""
    if len(families) != len(givens):
        raise ValueError(f"{len(families)} family parts but {len(givens)} given parts")
    # (maps, not a loop: no bytecode runs per name)
    return list(map(dict.copy, map(_cached_name, families, givens)))


def name_from_text(text: str) -> Name:
    """A CSL name from one string: ``Family, Given[, Suffix]`` or ``Given Family``."""
    text = text.strip()
    if "," in text:
        return _name_from_inverted(text)
    if len(_words(text)) <= 1:
        return name_from_parts(text, None)
    return _name_from_direct(text)


def _name_from_inverted(text: str) -> Name:
    """``Family, Given[, Suffix…]``."""
    parts = [p.strip() for p in text.split(",")]
    family, given = parts[0], ", ".join(p for p in parts[1:2] if p) or None
    name = name_from_parts(family, given) if family else {"given": given or ""}
    rest = [p for p in parts[2:] if p]
    if rest and "literal" not in name:
        name["suffix"] = ", ".join(rest)
    return name


def _name_from_direct(text: str) -> Name:
    """``Given [particle] Family`` of two words or more; a literal when nameparser's family
    does not end the text (or the text names an organisation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = _PARSER.parse(text)
    base = parsed.family_base or ""
    if not base or not text.endswith(base) or is_organisation_text(text):
        return {"literal": text}
    head = text[: len(text) - len(base)].strip()
    particle = parsed.family_particles or ""
    if particle and head.endswith(particle):
        head = head[: len(head) - len(particle)].strip()
    name = {"family": base}
    if head:
        name["given"] = head
    if particle:
        name["non-dropping-particle"] = particle
    return name


def is_organisation_text(text: str) -> bool:
    return any(w.casefold().strip(".,") in ORGANISATION_WORDS for w in _words(text))


def family_with_particle(name: Name) -> str:
    """``van der Maaten`` (particle and family) or the literal."""
    if "literal" in name:
        return name["literal"]
    return " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)


def given_with_particle(name: Name) -> str:
    return " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)


def display_name(name: Name) -> str:
    """The name as a reader would write it: ``Laurens van der Maaten Jr.``."""
    if "literal" in name:
        return name["literal"]
    parts = [
        name.get("given"),
        name.get("dropping-particle"),
        name.get("non-dropping-particle"),
        name.get("family"),
    ]
    text = " ".join(p for p in parts if p)
    if name.get("suffix"):
        text += " " + name["suffix"]
    return text


def sort_text(name: Name) -> str:
    """``Family, Given`` (for messages)."""
    if "literal" in name:
        return name["literal"]
    family = family_with_particle(name)
    if name.get("suffix"):
        family += " " + name["suffix"]
    given = given_with_particle(name)
    return f"{family}, {given}" if given else family


# --- comparing names (owner matching, duplicates) -------------------------------------------


def _folds(text: str) -> set[str]:
    squash = re.compile(r"[\s\-‐'’.]+")
    return {squash.sub("", fold(text, german)) for german in (False, True)}


def _given_tokens(given: str) -> list[str]:
    return [t for t in re.split(r"[\s.\-‐]+", given.casefold()) if t]


def same_person(a: Name, b: Name) -> bool:
    """Could ``a`` and ``b`` name the same person?

    Case, diacritics, German transliteration (Müller = Mueller), particle placement and
    initials (J. = Jürgen) are forgiven; a different given name or initial is not.
    """
    if "literal" in a or "literal" in b:
        return bool(_folds(display_name(a)) & _folds(display_name(b)))
    if not _folds(family_with_particle(a)) & _folds(family_with_particle(b)):
        # One side may omit the particle (``Maaten, L.`` for ``van der Maaten``).
        both_have_particles = a.get("non-dropping-particle") and b.get("non-dropping-particle")
        if both_have_particles or not _folds(a.get("family", "")) & _folds(b.get("family", "")):
            return False
    ga, gb = _given_tokens(given_with_particle(a)), _given_tokens(given_with_particle(b))
    if not ga or not gb:
        return False
    x, y = ga[0], gb[0]
    if len(x) == 1 or len(y) == 1:
        return fold(x[0]) == fold(y[0])
    return bool(_folds(x) & _folds(y))


def find_owner(authors: Iterable[Name], owners: Iterable[Name]) -> list[int]:
    """Indices of the authors that match one of ``owners``."""
    owners = list(owners)
    return [i for i, name in enumerate(authors) if any(same_person(name, o) for o in owners)]


# --- problems worth a warning ----------------------------------------------------------------

_ODD_CAPS = re.compile(r"^[^\W\d_]*?[A-Z]{2,}[a-z]{2,}", re.UNICODE)


def odd_capitals(text: str) -> list[str]:
    """Words whose capitals look like a typing slip (``GUStavo``)."""
    return [w for w in _words(text) if _ODD_CAPS.match(w)]
