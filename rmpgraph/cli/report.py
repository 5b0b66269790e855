"""`rmpgraph report`: RMP texts or graphs -> one self-contained HTML page."""

from __future__ import annotations

from datetime import date

import click

from rmpgraph.cli.common import handle_errors, inputs_argument, writing
from rmpgraph.errors import UsageError
from rmpgraph.present.report import write_report


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date (YYYY-MM-DD)") from None


@click.command("report")
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
    with writing(output):
        write_report(list(inputs), output, as_of=_as_of(as_of),
                     with_findings=not no_validate)
    click.echo(f"wrote {output}", err=True)
