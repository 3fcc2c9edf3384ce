"""Crossref REST API: ``/works?query.bibliographic=…&query.author=…`` and ``/works/{doi}``
(https://api.crossref.org/swagger-ui/index.html).  Limits since 1 December 2025 (Crossref blog,
"Announcing changes to REST API rate limits"): public pool, lists (queries) 1 request/s and
single records 5/s, one at a time; polite pool (an e-mail in the User-Agent), lists 3/s and
single records 10/s, 3 at a time.  publist asks one at a time, 1/s (3/s with an e-mail)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .base import Candidate, Fetch, MalformedResponse, Query

#: Crossref work types → CSL types
TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "posted-content": "article",
    "report": "report",
    "book": "book",
    "dissertation": "thesis",
    "dataset": "dataset",
}
SELECT = "DOI,title,author,issued,type,container-title,page,volume,issue,publisher,relation"


def _message(body: bytes, kind: str) -> Any:
    if not body:
        return None  # 404: no such DOI
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as err:
        raise MalformedResponse(f"not JSON ({err})") from None
    if not isinstance(data, dict) or data.get("message-type") != kind:
        raise MalformedResponse(f"not a Crossref {kind}")
    return data.get("message")


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str):
        return values[0].strip() or None
    return None


def _name(author: dict[str, Any]) -> str:
    if author.get("name"):
        return str(author["name"])
    return " ".join(str(author[k]) for k in ("given", "family") if author.get(k))


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _related(work: dict[str, Any]) -> list[str]:
    related = []
    for relation in ("is-preprint-of", "has-preprint", "has-version", "is-version-of"):
        for target in (work.get("relation") or {}).get(relation) or []:
            if isinstance(target, dict) and target.get("id-type") == "doi":
                related.append(str(target["id"]).lower())
    return related


def _year(work: dict[str, Any]) -> int | None:
    parts = (work.get("issued") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    return year if isinstance(year, int) else None


def candidate(work: Any) -> Candidate | None:
    """A Crossref work as a candidate (None when it has no DOI or title)."""
    if not isinstance(work, dict) or not work.get("DOI") or not _first(work.get("title")):
        return None
    doi = str(work["DOI"]).lower()
    return Candidate(
        source="crossref",
        identifier=doi,
        title=_first(work["title"]) or "",
        authors=[_name(a) for a in work.get("author") or [] if isinstance(a, dict)],
        year=_year(work),
        type=TYPES.get(str(work.get("type"))),
        venue=_first(work.get("container-title")),
        doi=doi,
        arxiv=doi.split("arxiv.", 1)[1] if doi.startswith("10.48550/arxiv.") else None,
        pages=_text(work.get("page")),
        volume=_text(work.get("volume")),
        issue=_text(work.get("issue")),
        publisher=_text(work.get("publisher")),
        related_dois=_related(work),
    )


class Crossref:
    name = "crossref"
    env = "PUBLIST_CROSSREF_URL"
    default_url = "https://api.crossref.org"

    def __init__(self, base: str, polite: bool):
        self.base = base.rstrip("/")
        # one request at a time, at the pace of searches (the slower kind) for DOI records too:
        # the public pool allows one request in flight of either kind
        self.interval = 1 / 3 if polite else 1.0

    def search(self, query: Query, fetch: Fetch) -> list[Candidate]:
        params = {"query.bibliographic": query.title, "rows": "5", "select": SELECT}
        if query.families:
            params["query.author"] = " ".join(query.families[:10])

        def parse(body: bytes) -> list[Candidate]:
            message = _message(body, "work-list") or {}
            items = message.get("items") if isinstance(message, dict) else None
            if not isinstance(items, list):
                raise MalformedResponse("a work-list without items")
            return [c for c in map(candidate, items) if c]

        return fetch(f"{self.base}/works", params, parse)

    def by_doi(self, doi: str, fetch: Fetch) -> list[Candidate]:
        def parse(body: bytes) -> list[Candidate]:
            found = candidate(_message(body, "work"))
            return [found] if found else []

        return fetch(f"{self.base}/works/{quote(doi, safe='/')}", {}, parse)
