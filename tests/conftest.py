from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from helpers import DATA
from hypothesis import settings

from publist.cli import main

# CI draws the same examples every run: a red build is then a regression, not a new draw (a
# draw that finds a bug locally is added as an explicit case).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def csl_schema() -> dict:
    return json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str, input: bytes | str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


def pytest_terminal_summary(terminalreporter):
    """Print the conformance figures (identical: N/M per style) when that suite ran."""
    import sys

    module = sys.modules.get("test_conformance")
    figures = getattr(module, "FIGURES", None)
    if figures:
        terminalreporter.section("citeproc-js conformance")
        for line in figures:
            terminalreporter.write_line(line)
