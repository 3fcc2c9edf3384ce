"""Byte-identity of publist's output across a speed change.

    python benchmarks/identity.py make DIR [--src SRC]  # every output of the code in SRC
    python benchmarks/identity.py check DIR [--only P]  # the same outputs again (of the inputs
                                                        # named P…); list those that differ

Inputs: the bundled seed (with and without its overlay), the tests' hard-case corpus, the
tests' CSL data, the tests' .bib and RIS files (tests/data/bib, tests/data/ris), and 10,000
records of each benchmark profile (typical; heavy: 1,000) as seed, CSL-JSON, CSL-JSON Lines,
BibTeX and RIS; every output format, BibTeX also with --unicode and biblatex with
--extended-names (the .bib and RIS inputs: CSL-JSON, BibTeX and RIS).  What the CLI prints on
stderr (warnings with their lines, errors) is compared too.  Everything runs through the CLI
in one process per conversion (PUBLIST_WORKERS as set by the caller: check with 1 and with the
default to test the workers).  ``--src``: the code to run (default: this checkout's src), e.g.
main's, to make the reference before a change; ``check`` reads the inputs ``make`` wrote, so
inputs written by publist's own writers (BibTeX, RIS) stay those of the reference code.
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

SRC = [ROOT / "src"]
ONLY: list[str] = []  # --only PREFIX,…: the inputs whose names start so (a quick check)
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
# outputs for the .bib and RIS inputs (reading is what they test)
READER_OUTPUTS = [out for out in OUTPUTS if out[0] in ("csl-json", "bibtex", "ris")]


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
    for folder in ("bib", "ris"):
        for path in sorted((ROOT / "tests" / "data" / folder).glob(f"*.{folder}")):
            found.append((f"{folder}-{path.stem}", path, []))
    for profile in ("typical", "heavy"):
        count = 10_000 if profile == "typical" else 1_000
        seed, csl = work / f"{profile}.txt", work / f"{profile}.json"
        if not seed.exists():
            write_seed(seed, count, 3, profile=profile)
            write_csl_json(csl, count, 3, profile=profile)
        found += [(f"{profile}-seed", seed, []), (f"{profile}-csl", csl, [])]
        for fmt, suffix in (("csl-jsonl", "jsonl"), ("bibtex", "bib"), ("ris", "ris")):
            derived = work / f"{profile}.{suffix}"
            if not derived.exists():  # written once, by the reference code
                _convert(csl, derived, ["-t", fmt])
            found.append((f"{profile}-{suffix}", derived, []))
    return found


def _convert(source: Path, target: Path, args: list[str]) -> subprocess.CompletedProcess:
    with open(target, "wb") as sink:
        return subprocess.run(
            [sys.executable, "-m", "publist.cli", "convert", str(source), *args],
            stdout=sink,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(SRC[0])},
            check=False,
        )


def make(out: Path, work: Path | None = None) -> list[str]:
    """Write every output into ``out`` (inputs from ``work``, made there when missing); the
    names written: each output, and its stderr with the exit code."""
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for name, source, extra in inputs(work or out / "inputs"):
        if ONLY and not any(name.startswith(prefix) for prefix in ONLY):
            continue
        reading = name.startswith(("bib-", "ris-")) or name.endswith(("-bib", "-ris"))
        for fmt, args in READER_OUTPUTS if reading else OUTPUTS:
            target = out / f"{name}.{fmt}"
            run = _convert(source, target, extra + args)
            (out / f"{target.name}.stderr").write_bytes(b"exit %d\n" % run.returncode + run.stderr)
            written += [target.name, f"{target.name}.stderr"]
    return written


def main() -> None:
    command, directory = sys.argv[1], Path(sys.argv[2])
    if "--src" in sys.argv:
        SRC[0] = Path(sys.argv[sys.argv.index("--src") + 1]).resolve()
    if "--only" in sys.argv:
        ONLY[:] = sys.argv[sys.argv.index("--only") + 1].split(",")
    if command == "make":
        print(f"{len(make(directory))} outputs in {directory}")
        return
    fresh = directory.with_name(directory.name + ".now")
    names = make(fresh, directory / "inputs")
    differ = [n for n in names if not filecmp.cmp(directory / n, fresh / n, shallow=False)]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} outputs identical")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
