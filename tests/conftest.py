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
