"""The arXiv API: ``/api/query`` answering Atom (https://info.arxiv.org/help/api/user-manual.html).
Terms of use: "no more than one request every three seconds", one connection at a time; so ids
already known are asked in batches (``id_list``, up to 50 a request)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .base import Candidate, Fetch, MalformedResponse, Query
from .match import normalise

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
BATCH = 50
_ID = re.compile(r"arxiv\.org/abs/(.+?)(v\d+)?$")


def _text(entry: Any, tag: str) -> str | None:
    found = entry.find(tag)
    return " ".join(found.text.split()) if found is not None and found.text else None


def candidate(entry: Any) -> Candidate | None:
    found = _ID.search(_text(entry, f"{ATOM}id") or "")
    title = _text(entry, f"{ATOM}title")
    if not found or not title:
        return None  # arXiv reports a bad query as an entry whose id is api/errors#…
    published = _text(entry, f"{ATOM}published") or ""
    doi = _text(entry, f"{ARXIV}doi")
    return Candidate(
        source="arxiv",
        identifier=found.group(1),
        title=title,
        authors=[_text(a, f"{ATOM}name") or "" for a in entry.findall(f"{ATOM}author")],
        year=int(published[:4]) if published[:4].isdigit() else None,
        type="article",
        arxiv=found.group(1),
        related_dois=[doi.lower()] if doi else [],
        venue=None,
        journal_ref=_text(entry, f"{ARXIV}journal_ref"),
    )


def parse_feed(body: bytes) -> list[Candidate]:
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as err:
        raise MalformedResponse(f"not XML ({err})") from None
    if root.tag != f"{ATOM}feed":
        raise MalformedResponse("not an Atom feed")
    return [c for c in map(candidate, root.findall(f"{ATOM}entry")) if c]


class Arxiv:
    name = "arxiv"
    env = "PUBLIST_ARXIV_URL"
    default_url = "https://export.arxiv.org"
    interval = 3.0

    def __init__(self, base: str):
        self.base = base.rstrip("/")

    def search(self, query: Query, fetch: Fetch) -> list[Candidate]:
        words = normalise(query.title)
        params = {"search_query": f'ti:"{words}"', "start": "0", "max_results": "5"}
        return fetch(f"{self.base}/api/query", params, parse_feed)

    def by_ids(self, ids: list[str], fetch: Fetch) -> list[Candidate]:
        found: list[Candidate] = []
        for start in range(0, len(ids), BATCH):
            chunk = sorted(ids[start : start + BATCH])
            params = {"id_list": ",".join(chunk), "max_results": str(len(chunk))}
            found += fetch(f"{self.base}/api/query", params, parse_feed)
        return found

    def by_doi(self, doi: str, fetch: Fetch) -> list[Candidate]:
        if doi.startswith("10.48550/arxiv."):
            return self.by_ids([doi.split("arxiv.", 1)[1]], fetch)
        return []
