"""`rmpgraph build`: RMP summaries (text or PDF) -> RDF file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click
from rdflib import Graph

from rmpgraph.cli.common import handle_errors, inputs_argument, warn, write_together
from rmpgraph.graph.pipeline import BuildResult, build_source, unaccounted_lines
from rmpgraph.graph.serialize import format_for, serialize
from rmpgraph.parse.read import read_source


def _summary(path: str, result: BuildResult) -> str:
    doc = result.document
    cats = Counter(c.category.value for c in doc.concerns)
    by_cat = ", ".join(f"{n} {k}" for k, n in sorted(cats.items()))
    milestones = sum(len(s.milestones) for s in doc.studies)
    return (f"{path}: {doc.product.name}: {len(doc.concerns)} safety concerns "
            f"({by_cat}), {len(doc.studies)} studies, {milestones} milestones, "
            f"{len(result.graph)} triples")


def _graph_name(result: BuildResult) -> str | None:
    from rdflib.namespace import RDF

    from rmpgraph.graph.namespaces import RMP
    from rmpgraph.store.embedded import graph_iri

    rmp = next(result.graph.subjects(RDF.type, RMP.RiskManagementPlan), None)
    return graph_iri(str(rmp))[0] if rmp is not None else None


@click.command("build")
@inputs_argument
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
              help="Output file; format from the extension (.ttl .nt .jsonld .trig "
                   ".nq). Default: Turtle on stdout.")
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
def command(inputs: tuple[str, ...], output: str | None, explain: bool,
            meddra_dir: str | None, meddra_version: str | None, sssom: str | None,
            ema: bool) -> None:
    """Parse RMP Part VI summaries into one RDF graph (in .trig/.nq output, a single
    RMP goes into its named graph, as in the store)."""
    if output:
        format_for(output)  # fail on a bad extension before doing any work
    if sssom and not meddra_dir:
        raise click.UsageError("--sssom needs --meddra")
    merged = Graph()
    graph_name = None
    for path in inputs:
        result = build_source(read_source(path))
        for triple in result.graph:
            merged.add(triple)
        click.echo(_summary(path, result), err=True)
        if len(inputs) == 1:
            graph_name = _graph_name(result)
        for issue in result.document.issues:
            quote = f": {issue.text[:80]}" if issue.text else ""
            warn(f"{path}:{issue.line}: {issue.reason}{quote}")
        if explain:
            if result.source.furniture:  # removed by the PDF/DOCX reader
                click.echo(f"{path}: {len(result.source.furniture)} page header/"
                           "footer lines removed by the reader", err=True)
            for reason, lines in unaccounted_lines(result).items():
                click.echo(f"{path}: {len(lines)} lines {reason}:", err=True)
                for no, text in lines:
                    click.echo(f"  {no:>5}  {text}", err=True)
    writers: list[tuple[str, Callable[[Path], None]]] = []
    if meddra_dir:
        from rmpgraph.link import link_meddra, summary_lines, write_link_sssom

        linked = link_meddra(merged, Path(meddra_dir), meddra_version=meddra_version)
        merged = linked.graph
        for line in summary_lines(linked):
            click.echo(line, err=True)
        if sssom:
            writers.append((sssom, lambda tmp: write_link_sssom(linked, tmp)))
    if ema:
        from rmpgraph.link import link_ema

        merged = link_ema(merged)
    if output:
        text = serialize(merged, format_for(output), graph_iri=graph_name)
        writers.append((output, lambda tmp: tmp.write_text(text, encoding="utf-8")))
    # the graph and its SSSOM table are written together or not at all
    write_together(writers)
    if not output:
        click.echo(serialize(merged, "turtle"), nl=False)
