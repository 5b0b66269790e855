"""`rmpgraph validate`: RMP summaries or built graphs -> SHACL conformance report."""

from __future__ import annotations

import sys

import click

from rmpgraph.check.findings import SEVERITIES
from rmpgraph.check.validate_render import ALIASES, FORMATS
from rmpgraph.cli.common import handle_errors, optional_inputs_argument, source_options
from rmpgraph.errors import EXIT_FINDINGS, EXIT_OK


@click.command("validate")
@optional_inputs_argument
@click.option("-f", "--format", "fmt", type=click.Choice([*FORMATS, *ALIASES]),
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

    \b
    Examples:
      rmpgraph validate data/rmp/lemtrada.txt
      rmpgraph validate out/*.ttl -f json -o findings.json --fail-on warning
      rmpgraph validate --export-shapes rmp-shacl.ttl
    """
    from rdflib.namespace import RDF

    from rmpgraph.check.validate import validate
    from rmpgraph.check.validate_render import render
    from rmpgraph.errors import InputError, UsageError
    from rmpgraph.graph.namespaces import RMP
    from rmpgraph.graph.serialize import atomic_write
    from rmpgraph.store.sources import open_source

    if export:
        from rmpgraph.check.export import validation_bundle
        from rmpgraph.cli.common import writing
        from rmpgraph.graph.serialize import serialize

        if inputs or store or endpoint:
            raise UsageError("--export-shapes takes no INPUT, --store or --endpoint")
        text = serialize(validation_bundle(shacl), "turtle")
        with writing(export):
            atomic_write(export, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return
    graph = open_source(inputs, store, endpoint).graph()
    if next(graph.subjects(RDF.type, RMP.RiskManagementPlan), None) is None:
        # an empty graph trivially conforms; saying so would pass a broken pipeline
        where = store or endpoint or ", ".join(inputs)
        raise InputError("no RMP in the input", path=where)
    report = validate(graph, severity=severity, shacl=shacl)
    text = render(report, fmt, fail_on)
    if output:
        from rmpgraph.cli.common import writing

        with writing(output):
            atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text)
    sys.exit(EXIT_FINDINGS if report.failed(fail_on) else EXIT_OK)
