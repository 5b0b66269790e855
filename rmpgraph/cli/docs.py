"""`rmpgraph docs -o DIR`: HTML documentation of ontology, shapes and queries."""

from __future__ import annotations

from datetime import date

import click

from rmpgraph.cli.common import handle_errors, writing
from rmpgraph.errors import UsageError
from rmpgraph.present.docs import write_docs


@click.command("docs")
@click.option("-o", "--output", "output", required=True,
              type=click.Path(file_okay=False),
              help="Directory to write index.html, ontology.html, shapes.html, "
              "queries.html and classes.svg into.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Date for date-dependent example results (default: today).")
@click.option("--no-examples", is_flag=True,
              help="Do not run the stored queries on the bundled LEMTRADA summary.")
@handle_errors
def command(output: str, as_of: str | None, no_examples: bool) -> None:
    """Generate HTML documentation of the ontology, shapes and stored queries."""
    try:
        today = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise UsageError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    with writing(output):
        written = write_docs(output, today=today, examples=not no_examples)
    for path in written:
        click.echo(f"wrote {path}", err=True)
