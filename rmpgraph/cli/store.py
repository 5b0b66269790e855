"""`rmpgraph load | remove | list | push`: the persistent store and remote endpoints.

One click command per attribute (`load`, `remove`, `list_`, `push`) so the CLI
registry adds each as a top-level command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from ..endpoint import Endpoint
from ..store import DEFAULT_STORE, LoadOutcome, RmpStore
from .common import handle_errors, inputs_argument

__all__ = ["load", "remove", "list_", "push"]

store_option = click.option(
    "--store", "store_path", type=click.Path(file_okay=False),
    default=str(DEFAULT_STORE), show_default=True,
    help="Directory of the embedded Oxigraph store.")
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")


@contextmanager
def _progress(total: int, label: str, quiet: bool) -> Iterator[Callable[..., None]]:
    """A progress bar on a terminal; silent when piped or with --quiet."""
    if quiet or not sys.stderr.isatty() or total < 2:
        yield lambda *_: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda *_: bar.update(1)


@click.command("load")
@inputs_argument
@store_option
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes parsing documents in parallel.")
@quiet_option
@handle_errors
def load(inputs: tuple[str, ...], store_path: str, jobs: int, quiet: bool) -> None:
    """Add RMP summaries (text, PDF or one-RMP RDF files) to the store.

    Documents already in the store (same content hash) are skipped.
    """
    with RmpStore(store_path) as store, \
            _progress(len(inputs), "loading", quiet) as tick:
        outcomes: list[LoadOutcome] = store.load(inputs, jobs=jobs, progress=tick)
    for o in outcomes:
        click.echo(f"{o.status}\t{o.triples}\t{o.graph}\t{o.path}")
    if not quiet:
        loaded = sum(o.status == "loaded" for o in outcomes)
        click.echo(f"rmpgraph: {loaded} loaded, {len(outcomes) - loaded} already in "
                   f"{store_path}", err=True)


@click.command("remove")
@click.argument("targets", nargs=-1, required=True)
@store_option
@quiet_option
@handle_errors
def remove(targets: tuple[str, ...], store_path: str, quiet: bool) -> None:
    """Remove RMPs by product name or slug, product/RMP IRI, or graph IRI."""
    with RmpStore(store_path) as store:
        for target in targets:
            for entry in store.remove(target):
                if not quiet:
                    click.echo(f"removed\t{entry.graph}\t{entry.file_name}")


@click.command("list")
@store_option
@click.option("--all", "show_all", is_flag=True,
              help="Also list the ontology and vocabulary graphs.")
@handle_errors
def list_(store_path: str, show_all: bool) -> None:
    """What the store holds: one tab-separated line per graph."""
    with RmpStore(store_path) as store:
        entries = store.list()
    click.echo("product\tfile\ttriples\tsha256\tloaded\tgraph")
    for e in entries:
        if e.kind == "rmp" or show_all:
            click.echo(f"{e.product_label or e.kind}\t{e.file_name}\t{e.triples}\t"
                       f"{e.sha256[:12]}\t{e.loaded_at}\t{e.graph}")


@click.command("push")
@click.argument("targets", nargs=-1)
@store_option
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL query URL (Oxigraph: http://host:7878/query; Fuseki: "
              "http://host:3030/ds/sparql). Credentials: RMPGRAPH_ENDPOINT_TOKEN or "
              "RMPGRAPH_ENDPOINT_USER/RMPGRAPH_ENDPOINT_PASSWORD.")
@click.option("--graph-store", metavar="URL",
              help="Graph Store Protocol URL, when not next to the query URL.")
@click.option("--default-graph", is_flag=True,
              help="Add everything to the default graph (servers without a union "
              "default graph) instead of one named graph per RMP.")
@quiet_option
@handle_errors
def push(targets: tuple[str, ...], store_path: str, endpoint: str,
         graph_store: str | None, default_graph: bool, quiet: bool) -> None:
    """Copy RMP graphs (all, or the given products/graphs) to a SPARQL endpoint.

    The ontology and vocabulary graphs go too, so stored queries that follow
    rdfs:subClassOf or read SKOS labels answer the same remotely.
    """
    remote = Endpoint(endpoint, graph_store=graph_store)
    with RmpStore(store_path) as store:
        entries = store.list()
        if targets:
            wanted = set(targets)
            entries = [e for e in entries if e.kind != "rmp" or wanted & {
                e.graph, e.rmp, e.product, e.product_label, e.file_name}]
        with _progress(len(entries), "pushing", quiet) as tick:
            for e in entries:
                remote.put_graph(None if default_graph else e.graph,
                                 store.graph_quads(e.graph))
                tick()
    if not quiet:
        click.echo(f"rmpgraph: pushed {len(entries)} graphs to {endpoint}", err=True)
