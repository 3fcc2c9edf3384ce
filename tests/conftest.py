from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import DATA

from publist.cli import main


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
