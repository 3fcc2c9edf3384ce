"""The one table of formats, shared by the CLI and the Python API.

A format module under ``publist.formats`` calls :func:`register` at import time with a
:class:`Format`: plain data naming its reader, its writers, the options its writers take and
its check hook.  Every module in that package is imported on first use, so adding a format is
adding one module.  Nothing here runs a reader or a writer: :mod:`publist.api` does (and decides
whether a conversion runs on several cores); the CLI builds its writer flags from
:attr:`Format.options`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, BinaryIO

from .errors import UsageError
from .model import Collection, Item

if TYPE_CHECKING:
    from .pipeline import ChunkWriter

#: (stream, source name) -> the collection read
Reader = Callable[[BinaryIO, str], Collection]
#: (collection, text stream, **options) -> None
Writer = Callable[..., None]
#: an item -> (the field a problem is about, for its line; the message) per problem
CheckHook = Callable[[Item], Iterable[tuple[str | None, str]]]


@dataclass(frozen=True)
class Option:
    """An option a format's writer accepts, as the API's keyword and the CLI's flag.

    ``name`` is the keyword (``max_authors``); the flag is ``--max-authors``.  ``kind`` is
    ``bool`` (a flag), ``int`` (a whole number of at least ``minimum``) or ``tuple`` (a
    repeatable flag whose words the writer gets as a tuple of strings)."""

    name: str
    help: str
    kind: type[bool] | type[int] | type[tuple[str, ...]] = bool
    minimum: int | None = None
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...] = ()
    reader: Reader | None = None
    writer: Writer | None = None
    #: options the writer accepts beyond the collection and the stream
    options: tuple[Option, ...] = ()
    #: True when the reader holds one record at a time (constant memory); False when it loads
    #: the whole file first (a JSON array, a .bib file parsed by bibtexparser)
    streaming_reader: bool = True
    #: the extension used for output files of this format
    default_extension: str = ""
    #: the writer as a :class:`~publist.pipeline.ChunkWriter` factory (called with the writer
    #: options): lets a large conversion format its records on several cores
    chunk_writer: Callable[..., ChunkWriter] | None = None
    #: what `publist check` reports about an item written in this format (required fields)
    check: CheckHook | None = None

    @property
    def writer_options(self) -> frozenset[str]:
        return frozenset(option.name for option in self.options)


_FORMATS: dict[str, Format] = {}
_loaded = False


def register(fmt: Format) -> Format:
    if fmt.name in _FORMATS:
        raise ValueError(f"format {fmt.name!r} registered twice")
    _FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Forget a format (a test's toy format, say)."""
    _FORMATS.pop(name, None)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module(f"{__package__}.formats")
    for mod in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{mod.name}")


#: each built-in format module → the extensions of the readers it registers, so that reading
#: a file imports only its own format's module (the others cost a tenth of a second at
#: start-up: yaml, bibtexparser, rispy).  A module not listed here (a format just added)
#: makes :func:`detect` import them all, as before.  tests/test_startup.py holds this table
#: to what the modules register.
READER_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "alfolio": (),
    "bibtex": (".bib", ".bibtex"),
    "bibtex_reader": (),
    "bibtex_required": (),
    "bibtex_scan": (),
    "csljson": (".json", ".jsonl", ".ndjson"),
    "hugo": (),
    "jsonresume": (),
    "rendercv": (),
    "ris": (".ris",),
    "seed": (".txt", ".seed"),
}


def _load_reader_for(name: str) -> None:
    """Import the one built-in module whose reader takes the file ``name`` (by its longest
    matching extension), or every module when the package holds one this table does not
    know."""
    package = importlib.import_module(f"{__package__}.formats")
    if any(mod.name not in READER_EXTENSIONS for mod in pkgutil.iter_modules(package.__path__)):
        _load()
        return
    matches = [
        (len(ext), module)
        for module, extensions in READER_EXTENSIONS.items()
        for ext in extensions
        if name.endswith(ext)
    ]
    if matches:
        importlib.import_module(f"{package.__name__}.{max(matches)[1]}")


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


def writer_options() -> dict[str, tuple[Option, list[str]]]:
    """Every writer option any format declares, with the formats that take it."""
    found: dict[str, tuple[Option, list[str]]] = {}
    for fmt in all_formats():
        for option in fmt.options:
            found.setdefault(option.name, (option, []))[1].append(fmt.name)
    return found


def detect(path: str | PurePath) -> Format:
    """The readable format whose extension ends the file name."""
    name = PurePath(path).name.lower()
    if not _loaded:
        _load_reader_for(name)
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
