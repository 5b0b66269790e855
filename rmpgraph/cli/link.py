"""`rmpgraph link meddra|ema`: add vocabulary links to built graphs or RMP texts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from rdflib import Graph

from rmpgraph.cli.common import handle_errors, inputs_argument, write_together
from rmpgraph.errors import EXIT_FINDINGS
from rmpgraph.graph.inputs import load_graph
from rmpgraph.graph.serialize import format_for, serialize

__all__ = ["group"]

_output = click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
    help="Output graph; format from the extension (.ttl .nt .jsonld .trig .nq).")


def _write_graph(graph: Graph, output: str,
                 others: list[tuple[str, Callable[[Path], None]]] | None = None
                 ) -> None:
    """The output graph, with the SSSOM table if any: both written or neither."""
    text = serialize(graph, format_for(output))
    write_together([*(others or []),
                    (output, lambda tmp: tmp.write_text(text, encoding="utf-8"))])


@click.group("link")
def group() -> None:
    """Link RMP graphs to MedDRA (your own distribution) and EMA vocabularies."""


@group.command("meddra")
@inputs_argument
@click.option("--meddra", "meddra_dir", required=True,
              type=click.Path(file_okay=False, exists=True),
              help="Your MedDRA ASCII distribution (the MedAscii folder). MedDRA is "
              "licensed by ICH/MSSO; rmpgraph does not ship it.")
@click.option("--meddra-version", help="MedDRA version, if the distribution has no "
              "meddra_release.asc.")
@_output
@click.option("--sssom", "sssom_path", type=click.Path(dir_okay=False),
              help="Also write the mappings as an SSSOM TSV.")
@click.option("--mappings", "mapping_files", multiple=True,
              type=click.Path(dir_okay=False, exists=True),
              help="Curated SSSOM table(s); default: data/mappings/*.sssom.tsv. "
              "Repeatable.")
@click.option("--no-curated", is_flag=True, help="Ignore curated tables (lexical "
              "matching only).")
@click.option("--iri-base", default=None, help="MedDRA concept IRI prefix "
              "(default http://purl.bioontology.org/ontology/MEDDRA/).")
@click.option("--include-meddra", type=click.Choice(["referenced", "all", "none"]),
              default="referenced", show_default=True,
              help="MedDRA concepts written to the output: the linked terms with "
              "their ancestors, the whole release, or none.")
@click.option("--strict", is_flag=True, help="Exit 1 if any concern is left for "
              "review (outputs are still written).")
@handle_errors
def meddra(inputs: tuple[str, ...], meddra_dir: str, meddra_version: str | None,
           output: str, sssom_path: str | None, mapping_files: tuple[str, ...],
           no_curated: bool, iri_base: str | None, include_meddra: str,
           strict: bool) -> None:
    """Map each safety concern to MedDRA PTs/LLTs; print what stayed unmapped.

    Exit status: 0, or 1 with --strict when concerns are left for review.
    """
    from rmpgraph.link import DEFAULT_BASE, link_meddra, summary_lines, write_link_sssom

    format_for(output)  # fail on a bad extension before doing any work
    files: list[str] | None = [] if no_curated else (list(mapping_files) or None)
    result = link_meddra(load_graph(inputs), meddra_dir,
                         meddra_version=meddra_version, mapping_files=files,
                         base=iri_base or DEFAULT_BASE, include=include_meddra)
    _write_graph(result.graph, output, [] if not sssom_path else [
        (sssom_path, lambda tmp: write_link_sssom(result, tmp))])
    for line in summary_lines(result):
        click.echo(line, err=True)
    if strict and result.counts()["review"]:
        sys.exit(EXIT_FINDINGS)


@group.command("ema")
@inputs_argument
@_output
@click.option("--routes", type=click.Path(dir_okay=False, exists=True),
              help="SKOS table of routes of administration (e.g. a full EDQM "
              "export); default: the shipped excerpt.")
@click.option("--forms", type=click.Path(dir_okay=False, exists=True),
              help="SKOS table of pharmaceutical forms (none shipped).")
@click.option("--atc", type=click.Path(dir_okay=False, exists=True),
              help="SKOS table of ATC codes; default: the shipped excerpt.")
@handle_errors
def ema(inputs: tuple[str, ...], output: str, routes: str | None, forms: str | None,
        atc: str | None) -> None:
    """Type product identifiers; link route, form and ATC code to SKOS concepts."""
    from rmpgraph.link import ema as ema_mod

    format_for(output)
    result = ema_mod.link_ema_report(
        load_graph(inputs),
        routes=Path(routes) if routes else ema_mod.ROUTES,
        forms=Path(forms) if forms else ema_mod.FORMS,
        atc=Path(atc) if atc else ema_mod.ATC)
    _write_graph(result.graph, output)
    counts = ", ".join(f"{n} {k}" for k, n in result.linked.items())
    click.echo(f"linked: {counts}", err=True)
    for note in result.notes:
        click.echo(f"  not linked: {note}", err=True)
