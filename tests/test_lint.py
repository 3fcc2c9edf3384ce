"""The code stays ruff and mypy clean and simple enough to read, checked with the tests.

The paths are the ones `make lint` checks (read from the Makefile, so the two cannot drift).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, require_module

MAX_COMPLEXITY = 15  # radon's cyclomatic complexity, per function

# Functions above MAX_COMPLEXITY in modules other branches are rewriting, with their complexity
# when this list was made.  A value may only go down; an entry goes once its function is at or
# below MAX_COMPLEXITY (the test says so), and the list is empty once every branch is merged.
KNOWN_COMPLEX: dict[str, int] = {}  # none left: every function in src/ is at most 15


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert path, f"{name} is in the test extra: pip install -e '.[test]'"
    return path


def lint_paths() -> list[str]:
    """The paths `make lint` gives ruff."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^LINT_PATHS\s*:=\s*([^#\n]+)", makefile, re.MULTILINE)
    assert match, "the Makefile defines LINT_PATHS"
    recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "ruff check $(LINT_PATHS)" in recipe and "mypy" in recipe, recipe
    assert "ruff format --check $(LINT_PATHS)" in recipe, recipe
    return match.group(1).split()


def test_lint_paths_cover_the_code():
    assert {"src", "tests", "tools", "benchmarks"} <= set(lint_paths())


def test_ruff_clean():
    result = subprocess.run(
        [_tool("ruff"), "check", *lint_paths()], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_clean():
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", *lint_paths()],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean():
    # the files and levels are pyproject.toml's [tool.mypy], as for `make lint`
    result = subprocess.run(
        [_tool("mypy"), "--no-incremental", "--cache-dir", "/dev/null"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _complexities() -> dict[str, int]:
    cc_visit = require_module("radon.complexity").cc_visit
    found: dict[str, int] = {}
    src = ROOT / "src"
    for path in sorted(src.rglob("*.py")):
        module = path.relative_to(src).as_posix()
        for block in cc_visit(path.read_text(encoding="utf-8")):
            blocks = [block, *getattr(block, "methods", [])]
            for one in blocks:
                name = one.fullname if hasattr(one, "fullname") else one.name
                found[f"{module}:{name}"] = one.complexity
                for inner in getattr(one, "closures", []):
                    found[f"{module}:{name}.{inner.name}"] = inner.complexity
    return found


def test_no_function_above_max_complexity():
    found = _complexities()
    assert len(found) > 300  # radon saw the whole of src/
    too_complex = {
        name: value
        for name, value in found.items()
        if value > MAX_COMPLEXITY and value > KNOWN_COMPLEX.get(name, MAX_COMPLEXITY)
    }
    assert not too_complex, f"above complexity {MAX_COMPLEXITY} (radon cc): {too_complex}"


def test_known_complex_list_only_shrinks():
    found = _complexities()
    done = [name for name in KNOWN_COMPLEX if found.get(name, 0) <= MAX_COMPLEXITY]
    assert not done, f"now at most {MAX_COMPLEXITY} (or gone): remove from KNOWN_COMPLEX: {done}"
