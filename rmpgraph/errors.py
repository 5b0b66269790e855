"""Errors a user can act on.

Every failure that reaches the CLI is one of these and prints as one line
(`file:line: what was expected`), never a traceback. Exit codes follow pySHACL:
0 ok, 1 non-conformant / findings, 2 unusable input or usage error.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "RmpGraphError",
    "InputError",
    "UsageError",
    "WrongTypeError",
    "MissingDependencyError",
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_INPUT",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2


class RmpGraphError(Exception):
    """Base error: carries where (file, line) and what was expected."""

    exit_code = EXIT_INPUT

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class InputError(RmpGraphError):
    """The input cannot be used (empty, binary, not an RMP summary, too large...)."""


class UsageError(RmpGraphError):
    """The command line or API call is wrong (unknown query, bad parameter...)."""


class WrongTypeError(UsageError, TypeError):
    """A Python API call got a value of the wrong type (a number where a path or a
    graph was expected...). Also a TypeError, so code that guards API calls with
    `except TypeError` keeps working."""


class MissingDependencyError(RmpGraphError, ImportError):
    """An optional extra is needed (`pip install 'rmpgraph[pandas]'`)."""
