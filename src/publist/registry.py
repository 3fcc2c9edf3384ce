"""The one registry of formats, shared by the CLI and the Python API.

A format module under ``publist.formats`` calls :func:`register` at import time; every module in
that package is imported on first use, so adding a format is adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import Any, BinaryIO, TextIO

from .errors import UsageError
from .model import Collection
from .pipeline import ChunkWriter, can_run_parallel, write_parallel

Reader = Callable[..., Collection]  # (stream: BinaryIO, source: str) -> Collection
Writer = Callable[..., None]  # (collection: Collection, out: TextIO, **options) -> None


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...] = ()
    reader: Reader | None = None
    writer: Writer | None = None
    #: options the writer accepts beyond the collection and the stream
    writer_options: frozenset[str] = field(default_factory=frozenset)
    #: True when the reader holds one record at a time (constant memory); False when it loads
    #: the whole file first (a JSON array, a .bib file parsed by bibtexparser)
    streaming_reader: bool = True
    #: the extension used for output files of this format
    default_extension: str = ""
    #: the writer as a :class:`~publist.pipeline.ChunkWriter` factory (called with the writer
    #: options): lets a large conversion format its records on several cores
    chunk_writer: Callable[..., ChunkWriter] | None = None

    def read(self, stream: BinaryIO, source: str) -> Collection:
        if self.reader is None:
            raise UsageError(f"format {self.name!r} cannot be read, only written")
        return self.reader(stream, source)

    def write(self, collection: Collection, out: TextIO, **options: Any) -> None:
        if self.writer is None:
            raise UsageError(f"format {self.name!r} cannot be written, only read")
        unknown = sorted(set(options) - self.writer_options)
        if unknown:
            opts = ", ".join("--" + o.replace("_", "-") for o in unknown)
            raise UsageError(f"{opts} does not apply to the {self.name} format")
        if self.chunk_writer is not None and can_run_parallel(collection):
            write_parallel(collection, partial(self.chunk_writer, **options), out)
        else:
            self.writer(collection, out, **options)


_FORMATS: dict[str, Format] = {}
_loaded = False


def register(fmt: Format) -> Format:
    if fmt.name in _FORMATS:
        raise ValueError(f"format {fmt.name!r} registered twice")
    _FORMATS[fmt.name] = fmt
    return fmt


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module(f"{__package__}.formats")
    for mod in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{mod.name}")


def all_formats() -> list[Format]:
    _load()
    return sorted(_FORMATS.values(), key=lambda f: f.name)


def get(name: str) -> Format:
    _load()
    try:
        return _FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise UsageError(f"unknown format {name!r} (known: {known})") from None


def detect(path: str | PurePath) -> Format:
    """The readable format whose extension ends the file name."""
    _load()
    name = PurePath(path).name.lower()
    best: Format | None = None
    best_len = 0
    for fmt in _FORMATS.values():
        if fmt.reader is None:
            continue
        for ext in fmt.extensions:
            if name.endswith(ext) and len(ext) > best_len:
                best, best_len = fmt, len(ext)
    if best is None:
        raise UsageError(f"cannot tell the format of {str(path)!r} from its name; pass it with -f")
    return best
