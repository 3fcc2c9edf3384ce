"""The Python API; the CLI is a thin layer over these functions."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from . import registry
from .errors import PublistError
from .meta import apply as apply_overlay
from .meta import load as load_overlay
from .meta import sidecar_for
from .model import Collection, Item
from .output import open_output

PathOrFile = str | os.PathLike | IO[Any]


def _binary(stream: IO[Any]) -> BinaryIO:
    if isinstance(stream, io.TextIOBase):
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            return buffer
        return io.BytesIO(stream.read().encode("utf-8"))
    return stream  # type: ignore[return-value]


def _closing(items: Iterable[Item], stream: IO[Any]) -> Iterator[Item]:
    try:
        yield from items
    finally:
        stream.close()


def read(
    source: PathOrFile,
    format: str | None = None,
    meta: str | os.PathLike | bool | None = None,
) -> Collection:
    """Read a file (path or open file) into a :class:`Collection` of CSL-JSON items.

    The format comes from ``format`` or the file name's extension.  Items are read lazily:
    iterate the collection once, or call ``.to_list()``.

    ``meta``: a metadata overlay (YAML or CSV) to apply; by default a ``NAME.meta.yaml`` (or
    ``.yml``/``.csv``) beside ``NAME.EXT`` is picked up; ``False`` turns that off.
    """
    collection = _read(source, format)
    overlay_path = meta
    if meta is None or meta is True:
        overlay_path = sidecar_for(source) if isinstance(source, (str, os.PathLike)) else None
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
            collection = fmt.read(stream, str(path))
        except BaseException:
            stream.close()
            raise
        collection._items = _closing(collection._items, stream)
        if collection.records is not None:
            collection.records.raw = _closing(collection.records.raw, stream)
        return collection
    name = getattr(source, "name", None)
    if format:
        fmt = registry.get(format)
    elif isinstance(name, str) and not name.startswith("<"):
        fmt = registry.detect(name)
    else:
        raise PublistError("the format of a stream must be given (format=...)")
    return fmt.read(_binary(source), name if isinstance(name, str) else "<stream>")


def atomic_output(path: str | os.PathLike) -> AbstractContextManager[TextIO]:
    """A text file that appears at ``path`` only when the block succeeds (a device or FIFO is
    written in place; see :mod:`publist.output`)."""
    return open_output(path)


def write(
    items: Iterable[Item] | Collection,
    dest: PathOrFile,
    format: str | None = None,
    **options: Any,
) -> list[str]:
    """Write items to a path (atomically) or an open text file; returns the warnings.

    ``format`` defaults to the one the destination's extension names.
    """
    collection = Collection.of(items)
    if format is None:
        name = dest if isinstance(dest, (str, os.PathLike)) else getattr(dest, "name", "")
        format = _format_for_output(str(name))
    fmt = registry.get(format)
    if isinstance(dest, (str, os.PathLike)):
        with atomic_output(dest) as out:
            fmt.write(collection, out, **options)
    else:
        fmt.write(collection, dest, **options)
    return collection.warnings


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
    source: str | os.PathLike,
    dest: str | os.PathLike,
    to: str,
    from_format: str | None = None,
    meta: str | os.PathLike | bool | None = False,
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
