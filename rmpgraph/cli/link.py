"""`rmpgraph link meddra|ema`: add vocabulary links to built graphs or RMP texts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from rdflib import Graph

from rmpgraph.cli.common import (
    examples,
    graph_format_option,
    handle_errors,
    inputs_argument,
    is_stdout,
    write_together,
)
from rmpgraph.errors import EXIT_FINDINGS

__all__ = ["group"]

_output = click.option(
    "-o", "--output", "output", type=click.Path(dir_okay=False, allow_dash=True),
    help="Output graph (- or none: stdout); format from -f, else from the extension "
         "(.ttl .nt .jsonld .trig .nq .rdf).")


def _write_graph(graph: Graph, output: str | None, fmt: str,
                 others: list[tuple[str, Callable[[Path], None]]] | None = None
                 ) -> None:
    """The output graph, with the SSSOM table if any: both written or neither."""
    from rmpgraph.api.documents import graph_text

    text = graph_text(graph, fmt)
    if is_stdout(output):
        write_together(others or [])
        click.echo(text, nl=False)
        return
    assert output is not None
    write_together([*(others or []),
                    (output, lambda tmp: tmp.write_text(text, encoding="utf-8"))])


@click.group("link", epilog=examples(
    "rmpgraph link meddra --meddra ~/meddra/MedAscii out/x.ttl -o out/x-linked.ttl",
    "rmpgraph link ema out/x.ttl -f nt > out/x-ema.nt"))
def group() -> None:
    """Link RMP graphs to MedDRA (your own distribution) and EMA vocabularies."""


@group.command("meddra", epilog=examples(
    "rmpgraph link meddra --meddra ~/meddra/MedAscii out/x.ttl -o out/x-linked.ttl "
    "--sssom out/x.sssom.tsv",
    "rmpgraph link meddra --meddra ~/meddra/MedAscii summary.pdf --strict > x.ttl"))
@inputs_argument
@click.option("--meddra", "meddra_dir", required=True,
              type=click.Path(file_okay=False, exists=True),
              help="Your MedDRA ASCII distribution (the MedAscii folder). MedDRA is "
              "licensed by ICH/MSSO; rmpgraph does not ship it.")
@click.option("--meddra-version", help="MedDRA version, if the distribution has no "
              "meddra_release.asc.")
@_output
@graph_format_option
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
           output: str | None, fmt: str | None, sssom_path: str | None,
           mapping_files: tuple[str, ...],
           no_curated: bool, iri_base: str | None, include_meddra: str,
           strict: bool) -> None:
    """Map each safety concern to MedDRA PTs/LLTs; print what stayed unmapped.

    Exit status: 0, or 1 with --strict when concerns are left for review.
    """
    from rmpgraph import api
    from rmpgraph.api.documents import graph_format

    fmt = graph_format(fmt, None if is_stdout(output) else output)  # before work
    files: list[str] | None = [] if no_curated else (list(mapping_files) or None)
    result = api.link_meddra(list(inputs), meddra_dir,
                             meddra_version=meddra_version, mapping_files=files,
                             base=iri_base, include=include_meddra)
    _write_graph(result.graph, output, fmt, [] if not sssom_path else [
        (sssom_path, lambda tmp: api.write_sssom(result, tmp))])
    for line in api.link_summary(result):
        click.echo(line, err=True)
    if strict and result.counts()["review"]:
        sys.exit(EXIT_FINDINGS)


@group.command("ema", epilog=examples(
    "rmpgraph link ema out/x.ttl -o out/x-ema.ttl",
    "rmpgraph link ema summary.pdf --atc my-atc.ttl -f jsonld"))
@inputs_argument
@_output
@graph_format_option
@click.option("--routes", type=click.Path(dir_okay=False, exists=True),
              help="SKOS table of routes of administration (e.g. a full EDQM "
              "export); default: the shipped excerpt.")
@click.option("--forms", type=click.Path(dir_okay=False, exists=True),
              help="SKOS table of pharmaceutical forms (none shipped).")
@click.option("--atc", type=click.Path(dir_okay=False, exists=True),
              help="SKOS table of ATC codes; default: the shipped excerpt.")
@handle_errors
def ema(inputs: tuple[str, ...], output: str | None, fmt: str | None,
        routes: str | None, forms: str | None, atc: str | None) -> None:
    """Type product identifiers; link route, form and ATC code to SKOS concepts."""
    from rmpgraph import api
    from rmpgraph.api.documents import graph_format

    fmt = graph_format(fmt, None if is_stdout(output) else output)  # before work
    result = api.link_ema(list(inputs), routes=routes, forms=forms, atc=atc)
    _write_graph(result.graph, output, fmt)
    counts = ", ".join(f"{n} {k}" for k, n in result.linked.items())
    click.echo(f"linked: {counts}", err=True)
    for note in result.notes:
        click.echo(f"  not linked: {note}", err=True)
