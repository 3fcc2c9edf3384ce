"""Byte-identity of publist's output across a speed change.

    python benchmarks/identity.py make DIR    # write every output of the current code to DIR
    python benchmarks/identity.py check DIR   # the same outputs again; list those that differ

Inputs: the bundled seed (with and without its overlay), the tests' hard-case corpus, the
tests' CSL data, and 10,000 records of each benchmark profile (seed and CSL-JSON form); every
output format, BibTeX also with --unicode and biblatex with --extended-names.  Everything
runs through the CLI in one process per conversion (PUBLIST_WORKERS as set by the caller).
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE)]

from corpus import write_csl_json, write_seed  # noqa: E402

OUTPUTS: list[tuple[str, list[str]]] = [
    ("csl-json", ["-t", "csl-json"]),
    ("csl-jsonl", ["-t", "csl-jsonl"]),
    ("bibtex", ["-t", "bibtex"]),
    ("bibtex-unicode", ["-t", "bibtex", "--unicode"]),
    ("biblatex", ["-t", "biblatex"]),
    ("biblatex-extended", ["-t", "biblatex", "--extended-names"]),
    ("ris", ["-t", "ris"]),
    ("seed", ["-t", "seed"]),
]


def inputs(work: Path) -> list[tuple[str, Path, list[str]]]:
    spec = importlib.util.spec_from_file_location("tests_corpus", ROOT / "tests" / "corpus.py")
    tests_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests_corpus)
    hard_cases = tests_corpus.hard_cases

    work.mkdir(parents=True, exist_ok=True)
    hard = work / "hard.json"
    hard.write_text(json.dumps(hard_cases(), ensure_ascii=False), encoding="utf-8")
    seed = ROOT / "seeds" / "hussenot-leonard.txt"
    found = [
        ("seed-meta", seed, []),
        ("seed", seed, ["--no-meta"]),
        ("hard", hard, []),
        ("csl-data", ROOT / "tests" / "data" / "csl-data.json", []),
    ]
    for profile in ("typical", "heavy"):
        count = 10_000 if profile == "typical" else 1_000
        found.append(
            (f"{profile}-seed", write_seed(work / f"{profile}.txt", count, 3, profile=profile), [])
        )
        found.append(
            (
                f"{profile}-csl",
                write_csl_json(work / f"{profile}.json", count, 3, profile=profile),
                [],
            )
        )
    return found


def make(out: Path) -> list[str]:
    """Write every output into ``out``; the names written."""
    written = []
    for name, source, extra in inputs(out / "inputs"):
        for fmt, args in OUTPUTS:
            target = out / f"{name}.{fmt}"
            with open(target, "wb") as sink:
                run = subprocess.run(
                    [sys.executable, "-m", "publist.cli", "convert", str(source), "-q"]
                    + extra
                    + args,
                    stdout=sink,
                    stderr=subprocess.PIPE,
                    env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                    check=False,
                )
            if run.returncode:
                target.write_bytes(b"exit %d\n" % run.returncode + run.stderr)
            written.append(target.name)
    return written


def main() -> None:
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "make":
        print(f"{len(make(directory))} outputs in {directory}")
        return
    fresh = directory.with_name(directory.name + ".now")
    names = make(fresh)
    differ = [n for n in names if not filecmp.cmp(directory / n, fresh / n, shallow=False)]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} outputs identical")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
