"""`rmpgraph validate`: RMP summaries or built graphs -> SHACL conformance report."""

from __future__ import annotations

import sys

import click

from rmpgraph.check.validate import SEVERITIES, validate
from rmpgraph.check.validate_render import FORMATS, render
from rmpgraph.cli.common import handle_errors, optional_inputs_argument, source_options
from rmpgraph.errors import EXIT_FINDINGS, EXIT_OK


@click.command("validate")
@optional_inputs_argument
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)),
              default="text", show_default=True,
              help="text: grouped by concern and study, with source lines; json: a "
              "stable list of findings; turtle: the sh:ValidationReport graph.")
@click.option("--severity", type=click.Choice(list(SEVERITIES)), default="info",
              show_default=True,
              help="Least severe level to report (violations always decide the "
              "exit status).")
@source_options
@handle_errors
def command(inputs: tuple[str, ...], fmt: str, severity: str, store: str | None,
            endpoint: str | None) -> None:
    """Check RMP Part VI summaries against the GVP Module V shapes.

    Exit status: 0 conformant (warnings allowed), 1 violations, 2 unusable input.
    """
    from rdflib.namespace import RDF

    from rmpgraph.errors import InputError
    from rmpgraph.graph.namespaces import RMP
    from rmpgraph.store.sources import open_source

    graph = open_source(inputs, store, endpoint).graph()
    if next(graph.subjects(RDF.type, RMP.RiskManagementPlan), None) is None:
        # an empty graph trivially conforms; saying so would pass a broken pipeline
        where = store or endpoint or ", ".join(inputs)
        raise InputError("no RMP in the input", path=where)
    report = validate(graph, severity=severity)
    sys.stdout.write(render(report, fmt))
    sys.exit(EXIT_OK if report.conforms else EXIT_FINDINGS)
