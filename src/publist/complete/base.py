"""What every source shares: the query made from a record, the candidates a source answers
with, and the interface a source implements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

#: ``fetch(url_path, params, parse)``: the parsed answer of one GET (cached, rate-limited)
Fetch = Callable[[str, dict[str, str], Callable[[bytes], Any]], Any]


class MalformedResponse(Exception):
    """A body that is not the JSON/XML the service documents."""


@dataclass
class Query:
    """What is looked up for one record."""

    key: str
    title: str
    #: persons' family names in order (organisations left out)
    families: list[str]
    #: organisations named as authors ("Gemma Team")
    organisations: list[str]
    year: int | None = None
    doi: str | None = None
    arxiv: str | None = None


@dataclass
class Candidate:
    """One record a source offered, in publist's terms."""

    source: str
    identifier: str
    title: str
    #: full names as the source spells them, persons and organisations alike
    authors: list[str]
    year: int | None = None
    #: CSL type of this version ("article" for a preprint)
    type: str | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    pages: str | None = None
    volume: str | None = None
    issue: str | None = None
    publisher: str | None = None
    #: arXiv's journal_ref ("ICML 2024"), shown in reports
    journal_ref: str | None = None
    #: True when the source lists fewer authors than the paper has (OpenAlex lists 100)
    authors_truncated: bool = False
    #: DOIs of other versions (Crossref's is-preprint-of / has-preprint, arXiv's DOI)
    related_dois: list[str] = field(default_factory=list)

    @property
    def published(self) -> bool:
        """A version at a venue (journal, proceedings), not a preprint or report."""
        return self.type in ("article-journal", "paper-conference", "chapter") and bool(self.venue)


class Source(Protocol):
    """A bibliographic service: its name, the environment variable naming its base URL, its
    documented politeness limits, and how to look a record up."""

    name: str
    env: str
    default_url: str
    #: seconds from the end of one request to the start of the next (one at a time), from
    #: the service's documented rate limit
    interval: float

    def search(self, query: Query, fetch: Fetch) -> list[Candidate]: ...

    def by_doi(self, doi: str, fetch: Fetch) -> list[Candidate]: ...
