"""DBLP publication search: ``/search/publ/api?q=…&format=json``
(https://dblp.org/faq/How+to+use+the+dblp+search+API.html).  dblp's FAQ: "You should always
be fine when waiting for at least one or two seconds between two consecutive requests"; a 429
carries Retry-After.  publist waits 1 s, one request at a time."""

from __future__ import annotations

import json
import re
from typing import Any

from .base import Candidate, Fetch, MalformedResponse, Query
from .match import normalise

TYPES = {
    "Journal Articles": "article-journal",
    "Conference and Workshop Papers": "paper-conference",
    "Parts in Books or Collections": "chapter",
    "Informal and Other Publications": "article",
    "Informal Publications": "article",
    "Books and Theses": "book",
}
#: dblp's short venue names → the names a publication list prints
VENUES = {
    "ICML": "International Conference on Machine Learning (ICML)",
    "NeurIPS": "Advances in Neural Information Processing Systems (NeurIPS)",
    "ICLR": "International Conference on Learning Representations (ICLR)",
    "ACL": "Annual Meeting of the Association for Computational Linguistics (ACL)",
    "EMNLP": "Conference on Empirical Methods in Natural Language Processing (EMNLP)",
    "NAACL-HLT": "Conference of the North American Chapter of the ACL (NAACL)",
    "AAAI": "AAAI Conference on Artificial Intelligence (AAAI)",
    "IJCAI": "International Joint Conference on Artificial Intelligence (IJCAI)",
    "CVPR": "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
    "ICCV": "IEEE/CVF International Conference on Computer Vision (ICCV)",
    "AISTATS": "International Conference on Artificial Intelligence and Statistics (AISTATS)",
    "CoRL": "Conference on Robot Learning (CoRL)",
    "AAMAS": "International Conference on Autonomous Agents and Multiagent Systems (AAMAS)",
    "Interspeech": "Interspeech",
    "ICASSP": "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)",
}
#: proceedings series recognised by their links: (pattern, publisher); the volume is group 1
SERIES = ((re.compile(r"proceedings\.mlr\.press/v(\d+)/"), "PMLR"),)
_HOMONYM = re.compile(r"\s+\d{4}$")  # "Wei Wang 0001": dblp's number for namesakes
_VOLUME_TAG = re.compile(r"\s*\(\d+\)$")  # "ACL (1)": the proceedings volume


def _listed(value: Any) -> list[Any]:
    """dblp gives one element as an object, several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _author(value: Any) -> str:
    text = value.get("text", "") if isinstance(value, dict) else str(value)
    return _HOMONYM.sub("", str(text))


def _series(info: dict[str, Any]) -> tuple[str | None, str | None]:
    """(volume, publisher) of a proceedings series recognised by its links."""
    for link in _listed(info.get("ee")):
        for pattern, series in SERIES:
            found = pattern.search(str(link))
            if found:
                return found.group(1), series
    return None, None


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _arxiv_free_doi(value: Any) -> str | None:
    """dblp's DOI in lower case (dblp writes them in capitals), unless it is arXiv's."""
    doi = str(value).lower() if value else None
    return None if doi and doi.startswith("10.48550/") else doi


def candidate(info: Any) -> Candidate | None:
    if not isinstance(info, dict) or not info.get("title") or not info.get("key"):
        return None
    short = _VOLUME_TAG.sub("", " ".join(str(v) for v in _listed(info.get("venue"))))
    kind = TYPES.get(str(info.get("type")))
    volume, arxiv = _text(info.get("volume")), None
    if short == "CoRR" and volume and volume.startswith("abs/"):
        arxiv, volume, kind = volume[4:], None, "article"
    series_volume, publisher = _series(info)
    doi = _arxiv_free_doi(info.get("doi"))
    year = str(info.get("year", ""))
    return Candidate(
        source="dblp",
        identifier=str(info["key"]),
        title=str(info["title"]).rstrip("."),
        authors=[_author(a) for a in _listed((info.get("authors") or {}).get("author"))],
        year=int(year) if year.isdigit() else None,
        type=kind,
        venue=None if short == "CoRR" else VENUES.get(short, short or None),
        doi=doi,
        arxiv=arxiv,
        pages=_text(info.get("pages")),
        volume=volume or series_volume,
        issue=_text(info.get("number")),
        publisher=publisher,
    )


class Dblp:
    name = "dblp"
    env = "PUBLIST_DBLP_URL"
    default_url = "https://dblp.org"
    interval = 1.0

    def __init__(self, base: str):
        self.base = base.rstrip("/")

    def search(self, query: Query, fetch: Fetch) -> list[Candidate]:
        def parse(body: bytes) -> list[Candidate]:
            try:
                result = json.loads(body)["result"]
                hits = result["hits"]
            except (ValueError, UnicodeDecodeError, KeyError, TypeError) as err:
                raise MalformedResponse(f"not a dblp result ({err})") from None
            infos = [h.get("info") for h in _listed(hits.get("hit")) if isinstance(h, dict)]
            return [c for c in map(candidate, infos) if c]

        params = {"q": normalise(query.title), "format": "json", "h": "10", "c": "0"}
        return fetch(f"{self.base}/search/publ/api", params, parse)

    def by_doi(self, doi: str, fetch: Fetch) -> list[Candidate]:
        return []  # dblp has no DOI look-up; Crossref answers those
