"""Looking every record up: each record asks its sources in turn (Crossref, OpenAlex, then dblp
and arXiv only while no published version is known), records in parallel within each source's
limits; then the arXiv ids found are asked of arXiv in batches, and DOIs of published versions
named by arXiv or Crossref relations are asked of Crossref."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from .arxiv import BATCH, Arxiv
from .base import Candidate
from .crossref import Crossref
from .dblp import Dblp
from .decide import Outcome
from .http import Fetcher, FetchError, Interrupted
from .match import bare_arxiv, judge
from .openalex import OpenAlex

SOURCE_NAMES = ("arxiv", "crossref", "dblp", "openalex")
WORKERS = 8  # records looked up at once (each source still keeps to its own limits)


def make_sources(names: Iterable[str], email: str | None) -> dict[str, Any]:
    def base(cls: Any) -> str:
        return os.environ.get(cls.env) or cls.default_url

    makers: dict[str, Callable[[], Any]] = {
        "arxiv": lambda: Arxiv(base(Arxiv)),
        "crossref": lambda: Crossref(base(Crossref), polite=bool(email)),
        "dblp": lambda: Dblp(base(Dblp)),
        "openalex": lambda: OpenAlex(base(OpenAlex), email),
    }
    return {name: makers[name]() for name in SOURCE_NAMES if name in names}


def _by_doi(doi: str, source: Any, fetch: Any) -> list[Candidate]:
    return source.by_doi(doi, fetch)


class Lookup:
    def __init__(self, sources: dict[str, Any], fetcher: Fetcher):
        self.sources = sources
        self.fetcher = fetcher
        for source in sources.values():
            fetcher.add_source(source.name, source.interval)

    def _fetch_for(self, name: str):
        def fetch(url: str, params: dict[str, str], parse):
            return self.fetcher.get(name, url, params, parse)

        return fetch

    def _ask(self, outcome: Outcome, name: str, call: Callable[[Any, Any], list[Candidate]]):
        source = self.sources.get(name)
        if source is None:
            return
        try:
            candidates = call(source, self._fetch_for(name))
        except FetchError as err:
            outcome.failures.append((name, str(err)))
            return
        seen = {(c.source, c.identifier) for c, _ in outcome.accepted + outcome.refused}
        for candidate in candidates:
            if (candidate.source, candidate.identifier) in seen:
                continue
            seen.add((candidate.source, candidate.identifier))
            verdict = judge(outcome.query, candidate)
            (outcome.accepted if verdict.accepted else outcome.refused).append((candidate, verdict))

    def record(self, outcome: Outcome) -> Outcome:
        """Phase one for one record."""
        query = outcome.query
        self._ask(outcome, "crossref", lambda s, f: s.search(query, f))
        # the DOI the record names, unless the search already brought it (so that a second
        # run, with the DOI the first one wrote, asks exactly what the first one asked)
        known = {c.doi for c, _ in outcome.accepted + outcome.refused}
        if query.doi and query.doi.lower() not in known:
            self._ask(outcome, "crossref", lambda s, f: s.by_doi(query.doi, f))
        self._ask(outcome, "openalex", lambda s, f: s.search(query, f))
        if not outcome.has_published():
            self._ask(outcome, "dblp", lambda s, f: s.search(query, f))
        if not outcome.has_published() and not outcome.arxiv_ids():
            self._ask(outcome, "arxiv", lambda s, f: s.search(query, f))
        self._follow_dois(outcome)
        return outcome

    def _follow_dois(self, outcome: Outcome) -> None:
        """A published version named by a relation or by arXiv: asked of Crossref."""
        if outcome.has_published():
            return
        asked = {c.doi for c, _ in outcome.accepted + outcome.refused if c.source == "crossref"}
        for candidate, _ in list(outcome.accepted):
            for doi in candidate.related_dois:
                if doi not in asked and not doi.startswith("10.48550/"):
                    asked.add(doi)
                    self._ask(outcome, "crossref", functools.partial(_by_doi, doi))

    def arxiv_batch(self, outcomes: list[Outcome]) -> None:
        """Phase two: every arXiv id found, in batches; each answer judged for its record."""
        source = self.sources.get("arxiv")
        wanted: dict[str, list[Outcome]] = {}
        for outcome in outcomes:  # every id, even one arXiv's search found: a stable batch
            for arxiv in outcome.arxiv_ids():
                wanted.setdefault(bare_arxiv(arxiv), []).append(outcome)
        if source is None or not wanted:
            return
        ids = sorted(wanted)
        for start in range(0, len(ids), BATCH):  # a batch that fails fails its records only
            chunk = ids[start : start + BATCH]
            try:
                entries = source.by_ids(chunk, self._fetch_for("arxiv"))
            except FetchError as err:
                failed = {id(o): o for arxiv in chunk for o in wanted[arxiv]}
                for outcome in failed.values():
                    outcome.failures.append(("arxiv", str(err)))
                continue
            _judge_batch(entries, wanted)
        for group in wanted.values():
            for outcome in group:
                self._follow_dois(outcome)


def _judge_batch(entries: list[Candidate], wanted: dict[str, list[Outcome]]) -> None:
    for entry in entries:
        for outcome in wanted.get(entry.identifier, []):
            seen = {(c.source, c.identifier) for c, _ in outcome.accepted + outcome.refused}
            if ("arxiv", entry.identifier) in seen:
                continue
            verdict = judge(outcome.query, entry)
            (outcome.accepted if verdict.accepted else outcome.refused).append((entry, verdict))


class Bar:
    """``completing [#####     ] 5/10`` on a terminal; nothing elsewhere."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.done = 0
        self.enabled = enabled and total > 0 and sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            filled = 30 * self.done // self.total
            bar = "#" * filled + " " * (30 - filled)
            sys.stderr.write(f"\rcompleting [{bar}] {self.done}/{self.total}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def run(lookup: Lookup, outcomes: list[Outcome], progress: bool) -> None:
    """Every record's look-up; Ctrl-C stops the requests and propagates."""
    bar = Bar(len(outcomes), progress)
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    try:
        futures = [pool.submit(lookup.record, outcome) for outcome in outcomes]
        for future in as_completed(futures):
            try:
                future.result()
            except Interrupted:
                pass
            bar.step()
        lookup.arxiv_batch(outcomes)
    except KeyboardInterrupt:
        lookup.fetcher.stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
