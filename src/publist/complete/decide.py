"""From the candidates that passed the rule to the fields to write: the published version first
(Crossref, then dblp, then OpenAlex), the arXiv id kept; two versions that disagree are an
ambiguity, reported and not guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .base import Candidate, Query
from .match import Verdict, normalise, year_fits

PRIORITY = {"crossref": 0, "dblp": 1, "openalex": 2, "arxiv": 3}
#: the fields `complete` writes, in the order they appear in an overlay entry
FIELDS = ("year", "type", "venue", "volume", "issue", "pages", "publisher", "doi", "arxiv")
_VENUE_NOISE = re.compile(
    r"\([^)]*\)|\bproceedings of (the )?|\b\d+(st|nd|rd|th)\b|\b(19|20)\d\d\b", re.IGNORECASE
)


@dataclass
class Finding:
    value: str | int
    provenance: str


@dataclass
class Outcome:
    """What the sources said about one record."""

    query: Query
    line: int | None
    accepted: list[tuple[Candidate, Verdict]] = field(default_factory=list)
    refused: list[tuple[Candidate, Verdict]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)

    def has_published(self) -> bool:
        """A published version is known (one whose year fits what is known so far: a same-
        titled paper by the same people ten years before the preprint does not stop the
        search for the real one)."""
        reference = _reference_year(self)
        return any(
            c.published and (reference is None or not c.year or year_fits(reference, c.year))
            for c, _ in self.accepted
        )

    def arxiv_ids(self) -> set[str]:
        ids = {c.arxiv for c, _ in self.accepted if c.arxiv}
        return ids | ({self.query.arxiv} if self.query.arxiv else set())


def venue_key(venue: str) -> str:
    return normalise(_VENUE_NOISE.sub(" ", venue))


def same_venue(a: str, b: str) -> bool:
    """The same venue named two ways ("Proceedings of the 61st Annual Meeting of the ACL
    (Volume 1: Long Papers)" and "Annual Meeting of the ACL (ACL)")."""
    ka, kb = venue_key(a), venue_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka or fuzz.token_sort_ratio(ka, kb) >= 90)


def same_version(a: Candidate, b: Candidate) -> bool:
    if a.doi and b.doi:
        return a.doi == b.doi
    return a.year == b.year and same_venue(a.venue or "", b.venue or "")


def _provenance(candidate: Candidate, verdict: Verdict) -> str:
    return (
        f"{candidate.source} {candidate.identifier} (title {verdict.title:.0f}, {verdict.authors})"
    )


def _reference_year(outcome: Outcome) -> int | None:
    if outcome.query.year:
        return outcome.query.year
    preprint_years = [c.year for c, _ in outcome.accepted if c.year and not c.published]
    return min(preprint_years) if preprint_years else None


def _check_years(outcome: Outcome) -> None:
    reference = _reference_year(outcome)
    if reference is None:
        return
    kept = []
    for candidate, verdict in outcome.accepted:
        if candidate.year and not year_fits(reference, candidate.year):
            verdict = Verdict(False, f"year {candidate.year} far from {reference}", verdict.title)
            outcome.refused.append((candidate, verdict))
        else:
            kept.append((candidate, verdict))
    outcome.accepted = kept


def _published(outcome: Outcome) -> tuple[Candidate, Verdict] | None:
    versions = sorted(
        (pair for pair in outcome.accepted if pair[0].published),
        key=lambda pair: PRIORITY[pair[0].source],
    )
    if not versions:
        return None
    best = versions[0][0]
    others = [c for c, _ in versions[1:] if not same_version(best, c)]
    if others:
        names = ", ".join(f"{c.source} {c.identifier} ({c.venue}, {c.year})" for c in others)
        outcome.ambiguities.append(
            f"published versions disagree: {best.source} {best.identifier} "
            f"({best.venue}, {best.year}) and {names}"
        )
        return None
    return versions[0]


def _fill_from(outcome: Outcome, pairs: list[tuple[Candidate, Verdict]], names: tuple) -> None:
    for candidate, verdict in pairs:
        for name in names:
            value = getattr(candidate, name)
            if value and name not in outcome.findings:
                outcome.findings[name] = Finding(value, _provenance(candidate, verdict))


def _decide_arxiv(outcome: Outcome) -> None:
    arxiv_ids = {c.arxiv for c, _ in outcome.accepted if c.arxiv}
    if len(arxiv_ids) > 1:
        outcome.ambiguities.append(f"arXiv ids disagree: {', '.join(sorted(arxiv_ids))}")
    elif arxiv_ids and outcome.query.arxiv not in arxiv_ids:
        pair = min(
            (p for p in outcome.accepted if p[0].arxiv), key=lambda p: p[0].source != "arxiv"
        )
        outcome.findings["arxiv"] = Finding(arxiv_ids.pop(), _provenance(*pair))


def _decide_preprint(outcome: Outcome, record_type: str | None) -> None:
    preprints = sorted(
        (p for p in outcome.accepted if p[0].arxiv), key=lambda p: p[0].source != "arxiv"
    )
    if not preprints:
        return
    candidate, verdict = preprints[0]
    if candidate.year:
        outcome.findings["year"] = Finding(candidate.year, _provenance(candidate, verdict))
    if record_type in (None, "article"):
        outcome.findings["type"] = Finding("preprint", _provenance(candidate, verdict))


def decide(outcome: Outcome, record_type: str | None) -> None:
    """Fill ``outcome.findings`` from ``outcome.accepted``."""
    _check_years(outcome)
    _decide_arxiv(outcome)
    published = _published(outcome)
    if published:
        agreeing = [published] + [
            p for p in outcome.accepted if p[0].published and same_version(published[0], p[0])
        ]
        agreeing.sort(key=lambda pair: PRIORITY[pair[0].source])
        _fill_from(outcome, agreeing, ("year", "type", "venue", "volume", "issue", "pages"))
        _fill_from(outcome, agreeing, ("publisher", "doi"))
    elif not outcome.ambiguities:
        _decide_preprint(outcome, record_type)
