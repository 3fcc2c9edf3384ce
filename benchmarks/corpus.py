"""Realistic, deterministic corpora for the benchmarks: seed, CSL-JSON, BibTeX and RIS form.

Author counts are drawn from the bundled seed's own counts (7 to 942 authors), names mix
particles, diacritics, hyphens, organisations and repeats; types, years and venues vary.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

SEED_AUTHOR_COUNTS = [216, 10, 108, 62, 14, 7, 942, 19, 7, 10]
FAMILIES = [
    "Müller",
    "Smith",
    "Nguyễn",
    "García Márquez",
    "Ødegård",
    "Kowalski",
    "Łukasiewicz",
    "O'Neil",
    "Choquette-Choo",
    "Dubois",
    "Rossi",
    "Tanaka",
    "Kim",
    "Singh",
    "Ivanov",
    "Ramé",
    "Hussenot",
    "Rivière",
    "Grill",
    "Pietquin",
    "Geist",
    "Bachem",
    "Vieillard",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
]
GIVENS = [
    "Anna",
    "Jürgen",
    "Văn An",
    "José",
    "Åsa",
    "Piotr",
    "Zoë",
    "Seán",
    "Jean-bastien",
    "Chloé",
    "Marco",
    "Yuki",
    "Min-jun",
    "Priya",
    "Olga",
    "Léonard",
    "Matthieu",
    "Olivier",
    "Alexandre",
    "Nino",
    "Johan",
    "Sertan",
    "Fan",
    "Wei",
    "Xiaohai",
    "Quoc V.",
]
PARTICLES = ["van der", "de", "von", "Le", "El", "da", "dos"]
TYPES = ["article", "article-journal", "paper-conference", "report"]
VENUES = [
    "International Conference on Machine Learning (ICML)",
    "Nature",
    "Journal of Machine Learning Research",
    "Advances in Neural Information Processing Systems (NeurIPS)",
    "Proceedings of the ACL",
    "Physical Review Letters",
]
WORDS = (
    "learning reinforcement models language policies reward weight averaged open efficient "
    "scaling transformers control imitation feedback alignment multimodal summarization "
    "entailment factual robust optimal adaptive sparse dense graph"
).split()


def names(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    if rng.random() < 0.3:
        out.append((rng.choice(["Gemma Team", "Gemini Team", "ATLAS Collaboration"]), None))
    # big collaborations repeat a pool of people across records, like the real ones
    pool = 4000
    while len(out) < n:
        i = rng.randrange(pool)
        family = FAMILIES[i % len(FAMILIES)] + (
            str(i // len(FAMILIES)) if i >= len(FAMILIES) else ""
        )
        if i % 23 == 0:
            family = PARTICLES[i % len(PARTICLES)] + " " + family
        out.append((family, GIVENS[(i * 7) % len(GIVENS)]))
    return out


def records(count: int, seed: int = 42, author_counts=None) -> Iterator[dict]:
    """Records as (title, authors, abstract, year, type, venue) dicts, deterministic by seed."""
    rng = random.Random(seed)
    counts = author_counts or SEED_AUTHOR_COUNTS
    for index in range(count):
        title_words = rng.sample(WORDS, rng.randint(4, 10))
        title = " ".join(w.capitalize() if j == 0 else w for j, w in enumerate(title_words))
        if rng.random() < 0.1:
            title = title.upper()[:8] + ": " + title
        yield {
            "title": title + f" {index}",
            "authors": names(rng, rng.choice(counts)),
            "abstract": " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 120))) + ".",
            "year": rng.randint(1995, 2025),
            "type": rng.choice(TYPES),
            "venue": rng.choice(VENUES),
        }


def write_seed(path: Path, count: int, seed: int = 42, author_counts=None) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.write("Hussenot, Léonard")
        for record in records(count, seed, author_counts):
            authors = ", ".join(f"{f}, {g if g else 'null'}" for f, g in record["authors"])
            out.write(f"\n{record['title']}\n{authors}\n{record['abstract']}")
        out.write("\n")
    return path


def csl_items(count: int, seed: int = 42, author_counts=None) -> Iterator[dict]:
    for index, record in enumerate(records(count, seed, author_counts)):
        authors = [
            {"literal": f} if g is None else {"family": f, "given": g} for f, g in record["authors"]
        ]
        item = {
            "id": f"r{index}",
            "type": record["type"],
            "title": record["title"],
            "author": authors,
            "issued": {"date-parts": [[record["year"]]]},
            "abstract": record["abstract"],
        }
        if record["type"] in ("article-journal", "paper-conference"):
            item["container-title"] = record["venue"]
        yield item


def write_csl_json(path: Path, count: int, seed: int = 42, author_counts=None) -> Path:
    """A JSON array with one item per line (so a peer can read it line by line)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for index, item in enumerate(csl_items(count, seed, author_counts)):
            out.write(("\n" if index == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        out.write("\n]\n")
    return path


def stream_seed(count: int, seed: int = 42, out=None) -> None:
    """Write a seed file to ``out`` (stdout) as it is generated: for memory benchmarks."""
    import sys

    out = out or sys.stdout
    out.write("Hussenot, Léonard")
    for record in records(count, seed):
        authors = ", ".join(f"{f}, {g if g else 'null'}" for f, g in record["authors"])
        out.write(f"\n{record['title']}\n{authors}\n{record['abstract']}")
    out.write("\n")


if __name__ == "__main__":
    import sys

    # python corpus.py seed N  → a seed file of N records on stdout
    kind, count = sys.argv[1], int(sys.argv[2])
    if kind == "seed":
        sys.stdout.reconfigure(encoding="utf-8")
        stream_seed(count)
    else:
        raise SystemExit("usage: corpus.py seed N")
