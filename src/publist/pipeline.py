"""Writing in chunks, and converting on several cores.

Every streaming writer is a :class:`ChunkWriter`: it turns a list of items into text without
knowing what came before, and keeps what it noticed (characters with no LaTeX form, variables
it had no field for) in a small report.  Written in one process, the chunks simply follow each
other.  Converting a large file whose reader can hand out raw records (the seed) spreads the
per-record work — parsing names, formatting entries — over forked workers:

- this process splits the input into raw records (cheap), sends chunks of them to the workers,
  and writes their texts in input order, never holding more than a few chunks;
- a worker parses its chunk into items, computes each item's base citation key, writes the
  items with stand-in keys, and returns the text and its report;
- this process gives out the real keys in input order (as the one-process path does, so the
  output is byte for byte the same) and puts them in place of the stand-ins.

``PUBLIST_WORKERS=1`` turns the workers off.  Files with a metadata overlay convert in one
process: the overlay's matching depends on the keys given out before.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import secrets
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any, TextIO

from .errors import PublistError
from .keys import KeyAllocator, base_key
from .model import Collection, Item

WORKERS_ENV = "PUBLIST_WORKERS"  # 1: everything in this process
CHUNK_RECORDS = 64  # records formatted at a time: few calls, a small working set
MIN_CHUNKS = 2  # below this many chunks, starting workers costs more than it saves


class ChunkWriter:
    """A writer that formats items in independent chunks.

    The output is ``header`` + chunk texts joined by ``separator`` + ``footer``, or ``empty``
    when there is no item.  ``take_report`` returns (picklable) what the writer noticed since
    the last call and forgets it; ``absorb`` adds such a report from another instance (in a
    worker), renaming the item ids it mentions.

    The contract with a parallel conversion (``tests/test_chunk_writers.py`` checks it for
    every registered chunk writer):

    - ``format`` depends only on the items it is given (and on caches that do not change the
      text): a chunk formats the same in a worker as in this process, and chunks of any size
      joined by ``separator`` give the same text;
    - a worker formats items whose ``id`` is a stand-in (``publistkey`` + hex + digits, unique
      in the output), and this process replaces each stand-in in the text by the real key, so
      ``format`` must write the id exactly as given, wherever it writes it (no escaping, case
      change or truncation), and must not make up keys of its own from other fields;
    - ``take_report`` holds only picklable data; ids in it are renamed by ``absorb``.
    """

    header = ""
    separator = ""
    footer = ""
    empty = ""

    def format(self, items: list[Item]) -> str:
        raise NotImplementedError

    def take_report(self) -> dict[str, Any]:
        return {}

    def absorb(self, report: dict[str, Any], rename: Callable[[str], str]) -> None:
        pass

    def notes(self) -> list[str]:
        """Warnings about the whole output, once every chunk is written."""
        return []


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_chunks(
    writer: ChunkWriter, collection: Collection, out: TextIO, size: int = CHUNK_RECORDS
) -> None:
    """Write ``collection`` through ``writer`` in this process, ``size`` items at a time."""
    first = True
    for chunk in batches(collection, size):
        out.write((writer.header if first else writer.separator) + writer.format(chunk))
        first = False
    out.write(writer.empty if first else writer.footer)
    collection.warnings.extend(writer.notes())


@dataclass
class RecordSource:
    """What a reader offers for parallel conversion: its raw records, not yet parsed.

    ``parse`` must be a pure function of one raw record and the source name; it may raise
    :class:`~publist.errors.PublistError` naming the record's line."""

    raw: Iterator[Any]
    parse: Callable[[Any, str], Item]


def workers() -> int:
    """Worker processes for a conversion: ``PUBLIST_WORKERS``, else one per core."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured and not configured.isdigit():
        raise PublistError(f"{WORKERS_ENV} must be a whole number of processes, not {configured!r}")
    count = int(configured) if configured else (os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(count, 16))


def can_run_parallel(collection: Collection) -> bool:
    """True when ``collection`` can be converted by workers (raw records, keys made here)."""
    return workers() > 1 and collection.records is not None and collection.generated_keys


# The job a forked worker runs: inherited at fork, so only chunks and texts are pickled.  Each
# worker keeps one writer (and its caches) across its chunks and hands its report out per chunk.
_JOB: tuple[Callable[[Any, str], Item], str, Callable[[], ChunkWriter], str] | None = None
_WRITER: ChunkWriter | None = None


def _format_chunk(number: int, raw_records: list[Any]) -> tuple[str, dict[str, Any], list[str]]:
    global _WRITER
    parse, source, make_writer, stand_in = _JOB
    if _WRITER is None:
        _WRITER = make_writer()
    items = [parse(raw, source) for raw in raw_records]
    bases = [base_key(item) for item in items]
    for i, item in enumerate(items):
        item["id"] = f"{stand_in}{number:09d}{i:06d}"  # unique across chunks and runs
    return _WRITER.format(items), _WRITER.take_report(), bases


def write_parallel(
    collection: Collection,
    make_writer: Callable[[], ChunkWriter],
    out: TextIO,
) -> None:
    """Convert ``collection``'s raw records on worker processes, written in input order.

    Falls back to this process when the input is too small to be worth the workers."""
    global _JOB, _WRITER
    source = collection.source or "<stream>"
    records = collection.records
    chunks = batches(records.raw, CHUNK_RECORDS)
    head = list(islice(chunks, MIN_CHUNKS))
    stand_in = "publistkey" + secrets.token_hex(8)
    stand_in_re = re.compile(stand_in + r"\d{9}(\d{6})")
    writer = make_writer()
    keys = KeyAllocator()
    first = True

    def emit(text: str, report: dict[str, Any], bases: list[str]) -> None:
        nonlocal first
        final = [keys.claim(base) for base in bases]

        def rename(text: str) -> str:
            return stand_in_re.sub(lambda m: final[int(m.group(1))], text)

        out.write((writer.header if first else writer.separator) + rename(text))
        writer.absorb(report, rename)
        first = False

    _JOB = (records.parse, source, make_writer, stand_in)
    _WRITER = None
    try:
        if len(head) < MIN_CHUNKS:
            for number, chunk in enumerate(head):
                emit(*_format_chunk(number, chunk))
        else:
            count = workers()
            # (an executor rather than a Pool: a worker that dies raises BrokenProcessPool
            # here instead of leaving its chunk's result to wait forever)
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(count, mp_context=context) as pool:
                pending: deque = deque()
                for number, chunk in enumerate(_chain(head, chunks)):
                    pending.append(pool.submit(_format_chunk, number, chunk))
                    if len(pending) > 2 * count:  # a bounded window: memory stays flat
                        emit(*pending.popleft().result())
                while pending:
                    emit(*pending.popleft().result())
    except BrokenProcessPool:
        raise PublistError(
            "a conversion worker process stopped unexpectedly (out of memory?); "
            f"{WORKERS_ENV}=1 converts in one process",
            source,
        ) from None
    finally:
        _JOB = _WRITER = None
    out.write(writer.empty if first else writer.footer)
    collection.warnings.extend(writer.notes())


def _chain(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from head
    yield from rest
