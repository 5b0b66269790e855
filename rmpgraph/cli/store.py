"""`rmpgraph load | remove | list | push | check-store`: the persistent store and
remote endpoints.

One click command per attribute (`load`, `remove`, `list_`, `push`, `check_store`)
so the CLI registry adds each as a top-level command. Each calls
`rmpgraph.api.storeops`, where only `load` may create a store and the readers
(`list`, `push`, `check-store`) run read-only in a memory-limited child, so they
work during a load and never create anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import click

from rmpgraph.api import storeops
from rmpgraph.api.storeops import DEFAULT_STORE, LoadOutcome, LoadStoppedError
from rmpgraph.cli.common import examples, handle_errors, inputs_argument
from rmpgraph.errors import EXIT_FINDINGS, EXIT_INPUT, UsageError

__all__ = ["load", "remove", "list_", "push", "check_store"]

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


@contextmanager
def _counted_progress(label: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar for work whose size the API learns first: the callback gets
    (done, total) and the bar is drawn from the first call."""
    with ExitStack() as stack:
        bar: Any = None

        def tick(done: int, total: int) -> None:
            nonlocal bar
            if quiet or not sys.stderr.isatty() or total < 2:
                return
            if bar is None:
                bar = stack.enter_context(
                    click.progressbar(length=total, label=label, file=sys.stderr))
            bar.update(1)

        yield tick


def _echo_outcome(o: LoadOutcome) -> None:
    if o.status == "failed":
        click.echo(f"failed\t0\t\t{o.path}\t{o.error}")
    else:
        click.echo(f"{o.status}\t{o.triples}\t{o.graph}\t{o.path}")


@click.command("load", epilog=examples(
    "rmpgraph load data/rmp/lemtrada.txt",
    "rmpgraph load --store /data/rmp-store -j 2 ~/epar/*.pdf built/*.ttl",
    "rmpgraph load --store S lemtrada-v8.pdf --rmp-version 8.2 --rmp-date 2024-05-01",
    "rmpgraph load --store S --versions versions.tsv --keep-going ~/epar/*.pdf"))
@inputs_argument
@store_option
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes parsing documents in parallel.")
@click.option("--keep-going", is_flag=True,
              help="Load the other documents when one cannot be used (listed as "
              "'failed'; exit status 2 at the end).")
@click.option("--rmp-version", metavar="N.N",
              help="The document's RMP version number (e.g. 8.2), where the text "
              "does not state it; one document per load.")
@click.option("--rmp-date", metavar="YYYY-MM-DD",
              help="The document's RMP version date (sign-off), likewise.")
@click.option("--versions", "versions_file", type=click.Path(dir_okay=False),
              metavar="TSV", help="Version number and date per document: lines "
              "'FILE-NAME<TAB>N.N<TAB>YYYY-MM-DD' (date optional).")
@quiet_option
@handle_errors
def load(inputs: tuple[str, ...], store_path: str, jobs: int, keep_going: bool,
         rmp_version: str | None, rmp_date: str | None, versions_file: str | None,
         quiet: bool) -> None:
    """Add RMP summaries (text, PDF or one-RMP RDF files) to the store.

    Documents already in the store (same content hash) are skipped. A document
    that cannot be used stops the load (those before it stay loaded, and the
    summary says which were not attempted) unless --keep-going is given.
    Consecutive versions of a product are linked (prov:wasRevisionOf), ordered
    by version date, then number, then load order.
    """
    storeops.check_version(rmp_version, rmp_date, len(inputs))
    if versions_file and (rmp_version or rmp_date):
        raise UsageError("give --versions or --rmp-version/--rmp-date, not both")
    versions = storeops.read_versions(versions_file) if versions_file else None
    try:
        with _progress(len(inputs), "loading", quiet) as tick:
            outcomes = storeops.load(
                inputs, store_path, jobs=jobs, progress=tick, keep_going=keep_going,
                rmp_version=rmp_version, rmp_date=rmp_date, versions=versions)
    except LoadStoppedError as stop:
        for o in stop.outcomes:
            _echo_outcome(o)
        loaded = sum(o.status == "loaded" for o in stop.outcomes)
        click.echo(f"rmpgraph: error: {stop}", err=True)
        click.echo(f"rmpgraph: load stopped: {loaded} loaded, "
                   f"{len(stop.outcomes) - loaded} already in {store_path}, 1 failed, "
                   f"{len(stop.not_attempted)} not attempted (--keep-going loads "
                   "past bad documents)", err=True)
        sys.exit(EXIT_INPUT)
    for o in outcomes:
        _echo_outcome(o)
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        click.echo(f"rmpgraph: error: {o.error}", err=True)
    if not quiet or failed:
        loaded = sum(o.status == "loaded" for o in outcomes)
        skipped = len(outcomes) - loaded - len(failed)
        click.echo(f"rmpgraph: {loaded} loaded, {skipped} already in {store_path}"
                   + (f", {len(failed)} failed" if failed else ""), err=True)
    if failed:
        sys.exit(EXIT_INPUT)


@click.command("remove", epilog=examples(
    "rmpgraph remove LEMTRADA --store /data/rmp-store",
    "rmpgraph remove https://w3id.org/rmpgraph/graph/lemtrada/659dc422ff1a"))
@click.argument("targets", nargs=-1, required=True)
@store_option
@quiet_option
@handle_errors
def remove(targets: tuple[str, ...], store_path: str, quiet: bool) -> None:
    """Remove RMPs by product name or slug, product/RMP IRI, or graph IRI."""
    for entry in storeops.remove(targets, store_path):
        if not quiet:
            click.echo(f"removed\t{entry.graph}\t{entry.file_name}")


@click.command("list", epilog=examples(
    "rmpgraph list --store /data/rmp-store",
    "rmpgraph list --all   # with the ontology and vocabulary graphs"))
@store_option
@click.option("--all", "show_all", is_flag=True,
              help="Also list the ontology and vocabulary graphs.")
@handle_errors
def list_(store_path: str, show_all: bool) -> None:
    """What the store holds: one tab-separated line per graph."""
    entries = storeops.list_graphs(store_path, include_vocabularies=show_all)
    click.echo("product\tfile\ttriples\tsha256\tloaded\tgraph")
    for e in entries:
        click.echo(f"{e.product_label or e.kind}\t{e.file_name}\t{e.triples}\t"
                       f"{e.sha256[:12]}\t{e.loaded_at}\t{e.graph}")


@click.command("push", epilog=examples(
    "rmpgraph push --endpoint http://127.0.0.1:7878/query",
    "rmpgraph push LEMTRADA --store S --endpoint http://localhost:3030/ds/sparql "
    "--default-graph"))
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
    rdfs:subClassOf or read SKOS labels answer the same remotely; a whole-store
    push also sends the version links. A target that names no RMP in the store
    stops the push before anything is sent (exit status 2).
    """
    with _counted_progress("pushing", quiet) as tick:
        graphs = storeops.push(store_path, endpoint, targets, graph_store=graph_store,
                               default_graph=default_graph, progress=tick)
    if not quiet:
        click.echo(f"rmpgraph: pushed {len(graphs)} graphs to {endpoint}", err=True)


@click.command("check-store", epilog=examples(
    "rmpgraph check-store --store /data/rmp-store"))
@store_option
@handle_errors
def check_store(store_path: str) -> None:
    """Compare each graph's quad count with the count recorded when it was loaded.

    Exit status: 0 sound, 1 one line per graph that differs, 2 damaged or no store.
    """
    checked = storeops.check_store(store_path)
    findings, graphs, quads = checked.findings, checked.graphs, checked.quads
    for f in findings:
        click.echo(f"{store_path}: {f}")
    if findings:
        click.echo(f"rmpgraph: {len(findings)} of {graphs} graphs differ from the "
                   f"catalogue; rebuild the store with `rmpgraph load --store NEW …`",
                   err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"rmpgraph: {store_path}: {graphs} graphs, {quads} quads, all as "
               "recorded at load", err=True)
