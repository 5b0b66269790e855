"""`rmpgraph report`: RMP texts or graphs -> one self-contained HTML page."""

from __future__ import annotations

import click

from rmpgraph.cli.common import examples, handle_errors, inputs_argument, writing


@click.command("report", epilog=examples(
    "rmpgraph report data/rmp/lemtrada.txt -o out/report.html --as-of 2026-11-25",
    "rmpgraph report a.pdf b.docx built/c.ttl -o out/report.html --no-validate"))
@inputs_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="HTML file to write.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Reference date for overdue milestones (default: today).")
@click.option("--no-validate", is_flag=True,
              help="Do not run the SHACL shapes (no findings section).")
@handle_errors
def command(inputs: tuple[str, ...], output: str, as_of: str | None,
            no_validate: bool) -> None:
    """Write an offline HTML coverage report of RMP summaries."""
    from rmpgraph import api

    with writing(output):
        api.write_report(list(inputs), output, as_of=as_of,
                         findings=not no_validate)
    click.echo(f"wrote {output}", err=True)
