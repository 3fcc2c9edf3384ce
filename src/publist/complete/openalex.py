"""OpenAlex: ``/works?filter=title.search:…`` (https://docs.openalex.org/api-entities/works).
Documented limits: 10 requests/s and 100,000 a day; ``mailto`` joins the polite pool.  List
answers carry at most 100 authorships (``is_authors_truncated``)."""

from __future__ import annotations

import json
from typing import Any

from .base import Candidate, Fetch, MalformedResponse, Query
from .match import bare_arxiv, normalise

#: (OpenAlex work type, its source's type) → CSL type
TYPES: dict[tuple[str, str | None], str] = {
    ("article", "journal"): "article-journal",
    ("article", "conference"): "paper-conference",
    ("article", "repository"): "article",
    ("preprint", "repository"): "article",
    ("preprint", None): "article",
    ("book-chapter", "book series"): "chapter",
    ("report", None): "report",
}


def _doi(value: Any) -> str | None:
    text = str(value or "").lower()
    return text.split("doi.org/", 1)[1] if "doi.org/" in text else (text or None)


def _arxiv(work: dict[str, Any]) -> str | None:
    for location in work.get("locations") or []:
        url = str((location or {}).get("landing_page_url") or "")
        if "arxiv.org/abs/" in url:
            return bare_arxiv(url.split("arxiv.org/abs/", 1)[1].strip("/")) or None
    doi = _doi(work.get("doi")) or ""
    return doi.split("arxiv.", 1)[1] if doi.startswith("10.48550/arxiv.") else None


def _pages(biblio: dict[str, Any]) -> str | None:
    first, last = biblio.get("first_page"), biblio.get("last_page")
    if not first:
        return None
    return f"{first}-{last}" if last and last != first else str(first)


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _authors(work: dict[str, Any]) -> list[str]:
    names = []
    for authorship in work.get("authorships") or []:
        if isinstance(authorship, dict):
            author = authorship.get("author") or {}
            names.append(str(author.get("display_name") or authorship.get("raw_author_name") or ""))
    return names


def candidate(work: Any) -> Candidate | None:
    if not isinstance(work, dict) or not work.get("id") or not work.get("title"):
        return None
    source = (work.get("primary_location") or {}).get("source") or {}
    source_type = source.get("type")
    work_type = str(work.get("type"))
    kind = TYPES.get((work_type, source_type)) or TYPES.get((work_type, None))
    biblio = work.get("biblio") or {}
    doi = _doi(work.get("doi"))
    year = work.get("publication_year")
    return Candidate(
        source="openalex",
        identifier=str(work["id"]).rsplit("/", 1)[-1],
        title=str(work["title"]),
        authors=_authors(work),
        year=year if isinstance(year, int) else None,
        type=kind,
        venue=None if source_type == "repository" else source.get("display_name"),
        doi=None if doi and doi.startswith("10.48550/") else doi,
        arxiv=_arxiv(work),
        pages=_pages(biblio),
        volume=_text(biblio.get("volume")),
        issue=_text(biblio.get("issue")),
        publisher=None,
        authors_truncated=bool(work.get("is_authors_truncated")),
    )


class OpenAlex:
    name = "openalex"
    env = "PUBLIST_OPENALEX_URL"
    default_url = "https://api.openalex.org"
    interval = 0.1

    def __init__(self, base: str, email: str | None):
        self.base = base.rstrip("/")
        self.email = email

    def _fetch(self, params: dict[str, str], fetch: Fetch) -> list[Candidate]:
        if self.email:
            params["mailto"] = self.email

        def parse(body: bytes) -> list[Candidate]:
            try:
                results = json.loads(body)["results"]
            except (ValueError, UnicodeDecodeError, KeyError, TypeError) as err:
                raise MalformedResponse(f"not an OpenAlex answer ({err})") from None
            if not isinstance(results, list):
                raise MalformedResponse("results is not a list")
            return [c for c in map(candidate, results) if c]

        return fetch(f"{self.base}/works", params, parse)

    def search(self, query: Query, fetch: Fetch) -> list[Candidate]:
        return self._fetch(
            {"filter": f"title.search:{normalise(query.title)}", "per-page": "5"}, fetch
        )

    def by_doi(self, doi: str, fetch: Fetch) -> list[Candidate]:
        return self._fetch({"filter": f"doi:https://doi.org/{doi}", "per-page": "5"}, fetch)
