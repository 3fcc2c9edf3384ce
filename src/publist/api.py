"""The Python API; the CLI is a thin layer over these functions."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, TypeVar, cast

from . import registry
from .errors import EntriesFailed, PublistError, UsageError
from .meta import apply as apply_overlay
from .meta import load as load_overlay
from .meta import sidecar_for
from .model import Collection, Item, Name
from .output import held_standard_output, open_output, replaced_whole, standard_output
from .pipeline import can_run_parallel, write_parallel

T = TypeVar("T")
PathOrFile = str | os.PathLike[str] | IO[Any]


def _binary(stream: IO[Any]) -> BinaryIO:
    if isinstance(stream, io.TextIOBase):
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            return buffer
        return io.BytesIO(stream.read().encode("utf-8"))
    return stream  # type: ignore[return-value]


def _closing(items: Iterator[T], stream: IO[Any]) -> Iterator[T]:
    try:
        yield from items
    finally:
        stream.close()


def read(
    source: PathOrFile,
    format: str | None = None,
    meta: str | os.PathLike[str] | bool | None = None,
) -> Collection:
    """Read a file (path or open file) into a :class:`Collection` of CSL-JSON items.

    The format comes from ``format`` or the file name's extension.  Items are read lazily:
    iterate the collection once, or call ``.to_list()``.

    ``meta``: a metadata overlay (YAML or CSV) to apply; by default a ``NAME.meta.yaml`` (or
    ``.yml``/``.csv``) beside ``NAME.EXT`` is picked up; ``False`` turns that off.
    """
    collection = _read(source, format)
    overlay_path: str | os.PathLike[str] | None
    if meta is None or meta is True:
        overlay_path = sidecar_for(source) if isinstance(source, (str, os.PathLike)) else None
    else:
        overlay_path = meta or None
    if overlay_path:
        collection = apply_overlay(collection, load_overlay(overlay_path))
    return collection


def _read(source: PathOrFile, format: str | None) -> Collection:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        fmt = registry.get(format) if format else registry.detect(path)
        try:
            stream = open(path, "rb")
        except OSError as err:
            raise PublistError(f"cannot open: {err.strerror}", str(path)) from None
        try:
            collection = _run_reader(fmt, stream, str(path))
        except BaseException:
            stream.close()
            raise
        return collection.passing_through(partial(_closing, stream=stream))
    name = getattr(source, "name", None)
    if format:
        fmt = registry.get(format)
    elif isinstance(name, str) and not name.startswith("<"):
        fmt = registry.detect(name)
    else:
        raise PublistError("the format of a stream must be given (format=...)")
    return _run_reader(fmt, _binary(source), name if isinstance(name, str) else "<stream>")


def _run_reader(fmt: registry.Format, stream: BinaryIO, source: str) -> Collection:
    if fmt.reader is None:
        raise UsageError(f"format {fmt.name!r} cannot be read, only written")
    return fmt.reader(stream, source)


def _run_writer(
    fmt: registry.Format,
    collection: Collection,
    out: TextIO,
    options: dict[str, Any],
    out_bytes: BinaryIO | None = None,
    atomic: bool = False,
) -> None:
    """Write with ``fmt``: on several cores when its writer writes in chunks and the collection
    hands out raw records (see :mod:`publist.pipeline`), else in this process.  ``out_bytes``:
    ``out``'s byte stream when ``out`` is UTF-8 with ``newline=""`` (publist opened it).
    ``atomic``: ``out`` is a file that appears only if all is written (the reader may then
    raise its errors as it meets them, see :meth:`Collection.allow_late_errors`)."""
    if fmt.writer is None:
        raise UsageError(f"format {fmt.name!r} cannot be written, only read")
    unknown = sorted(set(options) - fmt.writer_options)
    if unknown:
        opts = ", ".join("--" + o.replace("_", "-") for o in unknown)
        raise UsageError(f"{opts} does not apply to the {fmt.name} format")
    if atomic:
        collection.allow_late_errors()
    make_writer = None if fmt.chunk_writer is None else partial(fmt.chunk_writer, **options)
    if make_writer is not None and can_run_parallel(collection, make_writer):
        write_parallel(collection, make_writer, out, out_bytes)
    else:
        fmt.writer(collection, out, **options)


def atomic_output(path: str | os.PathLike[str]) -> AbstractContextManager[TextIO]:
    """A text file that appears at ``path`` only when the block succeeds (a device or FIFO is
    written in place; see :mod:`publist.output`)."""
    return open_output(path)


def write(
    items: Iterable[Item] | Collection,
    dest: PathOrFile,
    format: str | None = None,
    *,
    skip_bad: bool = False,
    **options: Any,
) -> list[str]:
    """Write items to a path (atomically), an open text file or a binary stream (as UTF-8,
    ``sys.stdout.buffer`` say); returns the warnings.

    ``format`` defaults to the one the destination's extension names.  An entry the reader
    could not read raises :class:`~publist.errors.EntriesFailed` once the rest is read: a
    path is then left as it was (a stream has had the other entries); ``skip_bad`` writes the
    others and leaves the errors in the collection's ``errors``.
    """
    collection = Collection.of(items)
    if format is None:
        name = dest if isinstance(dest, (str, os.PathLike)) else getattr(dest, "name", "")
        format = _format_for_output(str(name))
    fmt = registry.get(format)
    if isinstance(dest, (str, os.PathLike)):
        atomic = replaced_whole(dest)
        with atomic_output(dest) as out:
            _run_writer(fmt, collection, out, options, getattr(out, "buffer", None), atomic)
            _refuse_partial(collection, skip_bad)  # (inside: the file is not put in place)
    elif isinstance(dest, (io.RawIOBase, io.BufferedIOBase)):
        _write_bytes(fmt, collection, dest, options)
        _refuse_partial(collection, skip_bad)
    else:
        _run_writer(fmt, collection, cast(TextIO, dest), options)
        _refuse_partial(collection, skip_bad)
    return collection.warnings


def write_stdout(
    items: Iterable[Item] | Collection, format: str, *, skip_bad: bool = False, **options: Any
) -> list[str]:
    """Write items to standard output, as :func:`write` writes a path: the output is held
    (in a temporary file) until every entry is read, and printed only if none failed, so that
    bad input found half-way prints nothing; ``skip_bad`` streams what can be read."""
    collection = Collection.of(items)
    fmt = registry.get(format)
    if skip_bad:
        with standard_output() as out:  # closed or full stdout: one error, not a traceback
            _run_writer(fmt, collection, out, options)
        return collection.warnings
    with held_standard_output() as held:
        _write_bytes(fmt, collection, held, options, atomic=True)
        _refuse_partial(collection, skip_bad)
    return collection.warnings


def _write_bytes(
    fmt: registry.Format,
    collection: Collection,
    dest: IO[bytes],
    options: dict[str, Any],
    atomic: bool = False,
) -> None:
    # newline="": the writer decides line ends (RIS wants CRLF on every platform)
    out = io.TextIOWrapper(cast(BinaryIO, dest), encoding="utf-8", newline="")
    try:
        buffered = dest if isinstance(dest, io.BufferedIOBase) else None
        _run_writer(fmt, collection, out, options, cast(BinaryIO | None, buffered), atomic)
    finally:
        out.flush()
        out.detach()


def refuses_output(collection: Collection, skip_bad: bool) -> bool:
    """True when, every entry read, one failed: the output is then void (a file missing some of
    its entries must not pass for the converted file), unless ``skip_bad``."""
    return bool(collection.errors) and not skip_bad


def _refuse_partial(collection: Collection, skip_bad: bool) -> None:
    if refuses_output(collection, skip_bad):
        raise EntriesFailed(collection.errors)


def _format_for_output(name: str) -> str:
    lowered = name.lower()
    for fmt in registry.all_formats():
        if fmt.writer and fmt.default_extension and lowered.endswith(fmt.default_extension):
            return fmt.name
    raise PublistError(f"cannot tell the output format from {name!r}; pass format=...")


def convert(
    source: PathOrFile,
    dest: PathOrFile,
    to: str,
    from_format: str | None = None,
    **options: Any,
) -> list[str]:
    """Read ``source`` and write it as ``to``; returns the warnings."""
    collection = read(source, from_format)
    return write(collection, dest, to, **options)


def list_formats() -> list[registry.Format]:
    """Every registered format."""
    return registry.all_formats()


def render_bibliography(
    items: Iterable[Item] | Collection,
    style: str,
    format: str = "text",
    locale: str | None = None,
) -> str:
    """A styled bibliography of ``items`` in any CSL style (name, or path to a .csl file).

    ``format``: text, html, markdown, latex or rst.  Entries come in the style's order.
    """
    from .render import render_document

    return render_document(Collection.of(items), style, format, locale)


def convert_file(
    source: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    to: str,
    from_format: str | None = None,
    meta: str | os.PathLike[str] | bool | None = False,
    **options: Any,
) -> int:
    """Convert one file and return how many records it held.

    A plain, picklable function of its arguments (no global state), so shards of a large
    library can be converted in parallel by any engine: ``dask.bag``, Spark, a process pool.
    Citation keys are unique within a shard; give shards distinct key prefixes if they must be
    unique across shards."""
    collection = read(source, from_format, meta=meta)
    counter = _Counter(collection)
    write(
        Collection(counter, owner=collection.owner, source=collection.source), dest, to, **options
    )
    if collection.errors:
        raise collection.errors[0]
    return counter.count


class _Counter:
    def __init__(self, items: Iterable[Item]):
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Item]:
        for item in self.items:
            self.count += 1
            yield item


def format_item(item: Item, format: str, **options: Any) -> str:
    """One item in ``format`` (bibtex, biblatex, ris, csl-json, …): a pure per-record function."""
    out = io.StringIO(newline="")
    write([item], out, format, **options)
    return out.getvalue()


def write_hugo_site(
    items: Iterable[Item] | Collection,
    folder: str | os.PathLike[str],
    owners: list[Name] | None = None,
    owner_id: str = "",
) -> int:
    """Hugo Blox publication pages under ``folder`` (``KEY/index.md`` and ``KEY/cite.bib`` per
    record, each written atomically); returns how many publications were written."""
    from .formats.hugo import write_site

    return write_site(Collection.of(items), folder, owners, owner_id)
