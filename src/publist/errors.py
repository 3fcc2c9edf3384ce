"""Errors that name the file and line they come from."""

from __future__ import annotations


class PublistError(Exception):
    """Bad input or a request publist cannot carry out.

    ``source`` is the file name (or ``<stdin>``) and ``line`` the 1-based line, when known;
    ``str(error)`` gives the ``FILE:LINE: message`` form the CLI prints.
    """

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __reduce__(self):
        # pickled with its file and line: errors raised in worker processes keep them
        return (self.__class__, (self.message, self.source, self.line))

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        return where + self.message


class UsageError(PublistError):
    """A request that does not fit the chosen format (an option it does not take, ...)."""


class EntriesFailed(PublistError):
    """Entries of the input could not be read, so nothing was written (``skip_bad`` writes the
    others): ``errors`` holds each one's error, with its file and line."""

    def __init__(self, errors: list[PublistError]):
        super().__init__(
            f"{entry_count(len(errors))} could not be read: nothing written "
            "(--skip-bad writes the others)"
        )
        self.errors = list(errors)

    def __reduce__(self):
        return (self.__class__, (self.errors,))


def entry_count(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"
