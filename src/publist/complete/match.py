"""Whether a candidate is the record's paper.  The rule (README "publist complete"):

* **title**: both titles normalised (case, diacritics, LaTeX commands, markup, punctuation and
  spacing removed); accepted when their similarity (rapidfuzz ``ratio``, 0-100) is at least
  ``TITLE_THRESHOLD`` **and** both carry the same numbers ("Gemma 2" is not "Gemma", "Gemma 3"
  not "Gemma 2");
* **authors**: organisations ("Gemma Team") are set aside; the record's first person's family
  name must be the candidate's first person's; and at least ``AUTHOR_SHARE`` of the record's
  family names must appear among the candidate's (counted over the shorter list when the source
  truncates its list, as OpenAlex does at 100).  Unless the source truncates, the author counts
  must also be close (within ``COUNT_SLACK``).  So a 942-author list with a few names spelled
  differently agrees, and the same title by other people does not;
* **year**: a candidate dated more than one year before, or more than three years after, the
  record's year (or the earliest preprint found) is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from .base import Candidate, Query

#: measured by benchmarks/complete_thresholds.py: the least similar way of writing a title
#: (a letter dropped from a four-word title) scores 97.9, the most similar other title with the
#: same numbers (a ten-word title with a word changed) 94.2; 96 sits between the two.  Long
#: titles differing by one word can score above it: the author rule is what refuses those
TITLE_THRESHOLD = 96.0
AUTHOR_SHARE = 0.8
COUNT_SLACK = 0.2  # author counts within 20% (and 2) of each other
YEARS_BEFORE = 1  # a published version may predate its preprint's year by one year at most
YEARS_AFTER = 3  # ... and appear at most three years after it

_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?|\\.")
_MARKUP = re.compile(r"<[^>]{0,200}>")
_NUMBER = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Lower case, no diacritics, no LaTeX commands, markup, punctuation or extra spaces."""
    text = _MARKUP.sub(" ", text)
    text = _LATEX_COMMAND.sub(lambda m: "" if len(m.group()) == 2 else " ", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("æ", "ae")
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def title_score(record_title: str, candidate_title: str) -> float:
    return fuzz.ratio(normalise(record_title), normalise(candidate_title))


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(normalise(text))


ORGANISATION_WORDS = frozenset(
    "team group consortium collaboration project committee institute laboratory lab "
    "university inc ltd corporation deepmind google".split()
)


def is_organisation(name: str) -> bool:
    """A name that is an organisation's ("Gemma Team", "ATLAS Collaboration")."""
    words = set(normalise(name).split())
    return bool(words & ORGANISATION_WORDS)


def family_of(full_name: str) -> str:
    """The family name in "Given Family" or "Family, Given" (normalised)."""
    if "," in full_name:
        return normalise(full_name.split(",", 1)[0])
    words = normalise(full_name).split()
    return words[-1] if words else ""


def _person_families(candidate: Candidate) -> list[str]:
    return [family_of(a) for a in candidate.authors if not is_organisation(a)]


def _family_matches(family: str, full_names: set[str], last_words: Counter) -> bool:
    # "Le Lan" or "de Freitas": the record's family may be several words of the full name
    if " " in family:
        return any(f" {family}" in f" {name}" for name in full_names)
    return last_words[family] > 0


@dataclass
class Verdict:
    accepted: bool
    reason: str
    title: float = 0.0
    authors: str = ""


def _organisations_agree(query: Query, candidate: Candidate) -> tuple[bool, str]:
    """A record by organisations only: the candidate must name one of them."""
    wanted = {normalise(o) for o in query.organisations}
    named = {normalise(a) for a in candidate.authors}
    return bool(wanted & named), f"organisation {'found' if wanted & named else 'missing'}"


def _counts_close(record: list[str], persons: list[str], truncated: bool) -> bool:
    return truncated or abs(len(persons) - len(record)) <= max(2, COUNT_SLACK * len(record))


def _first_agrees(family: str, full_name: str) -> bool:
    # a family of several words ("de Freitas") ends the candidate's full name
    if " " in family:
        return normalise(full_name).endswith(family)
    return family == family_of(full_name)


def authors_agree(query: Query, candidate: Candidate) -> tuple[bool, str]:
    """The author rule; the second value says how many agreed (or why not)."""
    record = [normalise(f) for f in query.families if normalise(f)]
    if not record:
        return _organisations_agree(query, candidate)
    persons = [a for a in candidate.authors if not is_organisation(a)]
    if not persons:
        return False, "the candidate lists no authors"
    full_names = {normalise(a) for a in persons}
    last_words = Counter(family_of(a) for a in persons)
    if not _first_agrees(record[0], persons[0]):
        first = family_of(persons[0])
        return False, f"first author {record[0]!r} is not the candidate's ({first!r})"
    found = sum(1 for f in record if _family_matches(f, full_names, last_words))
    compared = min(len(record), len(persons)) if candidate.authors_truncated else len(record)
    counts = f"{min(found, compared)}/{compared} authors"
    if min(found, compared) / compared < AUTHOR_SHARE:
        return False, f"only {counts} agree"
    if not _counts_close(record, persons, candidate.authors_truncated):
        return False, f"{len(persons)} authors, the record has {len(record)}"
    return True, counts


def judge(query: Query, candidate: Candidate) -> Verdict:
    """Accept or refuse ``candidate`` for ``query``, with the reason."""
    score = title_score(query.title, candidate.title)
    if score < TITLE_THRESHOLD:
        return Verdict(False, f"title similarity {score:.1f} < {TITLE_THRESHOLD:g}", score)
    if _numbers(query.title) != _numbers(candidate.title):
        return Verdict(False, "the titles carry different numbers", score)
    ok, detail = authors_agree(query, candidate)
    if not ok:
        return Verdict(False, detail, score, detail)
    if query.year and candidate.year and not year_fits(query.year, candidate.year):
        return Verdict(False, f"year {candidate.year} far from the record's {query.year}", score)
    return Verdict(True, "accepted", score, detail)


def bare_arxiv(arxiv: str) -> str:
    """An arXiv id without its version (``2401.12187v2`` → ``2401.12187``)."""
    return re.sub(r"v\d+$", "", arxiv.strip())


def year_fits(reference: int, year: int) -> bool:
    return reference - YEARS_BEFORE <= year <= reference + YEARS_AFTER
