"""Writing in chunks, and converting on several cores.

Every streaming writer is a :class:`ChunkWriter`: it turns a list of items into text without
knowing what came before, and keeps what it noticed (characters with no LaTeX form, variables
it had no field for) in a small report.  Written in one process, the chunks simply follow each
other.  Converting a large file whose reader can hand out raw records (the seed, a CSL-JSON
array in a file) spreads the per-record work — parsing, checking, formatting entries — over
forked workers:

- this process splits the input into packs of raw records (:class:`Pack`; the seed's are cut
  from blocks of lines with no step per record, a CSL-JSON array's from its bytes where an
  item probably starts, which the worker checks: :class:`WrongCut`), sends tasks of them to
  the workers (up to 1,024 records or 256 KB: few messages), and writes their texts in input
  order, never holding more than a few tasks;
- a worker parses its task a chunk at a time into items and writes them, with a stand-in
  wherever a key this process must give out goes (:class:`DeferredKeys`): the item's id when
  publist makes the ids (the seed: the request is the item's base key), or the key a writer
  makes of an id the input named (BibTeX: the id made safe, claimed unique); it returns the
  text (as UTF-8 bytes), its report, the reader's warnings and the key requests;
- this process claims the keys in input order (as the one-process path does, so the output
  and the warnings are byte for byte the same), puts them in place of the stand-ins and writes
  the bytes (to the output's byte stream when publist opened it: nothing decoded and encoded
  again).

``PUBLIST_WORKERS=1`` turns the workers off.  Files with a metadata overlay convert in one
process: the overlay's matching depends on the keys given out before.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import secrets
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, AnyStr, BinaryIO, TextIO

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
    - ``take_report`` holds only picklable data; ids in it are renamed by ``absorb``;
    - a writer that makes keys of its own from ids the input named (``unique_keys`` False)
      and sets ``kept_ids_in_workers`` asks ``deferred_keys.stand_in(request)`` for each key
      when ``deferred_keys`` is set (in a worker), and writes what it returns; this process
      then calls ``claim_key(request)`` on its own instance, in input order, for the key that
      goes in its place (warnings about it are that instance's).
    """

    header = ""
    separator = ""
    footer = ""
    empty = ""
    #: True when the items' ids are unique, safe keys already (publist made them: the seed's
    #: keys, a worker's stand-ins), so a writer need not make them unique again
    unique_keys = False
    #: True when items whose ids the input named convert on workers with the same output: the
    #: writer writes the ids as given, or claims the keys it makes of them through
    #: ``deferred_keys``
    kept_ids_in_workers = False
    #: set in a worker: where the writer's key requests go (see the contract above)
    deferred_keys: DeferredKeys | None = None

    def format(self, items: list[Item]) -> str:
        raise NotImplementedError

    def take_report(self) -> dict[str, Any]:
        return {}

    def claim_key(self, request: Any) -> str:
        """The key for a request a worker's instance deferred (see ``deferred_keys``)."""
        raise NotImplementedError(f"{type(self).__name__} defers no key")

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
    writer.unique_keys = collection.generated_keys
    first = True
    for chunk in batches(collection, size):
        out.write((writer.header if first else writer.separator) + writer.format(chunk))
        first = False
    out.write(writer.empty if first else writer.footer)
    collection.warnings.extend(writer.notes())


class DeferredKeys:
    """A worker task's stand-ins (unique in the run: the run's prefix, the task's number, the
    request's index) and the key requests they stand for, in input order."""

    def __init__(self, prefix: str, task: int) -> None:
        self._prefix = f"{prefix}{task:09d}"
        self.requests: list[Any] = []

    def stand_in(self, request: Any) -> str:
        self.requests.append(request)
        return f"{self._prefix}{len(self.requests) - 1:06d}"


def _no_warnings() -> list[str]:
    return []


def _as_raised(error: PublistError) -> PublistError:
    return error


def _nothing() -> None:
    pass


@dataclass
class RecordSource:
    """What a reader offers for parallel conversion: its raw records, not yet parsed.

    ``parse`` must be a pure function of one raw record and the source name; it may raise
    :class:`~publist.errors.PublistError` naming the record's line.  ``take_warnings``: the
    warnings ``parse`` gave since the last call (in order; in a worker, they come back with
    the task).  ``first_error``: what to raise when ``parse`` raised ``error`` for the first
    record that fails, in input order (a reader may report a graver one further on, as it
    does in one process).  ``unpack``: when set, ``raw`` yields packs (:class:`Pack`), and
    ``unpack(pack.data, source)`` gives a pack's raw records in a worker.  ``resume``: for a
    source whose packs are cut where records probably end (a guess ``unpack`` checks, raising
    :class:`WrongCut` when it was wrong), called with the data of the first pack of the task
    that met a wrong cut: the records again from that pack on, in packs cut exactly.
    ``finish``: called once the conversion is over, errors included (what the reader opened
    for ``resume`` and ``first_error`` can be closed)."""

    raw: Iterator[Any]
    parse: Callable[[Any, str], Item]
    take_warnings: Callable[[], list[str]] = _no_warnings
    first_error: Callable[[PublistError], PublistError] = _as_raised
    unpack: Callable[[Any, str], list[Any]] | None = None
    resume: Callable[[Any], Iterator[Pack]] | None = None
    finish: Callable[[], None] = _nothing


class WrongCut(Exception):
    """A pack's records were not cut where they end (raised by ``unpack``, before any record
    of its task is parsed): see ``RecordSource.resume``."""


# A pack: up to this many records, or about this much text (one record at least).
PACK_RECORDS = 64
PACK_CHARS = 1 << 16


@dataclass(frozen=True)
class Pack:
    """Raw records that travel to a worker as one (the seed: the lines of whole records):
    this process handles a pack, never a record, so it keeps up with the workers."""

    record_count: int  # (also what a progress line counts it as)
    chars: int  # the size of their text
    data: Any  # what RecordSource.unpack turns into the records, in a worker


def packed(texts: Iterable[str], first: int = 1) -> Iterator[Pack]:
    """Texts in packs of ``(the first one's index, the texts)``, numbered from ``first``."""
    pack: list[str] = []
    chars = 0
    for text in texts:
        pack.append(text)
        chars += len(text)
        if len(pack) == PACK_RECORDS or chars >= PACK_CHARS:
            yield Pack(len(pack), chars, (first, pack))
            first += len(pack)
            pack, chars = [], 0
    if pack:
        yield Pack(len(pack), chars, (first, pack))


def numbered(data: tuple[int, list[Any]], _source: str) -> list[tuple[int, Any]]:
    """What :func:`packed` packed: ``(index, text)`` each (RecordSource.unpack)."""
    first, texts = data
    return list(enumerate(texts, first))


def workers() -> int:
    """Worker processes for a conversion: ``PUBLIST_WORKERS``, else one per core."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured and not configured.isdigit():
        raise PublistError(f"{WORKERS_ENV} must be a whole number of processes, not {configured!r}")
    count = int(configured) if configured else (os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(count, 16))


def can_run_parallel(
    collection: Collection, make_writer: Callable[[], ChunkWriter] | None = None
) -> bool:
    """True when ``collection`` can be converted by workers: it hands out raw records, and
    publist makes its ids, or the writer (``make_writer`` makes it) converts ids the input
    named on workers as it does here."""
    if workers() <= 1 or collection.records is None:
        return False
    if collection.generated_keys:
        return True
    return make_writer is not None and make_writer().kept_ids_in_workers


@dataclass
class _Job:
    """What a forked worker runs: inherited at fork, so only raw records and texts are
    pickled."""

    records: RecordSource
    source: str
    make_writer: Callable[[], ChunkWriter]
    stand_in: str
    generated_keys: bool


# Each worker keeps one writer (and its caches) across its tasks and hands its report out per
# task.
_JOB: _Job | None = None
_WRITER: ChunkWriter | None = None

# A worker's task: whole chunks, from one chunk growing to this many records or this much raw
# text (a quarter of a MB: 256 typical seed records, a few with thousands of authors): few tasks
# cost this process little to send and to take back, the first results come soon, and the
# tasks in flight stay small (memory stays flat).
TASK_RECORDS = 1024
TASK_CHARS = 1 << 18
_STAND_IN_DIGITS = 15  # a stand-in: the run's prefix, the task's number (9 digits), the index


@dataclass
class _TaskResult:
    text: bytes | str  # the task's chunks joined by the writer's separator, with stand-ins
    report: dict[str, Any]
    warnings: list[str]  # the reader's, in input order
    requests: list[Any]  # what each stand-in stands for, in input order


def _convert_task(number: int, packs: list[Any]) -> _TaskResult:
    """Parse and format the records of a task's packs (their data), a pack at a time and
    ``CHUNK_RECORDS`` at most: each pack is unpacked as its turn comes, so what it decodes to
    is formatted while it is still in the processor's caches (a task's worth of decoded
    CSL-JSON, unpacked first, made a typical conversion about 4% slower)."""
    global _WRITER
    if _JOB is None:
        raise RuntimeError("_convert_task runs only inside write_parallel")
    try:
        return _converted(number, packs, _JOB)
    except WrongCut:
        # (the records are read again from this task on: what this writer and the reader
        # noticed of the packs before the wrong cut goes with them)
        _WRITER = None
        _JOB.records.take_warnings()
        raise


def _converted(number: int, packs: list[Any], job: _Job) -> _TaskResult:
    global _WRITER
    parse, source = job.records.parse, job.source
    unpack = job.records.unpack or _records_of
    if _WRITER is None:
        _WRITER = job.make_writer()
        _WRITER.unique_keys = job.generated_keys  # (then the stand-ins are the ids)
    writer = _WRITER
    deferred = DeferredKeys(job.stand_in, number)
    if not job.generated_keys:
        writer.deferred_keys = deferred
    texts = []
    for data in packs:
        for chunk in batches(unpack(data, source), CHUNK_RECORDS):
            items = [parse(raw, source) for raw in chunk]
            if job.generated_keys:
                for item in items:
                    item["id"] = deferred.stand_in(base_key(item))
            texts.append(writer.format(items))
    text = _encoded(writer.separator.join(texts))
    warnings = job.records.take_warnings()
    return _TaskResult(text, writer.take_report(), warnings, deferred.requests)


def _encoded(text: str) -> bytes | str:
    """The text as UTF-8, which costs less to send and to cut than a str (whose pickle is
    UTF-8 too, decoded on arrival); as it is when it cannot be (a lone surrogate from a JSON
    escape), so that writing it fails in this process as it does in one process."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text


def _chunk_packs(raw: Iterator[Any]) -> Iterator[Pack]:
    """The raw records of a source that packs none, a chunk a pack (its data: the records)."""
    for chunk in batches(raw, CHUNK_RECORDS):
        yield Pack(len(chunk), sum(map(_text_size, chunk)), chunk)


def _records_of(chunk: list[Any], _source: str) -> list[Any]:
    """What :func:`_chunk_packs` packed (the unpack of a source that packs none)."""
    return chunk


def _tasks(packs: Iterator[Pack]) -> Iterator[list[Any]]:
    """Packs' data gathered into tasks: from one chunk's worth of records, doubling up to
    ``TASK_RECORDS`` records, each ending once it holds ``TASK_CHARS`` of text."""
    limit = CHUNK_RECORDS
    task: list[Any] = []
    records = chars = 0
    for pack in packs:
        task.append(pack.data)
        records += pack.record_count
        chars += pack.chars
        if records >= limit or chars >= TASK_CHARS:
            yield task
            task, records, chars = [], 0, 0
            limit = min(2 * limit, TASK_RECORDS)
    if task:
        yield task


def _text_size(raw: Any) -> int:
    """The characters of a raw record's text (a seed record is a tuple of its lines)."""
    if isinstance(raw, (str, bytes)):
        return len(raw)
    if isinstance(raw, tuple):
        return sum(len(part) for part in raw if isinstance(part, (str, bytes)))
    return 0


def _with_keys(text: AnyStr, stand_in: AnyStr, keys: list[AnyStr]) -> AnyStr:
    """``text`` with ``keys`` in place of a task's stand-ins: split at the prefix, the key
    picked by the stand-in's index (no regex callback per key)."""
    pieces = text.split(stand_in)
    if len(pieces) == 1:
        return text
    parts = [pieces[0]]
    for piece in islice(pieces, 1, None):
        parts.append(keys[int(piece[9:_STAND_IN_DIGITS])])
        parts.append(piece[_STAND_IN_DIGITS:])
    return text[:0].join(parts)


def write_parallel(
    collection: Collection,
    make_writer: Callable[[], ChunkWriter],
    out: TextIO,
    out_bytes: BinaryIO | None = None,
) -> None:
    """Convert ``collection``'s raw records on worker processes, written in input order.

    ``out_bytes``: ``out``'s byte stream, when text written to ``out`` reaches it as its UTF-8 bytes
    (``newline=""``): the workers' bytes are written there as they come (not decoded here to
    be encoded again).  Falls back to this process when the input is too small to be worth
    the workers."""
    global _JOB, _WRITER
    source = collection.source or "<stream>"
    records = collection.records
    if records is None:
        raise ValueError("write_parallel needs a collection's raw records (can_run_parallel)")
    stand_in = "publistkey" + secrets.token_hex(8)
    stand_in_bytes = stand_in.encode("ascii")
    writer = make_writer()
    claim = KeyAllocator().claim if collection.generated_keys else writer.claim_key
    first = True

    def emit(result: _TaskResult) -> None:
        nonlocal first
        collection.warnings.extend(result.warnings)
        final = [claim(request) for request in result.requests]
        lead = writer.header if first else writer.separator
        text = result.text
        if isinstance(text, bytes):
            data = _with_keys(text, stand_in_bytes, [key.encode("utf-8") for key in final])
            if out_bytes is None:
                out.write(lead + data.decode("utf-8"))
            else:
                out.flush()
                out_bytes.write(lead.encode("utf-8") + data)
        else:
            out.write(lead + _with_keys(text, stand_in, final))
        writer.absorb(result.report, lambda text: _with_keys(text, stand_in, final))
        first = False

    _JOB = _Job(records, source, make_writer, stand_in, collection.generated_keys)
    _WRITER = None
    try:
        _convert_in_order(records, emit, source)
    except PublistError as error:
        raise records.first_error(error) from None
    finally:
        _JOB = _WRITER = None
        records.finish()
    out.write(writer.empty if first else writer.footer)
    collection.warnings.extend(writer.notes())


class _Recut(Exception):
    """A task met a wrong cut: its first pack's data, where the source resumes."""

    def __init__(self, first_pack: Any) -> None:
        super().__init__()
        self.first_pack = first_pack


def _convert_in_order(
    records: RecordSource, emit: Callable[[_TaskResult], None], source: str
) -> None:
    """The raw records converted by tasks, each result emitted in input order: here when they
    are too few to be worth the workers, else on the workers.  After a wrong cut the records
    are handed out again from the task that met it, by new workers (the old ones' caches saw
    tasks whose results are dropped: a warning they gave would be missing)."""
    raw = iter(records.raw)  # (held to the end: dropped, it may close the file it reads)
    packs = raw if records.unpack is not None else _chunk_packs(raw)
    while True:
        try:
            _convert_packs(packs, emit, source)
            return
        except _Recut as recut:
            if records.resume is None:
                raise RuntimeError("a wrong cut from a source that cannot resume") from None
            packs = records.resume(recut.first_pack)


def _convert_packs(packs: Iterator[Pack], emit: Callable[[_TaskResult], None], source: str) -> None:
    head, held = _head(packs)
    if not head:  # (no records: nothing is emitted, and the writer writes its ``empty``)
        return
    if held < MIN_CHUNKS * CHUNK_RECORDS:
        task = [pack.data for pack in head]
        try:
            emit(_convert_task(0, task))
        except WrongCut:
            raise _Recut(task[0]) from None
        return
    count = workers()
    with worker_pool(count, "conversion", source) as pool:
        pending: deque = deque()
        # (chain, not a generator: dropping it after a wrong cut leaves ``packs`` open)
        for number, task in enumerate(_tasks(chain(head, packs))):
            pending.append((pool.submit(_convert_task, number, task), task[0]))
            if len(pending) > 2 * count:  # a bounded window: memory stays flat
                emit(_awaited(*pending.popleft()))
        while pending:
            emit(_awaited(*pending.popleft()))


def _awaited(future: Future, first_pack: Any) -> _TaskResult:
    """A worker's result; a wrong cut raised as :class:`_Recut` (with the task's first pack)."""
    try:
        return future.result()
    except WrongCut:
        raise _Recut(first_pack) from None


def _head(packs: Iterator[Pack]) -> tuple[list[Pack], int]:
    """The first packs, enough to know whether workers are worth starting, and how many
    records they hold."""
    head: list[Pack] = []
    count = 0
    while count < MIN_CHUNKS * CHUNK_RECORDS and (pack := next(packs, None)) is not None:
        head.append(pack)
        count += pack.record_count
    return head, count


# --- the one process pool ------------------------------------------------------------------


def _worker_setup() -> None:
    """In each forked worker: Ctrl-C, SIGTERM and SIGHUP (often sent to the whole process
    group) are the parent's to answer — it stops the workers between chunks, while one killed
    mid-result would leave the pool's reader waiting on half a message.  A worker whose parent
    dies is killed by the kernel (Linux), so none is left behind."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


@contextmanager
def worker_pool(count: int, task: str, source: str | None = None) -> Iterator[Executor]:
    """``count`` forked worker processes for ``task`` ("conversion", "rendering").

    An executor rather than a Pool: a worker that dies raises here (an error naming
    ``source``) instead of leaving its result to wait forever.  When the block is left by an
    error or a signal, queued work is cancelled and the workers stop after their current chunk."""
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_worker_setup)
    # (what exists now is left out of the garbage collector's passes, here and in the workers,
    # forked at the first submit, whose collections would otherwise write to every shared
    # page: 20% less CPU per entry in a rendering worker)
    gc.freeze()
    try:
        yield pool
    except BrokenProcessPool:
        _stop(pool)
        raise PublistError(
            f"a {task} worker process stopped unexpectedly (out of memory?); "
            f"{WORKERS_ENV}=1 runs it in one process",
            source,
        ) from None
    except BaseException:
        _stop(pool)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        gc.unfreeze()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and let the workers finish the chunk in hand (milliseconds), then
    exit: a worker killed while sending a result would leave the pool's reader blocked on
    half a message.  One stuck for more than a few seconds is killed all the same."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
