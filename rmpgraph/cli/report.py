"""`rmpgraph report`: RMP texts or graphs -> one self-contained HTML page."""

from __future__ import annotations

import click

from rmpgraph.cli.common import (
    examples,
    handle_errors,
    optional_inputs_argument,
    writing,
)
from rmpgraph.errors import UsageError


@click.command("report", epilog=examples(
    "rmpgraph report data/rmp/lemtrada.txt -o out/report.html --as-of 2026-11-25",
    "rmpgraph report a.pdf b.docx built/c.ttl -o out/report.html --no-validate",
    "rmpgraph report --store .rmpgraph/store -o corpus.html --as-of 2026-11-25"))
@optional_inputs_argument
@click.option("--store", type=click.Path(file_okay=False), metavar="PATH",
              help="Corpus page of the store instead: one chart and table per "
                   "cohort question (rmpgraph cohort).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="HTML file to write.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Reference date for overdue milestones (default: today).")
@click.option("--no-validate", is_flag=True,
              help="Do not run the SHACL shapes (no findings section).")
@handle_errors
def command(inputs: tuple[str, ...], store: str | None, output: str,
            as_of: str | None, no_validate: bool) -> None:
    """Write an offline HTML coverage report of RMP summaries."""
    from rmpgraph import api

    if bool(inputs) == bool(store):
        raise UsageError("give INPUT files, or --store PATH (exactly one)")
    if as_of is not None:  # named as the user typed it, before anything is read
        from datetime import date

        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise UsageError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)"
                             ) from None
    if store:
        from rmpgraph.api.cohort import write_corpus_report

        with writing(output):
            write_corpus_report(store, output, as_of=as_of)
        click.echo(f"wrote {output}", err=True)
        return
    with writing(output):
        api.write_report(list(inputs), output, as_of=as_of,
                         findings=not no_validate)
    click.echo(f"wrote {output}", err=True)
