"""`rmpgraph diff OLD NEW`: what changed between two versions of an RMP summary."""

from __future__ import annotations

from pathlib import Path

import click

from rmpgraph.api import DIFF_FORMATS
from rmpgraph.cli.common import examples, handle_errors, write_text


@click.command("diff", epilog=examples(
    "rmpgraph diff lemtrada-v7.pdf lemtrada-v8.pdf",
    "rmpgraph diff old.txt new.txt -f json -o changes.json",
    "rmpgraph diff out/v7.ttl out/v8.ttl -f turtle   # an RDF changeset"))
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(DIFF_FORMATS), default="text",
              show_default=True, help="text, JSON, or an RDF changeset in Turtle.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of stdout.")
@click.option("--exit-code", is_flag=True, hidden=True,
              help="Accepted for old scripts: exiting 1 on differences is the default.")
@handle_errors
def command(old: str, new: str, fmt: str, output: str | None,
            exit_code: bool) -> None:
    """Compare two RMP versions (text, PDF or RDF): concerns, measures, studies.

    Exit status: 0 no differences, 1 differences (as `diff` and `git diff
    --exit-code`), 2 unusable input.
    """
    from rmpgraph import api

    result = api.diff(Path(old), Path(new))
    write_text(output, result.render(fmt))
    del exit_code  # the default since issue 17; kept so old scripts still run
    if result:
        raise SystemExit(1)
