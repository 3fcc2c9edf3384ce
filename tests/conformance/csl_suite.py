"""The CSL processor test suite, bibliography mode, through publist (``make suite``).

    python tests/conformance/csl_suite.py [--suite DIR] [--list] [--only PATTERN]
                                          [--raise-floor]

The suite (github.com/citation-style-language/test-suite, ``processor-tests/humans``) has no
licence file, so its fixtures stay out of this repository: they are read from ``--suite``
(default ``$CSL_TEST_SUITE``, else ``../shared/csl-test-suite``).  A fixture counts when it
is in bibliography mode and says nothing publist's API cannot express (citation clusters,
registry updates, sections, abbreviations, processor options).  It passes under
citeproc-js's own runner rule: the RESULT text equals publist's HTML document exactly (the
document's final newline aside).  The count per category is printed; the run fails when
fewer pass than the floor kept in ``suite-floor.json`` (``--raise-floor`` writes the new
count there, so the floor only goes up).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import signal
import sys
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

HERE = Path(__file__).resolve().parent
FLOOR_FILE = HERE / "suite-floor.json"
DEFAULT_SUITE = HERE.parents[1] / ".." / "shared" / "csl-test-suite"

# ">>===== MODE =====>>" opens a section, "<<===== MODE =====<<" closes it
_SECTION = re.compile(r"^\s*(>>|<<)=+\s*([A-Z0-9-]+)\s*=+(>>|<<)\s*$")
_JSON = {
    "INPUT",
    "INPUT2",
    "CITATION-ITEMS",
    "CITATIONS",
    "BIBENTRIES",
    "BIBSECTION",
    "ABBREVIATIONS",
    "LANGPARAMS",
    "MULTIAFFIX",
    "OPTIONS",
    "OPTIONZ",
}
#: sections whose effect publist's bibliography API has no way to express
_INEXPRESSIBLE = (
    "CITATIONS",
    "BIBENTRIES",
    "BIBSECTION",
    "INPUT2",
    "ABBREVIATIONS",
    "OPTIONS",
    "LANGPARAMS",
    "MULTIAFFIX",
)
TIMEOUT_SECONDS = 30


@dataclass
class Outcome:
    name: str
    passed: bool
    expected: str
    got: str


def read_fixture(text: str) -> dict[str, object]:
    """The sections of one human-readable fixture (JSON sections decoded)."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        marker = _SECTION.match(line)
        if marker and marker.group(1) == ">>":
            current = marker.group(2)
            sections[current] = []
        elif marker and current == marker.group(2):
            current = None
        elif current is not None:
            sections[current].append(line)
    return {
        name: json.loads("\n".join(lines)) if name in _JSON else "\n".join(lines)
        for name, lines in sections.items()
    }


def expressible(fixture: dict[str, object]) -> bool:
    mode = str(fixture.get("MODE", "")).strip()
    return mode == "bibliography" and not any(key in fixture for key in _INEXPRESSIBLE)


def _timeout(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"over {TIMEOUT_SECONDS} s")


def run_fixture(name: str, fixture: dict[str, object]) -> Outcome:
    from publist import render_bibliography

    expected = str(fixture["RESULT"])
    with tempfile.TemporaryDirectory() as tmp:
        style = Path(tmp) / "fixture.csl"
        style.write_text(str(fixture["CSL"]), encoding="utf-8")
        signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(TIMEOUT_SECONDS)
        try:
            got = render_bibliography(fixture["INPUT"], str(style), "html")  # type: ignore[arg-type]
        except Exception as err:  # one fixture's failure is a result, not the run's end
            got = f"ERROR {type(err).__name__}: {err}"
        finally:
            signal.alarm(0)
    got = got[:-1] if got.endswith("\n") else got
    return Outcome(name, got == expected, expected, got)


def category(name: str) -> str:
    return name.split("_", 1)[0]


def run(suite: Path, only: str | None = None) -> list[Outcome]:
    os.environ.setdefault("PUBLIST_WORKERS", "1")
    warnings.simplefilter("ignore")
    outcomes = []
    for path in sorted(suite.glob("*.txt")):
        if only and not fnmatch.fnmatch(path.stem, only):
            continue
        fixture = read_fixture(path.read_text(encoding="utf-8"))
        if expressible(fixture):
            outcomes.append(run_fixture(path.stem, fixture))
    return outcomes


def report(outcomes: list[Outcome], listing: bool) -> str:
    total, passed = Counter(), Counter()
    for outcome in outcomes:
        total[category(outcome.name)] += 1
        passed[category(outcome.name)] += outcome.passed
    lines = [f"{cat:<14} {passed[cat]:>4} / {total[cat]}" for cat in sorted(total)]
    count = sum(passed.values())
    lines.append(f"{'all':<14} {count:>4} / {len(outcomes)}")
    if listing:
        for outcome in outcomes:
            if not outcome.passed:
                lines += [
                    f"\n--- {outcome.name}",
                    "expected:",
                    outcome.expected,
                    "got:",
                    outcome.got,
                ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--suite", type=Path, default=Path(os.environ.get("CSL_TEST_SUITE") or DEFAULT_SUITE)
    )
    parser.add_argument("--list", action="store_true", help="print every failing fixture")
    parser.add_argument("--only", help="fixtures whose name matches this pattern")
    parser.add_argument("--raise-floor", action="store_true")
    args = parser.parse_args()
    if not args.suite.is_dir():
        print(f"csl_suite: no test suite at {args.suite} (set CSL_TEST_SUITE)", file=sys.stderr)
        return 2
    outcomes = run(args.suite, args.only)
    print(report(outcomes, args.list))
    if args.only:
        return 0
    count = sum(o.passed for o in outcomes)
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))["passed"]
    if args.raise_floor and count > floor:
        FLOOR_FILE.write_text(json.dumps({"passed": count}) + "\n", encoding="utf-8")
        print(f"floor raised: {floor} -> {count}")
    elif count < floor:
        print(f"csl_suite: {count} pass, below the floor of {floor}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    sys.exit(main())
