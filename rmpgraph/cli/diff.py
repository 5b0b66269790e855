"""`rmpgraph diff OLD NEW`: what changed between two versions of an RMP summary."""

from __future__ import annotations

import click

from rmpgraph.cli.common import handle_errors, writing
from rmpgraph.graph.serialize import atomic_write
from rmpgraph.present.diff import diff_paths
from rmpgraph.present.diff_render import FORMATS, render


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="text, JSON, or an RDF changeset in Turtle.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of stdout.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when the versions differ (like `git diff --exit-code`).")
@handle_errors
def command(old: str, new: str, fmt: str, output: str | None,
            exit_code: bool) -> None:
    """Compare two RMP versions (text, PDF or RDF): concerns, measures, studies."""
    before, after, changes = diff_paths(old, new)
    text = render(before, after, changes, fmt)
    if output:
        with writing(output):
            atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        click.echo(text, nl=False)
    if exit_code and changes:
        raise SystemExit(1)
