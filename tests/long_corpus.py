"""A deterministic long bibliography for order and text checks against citeproc-js.

2,000 items (by default) with what reorders a long list: author counts 1–30, shared first
authors and shared leading author lists, same author and year (year suffixes), numbers in
titles (``Study 54`` / ``Study 911``), particles (``van der Berg``, ``de'Medici``,
``d'Alembert``), accented and non-Latin family names, organisations, missing dates,
several types.  Names and words are made up here.
"""

from __future__ import annotations

import random

FAMILIES = [
    "Addanki",
    "Gaffney",
    "Zhu",
    "Müller",
    "Muller",
    "Mueller",
    "Myers",
    "Ødegård",
    "Oakes",
    "Łukasiewicz",
    "Lukas",
    "Nguyễn",
    "Ngo",
    "García Márquez",
    "Garcia",
    "O'Neil",
    "Oneida",
    "Choquette-Choo",
    "Chen",
    "Smith",
    "Smithson",
    "Åberg",
    "Abbott",
    "Zhang",
    "Ivanova",
]
PARTICLED = [
    {"family": "Berg", "non-dropping-particle": "van der"},
    {"family": "Medici", "non-dropping-particle": "de'"},
    {"family": "Alembert", "non-dropping-particle": "d'"},
    {"family": "Humboldt", "dropping-particle": "von"},
    {"family": "Gaulle", "non-dropping-particle": "de"},
]
GIVENS = ["Anna", "R.", "Rahul", "Chris", "Zoë", "José", "Piotr", "Jean-Luc", "Mei", "Y."]
ORGS = ["ATLAS Collaboration", "World Health Organization", "The Open Group", "CERN"]
WORDS = ["learning", "models", "the", "of", "a", "graph", "neural", "on", "robust", "data"]
TYPES = ["article-journal", "book", "chapter", "paper-conference", "report", "thesis"]


def _person(rng: random.Random) -> dict:
    if rng.random() < 0.08:
        return dict(rng.choice(PARTICLED), given=rng.choice(GIVENS))
    return {"family": rng.choice(FAMILIES), "given": rng.choice(GIVENS)}


def _authors(rng: random.Random, leaders: list[list[dict]]) -> list[dict]:
    if rng.random() < 0.05:
        return [{"literal": rng.choice(ORGS)}]
    count = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12, 20, 30])
    names = [_person(rng) for _ in range(count)]
    if leaders and rng.random() < 0.4:  # a shared first author, or a shared leading list
        shared = rng.choice(leaders)
        names = (shared[: rng.randint(1, len(shared))] + names)[: max(count, 1)]
    return names


def _title(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"Study {rng.choice([1, 2, 9, 10, 11, 54, 99, 100, 911, 1680])}"
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.1:
        words.insert(0, rng.choice(["A", "The", "An"]))
    if rng.random() < 0.05:
        words[-1] = f'"{words[-1]}"'
    return " ".join(words).capitalize()


def long_corpus(count: int = 2000, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    leaders: list[list[dict]] = []
    items = []
    for index in range(count):
        authors = _authors(rng, leaders)
        if len(authors) > 1 and rng.random() < 0.2:
            leaders.append(authors[:3])
        kind = rng.choice(TYPES)
        item: dict = {
            "id": f"item-{index}",
            "type": kind,
            "title": _title(rng),
            "author": authors,
            "publisher": "Press",
        }
        if rng.random() > 0.05:
            item["issued"] = {"date-parts": [[rng.choice([2019, 2020, 2021, 2022, 2023])]]}
        if kind in ("article-journal", "paper-conference", "chapter"):
            item["container-title"] = rng.choice(["Journal of Data", "Proceedings of X", "Book"])
            item["page"] = f"{rng.randint(1, 300)}-{rng.randint(301, 600)}"
            item["volume"] = str(rng.randint(1, 40))
        if kind == "chapter":
            item["editor"] = [_person(rng)]
        items.append(item)
    return items


PREPRINTS = [
    # (title, authors): a seed of preprints with no identifiers, no dates, no venues (made up)
    ("Sparse Mixtures of Experts at Scale", "Okafor, Chidi, Lindqvist, Maja"),
    ("Why Do Transformers Forget?", "Lindqvist, Maja"),
    ("Study 12: Robust Graph Learning", "van der Berg, Anna, O'Neil, R., Chen, Mei"),
    ("Study 3: Robust Graph Learning", "van der Berg, Anna, O'Neil, R., Chen, Mei"),
    ('A Note on "Grokking"', "Dubois, Jean-Luc"),
    ("Learning from Human Feedback: A Survey", "ATLAS Collaboration, null"),
    (
        "Scaling Laws for Tiny Models",
        ", ".join(f"Author{n}, Given{n}" for n in range(1, 31)),
    ),
    ("On the 2-Step Method", "Nguyễn, Thị Minh, Ødegård, Ivar, Müller, Jürgen, García, José"),
    ("Reward Models Revisited", "Okafor, Chidi, Lindqvist, Maja, Dubois, Jean-Luc"),
    ("Reward Models Revisited Again", "Okafor, Chidi, Lindqvist, Maja, Dubois, Jean-Luc"),
]


def preprint_seed() -> str:
    """A seed list (owner, then title / authors / abstract per record) of preprints without
    identifiers: what a user has before any overlay."""
    lines = ["Lindqvist, Maja"]
    for title, authors in PREPRINTS:
        lines += [title, authors, f"We study {title.lower()}."]
    return "\n".join(lines) + "\n"
