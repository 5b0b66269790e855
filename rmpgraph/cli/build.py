"""`rmpgraph build`: RMP summaries (text or PDF) -> RDF file."""

from __future__ import annotations

import click
from rdflib import Graph

from ..pipeline import build_source, unaccounted_lines
from ..read import read_source
from ..serialize import format_for, write_graph
from .common import handle_errors, inputs_argument, warn


@click.command("build")
@inputs_argument
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    help="Output file; format from the extension (.ttl .nt .jsonld .trig .nq). "
    "Default: Turtle on stdout.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Report every non-blank source line that is not in the graph.",
)
@handle_errors
def command(inputs: tuple[str, ...], output: str | None, explain: bool) -> None:
    """Parse RMP Part VI summaries into one RDF graph."""
    if output:
        format_for(output)  # fail on a bad extension before doing any work
    merged = Graph()
    for path in inputs:
        result = build_source(read_source(path))
        for triple in result.graph:
            merged.add(triple)
        doc = result.document
        counts = (
            {c.value: 0 for c in type(doc.concerns[0].category)} if doc.concerns else {}
        )
        for c in doc.concerns:
            counts[c.category.value] += 1
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        click.echo(
            f"{path}: {doc.product.name}: {len(doc.concerns)} safety concerns "
            f"({summary}), {len(doc.studies)} studies, "
            f"{sum(len(s.milestones) for s in doc.studies)} milestones, "
            f"{len(result.graph)} triples",
            err=True,
        )
        problems = [i for i in doc.issues]
        for issue in problems:
            warn(f"{path}:{issue.line}: {issue.reason}: {issue.text[:80]}")
        if explain:
            report = unaccounted_lines(result)
            for reason, lines in report.items():
                click.echo(f"{path}: {len(lines)} lines {reason}:", err=True)
                for no, text in lines:
                    click.echo(f"  {no:>5}  {text}", err=True)
    if output:
        write_graph(merged, output)
    else:
        from ..serialize import serialize

        click.echo(serialize(merged, "turtle"), nl=False)
