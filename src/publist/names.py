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
from collections.abc import Iterable

from .model import Name

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

_NAME_FIELDS = (
    "family",
    "given",
    "non-dropping-particle",
    "dropping-particle",
    "suffix",
    "literal",
)


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
    family_words = _words(family)
    given_words = _words(given)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = _PARSER.parse(f"{family}, {given}")
    particle_words = _words(parsed.family_particles or "")
    suffix_words = _words(parsed.suffix or "")
    if len(suffix_words) != 1 or not _is_generational(suffix_words[0]):
        # Only Jr./Sr./III…: credentials (`AE`, `MD`) and `V`/`I` are more often name parts.
        suffix_words = []
    particle = ""
    if particle_words:
        n = len(particle_words)
        if family_words[:n] == particle_words and len(family_words) > n:
            family_words = family_words[n:]
            particle = " ".join(particle_words)
        elif given_words[-n:] == particle_words and len(given_words) > n:
            given_words = given_words[:-n]
            particle = " ".join(particle_words)
    if not particle:
        # nameparser can miss a particle before an unusual family name (`van der v`, `Le v`).
        lead = 0
        while lead < len(family_words) - 1 and _all_particles(family_words[lead : lead + 1]):
            lead += 1
        if lead:
            particle = " ".join(family_words[:lead])
            family_words = family_words[lead:]
    suffix = ""
    if suffix_words:
        n = len(suffix_words)
        rest = family_words[:-n]
        if family_words[-n:] == suffix_words and rest and not _all_particles(rest):
            family_words = rest
            suffix = " ".join(suffix_words)
        elif given_words[-n:] == suffix_words and len(given_words) > n:
            given_words = given_words[:-n]
            suffix = " ".join(suffix_words)
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


# Parsed names by (family, given): big author lists and whole libraries repeat names.  Bounded,
# so that streaming a million records keeps a flat memory.
_NAME_CACHE: dict[tuple[str, str | None], Name] = {}
_NAME_CACHE_LIMIT = 8192


def _cached_name(family: str, given: str | None) -> Name:
    key = (family, given)
    name = _NAME_CACHE.get(key)
    if name is None:
        if len(_NAME_CACHE) >= _NAME_CACHE_LIMIT:
            _NAME_CACHE.clear()
        name = _NAME_CACHE[key] = dict(_parse_pair(family, given))
    return name


def name_from_parts(family: str, given: str | None) -> Name:
    """A CSL name from a ``family`` and a ``given`` part (``None``: the source's ``null``).

    >>> name_from_parts("Driessche", "George van den")
    {'family': 'Driessche', 'given': 'George', 'non-dropping-particle': 'van den'}
    >>> name_from_parts("Gemma Team", None)
    {'literal': 'Gemma Team'}
    """
    return _cached_name(family, given).copy()


def names_from_pairs(families: Iterable[str], givens: Iterable[str | None]) -> list[Name]:
    """``name_from_parts`` over parallel sequences, in order (the seed reader's hot loop)."""
    cache_get = _NAME_CACHE.get
    # (a cached name is never an empty dict, so `or` falls back only on a miss)
    return [
        (cache_get(key) or _cached_name(*key)).copy()
        for key in zip(families, givens, strict=True)
    ]


def name_from_text(text: str) -> Name:
    """A CSL name from one string: ``Family, Given[, Suffix]`` or ``Given Family``."""
    text = text.strip()
    if "," in text:
        parts = [p.strip() for p in text.split(",")]
        family, given = parts[0], ", ".join(p for p in parts[1:2] if p) or None
        name = name_from_parts(family, given) if family else {"given": given or ""}
        rest = [p for p in parts[2:] if p]
        if rest and "literal" not in name:
            name["suffix"] = ", ".join(rest)
        return name
    words = _words(text)
    if len(words) <= 1:
        return name_from_parts(text, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = _PARSER.parse(text)
    base = parsed.family_base or ""
    if base and text.endswith(base) and not is_organisation_text(text):
        head = text[: len(text) - len(base)].strip()
        particle = parsed.family_particles or ""
        if particle and head.endswith(particle):
            head = head[: len(head) - len(particle)].strip()
        name: Name = {"family": base}
        if head:
            name["given"] = head
        if particle:
            name["non-dropping-particle"] = particle
        return name
    return {"literal": text}


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


def clean_name(name: Name) -> Name:
    """Only the CSL name fields, non-empty strings, in a fixed order."""
    return {k: name[k] for k in _NAME_FIELDS if isinstance(name.get(k), str) and name[k]}


# --- comparing names (owner matching, duplicates) -------------------------------------------

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_EXTRA_FOLD = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ß": "ss"}
)


def fold(text: str, german: bool = False) -> str:
    """Lower case, no diacritics; ``german=True`` writes ä/ö/ü as ae/oe/ue first."""
    text = text.casefold()
    if german:
        text = text.translate(_GERMAN)
    text = text.translate(_EXTRA_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


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
