"""`rmpgraph build`: RMP summaries (text, PDF, DOCX) -> RDF file or stdout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from rmpgraph.cli.common import (
    examples,
    graph_format_option,
    handle_errors,
    inputs_argument,
    is_stdout,
    warn,
    write_together,
)


@click.command("build", epilog=examples(
    "rmpgraph build data/rmp/lemtrada.txt -o out/lemtrada.ttl",
    "rmpgraph build summary.pdf -f xml > out/summary.rdf",
    "rmpgraph build a.pdf b.docx --explain -f nt -o -"))
@inputs_argument
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False,
                                                          allow_dash=True),
              help="Output file (- for stdout); format from -f, else from the "
                   "extension (.ttl .nt .jsonld .trig .nq .rdf/.owl/.xml). "
                   "Default: stdout.")
@graph_format_option
@click.option("--rmp-version", metavar="V",
              help="Version number of the RMP (e.g. 8.2) when the summary does not "
                   "state it; one input only.")
@click.option("--rmp-date", metavar="YYYY-MM-DD",
              help="Date of that RMP version when the summary does not state it.")
@click.option("--explain", is_flag=True,
              help="Report every non-blank source line that is not in the graph.")
@click.option("--meddra", "meddra_dir", type=click.Path(file_okay=False, exists=True),
              help="Also link concerns to MedDRA from this (licensed) ASCII "
                   "distribution directory.")
@click.option("--meddra-version", help="MedDRA version when the distribution lacks "
                                       "meddra_release.asc.")
@click.option("--sssom", type=click.Path(dir_okay=False),
              help="With --meddra: also write the mappings as SSSOM TSV.")
@click.option("--ema/--no-ema", default=False,
              help="Also add typed EMA identifiers and EDQM/ATC links.")
@handle_errors
def command(inputs: tuple[str, ...], output: str | None, fmt: str | None,
            rmp_version: str | None, rmp_date: str | None, explain: bool,
            meddra_dir: str | None, meddra_version: str | None, sssom: str | None,
            ema: bool) -> None:
    """Parse RMP Part VI summaries into one RDF graph (in .trig/.nq output, a single
    RMP goes into its named graph, as in the store)."""
    from rmpgraph import api
    from rmpgraph.api.documents import graph_format, graph_text

    to_stdout = is_stdout(output)
    fmt = graph_format(fmt, None if to_stdout else output)  # fail before any work
    if sssom and not meddra_dir:
        raise click.UsageError("--sssom needs --meddra")
    doc = api.build(list(inputs), rmp_version=rmp_version, rmp_date=rmp_date)
    for built in doc.files:
        click.echo(built.summary(), err=True)
        for issue in (i for i in doc.issues if i.file == built.path):
            warn(str(issue))
        if explain and built.furniture:  # removed by the PDF/DOCX reader
            click.echo(f"{built.path}: {len(built.furniture)} page header/footer "
                       "lines removed by the reader", err=True)
        if explain:
            for reason, lines in built.unaccounted().items():
                click.echo(f"{built.path}: {len(lines)} lines {reason}:", err=True)
                for no, text in lines:
                    click.echo(f"  {no:>5}  {text}", err=True)
    graph = doc.graph
    writers: list[tuple[str, Callable[[Path], None]]] = []
    if meddra_dir:
        linked = api.link_meddra(doc, meddra_dir, meddra_version=meddra_version)
        graph = linked.graph
        for line in api.link_summary(linked):
            click.echo(line, err=True)
        if sssom:
            writers.append((sssom, lambda tmp: api.write_sssom(linked, tmp)))
    if ema:
        graph = api.link_ema(graph).graph
    graph_iri = doc.named_graph() if len(inputs) == 1 else None
    text = graph_text(graph, fmt, graph_iri=graph_iri)
    if not to_stdout:
        assert output is not None
        writers.append((output, lambda tmp: tmp.write_text(text, encoding="utf-8")))
    # the graph and its SSSOM table are written together or not at all
    write_together(writers)
    if to_stdout:
        click.echo(text, nl=False)
