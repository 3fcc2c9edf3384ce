"""A progress line on stderr for long jobs: only on a terminal, only after two seconds, never in
pipes or CI logs, and never with --quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

from .limits import PROGRESS_DELAY

T = TypeVar("T")
DELAY = PROGRESS_DELAY  # (a module global: the tests shorten it)


def progress(
    items: Iterable[T], label: str, enabled: bool = True, stream: TextIO | None = None
) -> Iterator[T]:
    """Yield ``items`` unchanged, showing ``label: N records`` while it takes long."""
    stream = stream if stream is not None else sys.stderr
    if not enabled or not getattr(stream, "isatty", lambda: False)():
        yield from items
        return
    started = time.monotonic()
    shown = False
    count = 0
    next_check = 0
    for item in items:
        count += getattr(item, "record_count", 1)  # (a pipeline.Pack: the records it holds)
        if count >= next_check:
            next_check = count + 200
            elapsed = time.monotonic() - started
            if elapsed >= DELAY:
                rate = count / elapsed
                stream.write(f"\r{label}: {count:,} records ({rate:,.0f}/s)")
                stream.flush()
                shown = True
        yield item
    if shown:
        stream.write(f"\r{label}: {count:,} records, done in {time.monotonic() - started:.1f} s\n")
        stream.flush()


class status:
    """``with status("rendering 2,000 entries"):`` — a line on the terminal if the block takes
    longer than two seconds (for work with no per-record steps, such as a sorted bibliography)."""

    def __init__(self, label: str, enabled: bool = True, stream: TextIO | None = None):
        import threading

        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.started = 0.0
        self.shown = False
        active = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.timer = threading.Timer(DELAY, self._show) if active else None

    def _show(self) -> None:
        self.shown = True
        self.stream.write(f"{self.label}…")
        self.stream.flush()

    def __enter__(self) -> status:
        self.started = time.monotonic()
        if self.timer:
            self.timer.daemon = True
            self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.timer:
            self.timer.cancel()
        if self.shown:
            self.stream.write(f" done in {time.monotonic() - self.started:.1f} s\n")
            self.stream.flush()
