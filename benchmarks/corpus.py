"""Realistic, deterministic corpora for the benchmarks: seed, CSL-JSON, BibTeX and RIS form.

Two profiles:

``heavy``   author counts drawn from the bundled seed's own (7 to 942 authors a record), a
            small vocabulary: the large-collaboration tail where Citation.js is slow.
``typical`` shaped like a real library: author counts with median 4, 90th percentile 10 and
            a few records above 100; titles of 4 to 16 words in sentence or title case with
            acronyms and proper nouns (``BERT``, ``Gemini``), a colon in a fifth; abstracts of 3
            to 9 sentences (~1,000 characters) on 80%; venue, year, volume, pages on most records
            and a DOI on 85%.

Names mix particles, diacritics, hyphens, organisations and repeats in both.
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


# Authors per record in a typical library (weights): median 4, 90th percentile 10, a tail to 500.
TYPICAL_AUTHOR_COUNTS = (
    [1] * 8
    + [2] * 14
    + [3] * 18
    + [4] * 15
    + [5] * 11
    + [6] * 8
    + [7] * 6
    + [8] * 5
    + [9, 9, 10, 10, 10]
    + [12, 14, 16, 20, 25, 30, 40, 60, 80]
)
TYPICAL_TAIL = [120, 250, 500]  # one record in 400 is a large collaboration
# Title and abstract vocabulary: common words, acronyms and proper nouns, LaTeX specials.
COMMON = (
    "a the of for and in on with to from via using towards under learning model models "
    "network networks neural deep language large data efficient robust scalable analysis "
    "method methods approach study evaluation training inference optimization representation "
    "representations attention graph graphs generative adversarial reinforcement policy "
    "reward feedback human alignment safety benchmark benchmarks dataset retrieval "
    "generation translation summarization reasoning multimodal vision speech text image "
    "video protein molecular climate ocean quantum spectral sparse dense online offline "
    "distributed federated private causal bayesian stochastic gradient descent convergence "
    "bounds theory empirical survey review framework system systems control dynamics "
    "estimation detection segmentation classification regression clustering adaptation "
    "transfer few-shot zero-shot self-supervised contrastive pre-training fine-tuning "
    "distillation compression pruning quantization memory long context scaling laws"
).split()
PROPER = (
    "BERT GPT-4 Gemini Gemma Transformers ImageNet CIFAR-10 LLaMA PaLM AlphaFold COVID-19 "
    "Bayes Markov Gaussian Schrödinger Pólya Lyapunov Hilbert Wasserstein Euler Monte Carlo "
    "Atari MuJoCo RLHF LoRA ResNet U-Net YOLO WikiText SQuAD GLUE MNIST Europe Africa "
    "English French Zotero PyTorch JAX TPU GPU iPhone MusicRL WARP"
).split()
SPECIAL_BITS = ["50%", "$O(n)$", "R&D", "top_k", "1--2", "C#", "~10", "x^2", "α", "β-VAE"]
JOURNALS = [
    "Nature",
    "Science",
    "Physical Review Letters",
    "Journal of Machine Learning Research",
    "Transactions on Machine Learning Research",
    "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "Proceedings of the National Academy of Sciences",
    "Nature Communications",
    "PLOS ONE",
    "Bioinformatics",
    "The Annals of Statistics",
    "Journal of the American Statistical Association",
]
CONFERENCES = [
    "International Conference on Machine Learning (ICML)",
    "Advances in Neural Information Processing Systems (NeurIPS)",
    "International Conference on Learning Representations",
    "Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics",
    "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
    "AAAI Conference on Artificial Intelligence",
]
TYPICAL_TYPES = ["article-journal"] * 5 + ["paper-conference"] * 3 + ["report", "thesis"]


def _phrase(rng: random.Random, words: int, proper: float) -> list[str]:
    out = []
    for _ in range(words):
        roll = rng.random()
        if roll < proper:
            out.append(rng.choice(PROPER))
        elif roll < proper + 0.01:
            out.append(rng.choice(SPECIAL_BITS))
        else:
            out.append(rng.choice(COMMON))
    return out


def typical_title(rng: random.Random, index: int) -> str:
    words = _phrase(rng, rng.randint(4, 16), 0.12)
    if rng.random() < 0.3:  # title case, as many venues print them
        words = [w if w != w.lower() else w.capitalize() for w in words]
    words[0] = words[0][:1].upper() + words[0][1:]
    if rng.random() < 0.2:
        cut = rng.randint(1, max(1, len(words) // 3))
        words[cut - 1] += ":"
        words[cut] = words[cut][:1].upper() + words[cut][1:]
    return " ".join(words) + f" {index}"


def typical_abstract(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return ""
    sentences = []
    for _ in range(rng.randint(3, 9)):
        words = _phrase(rng, rng.randint(8, 30), 0.05)
        sentences.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
    return " ".join(sentences)


def typical_author_count(rng: random.Random) -> int:
    if rng.random() < 0.0025:
        return rng.choice(TYPICAL_TAIL)
    return rng.choice(TYPICAL_AUTHOR_COUNTS)


def typical_records(count: int, seed: int = 42) -> Iterator[dict]:
    """Records of the ``typical`` profile (see the module's docstring), deterministic by seed."""
    rng = random.Random(seed)
    for index in range(count):
        kind = rng.choice(TYPICAL_TYPES)
        venue = rng.choice(CONFERENCES if kind == "paper-conference" else JOURNALS)
        first_page = rng.randint(1, 3000)
        yield {
            "title": typical_title(rng, index),
            "authors": names(rng, typical_author_count(rng), organisations=0.02),
            "abstract": typical_abstract(rng),
            "year": rng.randint(1990, 2025) if rng.random() < 0.97 else None,
            "type": kind,
            "venue": venue if rng.random() < 0.9 and kind != "thesis" else None,
            "volume": rng.randint(1, 400) if kind == "article-journal" else None,
            "page": (
                f"{first_page}-{first_page + rng.randint(1, 30)}" if rng.random() < 0.8 else None
            ),
            "doi": f"10.{rng.randint(1000, 9999)}/{rng.getrandbits(40):x}.{index}"
            if rng.random() < 0.85
            else None,
        }


def names(rng: random.Random, n: int, organisations: float = 0.3) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    if rng.random() < organisations:
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


def profile_records(
    count: int, seed: int = 42, author_counts=None, profile: str = "heavy"
) -> Iterator[dict]:
    if profile == "typical":
        return typical_records(count, seed)
    if profile != "heavy":
        raise ValueError(f"unknown corpus profile {profile!r} (heavy, typical)")
    return records(count, seed, author_counts)


def _seed_lines(record: dict) -> str:
    authors = ", ".join(f"{f}, {g if g else 'null'}" for f, g in record["authors"])
    return f"\n{record['title']}\n{authors}\n{record['abstract']}"


def write_seed(
    path: Path, count: int, seed: int = 42, author_counts=None, profile: str = "heavy"
) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        stream_seed(count, seed, out, author_counts, profile)
    return path


def csl_items(
    count: int, seed: int = 42, author_counts=None, profile: str = "heavy"
) -> Iterator[dict]:
    for index, record in enumerate(profile_records(count, seed, author_counts, profile)):
        authors = [
            {"literal": f} if g is None else {"family": f, "given": g} for f, g in record["authors"]
        ]
        item = {"id": f"r{index}", "type": record["type"], "title": record["title"]}
        item["author"] = authors
        if record["year"] is not None:
            item["issued"] = {"date-parts": [[record["year"]]]}
        if record["abstract"]:
            item["abstract"] = record["abstract"]
        if record["type"] in ("article-journal", "paper-conference") and record["venue"]:
            item["container-title"] = record["venue"]
        for var in ("volume", "page"):
            if record.get(var) is not None:
                item[var] = str(record[var])
        if record.get("doi"):
            item["DOI"] = record["doi"]
        yield item


def write_csl_json(
    path: Path, count: int, seed: int = 42, author_counts=None, profile: str = "heavy"
) -> Path:
    """A JSON array with one item per line (so a peer can read it line by line)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for index, item in enumerate(csl_items(count, seed, author_counts, profile)):
            out.write(("\n" if index == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        out.write("\n]\n")
    return path


def stream_seed(
    count: int, seed: int = 42, out=None, author_counts=None, profile: str = "heavy"
) -> None:
    """Write a seed file to ``out`` (stdout) as it is generated: for memory benchmarks."""
    import sys

    out = out or sys.stdout
    out.write("Hussenot, Léonard")
    for record in profile_records(count, seed, author_counts, profile):
        out.write(_seed_lines(record))
    out.write("\n")


if __name__ == "__main__":
    import sys

    # python corpus.py seed|csl-json N [heavy|typical]  → N records on stdout
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ("seed", "csl-json"):
        raise SystemExit("usage: corpus.py seed|csl-json N [heavy|typical]")
    kind, count = sys.argv[1], int(sys.argv[2])
    profile = sys.argv[3] if len(sys.argv) == 4 else "heavy"
    sys.stdout.reconfigure(encoding="utf-8")
    if kind == "seed":
        stream_seed(count, profile=profile)
    else:
        for item in csl_items(count, profile=profile):
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
