"""Options and error handling shared by the sub-commands."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import RmpGraphError

__all__ = ["inputs_argument", "optional_inputs_argument", "source_options",
           "handle_errors", "warn"]

F = TypeVar("F", bound=Callable[..., Any])

inputs_argument = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(dir_okay=False)
)


optional_inputs_argument = click.argument(
    "inputs", nargs=-1, required=False, type=click.Path(dir_okay=False)
)


def source_options(func: F) -> F:
    """--store / --endpoint: read from the embedded store or a SPARQL endpoint
    instead of INPUT files."""
    func = click.option(
        "--endpoint", metavar="URL",
        help="Query this SPARQL 1.1 endpoint instead of files (credentials from "
             "RMPGRAPH_ENDPOINT_TOKEN or RMPGRAPH_ENDPOINT_USER/_PASSWORD).")(func)
    func = click.option(
        "--store", "store", type=click.Path(file_okay=False), metavar="PATH",
        help="Query the embedded store (`rmpgraph load`) instead of files, e.g. "
             ".rmpgraph/store.")(func)
    return func


def warn(message: str) -> None:
    """One line on stderr, prefixed so scripts can filter it."""
    click.echo(f"rmpgraph: warning: {message}", err=True)


def handle_errors(func: F) -> F:
    """Turn RmpGraphError into one stderr line and its exit code (no traceback), and
    run the command offline unless it was given an endpoint or --allow-service."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..netguard import no_network

        online = bool(kwargs.get("endpoint") or kwargs.get("allow_service"))
        guard = contextlib.nullcontext() if online else no_network()
        try:
            with guard:
                return func(*args, **kwargs)
        except RmpGraphError as exc:
            click.echo(f"rmpgraph: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("rmpgraph: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
