"""Precision and recall of `publist complete` on the loopback corpus (tests/complete_server.py):
the seed's ten papers against the bundled overlay, and the decoy seed against DECOY_TRUTH
and DECOY_MISSES (true papers the rule is known to refuse).

    python benchmarks/complete_precision.py

Compared fields: year, venue, DOI, arXiv id, volume, pages.  A value is right when it equals
the truth (venues: the same name without acronym, volume part or "Proceedings of the Nth");
a value written for a record whose truth is "nothing" is wrong; values written in fields the
truth does not state are listed, to be checked by eye.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from complete_server import (  # noqa: E402
    DECOY_MISSES,
    DECOY_SEED,
    DECOY_TRUTH,
    SEED,
    Server,
    all_papers,
)

from publist import meta  # noqa: E402

FIELDS = ("year", "venue", "doi", "arxiv", "volume", "pages")


def _venue(text: str) -> str:
    text = re.sub(r"\([^)]*\)|^Proceedings of the \d+(st|nd|rd|th) ", "", str(text))
    return " ".join(text.split()).lower()


def _same(name: str, a: object, b: object) -> bool:
    return _venue(str(a)) == _venue(str(b)) if name == "venue" else str(a).lower() == str(b).lower()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="publist-complete-precision-"))
    shutil.copy(SEED, work / "seed.txt")
    (work / "decoys.txt").write_text(DECOY_SEED, encoding="utf-8")
    truths = {
        "seed": {
            meta.normalise_title(str(e.values["title"]).rstrip("…")): e.values
            for e in meta.load(SEED.with_name("hussenot-leonard.meta.yaml")).entries
        },
        "decoys": {meta.normalise_title(t): v for t, v in {**DECOY_TRUTH, **DECOY_MISSES}.items()},
    }
    with Server(all_papers(), lifetime=600, hang=2.0) as server:
        env = {
            **os.environ,
            **server.env(),
            "PUBLIST_CACHE_DIR": str(work / "cache"),
            "PUBLIST_TIMEOUT": "0.5",
            "PUBLIST_BACKOFF": "0.05",
            "PYTHONPATH": str(ROOT / "src"),
        }
        for name in ("seed", "decoys"):
            subprocess.run(
                [sys.executable, "-m", "publist.cli", "complete", str(work / f"{name}.txt"), "-q"],
                env=env,
                capture_output=True,
            )
    right = written = expected = 0
    extra = []
    for name in ("seed", "decoys"):
        found = {
            meta.normalise_title(str(e.values.get("title"))): e.values
            for e in meta.load(work / f"{name}.meta.yaml").entries
        }
        for title, facts in truths[name].items():
            values = next((v for t, v in found.items() if t.startswith(title)), {})
            for field in FIELDS:
                if facts and field in facts:
                    expected += 1
                    if field in values:
                        written += 1
                        right += _same(field, values[field], facts[field])
                elif field in values:
                    if facts is None:
                        written += 1  # nothing should have been found
                    else:
                        extra.append(f"{title[:40]}: {field} = {values[field]}")
    print(
        f"precision {right}/{written} = {right / max(written, 1):.1%}; "
        f"recall {right}/{expected} = {right / max(expected, 1):.1%}"
    )
    print(f"values in fields the truth does not state ({len(extra)}):")
    for line in extra:
        print("  " + line)


if __name__ == "__main__":
    main()
