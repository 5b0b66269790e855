"""`rmpgraph validate`: RMP summaries or built graphs -> SHACL conformance report."""

from __future__ import annotations

import sys

import click

from rmpgraph.api import SEVERITIES, VALIDATION_ALIASES, VALIDATION_FORMATS
from rmpgraph.cli.common import (
    examples,
    handle_errors,
    optional_inputs_argument,
    source_from_options,
    source_options,
    write_text,
)
from rmpgraph.errors import EXIT_FINDINGS, EXIT_OK, UsageError


@click.command("validate", epilog=examples(
    "rmpgraph validate data/rmp/lemtrada.txt",
    "rmpgraph validate out/*.ttl -f json -o findings.json --fail-on warning",
    "rmpgraph validate --store .rmpgraph/store --shacl my-rules.ttl",
    "rmpgraph validate --export-shapes rmp-shacl.ttl"))
@optional_inputs_argument
@click.option("-f", "--format", "fmt",
              type=click.Choice([*VALIDATION_FORMATS, *VALIDATION_ALIASES]),
              default="human", show_default=True,
              help="human: grouped by RMP and concern, with product, file and lines "
              "(`text` is the old name); json: a stable list of findings; json-ld / "
              "turtle: the sh:ValidationReport graph.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report to this file (atomically) instead of stdout.")
@click.option("--shacl", "shacl", multiple=True, type=click.Path(dir_okay=False),
              metavar="FILE",
              help="Extra shapes file checked with the shipped shapes (repeatable).")
@click.option("--severity", type=click.Choice(list(SEVERITIES)), default="info",
              show_default=True,
              help="Least severe level to report (does not change the exit status).")
@click.option("--fail-on", "fail_on", type=click.Choice(list(SEVERITIES)),
              default="violation", show_default=True,
              help="Least severe level that makes the run fail (exit 1); warnings "
              "pass by default, as in SHACL.")
@click.option("--export-shapes", "export", type=click.Path(dir_okay=False),
              metavar="FILE",
              help="Write shapes + ontology + vocabularies as one Turtle file for "
              "plain pySHACL (see the README) and exit.")
@source_options
@handle_errors
def command(inputs: tuple[str, ...], fmt: str, output: str | None,
            shacl: tuple[str, ...], severity: str, fail_on: str, export: str | None,
            store: str | None, endpoint: str | None) -> None:
    """Check RMP Part VI summaries against the GVP Module V shapes.

    Exit status: 0 conformant (warnings pass unless --fail-on warning), 1 findings
    at the --fail-on level, 2 unusable input.
    """
    from rmpgraph import api

    if export:
        if inputs or store or endpoint:
            raise UsageError("--export-shapes takes no INPUT, --store or --endpoint")
        from rmpgraph.api.documents import graph_text

        write_text(export, graph_text(api.export_shapes(list(shacl)), "ttl"))
        return
    report = api.validate(source_from_options(inputs, store, endpoint),
                          severity=severity, shacl=list(shacl))
    write_text(output, report.render(fmt, fail_on))
    sys.exit(EXIT_FINDINGS if report.failed(fail_on) else EXIT_OK)
