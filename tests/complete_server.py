"""A loopback stand-in for arXiv, Crossref, dblp and OpenAlex, for `publist complete`'s tests,
`make demo-complete` and the benchmark.  No network: it listens on 127.0.0.1 only, for a
bounded time, and stops by itself.

Each service answers on its real request paths under a prefix (``/arxiv/api/query``,
``/crossref/works``, ``/crossref/works/{doi}``, ``/dblp/search/publ/api``, ``/openalex/works``)
with bodies shaped like the real services' answers, written here after their documentation
and recorded answers found in public client test suites (read, not copied): Crossref's
``work-list`` message (``facets``, ``total-results``, ``items``, ``items-per-page``,
``query``) and its ``x-rate-limit-*`` headers as in habanero's VCR cassette
test/cassettes/test-works/test_works_with_select_param.yaml; arXiv's Atom feed with
``opensearch:`` totals and ``arxiv:doi`` / ``arxiv:journal_ref`` elements each declaring the
arxiv namespace, titles folded over lines, as in recorded ``id_list`` answers in arXiv
clients' tests; dblp's ``result/hits/hit[]/info`` JSON, where one author is an object and
several a list, as in a dblp client's recorded answers; OpenAlex's ``meta``/``results`` list
with ``authorships`` capped at 100 and ``is_authors_truncated``.  The records are written
here, from the facts in seeds/hussenot-leonard.meta.yaml and the seed's author lists, plus
decoys.

Faults are chosen by title words in the query: "rate limited" (Crossref answers 429 with
Retry-After: 1 once), "server error" (OpenAlex answers 503 always), "slow answer" (OpenAlex
hangs past the client's timeout), "malformed answer" (Crossref sends truncated JSON, arXiv
broken XML).
"""

from __future__ import annotations

import json
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hussenot-leonard.txt"


@dataclass
class Version:
    """A published version: where, when, and the identifiers each service knows it by."""

    dblp_venue: str  # dblp's short name ("ICML", "ACL (1)")
    dblp_key: str
    year: int
    kind: str = "conf"  # conf | journal
    pages: str | None = None
    ee: str | None = None
    doi: str | None = None  # a Crossref DOI: Crossref then knows the paper
    container: str | None = None  # Crossref's container-title
    publisher: str | None = None
    in_openalex: bool = False  # OpenAlex lists this version rather than the preprint


@dataclass
class Paper:
    title: str
    authors: list[str]  # "Given Family", or an organisation
    arxiv: str | None = None
    arxiv_year: int | None = None
    published: list[Version] = field(default_factory=list)
    journal_ref: str | None = None
    #: names as arXiv spells them, when not as the record does (the 942-author list)
    arxiv_authors: list[str] | None = None
    in_crossref_only: bool = False  # a DOI in Crossref, nowhere else (decoys)
    crossref_type: str | None = None
    crossref_doi: str | None = None
    crossref_year: int | None = None
    crossref_container: str | None = None
    #: Crossref's search does not bring the published version (found by its DOI only)
    crossref_unsearchable: bool = False
    #: a Crossref preprint (posted-content) whose relation is-preprint-of names the DOI
    crossref_preprint_doi: str | None = None
    in_openalex: bool = True


def _seed_authors() -> dict[str, list[str]]:
    """The seed's author lists by title, as "Given Family" (organisations as written)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    authors: dict[str, list[str]] = {}
    for title, names in zip(lines[1::3], lines[2::3], strict=False):
        parts = [p.strip() for p in names.split(",")]
        people = []
        for family, given in zip(parts[0::2], parts[1::2], strict=False):
            people.append(family if given == "null" else f"{given} {family}")
        authors[title] = people
    return authors


def _misspell(names: list[str]) -> list[str]:
    """A few names spelled as another service might: accents dropped, a letter swapped."""
    out = list(names)
    for index in (40, 200, 410, 700, 900):
        if index < len(out):
            name = unicodedata.normalize("NFKD", out[index])
            name = "".join(c for c in name if not unicodedata.combining(c))
            out[index] = name[:-2] + name[-1] + name[-2] if len(name) > 4 else name
    return out


def seed_papers() -> list[Paper]:
    """The seed's ten papers, as the services know them."""
    a = _seed_authors()
    t = {title.split(":")[0]: title for title in a}
    pmlr = "https://proceedings.mlr.press"
    return [
        Paper(t["Gemma 3 Technical Report"], a[t["Gemma 3 Technical Report"]], "2503.19786", 2025),
        Paper(t["WARP"], a[t["WARP"]], "2406.16768", 2024),
        Paper(t["Gemma"], a[t["Gemma"]], "2403.08295", 2024),
        Paper(t["RecurrentGemma"], a[t["RecurrentGemma"]], "2404.07839", 2024),
        Paper(
            t["MusicRL"],
            a[t["MusicRL"]],
            "2402.04229",
            2024,
            [
                Version(
                    "ICML", "conf/icml/CideronGVVKBMUB24", 2024, ee=f"{pmlr}/v235/cideron24a.html"
                )
            ],
        ),
        Paper(
            t["WARM"],
            a[t["WARM"]],
            "2401.12187",
            2024,
            [Version("ICML", "conf/icml/RameVHDCBF24", 2024, ee=f"{pmlr}/v235/rame24a.html")],
        ),
        Paper(
            t["Gemini"],
            a[t["Gemini"]],
            "2312.11805",
            2023,
            arxiv_authors=_misspell(a[t["Gemini"]]),
        ),
        Paper(
            t[
                "Factually Consistent Summarization via Reinforcement Learning with Textual "
                "Entailment Feedback"
            ],
            a[
                t[
                    "Factually Consistent Summarization via Reinforcement Learning with Textual "
                    "Entailment Feedback"
                ]
            ],
            "2306.00186",
            2023,
            [
                Version(
                    "ACL (1)",
                    "conf/acl/RoitFSACDGGHKMR23",
                    2023,
                    pages="6252-6272",
                    ee="https://doi.org/10.18653/v1/2023.acl-long.344",
                    doi="10.18653/v1/2023.acl-long.344",
                    container="Proceedings of the 61st Annual Meeting of the Association for "
                    "Computational Linguistics (Volume 1: Long Papers)",
                    publisher="Association for Computational Linguistics",
                    in_openalex=True,
                )
            ],
            journal_ref="ACL 2023",
        ),
        Paper(
            t["Continuous Control with Action Quantization from Demonstrations"],
            a[t["Continuous Control with Action Quantization from Demonstrations"]],
            "2110.10149",
            2021,
            [Version("ICML", "conf/icml/DadashiHVGRGP22", 2022, ee=f"{pmlr}/v162/dadashi22a.html")],
        ),
        Paper(
            t["What Matters for Adversarial Imitation Learning?"],
            a[t["What Matters for Adversarial Imitation Learning?"]],
            "2106.00672",
            2021,
            [
                Version(
                    "NeurIPS",
                    "conf/nips/OrsiniRHVDGGBPA21",
                    2021,
                    ee="https://proceedings.neurips.cc/paper/2021/hash/"
                    "7b647a7d88f4d6319bf0d600d168dbeb-Abstract.html",
                )
            ],
        ),
    ]


def decoy_papers(seed: list[Paper]) -> list[Paper]:
    """Papers that must *not* be taken for the seed's, and the decoy corpus's own papers."""
    by = {p.title.split(":")[0]: p for p in seed}
    gemma = by["Gemma"]
    return [
        # near-identical titles: another number
        Paper(
            "Gemma 2: Improving Open Language Models at a Practical Size",
            ["Gemma Team", "Morgane Riviere", "Shreya Pathak", "Pier Giuseppe Sessa"]
            + gemma.authors[4:60],
            "2408.00118",
            2024,
        ),
        Paper(
            "Gemma 2: Open Models Based on Gemini Research and Technology",
            gemma.authors,
            "2408.99999",
            2024,
        ),
        Paper(
            "Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context",
            ["Gemini Team", "Machel Reid"] + by["Gemini"].authors[1:300],
            "2403.05530",
            2024,
        ),
        # the same title by other people (a journal article in Crossref)
        Paper(
            "What Matters for Adversarial Imitation Learning?",
            ["Wei Zhang", "Ming Li", "Hannah Schmidt"],
            in_crossref_only=True,
            crossref_type="journal-article",
            crossref_doi="10.1234/decoy.2022.017",
            crossref_year=2022,
            crossref_container="Journal of Imitation Studies",
        ),
        # the same title and authors, a year that cannot be this paper's
        Paper(
            "WARP: On the Benefits of Weight Averaged Rewarded Policies",
            by["WARP"].authors,
            in_crossref_only=True,
            crossref_type="journal-article",
            crossref_doi="10.1234/decoy.2014.003",
            crossref_year=2014,
            crossref_container="Journal of Averaged Policies",
        ),
    ]


DECOY_SEED = """Example, Ada
Ambiguous Results in Offline Reinforcement Learning
Example, Ada, Sample, Bob
An abstract.
A Paper That Nobody Indexed
Example, Ada
An abstract.
Straße nach Łódź: Übersetzung als Verstärkungslernen
Łukasiewicz, Jan, Müller, Jürgen, Example, Ada
An abstract.
Rate Limited Paper on Policy Gradients
Example, Ada, Sample, Bob
An abstract.
Server Error Paper on Value Functions
Example, Ada, Sample, Bob
An abstract.
Slow Answer Paper on Exploration
Example, Ada, Sample, Bob
An abstract.
Malformed Answer Paper on Planning
Example, Ada, Sample, Bob
An abstract.
Legged Locomotion Policies
Example, Ada, Sample, Bob
An abstract.
Curriculum Learning for Agents
Sample, Bob, Example, Ada
An abstract.
Preprint First Paper on Bandits
Example, Ada, Sample, Bob
An abstract.
Posted Content Paper on Markets
Example, Ada, Sample, Bob
An abstract.
Journal Ref Only Paper on Graphs
Example, Ada, Sample, Bob
An abstract.
"""

#: true papers the rule refuses, at a cost in recall: the service's title has a subtitle the
#: record lacks; the service lists the authors in another order
DECOY_MISSES: dict[str, dict[str, Any]] = {
    "Legged Locomotion Policies": {"year": 2021, "doi": "10.5555/survey.2021.6"},
    "Curriculum Learning for Agents": {"year": 2015, "doi": "10.5555/order.2015.7"},
}

#: what the decoy seed's records truly are (None: nothing should be found)
DECOY_TRUTH: dict[str, dict[str, Any] | None] = {
    "Ambiguous Results in Offline Reinforcement Learning": None,  # two venues: ambiguous
    "A Paper That Nobody Indexed": None,
    "Straße nach Łódź: Übersetzung als Verstärkungslernen": {
        "year": 2020,
        "doi": "10.5555/strasse.2020.1",
        "venue": "Zeitschrift für Übersetzung",
    },
    "Rate Limited Paper on Policy Gradients": {"year": 2019, "doi": "10.5555/rate.2019.2"},
    "Server Error Paper on Value Functions": {"year": 2018, "doi": "10.5555/error.2018.3"},
    "Slow Answer Paper on Exploration": {"year": 2017, "doi": "10.5555/slow.2017.4"},
    # Crossref's answer is broken (a failure); OpenAlex still knows the paper
    "Malformed Answer Paper on Planning": {"year": 2016, "doi": "10.5555/bad.2016.5"},
    # published versions Crossref's search misses: named by arXiv's DOI, and by a Crossref
    # preprint's is-preprint-of relation
    "Preprint First Paper on Bandits": {
        "year": 2021,
        "doi": "10.5555/pub.2021.8",
        "arxiv": "2001.00001",
        "venue": "Journal of Tests",
    },
    # arXiv's journal_ref is free text and no published record exists: a preprint
    "Journal Ref Only Paper on Graphs": {"year": 2020, "arxiv": "2002.00002"},
    "Posted Content Paper on Markets": {
        "year": 2020,
        "doi": "10.5555/pub.2020.9",
        "venue": "Journal of Tests",
    },
}


def decoy_corpus_papers() -> list[Paper]:
    two = ["Ada Example", "Bob Sample"]
    journal = {"in_crossref_only": True, "crossref_type": "journal-article"}
    return [
        Paper(
            "Ambiguous Results in Offline Reinforcement Learning",
            two,
            published=[
                Version("AAAI", "conf/aaai/ExampleS20", 2020),
                Version("IJCAI", "conf/ijcai/ExampleS20", 2020),
            ],
        ),
        Paper(
            unicodedata.normalize("NFD", "Straße nach Łódź: Übersetzung als Verstärkungslernen"),
            ["Jan Lukasiewicz", "Jürgen Müller", "Ada Example"],
            crossref_doi="10.5555/strasse.2020.1",
            crossref_year=2020,
            crossref_container="Zeitschrift für Übersetzung",
            **journal,
        ),
        Paper(
            "Rate Limited Paper on Policy Gradients",
            two,
            crossref_doi="10.5555/rate.2019.2",
            crossref_year=2019,
            crossref_container="Journal of Tests",
            **journal,
        ),
        Paper(
            "Server Error Paper on Value Functions",
            two,
            crossref_doi="10.5555/error.2018.3",
            crossref_year=2018,
            crossref_container="Journal of Tests",
            **journal,
        ),
        Paper(
            "Slow Answer Paper on Exploration",
            two,
            crossref_doi="10.5555/slow.2017.4",
            crossref_year=2017,
            crossref_container="Journal of Tests",
            **journal,
        ),
        Paper(
            "Legged Locomotion Policies: A Survey of Learned Gaits",
            two,
            crossref_doi="10.5555/survey.2021.6",
            crossref_year=2021,
            crossref_container="Journal of Tests",
            **journal,
        ),
        Paper(
            "Curriculum Learning for Agents",
            two,
            crossref_doi="10.5555/order.2015.7",
            crossref_year=2015,
            crossref_container="Journal of Tests",
            **journal,
        ),
        Paper(
            "Preprint First Paper on Bandits",
            two,
            "2001.00001",
            2020,
            [
                Version(
                    "",
                    "",
                    2021,
                    kind="journal",
                    doi="10.5555/pub.2021.8",
                    container="Journal of Tests",
                )
            ],
            crossref_unsearchable=True,
        ),
        Paper(
            "Journal Ref Only Paper on Graphs",
            two,
            "2002.00002",
            2020,
            journal_ref="Graph Workshop 2020",
        ),
        Paper(
            "Posted Content Paper on Markets",
            two,
            crossref_doi="10.5555/pub.2020.9",
            crossref_year=2020,
            crossref_container="Journal of Tests",
            crossref_unsearchable=True,
            crossref_preprint_doi="10.2139/ssrn.3500009",
            in_openalex=False,
            **journal,
        ),
        Paper(
            "Malformed Answer Paper on Planning",
            two,
            crossref_doi="10.5555/bad.2016.5",
            crossref_year=2016,
            crossref_container="Journal of Tests",
            **journal,
        ),
    ]


# --- rendering each service's records ---------------------------------------------------------


def _split(name: str) -> tuple[str, str]:
    given, _, family = name.rpartition(" ")
    return given, family


def _is_org(name: str) -> bool:
    return name.endswith(" Team")


def crossref_items(papers: list[Paper]) -> list[dict[str, Any]]:
    items = []
    for paper in papers:
        versions = [v for v in paper.published if v.doi]
        if paper.in_crossref_only:
            versions = [
                Version(
                    "",
                    "",
                    paper.crossref_year or 2000,
                    doi=paper.crossref_doi,
                    container=paper.crossref_container,
                    kind="journal",
                )
            ]
        for version in versions:
            authors = []
            for n, name in enumerate(paper.authors):
                if _is_org(name):
                    authors.append({"name": name, "sequence": "additional", "affiliation": []})
                    continue
                given, family = _split(name)
                authors.append(
                    {
                        "given": given,
                        "family": family,
                        "sequence": "first" if n == 0 else "additional",
                        "affiliation": [],
                    }
                )
            item: dict[str, Any] = {
                "DOI": version.doi,
                "type": "journal-article" if version.kind == "journal" else "proceedings-article",
                "title": [paper.title],
                "author": authors,
                "issued": {"date-parts": [[version.year, 7]]},
                "container-title": [version.container] if version.container else [],
                "publisher": version.publisher or "Example Publisher",
                "score": 0,
            }
            if version.pages:
                item["page"] = version.pages
            if paper.crossref_unsearchable:
                item["_unsearchable"] = True
            if paper.arxiv:
                item["relation"] = {
                    "has-preprint": [
                        {
                            "id-type": "doi",
                            "id": f"10.48550/arxiv.{paper.arxiv}",
                            "asserted-by": "subject",
                        }
                    ]
                }
            items.append(item)
            if paper.crossref_preprint_doi:
                items.append(_posted_content(paper, item))
    return items


def _posted_content(paper: Paper, published: dict[str, Any]) -> dict[str, Any]:
    """The preprint Crossref holds (SSRN, Research Square…), pointing at the published DOI."""
    return {
        **{k: v for k, v in published.items() if k not in ("page", "_unsearchable")},
        "DOI": paper.crossref_preprint_doi,
        "type": "posted-content",
        "subtype": "preprint",
        "container-title": [],
        "publisher": "Elsevier BV",
        "issued": {"date-parts": [[(paper.crossref_year or 2000) - 1, 11, 3]]},
        "relation": {
            "is-preprint-of": [{"id-type": "doi", "id": published["DOI"], "asserted-by": "subject"}]
        },
    }


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}


def dblp_infos(papers: list[Paper]) -> list[dict[str, Any]]:
    infos = []
    for paper in papers:
        if paper.in_crossref_only:
            continue
        people = [
            {"@pid": f"{n:03d}/{abs(hash(name)) % 9999}", "text": name}
            for n, name in enumerate(paper.authors)
            if not _is_org(name)
        ]
        authors = {"author": people[0] if len(people) == 1 else people}
        if paper.arxiv:
            infos.append(
                {
                    "authors": authors,
                    "title": paper.title + ".",
                    "venue": "CoRR",
                    "volume": f"abs/{paper.arxiv}",
                    "year": str(paper.arxiv_year),
                    "type": "Informal and Other Publications",
                    "access": "open",
                    "key": f"journals/corr/abs-{paper.arxiv.replace('.', '-')}",
                    "doi": f"10.48550/ARXIV.{paper.arxiv}",
                    "ee": f"https://doi.org/10.48550/arXiv.{paper.arxiv}",
                    "url": "https://dblp.org/rec/journals/corr/abs-"
                    + paper.arxiv.replace(".", "-"),
                }
            )
        for version in paper.published:
            info: dict[str, Any] = {
                "authors": authors,
                "title": paper.title + ".",
                "venue": version.dblp_venue,
                "year": str(version.year),
                "type": "Conference and Workshop Papers",
                "access": "open",
                "key": version.dblp_key,
                "url": f"https://dblp.org/rec/{version.dblp_key}",
            }
            if version.pages:
                info["pages"] = version.pages
            if version.doi:
                info["doi"] = version.doi.upper()
            if version.ee:
                info["ee"] = version.ee
            infos.append(info)
    return infos


def openalex_works(papers: list[Paper]) -> list[dict[str, Any]]:
    works = []
    for n, paper in enumerate(papers):
        if not paper.in_openalex or paper.in_crossref_only and not paper.crossref_doi:
            continue
        authorships = [
            {
                "author_position": "first" if i == 0 else "middle",
                "author": {"id": f"https://openalex.org/A{n}{i}", "display_name": name},
                "raw_author_name": name,
                "institutions": [],
            }
            for i, name in enumerate(paper.authors)
        ]
        published = next((v for v in paper.published if v.in_openalex), None)
        if paper.in_crossref_only:
            doi, year, kind = paper.crossref_doi, paper.crossref_year, "article"
            source = {"display_name": paper.crossref_container, "type": "journal"}
            locations = []
        elif published:
            doi, year, kind = published.doi, published.year, "article"
            source = {"display_name": published.container, "type": "conference"}
            locations = [{"landing_page_url": f"https://arxiv.org/abs/{paper.arxiv}v2"}]
        elif paper.arxiv:
            doi, year, kind = f"10.48550/arxiv.{paper.arxiv}", paper.arxiv_year, "preprint"
            source = {"display_name": "arXiv (Cornell University)", "type": "repository"}
            locations = [{"landing_page_url": f"https://arxiv.org/abs/{paper.arxiv}"}]
        else:
            continue
        works.append(
            {
                "id": f"https://openalex.org/W{4000000000 + n}",
                "doi": f"https://doi.org/{doi}",
                "title": paper.title,
                "display_name": paper.title,
                "publication_year": year,
                "publication_date": f"{year}-06-01",
                "type": kind,
                "primary_location": {"is_oa": True, "source": source},
                "locations": locations,
                "authorships": authorships[:100],
                "is_authors_truncated": len(authorships) > 100,
                "biblio": {"volume": None, "issue": None, "first_page": None, "last_page": None},
            }
        )
    return works


def arxiv_entry(paper: Paper) -> str:
    names = paper.arxiv_authors or paper.authors
    doi = next((v.doi for v in paper.published if v.doi), None)
    ns = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
    extra = f"\n    <arxiv:doi {ns}>{escape(doi)}</arxiv:doi>" if doi else ""
    if paper.journal_ref:
        extra += f"\n    <arxiv:journal_ref {ns}>{escape(paper.journal_ref)}</arxiv:journal_ref>"
    authors = "".join(
        f"\n    <author>\n      <name>{escape(n)}</name>\n    </author>" for n in names
    )
    # arXiv folds long titles over lines
    title = escape(paper.title).replace(": ", ":\n  ", 1)
    return f"""  <entry>
    <id>http://arxiv.org/abs/{paper.arxiv}v1</id>
    <updated>{paper.arxiv_year}-02-01T10:00:00Z</updated>
    <published>{paper.arxiv_year}-01-15T18:59:00Z</published>
    <title>{title}</title>
    <summary>  An abstract.
</summary>{authors}{extra}
    <link href="http://arxiv.org/abs/{paper.arxiv}v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{paper.arxiv}v1" rel="related"
      type="application/pdf"/>
    <arxiv:primary_category {ns} term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
"""


def arxiv_feed(entries: list[str], query: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?{escape(query, {'"': "&quot;"})}"
    rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {escape(query)}</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2026-12-01T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(entries)}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(entries)}</opensearch:itemsPerPage>
{"".join(entries)}</feed>
"""


# --- the server ----------------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ł", "l")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _ranked(query: str, records: list[Any], title_of, limit: int) -> list[Any]:
    """What a search engine returns: the best-scoring titles, near misses included."""
    wanted = _norm(query)
    scored = [
        (fuzz.token_set_ratio(wanted, _norm(title_of(r))), i, r) for i, r in enumerate(records)
    ]
    scored = [s for s in scored if s[0] >= 60]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [r for _, _, r in scored[:limit]]


class Corpus:
    def __init__(self, papers: list[Paper]):
        self.papers = papers
        self.crossref = crossref_items(papers)
        self.dblp = dblp_infos(papers)
        self.openalex = openalex_works(papers)
        self.arxiv = {p.arxiv: p for p in papers if p.arxiv}


@dataclass
class Request:
    source: str
    path: str
    query: str
    user_agent: str
    at: float


class Server:
    """``with Server(papers) as server:`` … ``server.url("crossref")``; stops after
    ``lifetime`` seconds whatever happens."""

    def __init__(
        self, papers: list[Paper], latency: float = 0.0, lifetime: float = 600.0, hang: float = 3.0
    ):
        self.corpus = Corpus(papers)
        self.latency = latency
        self.lifetime = lifetime
        self.hang = hang
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.faults_served: dict[str, int] = {}
        handler = _handler_for(self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.timer = threading.Timer(lifetime, self.stop)
        self.timer.daemon = True

    def url(self, source: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{source}"

    def env(self) -> dict[str, str]:
        return {
            f"PUBLIST_{s.upper()}_URL": self.url(s)
            for s in ("arxiv", "crossref", "dblp", "openalex")
        }

    def __enter__(self) -> Server:
        self.thread.start()
        self.timer.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self.timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, source: str | None = None) -> int:
        with self.lock:
            return sum(1 for r in self.requests if source in (None, r.source))

    def once(self, fault: str) -> bool:
        """True the first time ``fault`` is asked for."""
        with self.lock:
            self.faults_served[fault] = self.faults_served.get(fault, 0) + 1
            return self.faults_served[fault] == 1

    # -- answers: (status, content type, body, headers)

    def answer(
        self, source: str, path: str, params: dict[str, str]
    ) -> tuple[int, str, bytes, dict]:
        text = " ".join(params.values()).lower()
        if source == "crossref":
            return self._crossref(path, params, text)
        if source == "dblp" and path == "/search/publ/api":
            hits = _ranked(params.get("q", ""), self.corpus.dblp, lambda i: i["title"], 10)
            return 200, "application/json", _json(_dblp_result(params.get("q", ""), hits)), {}
        if source == "openalex" and path == "/works":
            return self._openalex(params, text)
        if source == "arxiv" and path == "/api/query":
            return self._arxiv(params, text)
        return 404, "text/plain", b"Not found", {}

    def _crossref(self, path: str, params: dict[str, str], text: str):
        if "rate limited" in text and self.once("crossref-429"):
            return 429, "text/plain", b"Too Many Requests", {"Retry-After": "1"}
        if "malformed answer" in text:
            return 200, "application/json", b'{"status":"ok","message-type":"work-list","mess', {}
        if path.startswith("/works/"):
            doi = unquote(path[len("/works/") :]).lower()
            found = [i for i in self.corpus.crossref if i["DOI"].lower() == doi]
            if not found:
                return 404, "text/plain", b"Resource not found.", {}
            body = {
                "status": "ok",
                "message-type": "work",
                "message-version": "1.0.0",
                "message": _public(found[0]),
            }
            return 200, "application/json", _json(body), {}
        if path == "/works":
            rows = int(params.get("rows", "20"))
            searchable = [i for i in self.corpus.crossref if not i.get("_unsearchable")]
            items = _ranked(
                params.get("query.bibliographic", ""),
                searchable,
                lambda i: i["title"][0],
                rows,
            )
            items = [_public(i) for i in items]
            body = {
                "status": "ok",
                "message-type": "work-list",
                "message-version": "1.0.0",
                "message": {
                    "facets": {},
                    "total-results": len(items),
                    "items": items,
                    "items-per-page": rows,
                    "query": {"start-index": 0, "search-terms": None},
                },
            }
            return (
                200,
                "application/json",
                _json(body),
                {"X-Rate-Limit-Limit": "5", "X-Rate-Limit-Interval": "1s"},
            )
        return 404, "text/plain", b"Not found", {}

    def _openalex(self, params: dict[str, str], text: str):
        if "server error" in text:
            return 503, "text/html", b"<html><body>Service Unavailable</body></html>", {}
        if "slow answer" in text:
            time.sleep(self.hang)
        query = params.get("filter", "")
        if query.startswith("title.search:"):
            works = _ranked(query.split(":", 1)[1], self.corpus.openalex, lambda w: w["title"], 5)
        elif query.startswith("doi:"):
            works = [w for w in self.corpus.openalex if w["doi"] == query[4:]]
        else:
            return 400, "application/json", _json({"error": "Invalid query parameters"}), {}
        body = {
            "meta": {
                "count": len(works),
                "db_response_time_ms": 12,
                "page": 1,
                "per_page": int(params.get("per-page", "25")),
                "groups_count": None,
            },
            "results": works,
            "group_by": [],
        }
        return 200, "application/json", _json(body), {}

    def _arxiv(self, params: dict[str, str], text: str):
        if "malformed answer" in text:
            return 200, "application/atom+xml", b"<feed><entry><title>broken", {}
        if params.get("id_list"):
            ids = params["id_list"].split(",")
            entries = [arxiv_entry(self.corpus.arxiv[i]) for i in ids if i in self.corpus.arxiv]
        else:
            words = re.sub(r'^ti:"?|"$', "", params.get("search_query", ""))
            papers = _ranked(
                words,
                list(self.corpus.arxiv.values()),
                lambda p: p.title,
                int(params.get("max_results", "10")),
            )
            entries = [arxiv_entry(p) for p in papers]
        query = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        return 200, "application/atom+xml; charset=utf-8", arxiv_feed(entries, query).encode(), {}


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _dblp_result(query: str, infos: list[dict[str, Any]]) -> dict[str, Any]:
    hits = [
        {"@score": str(10 - n), "@id": str(1000 + n), "info": info, "url": f"URL#{1000 + n}"}
        for n, info in enumerate(infos)
    ]
    return {
        "result": {
            "query": query,
            "status": {"@code": "200", "text": "OK"},
            "time": {"@unit": "msecs", "text": "3.14"},
            "completions": {"@total": "0", "@computed": "0", "@sent": "0"},
            "hits": {
                "@total": str(len(hits)),
                "@computed": str(len(hits)),
                "@sent": str(len(hits)),
                "@first": "0",
                **({"hit": hits} if hits else {}),
            },
        }
    }


def _handler_for(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            parts = urlsplit(self.path)
            source, _, rest = parts.path.lstrip("/").partition("/")
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            with server.lock:
                server.requests.append(
                    Request(
                        source,
                        "/" + rest,
                        parts.query,
                        self.headers.get("User-Agent", ""),
                        time.monotonic(),
                    )
                )
            if server.latency:
                time.sleep(server.latency)
            status, kind, body, headers = server.answer(source, "/" + rest, params)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def all_papers() -> list[Paper]:
    seed = seed_papers()
    return seed + decoy_papers(seed) + decoy_corpus_papers()


if __name__ == "__main__":  # `make demo-complete`: serve, print the environment, wait
    import sys

    lifetime = float(sys.argv[1]) if len(sys.argv) > 1 else 300.0
    with Server(all_papers(), lifetime=lifetime) as served:
        for name, value in served.env().items():
            print(f"export {name}={value}", flush=True)
        served.thread.join(lifetime + 1)
