"""The title threshold of `publist complete`, measured: how similar (rapidfuzz ratio of the
normalised titles) are the ways one title gets written, and how similar are different papers'
titles that a search returns together.

    python benchmarks/complete_thresholds.py

True pairs: each of the seed's titles and of the test server's papers against its variants as
exporters and services write them (capitals, a final period, LaTeX braces and commands, HTML
markup, decomposed accents, dashes for colons, a doubled space, one letter dropped, British
spelling).  Decoy pairs: every pair of different titles in the test server (seed papers and
decoys), plus each title with a word changed or a number added.  Pairs told apart by the
number rule are counted apart.
"""

from __future__ import annotations

import sys
import unicodedata
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from complete_server import all_papers  # noqa: E402

from publist.complete.match import TITLE_THRESHOLD, _numbers, title_score  # noqa: E402


def variants(title: str) -> list[str]:
    words = title.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    dropped = words[:longest] + [words[longest][:-2] + words[longest][-1]] + words[longest + 1 :]
    return [
        title.upper(),
        title + ".",
        "{" + title + "}",
        title.replace(words[0], "{" + words[0] + "}", 1),
        title.replace(words[-1], "\\emph{" + words[-1] + "}"),
        title.replace(words[-1], "<i>" + words[-1] + "</i>"),
        unicodedata.normalize("NFD", title),
        title.replace(": ", " — "),
        title.replace(" ", "  ", 1),
        " ".join(dropped),
        title.replace("ization", "isation").replace("ize", "ise"),
    ]


def decoys(title: str) -> list[str]:
    words = title.split()
    swapped = words[:-1] + ["Revisited" if words[-1] != "Revisited" else "Again"]
    return [" ".join(swapped), words[0].rstrip(":") + " 2: " + " ".join(words[1:])]


def main() -> None:
    titles = sorted({p.title for p in all_papers()})
    true = [(t, v, title_score(t, v)) for t in titles for v in variants(t)]
    false = [(a, b, title_score(a, b)) for a, b in combinations(titles, 2)]
    false += [(t, d, title_score(t, d)) for t in titles for d in decoys(t)]
    by_numbers = [f for f in false if _numbers(f[0]) != _numbers(f[1])]
    by_score = [f for f in false if _numbers(f[0]) == _numbers(f[1])]
    worst_true = min(true, key=lambda p: p[2])
    best_false = max(by_score, key=lambda p: p[2])
    print(f"{len(true)} true pairs: lowest similarity {worst_true[2]:.1f}")
    print(f"   {worst_true[0]!r} ~ {worst_true[1]!r}")
    print(f"{len(by_score)} decoy pairs with the same numbers: highest {best_false[2]:.1f}")
    print(f"   {best_false[0]!r} ~ {best_false[1]!r}")
    print(
        f"{len(by_numbers)} decoy pairs refused by the number rule "
        f"(highest similarity {max(p[2] for p in by_numbers):.1f})"
    )
    accepted_true = sum(p[2] >= TITLE_THRESHOLD for p in true)
    accepted_false = sum(p[2] >= TITLE_THRESHOLD for p in by_score)
    print(
        f"threshold {TITLE_THRESHOLD:g}: {accepted_true}/{len(true)} true pairs accepted, "
        f"{accepted_false}/{len(by_score)} decoy pairs accepted"
    )


if __name__ == "__main__":
    main()
