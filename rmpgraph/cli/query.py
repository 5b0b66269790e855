"""`rmpgraph query list|show|run` (stored queries) and `rmpgraph sparql` (ad hoc)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import click

from rmpgraph.api.querying import is_query_name, prefixes
from rmpgraph.api.results import result_formats
from rmpgraph.cli.common import (
    examples,
    handle_errors,
    is_stdout,
    optional_inputs_argument,
    source_from_options,
    source_options,
    write_together,
)
from rmpgraph.errors import UsageError

__all__ = ["group", "sparql"]

format_option = click.option(
    "-f", "--format", "fmt", type=click.Choice(result_formats()), default="table",
    show_default=True,
    help="table (terminal), csv / tsv / json / xml (W3C SPARQL 1.1 results), "
         "markdown. CONSTRUCT and DESCRIBE print Turtle.",
)
output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the results to this file (atomically); - or none: stdout.",
)
iris_option = click.option(
    "--iris", is_flag=True,
    help="In table and markdown output, show IRIs (prefixed) instead of labels.")
service_option = click.option(
    "--allow-service", is_flag=True,
    help="Permit SERVICE clauses (they send requests to remote endpoints).",
)
queries_option = click.option(
    "--queries", "queries_dirs", multiple=True, metavar="DIR",
    type=click.Path(file_okay=False),
    help="Also read your own stored queries (.rq with a #+ header) from DIR "
         "(repeatable); a name also shipped is an error.")


def _paging(func: Callable[..., Any]) -> Callable[..., Any]:
    """--limit / --offset, taken as text so a bad value is one line, not click's
    three-line usage error."""
    func = click.option("--offset", metavar="N",
                        help="Skip the first N rows.")(func)
    return click.option("--limit", metavar="N",
                        help="At most N rows (after --offset).")(func)


def _count(value: str | None, option: str, least: int) -> int | None:
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]+", value.strip()) or int(value) < least:
        kind = "a positive whole number" if least else "a whole number (0 or more)"
        raise UsageError(f"{option} expects {kind}, got {value!r}")
    return int(value)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """NAME=VALUE pairs; `-` in a name reads as `_` (parameter names never hold a
    hyphen, and options are spelt with one: `-p as-of=...` is `as_of`)."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name:
            raise UsageError(f"--param expects NAME=VALUE, got {pair!r}")
        if name in params:
            raise UsageError(f"parameter {name!r} given twice")
        params[name] = value
    return params


def _run(text: str | Path, inputs: tuple[str, ...], store: str | None,
         endpoint: str | None, *, params: dict[str, str] | None = None,
         fmt: str, output: str | None, allow_service: bool,
         queries: tuple[str, ...] = (), limit: str | None = None,
         offset: str | None = None, iris: bool = False) -> None:
    """Results go straight to the output (`write_query` streams a store's rows as
    they come); a file is a temporary sibling renamed at the end, so an error half
    way leaves no partial file."""
    from rmpgraph.api.querying import write_query

    lim, off = _count(limit, "--limit", 1), _count(offset, "--offset", 0)
    source = source_from_options(inputs, store, endpoint)

    def write(sink: BinaryIO) -> None:
        write_query(text, source, sink, params, format=fmt,
                    queries_dir=list(queries) or None, limit=lim, offset=off,
                    allow_service=allow_service, iris=iris)

    if is_stdout(output):
        sys.stdout.flush()  # anything written as text goes first
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    assert output is not None

    def to_file(tmp: Path) -> None:
        with open(tmp, "wb") as sink:
            write(sink)

    write_together([(output, to_file)])


@click.group("query", epilog=examples(
    "rmpgraph query list",
    "rmpgraph query show overdue-milestones",
    "rmpgraph query run overdue-milestones -p as_of=2026-11-25 out/x.ttl -f csv"))
def group() -> None:
    """Stored SPARQL queries (queries/*.rq) over RMP graphs."""


@group.command("list", epilog=examples("rmpgraph query list",
                                       "rmpgraph query list --queries my-queries"))
@queries_option
@handle_errors
def list_command(queries_dirs: tuple[str, ...]) -> None:
    """Name, title and parameters of every stored query."""
    from rmpgraph import api

    for name, query in api.list_queries(list(queries_dirs) or None).items():
        params = ", ".join(
            f"{p.name}:{p.type}" + ("" if p.required else "?") for p in query.params
        )
        click.echo(f"{name}\t{query.title}" + (f"\t[{params}]" if params else ""))


@group.command("show", epilog=examples("rmpgraph query show concerns-by-soc"))
@click.argument("name")
@queries_option
@handle_errors
def show_command(name: str, queries_dirs: tuple[str, ...]) -> None:
    """Print a stored query: its header (question, parameters) and SPARQL."""
    from rmpgraph import api

    click.echo(api.get_query(name, list(queries_dirs) or None).text, nl=False)


@group.command("run", epilog=examples(
    "rmpgraph query run concerns-without-additional-rmm data/rmp/lemtrada.txt",
    "rmpgraph query run overdue-milestones -p as_of=2026-11-25 --store "
    ".rmpgraph/store -f csv -o overdue.csv",
    "rmpgraph query run my-question --queries my-queries out/x.ttl --limit 10"))
@click.argument("name")
@optional_inputs_argument
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Parameter value (repeatable); see `rmpgraph query show NAME`.")
@format_option
@iris_option
@output_option
@_paging
@queries_option
@service_option
@source_options
@handle_errors
def run_command(name: str, inputs: tuple[str, ...], params: tuple[str, ...],
                fmt: str, iris: bool, output: str | None, limit: str | None,
                offset: str | None, queries_dirs: tuple[str, ...],
                allow_service: bool, store: str | None, endpoint: str | None) -> None:
    """Run stored query NAME over INPUTS (RMP texts/PDFs or RDF files), the store or
    an endpoint.

    A product, rmp or version parameter that names nothing in the source is an
    error (exit 2), not an empty table. On --store, csv, tsv, json and xml rows
    are written as the store produces them.
    """
    if not is_query_name(name):
        raise UsageError(f"unknown query {name!r}; `rmpgraph query list` names them "
                         "(ad hoc SPARQL: `rmpgraph sparql`)")
    _run(name, inputs, store, endpoint, params=_parse_params(params), fmt=fmt,
         output=output, allow_service=allow_service, queries=queries_dirs,
         limit=limit, offset=offset, iris=iris)


@click.command("sparql", epilog=examples(
    "rmpgraph sparql 'SELECT ?c WHERE { ?c a rmp:MissingInformation }' out/x.ttl",
    "rmpgraph sparql --file q.rq --store .rmpgraph/store -f json --limit 100",
    "prefixes declared for you: " + ", ".join(prefixes())))
@click.argument("args", nargs=-1, required=True)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, exists=False),
              help="Read the query from this file; then every argument is an input.")
@format_option
@iris_option
@output_option
@_paging
@service_option
@source_options
@handle_errors
def sparql(args: tuple[str, ...], query_file: str | None, fmt: str, iris: bool,
           output: str | None, limit: str | None, offset: str | None,
           allow_service: bool, store: str | None, endpoint: str | None) -> None:
    """Run an ad hoc SPARQL query: sparql 'SELECT ...' INPUT... or --file q.rq INPUT...

    The project's prefixes (rmp:, rmpv:, id:, skos:, prov:, dcterms:...) are
    declared. Updates (INSERT, DELETE, LOAD...) and FROM clauses are refused;
    CONSTRUCT and DESCRIBE print Turtle.
    """
    text: str | Path
    if query_file:
        text, inputs = Path(query_file), args
    else:
        if len(args) < 2 and not (store or endpoint):
            raise UsageError("expected a query and at least one INPUT")
        text, inputs = args[0], args[1:]
        if is_query_name(text):
            raise UsageError(f"{text.strip()!r} is not SPARQL; stored queries run "
                             "with `rmpgraph query run NAME`")
    _run(text, inputs, store, endpoint, fmt=fmt, output=output,
         allow_service=allow_service, limit=limit, offset=offset, iris=iris)
