"""`publist complete` on 1,000 records against the loopback stand-ins (tests/complete_server.py)
answering after 100 ms each, at the sources' documented rate limits (not lowered for the run).

    python benchmarks/complete_bench.py [--records N] [--latency S]

The corpus (deterministic): 40% journal articles Crossref knows; 30% conference papers with an
arXiv preprint (half of them listed by OpenAlex at their venue, half known at their venue only
to dblp); 30% arXiv preprints never published.  Reports wall time, requests per record (per
source), the smallest gap between two requests to one source against its documented interval,
precision and recall of the years, venues, DOIs and arXiv ids written, and a second run's
request count (the cache: 0).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from complete_server import Paper, Server, Version  # noqa: E402

from publist import meta  # noqa: E402
from publist.complete import engine  # noqa: E402

WORDS = """adaptive bayesian contrastive diffusion efficient federated graph hierarchical implicit
kernel latent meta neural offline policy quantized robust sparse temporal uncertainty
variational learning models networks inference control planning representations transformers
optimisation exploration reasoning agents retrieval language vision speech""".split()
FAMILIES = """Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent
Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Müller Schmidt Schneider Fischer
Weber Meyer Wagner Becker Schulz Hoffmann Nguyen Tanaka Suzuki Kim Park Chen Wang Li Zhang
Kowalski Nowak Łukasiewicz Ramírez Sánchez Øster""".split()


def corpus(n: int) -> tuple[list[Paper], list[dict]]:
    rng = random.Random(19)
    papers, truth = [], []
    for i in range(n):
        title = " ".join(rng.sample(WORDS, 6)).capitalize() + f" for task family {i}"
        authors = [
            f"{rng.choice('ABCDEFGHJKLMNPRST')}. {rng.choice(FAMILIES)}"
            for _ in range(rng.randint(1, 12))
        ]
        kind = i % 10
        if kind < 4:
            doi = f"10.5555/bench.{i}"
            papers.append(
                Paper(
                    title,
                    authors,
                    in_crossref_only=True,
                    crossref_type="journal-article",
                    crossref_doi=doi,
                    crossref_year=2010 + i % 14,
                    crossref_container="Journal of Benchmarks",
                )
            )
            truth.append(
                {
                    "title": title,
                    "year": 2010 + i % 14,
                    "doi": doi,
                    "venue": "Journal of Benchmarks",
                }
            )
            continue
        arxiv = f"{19 + i % 6:02d}{1 + i % 12:02d}.{10000 + i}"
        year = 2019 + i % 6
        if kind < 7:
            listed = kind < 5 or kind == 6 and i % 20 == 6
            papers.append(
                Paper(
                    title,
                    authors,
                    arxiv,
                    year,
                    [
                        Version(
                            "ICML",
                            f"conf/icml/Bench{i}",
                            year,
                            ee=f"https://proceedings.mlr.press/v{100 + i % 100}/b{i}.html",
                            in_openalex=listed,
                            container="International Conference on Machine Learning (ICML)"
                            if listed
                            else None,
                            doi=f"10.5555/icml.{i}" if listed else None,
                        )
                    ],
                )
            )
            fact = {
                "title": title,
                "year": year,
                "arxiv": arxiv,
                "venue": "International Conference on Machine Learning (ICML)",
            }
            truth.append({**fact, "doi": f"10.5555/icml.{i}"} if listed else fact)
        else:
            papers.append(Paper(title, authors, arxiv, year))
            truth.append({"title": title, "year": year, "arxiv": arxiv})
    return papers, truth


def seed_text(papers: list[Paper]) -> str:
    lines = ["Bench, Owner"]
    for paper in papers:
        names = []
        for name in paper.authors:
            given, _, family = name.rpartition(" ")
            names += [family, given]
        lines += [paper.title, ", ".join(names), "An abstract."]
    return "\n".join(lines) + "\n"


def score(overlay: Path, truth: list[dict]) -> tuple[int, int, int]:
    """(values written that are right, values written, values expected)."""
    written = {
        meta.normalise_title(str(e.values.get("title"))): e.values
        for e in meta.load(overlay).entries
    }
    right = total = expected = 0
    for fact in truth:
        values = written.get(meta.normalise_title(fact["title"]), {})
        for name in ("year", "doi", "arxiv", "venue"):
            if name in fact:
                expected += 1
            if name in values:
                total += 1
                right += values[name] == fact.get(name)
    return right, total, expected


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    papers, truth = corpus(args.records)
    work = Path(tempfile.mkdtemp(prefix="publist-complete-bench-"))
    seed = work / "bench.txt"
    seed.write_text(seed_text(papers), encoding="utf-8")
    with Server(papers, latency=args.latency, lifetime=7200) as server:
        env = {
            **os.environ,
            **server.env(),
            "PUBLIST_CACHE_DIR": str(work / "cache"),
            "PYTHONPATH": str(ROOT / "src"),
        }
        command = [
            sys.executable,
            "-m",
            "publist.cli",
            "complete",
            str(seed),
            "-q",
            "--email",
            "bench@example.org",
        ]
        started = time.monotonic()
        first = subprocess.run(command, env=env, capture_output=True, text=True)
        wall = time.monotonic() - started
        requests = list(server.requests)
        again = subprocess.run(command + ["--dry-run"], env=env, capture_output=True, text=True)
        second = len(server.requests) - len(requests)
    print(first.stderr.strip().splitlines()[-1])
    print(f"records: {args.records}, latency {args.latency * 1000:.0f} ms, exit {first.returncode}")
    print(
        f"wall time: {wall:.1f} s; requests: {len(requests)} "
        f"({len(requests) / args.records:.2f} per record)"
    )
    sources = engine.make_sources(engine.SOURCE_NAMES, "bench@example.org")
    for name, source in sources.items():
        times = sorted(r.at for r in requests if r.source == name)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        smallest = f"{min(gaps):.3f} s" if gaps else "-"
        print(
            f"  {name:<9} {len(times):>5} requests ({len(times) / args.records:.2f}/record), "
            f"smallest gap {smallest}, documented interval {source.interval:g} s"
        )
    right, total, expected = score(work / "bench.meta.yaml", truth)
    print(
        f"precision {right}/{total} = {right / max(total, 1):.1%}; "
        f"recall {right}/{expected} = {right / max(expected, 1):.1%}"
    )
    print(f"second run: {second} requests (exit {again.returncode})")


if __name__ == "__main__":
    main()
