"""`rmpgraph docs -o DIR`: HTML documentation of ontology, shapes and queries."""

from __future__ import annotations

import click

from rmpgraph.cli.common import examples, handle_errors, writing


@click.command("docs", epilog=examples(
    "rmpgraph docs -o out/docs",
    "rmpgraph docs -o out/docs --as-of 2026-11-25",
    "rmpgraph docs -o out/docs --no-examples"))
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
    from rmpgraph import api

    with writing(output):
        written = api.write_docs(output, as_of=as_of, examples=not no_examples)
    for path in written:
        click.echo(f"wrote {path}", err=True)
