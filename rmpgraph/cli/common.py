"""Options and error handling shared by the sub-commands."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from rmpgraph.errors import EXIT_INPUT, InputError, RmpGraphError, UsageError

__all__ = ["inputs_argument", "optional_inputs_argument", "source_options",
           "handle_errors", "warn", "writing", "write_together", "write_text",
           "examples", "graph_format_option", "is_stdout", "source_from_options"]



def examples(*lines: str) -> str:
    """The epilog every command's --help ends with: example command lines, kept
    as written (click's `\b` marker stops it from rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)

#: temporary siblings made by `serialize.atomic_write` and `write_together`
_TEMP = re.compile(r"^\.(?P<name>.+)\.[^.]+\.tmp$")

F = TypeVar("F", bound=Callable[..., Any])

inputs_argument = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(dir_okay=False)
)


optional_inputs_argument = click.argument(
    "inputs", nargs=-1, required=False, type=click.Path(dir_okay=False)
)


def _graph_formats() -> list[str]:
    # the names only; importing the API here would load rdflib for `--help`
    return ["ttl", "nt", "jsonld", "trig", "nq", "xml"]


graph_format_option = click.option(
    "-f", "--format", "fmt", type=click.Choice(_graph_formats()), default=None,
    help="Output graph format (xml = RDF/XML). Default: from the -o extension, "
         "else ttl.")


def is_stdout(output: str | None) -> bool:
    """No -o, or `-o -`: write to standard output."""
    return output is None or output == "-"


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


def source_from_options(inputs: Sequence[str], store: str | None,
                        endpoint: str | None) -> Any:
    """What `rmpgraph.api` reads, from INPUT / --store / --endpoint (exactly one).
    A store directory is read through the API's guarded store source (read-only,
    memory-limited child), never opened for writing."""
    from rmpgraph.api.sources import open_endpoint, open_store

    if sum([bool(inputs), bool(store), bool(endpoint)]) != 1:
        raise UsageError("give INPUT files, or --store PATH, or --endpoint URL "
                         "(exactly one)")
    if store:
        return open_store(store)
    if endpoint:
        return open_endpoint(endpoint)
    return list(inputs)


def warn(message: str) -> None:
    """One line on stderr, prefixed so scripts can filter it."""
    click.echo(f"rmpgraph: warning: {message}", err=True)


def _reason(exc: OSError) -> str:
    if isinstance(exc, (FileExistsError, NotADirectoryError)) and exc.filename:
        return f"{exc.filename} is not a directory"
    return exc.strerror or type(exc).__name__


def _named(filename: object) -> str:
    """The path a user gave for a temporary sibling's name (atomic writes)."""
    path = Path(str(filename))
    m = _TEMP.match(path.name)
    return str(path.with_name(m["name"])) if m else str(path)


@contextlib.contextmanager
def writing(*paths: str | Path) -> Iterator[None]:
    """Output errors (no directory, a path under a regular file, read-only, a full
    disk) as one line naming the output; the old output stays as it was because
    every output is written to a temporary sibling and renamed."""
    try:
        yield
    except OSError as exc:
        name = _named(exc.filename) if exc.filename else ""
        given = [str(p) for p in paths]
        # the output the failing file or directory belongs to, as the user gave it
        target = next((p for p in given if name and (
            p == name or p.startswith(name.rstrip("/") + "/"))),
            name or ", ".join(given))
        raise InputError(f"cannot write {target} ({_reason(exc)})") from None


def write_together(writers: Sequence[tuple[str | Path, Callable[[Path], None]]]
                   ) -> None:
    """Write several outputs (a graph and its SSSOM table) all or none: each to a
    temporary sibling, and only when every one succeeded, rename them all."""
    temps: list[tuple[Path, Path]] = []
    with writing(*(p for p, _ in writers)):
        try:
            for path, write in writers:
                target = Path(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
                temps.append((tmp, target))
                write(tmp)
            for tmp, target in temps:
                os.replace(tmp, target)
        finally:
            for tmp, _ in temps:
                tmp.unlink(missing_ok=True)


def write_text(output: str | None, text: str) -> None:
    """`text` to the file `output` (atomically) or, for None or `-`, to stdout."""
    if is_stdout(output):
        click.echo(text, nl=False)
        return
    assert output is not None
    write_together([(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))])


def _reader_gone() -> None:
    """stdout's reader stopped reading (`rmpgraph query run … | head`): no error
    line, as other Unix tools, and exit 141 (128 + SIGPIPE) as a shell reports a
    process the pipe ended. stdout goes to /dev/null first, or the interpreter's
    own flush at exit would fail again (Python's documented recipe)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)


def handle_errors(func: F) -> F:
    """Turn RmpGraphError into one stderr line and its exit code (no traceback), and
    run the command offline unless it was given an endpoint or --allow-service."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from rmpgraph.netguard import no_network

        online = bool(kwargs.get("endpoint") or kwargs.get("allow_service"))
        guard = contextlib.nullcontext() if online else no_network()
        try:
            with guard:
                return func(*args, **kwargs)
        except BrokenPipeError:
            _reader_gone()
        except RmpGraphError as exc:
            if isinstance(exc.__cause__ or exc.__context__, BrokenPipeError):
                _reader_gone()
            click.echo(f"rmpgraph: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # one not met by `writing` or an input reader
            where = f"{_named(exc.filename)}: " if exc.filename else ""
            click.echo(f"rmpgraph: error: {where}{_reason(exc)}", err=True)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("rmpgraph: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
