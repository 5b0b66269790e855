"""`rmpgraph query list|show|run` (stored queries) and `rmpgraph sparql` (ad hoc)."""

from __future__ import annotations

from pathlib import Path

import click

from rmpgraph.cli.common import (
    handle_errors,
    optional_inputs_argument,
    source_options,
    writing,
)
from rmpgraph.errors import InputError, UsageError
from rmpgraph.graph.serialize import atomic_write
from rmpgraph.queries.results import FORMATS, render, render_boolean
from rmpgraph.queries.stored import Outcome, bind_params, get_query, load_queries

__all__ = ["group", "sparql"]

format_option = click.option(
    "-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="table",
    show_default=True,
    help="table (terminal), csv / tsv / json (W3C SPARQL 1.1 results), markdown.",
)
output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False),
    help="Write the results to this file (atomically) instead of stdout.",
)
service_option = click.option(
    "--allow-service", is_flag=True,
    help="Permit SERVICE clauses (they send requests to remote endpoints).",
)


def _emit(outcome: Outcome, fmt: str, output: str | None) -> None:
    if outcome.kind == "select":
        text = render(fmt, outcome.variables, outcome.rows)
    elif outcome.kind == "ask":
        text = render_boolean(fmt, bool(outcome.boolean))
    else:
        from rmpgraph.graph.serialize import serialize

        text = serialize(outcome.graph, "turtle")  # type: ignore[arg-type]
    if output:
        with writing(output):
            atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        click.echo(text, nl=False)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param expects NAME=VALUE, got {pair!r}")
        if name.strip() in params:
            raise UsageError(f"parameter {name.strip()!r} given twice")
        params[name.strip()] = value
    return params


@click.group("query")
def group() -> None:
    """Stored SPARQL queries (queries/*.rq) over RMP graphs."""


@group.command("list")
@handle_errors
def list_command() -> None:
    """Name, title and parameters of every stored query."""
    for name, query in load_queries().items():
        params = ", ".join(
            f"{p.name}:{p.type}" + ("" if p.required else "?") for p in query.params
        )
        click.echo(f"{name}\t{query.title}" + (f"\t[{params}]" if params else ""))


@group.command("show")
@click.argument("name")
@handle_errors
def show_command(name: str) -> None:
    """Print a stored query: its header (question, parameters) and SPARQL."""
    click.echo(get_query(name).text, nl=False)


@group.command("run")
@click.argument("name")
@optional_inputs_argument
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Parameter value (repeatable); see `rmpgraph query show NAME`.")
@format_option
@output_option
@service_option
@source_options
@handle_errors
def run_command(name: str, inputs: tuple[str, ...], params: tuple[str, ...],
                fmt: str, output: str | None, allow_service: bool, store: str | None,
                endpoint: str | None) -> None:
    """Run stored query NAME over INPUTS (RMP texts/PDFs or RDF files), the store or
    an endpoint."""
    from rmpgraph.store.sources import open_source

    query = get_query(name)  # unknown names and bad values fail before any input
    bindings = bind_params(query, _parse_params(params))
    source = open_source(inputs, store, endpoint)
    outcome = source.outcome(query.text, bindings, allow_service=allow_service,
                             path=query.path)
    _emit(outcome, fmt, output)


@click.command("sparql")
@click.argument("args", nargs=-1, required=True)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, exists=False),
              help="Read the query from this file; then every argument is an input.")
@format_option
@output_option
@service_option
@source_options
@handle_errors
def sparql(args: tuple[str, ...], query_file: str | None, fmt: str,
           output: str | None, allow_service: bool, store: str | None,
           endpoint: str | None) -> None:
    """Run an ad hoc SPARQL query: sparql 'SELECT ...' INPUT... or --file q.rq INPUT...

    Updates (INSERT, DELETE, LOAD...) and FROM clauses are refused; CONSTRUCT and
    DESCRIBE print Turtle.
    """
    if query_file:
        try:
            text = Path(query_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read query file ({exc})", path=query_file) \
                from None
        inputs, where = args, query_file
    else:
        if len(args) < 2 and not (store or endpoint):
            raise UsageError("expected a query and at least one INPUT")
        text, inputs, where = args[0], args[1:], None
    from rmpgraph.queries.stored import check_request
    from rmpgraph.store.sources import open_source

    check_request(text, allow_service=allow_service, path=where)  # before loading
    source = open_source(inputs, store, endpoint)
    _emit(source.outcome(text, allow_service=allow_service, path=where), fmt, output)
