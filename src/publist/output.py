"""Where output goes: ``-o`` targets of every kind, and standard output.

A regular file (or a name not there yet) is written to a temporary file beside it and renamed
over it on success, so after any failure the old file is intact and no ``.part`` file is left.
A symbolic link is followed: its target is replaced and the link kept.  A device or a FIFO
(``/dev/null``, ``/dev/stdout``, a named pipe) is written directly; renaming over it would put
a regular file in its place (as root, a new ``/dev/null``).  Every failure to write is one
:class:`~publist.errors.PublistError` naming the target, never an ``OSError`` traceback.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import PublistError

STDOUT = "<stdout>"
# errors that writing (not reading) raises: reported as the output's, naming it
_WRITE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EBADF, errno.EINVAL}
)


def _cannot_write(err: OSError, name: str) -> PublistError:
    reason = err.strerror or type(err).__name__
    if isinstance(err, FileNotFoundError):
        reason = "no such folder"
    return PublistError(f"cannot write: {reason}", name)


def _is_write_error(err: OSError) -> bool:
    return err.filename is None and err.errno in _WRITE_ERRNOS


def _kind(path: Path, name: str) -> os.stat_result | None:
    try:
        return os.stat(path)  # follows a symbolic link to what it points at
    except FileNotFoundError:
        return None
    except OSError as err:
        raise _cannot_write(err, name) from None


@contextmanager
def open_output(path: str | os.PathLike) -> Iterator[TextIO]:
    """A UTF-8 text stream (``newline=""``: the writer decides line ends) for ``path``."""
    name = os.fspath(path)
    if name == "":
        raise PublistError('cannot write: the output file name is empty (-o "")', '""')
    target = Path(name)
    info = _kind(target, name)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise PublistError("cannot write: is a folder, not a file", name)
    if _in_place(info):
        with _direct(target, name) as out:
            yield out
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    with _atomic(target, name) as out:
        yield out


def _in_place(info: os.stat_result | None) -> bool:
    """What is there is written in place (a device, a FIFO): not a regular file or a new name,
    which are written to a temporary file renamed over them."""
    return info is not None and not stat.S_ISREG(info.st_mode)


def replaced_whole(path: str | os.PathLike) -> bool:
    """True when :func:`open_output` writes ``path`` as a temporary file renamed over it, so
    that nothing appears there unless all is written."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # (open_output reports it)
    return not _in_place(info)


@contextmanager
def _direct(target: Path, name: str) -> Iterator[TextIO]:
    """A device or FIFO, written in place."""
    try:
        out = open(target, "w", encoding="utf-8", newline="")
    except OSError as err:
        raise _cannot_write(err, name) from None
    try:
        with out:
            yield out
    except OSError as err:
        if _is_write_error(err):
            raise _cannot_write(err, name) from None
        raise


@contextmanager
def _atomic(target: Path, name: str) -> Iterator[TextIO]:
    """A regular file that appears at ``target`` only when the block succeeds."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as err:
        raise _cannot_write(err, name) from None
    try:
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                yield out
            # mkstemp makes the file private (0600); give it the mode a plain open() would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, target)
        except OSError as err:
            if _is_write_error(err) or err.filename in (tmp, str(target)):
                raise _cannot_write(err, name) from None
            raise
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def standard_output() -> Iterator[TextIO]:
    """Standard output as a UTF-8 text stream; closed or full is one error, not a traceback.

    A closed pipe (``| head``) is left to the caller: it ends the program quietly."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if stream is None or buffer is None or buffer.closed:
        raise PublistError("cannot write: standard output is closed", STDOUT)
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        if err.errno == errno.EPIPE:
            raise
        discard_stdout()
        raise _cannot_write(err, STDOUT) from None
    finally:
        try:
            out.detach()
        except (OSError, ValueError):
            pass


def discard_stdout() -> None:
    """What is still buffered for standard output goes nowhere: Python's own flush at exit
    would otherwise fail again and print a second message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def held_standard_output() -> Iterator[BinaryIO]:
    """A byte stream whose content reaches standard output only when the block succeeds:
    held in a temporary file (memory stays flat), so that an input found bad half-way leaves
    nothing half-written on standard output (``> out.bib`` would keep it).  Errors as
    :func:`standard_output` reports them; the temporary file's own (a full disk) name it."""
    try:
        spool = tempfile.TemporaryFile()
    except OSError as err:
        raise _cannot_write(err, STDOUT) from None
    with spool:
        try:
            yield spool
        except OSError as err:
            if _is_write_error(err):
                raise PublistError(
                    f"cannot hold the output in a temporary file: {err.strerror}", STDOUT
                ) from None
            raise
        spool.seek(0)
        with standard_output() as out:
            out.flush()
            shutil.copyfileobj(spool, out.buffer, _COPY_BYTES)


_COPY_BYTES = 1 << 20


def write_stdout_bytes(data: bytes) -> None:
    """``data`` on standard output, flushed; errors as :func:`standard_output` reports them."""
    with standard_output() as out:
        out.flush()
        out.buffer.write(data)
