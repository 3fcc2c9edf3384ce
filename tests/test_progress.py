"""Progress lines: on a terminal only, after a delay, never with --quiet."""

from __future__ import annotations

import io

import publist.progress as progress_module
from publist.progress import progress, status


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_after_the_delay(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    terminal = Terminal()
    assert list(progress(range(1000), "converting", stream=terminal)) == list(range(1000))
    assert "converting: " in terminal.getvalue() and "done in" in terminal.getvalue()


def test_no_progress_in_pipes_quick_jobs_or_quiet(monkeypatch):
    pipe = io.StringIO()
    assert list(progress(range(10), "x", stream=pipe)) == list(range(10))
    assert pipe.getvalue() == ""
    terminal = Terminal()
    list(progress(range(10), "x", stream=terminal))  # under the delay: silent
    assert terminal.getvalue() == ""
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    list(progress(range(10), "x", enabled=False, stream=terminal))
    assert terminal.getvalue() == ""


def test_status_line(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0.01)
    terminal = Terminal()
    import time

    with status("rendering", stream=terminal):
        time.sleep(0.1)
    assert terminal.getvalue().startswith("rendering…") and "done in" in terminal.getvalue()
    quiet = Terminal()
    with status("rendering", enabled=False, stream=quiet):
        time.sleep(0.05)
    assert quiet.getvalue() == ""


def test_quiet_flags(cli):
    for command in ("convert", "render", "cv"):
        assert "--quiet" in cli(command, "--help").output
