"""Options and error handling shared by the sub-commands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import RmpGraphError

__all__ = ["inputs_argument", "handle_errors", "warn"]

F = TypeVar("F", bound=Callable[..., Any])

inputs_argument = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(dir_okay=False)
)


def warn(message: str) -> None:
    """One line on stderr, prefixed so scripts can filter it."""
    click.echo(f"rmpgraph: warning: {message}", err=True)


def handle_errors(func: F) -> F:
    """Turn RmpGraphError into one stderr line and its exit code (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RmpGraphError as exc:
            click.echo(f"rmpgraph: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("rmpgraph: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
