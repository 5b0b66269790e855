"""`rmpgraph cohort`: every corpus question (queries/cohort/) as tables, CSV or JSON.

One command answers them all with one scope, because the questions are read
together (a share of products beside the tools those products use); the formats
are the stored queries' own result writers, so a number printed here is the number
`rmpgraph query run cohort/NAME` prints.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from rmpgraph.cli.common import (
    examples,
    handle_errors,
    optional_inputs_argument,
    source_from_options,
    source_options,
    write_text,
    write_together,
)
from rmpgraph.errors import UsageError

__all__ = ["command"]


def _csv_with_question(results: dict[str, Any]) -> str:
    """One CSV document: a `question` column (the query name) in front of each
    question's own columns; the header is the union of the columns, in order."""
    import csv
    import io

    columns: list[str] = []
    for result in results.values():
        columns += [v for v in result.variables if v not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["question", *columns])
    for name, result in results.items():
        for row in result.rows:
            writer.writerow([name, *(str(row[c]) if c in row else ""
                                     for c in columns)])
    return buffer.getvalue()


def _json(results: dict[str, Any]) -> str:
    """One JSON object keyed by query name; each value is the question's title and
    its W3C SPARQL 1.1 JSON results."""
    from rmpgraph.api.cohort import cohort_questions

    titles = {name: q.title for name, q in cohort_questions().items()}
    doc = {name: {"title": titles.get(name, name),
                  "results": json.loads(result.serialize("json"))}
           for name, result in results.items()}
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _tables(results: dict[str, Any]) -> str:
    from rmpgraph.api.cohort import cohort_questions

    titles = {name: q.title for name, q in cohort_questions().items()}
    parts = []
    for name, result in results.items():
        body = result.serialize("table") if result.rows else "(no rows)\n"
        parts.append(f"== {titles.get(name, name)} ({name})\n{body}")
    return "\n".join(parts)


def _write_dir(directory: str, results: dict[str, Any]) -> None:
    """One `<question>.csv` per question (W3C SPARQL CSV) in `directory`, all or
    none (each written to a temporary sibling, renamed when all succeeded)."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise UsageError(f"-o {directory}: expected a directory for --format csv "
                         "with one file per question; it is a file")
    writers = []
    for name, result in results.items():
        text = result.serialize("csv")
        path = target / (name.split("/", 1)[1] + ".csv")
        writers.append((path, lambda tmp, t=text: tmp.write_text(t, encoding="utf-8")))
    write_together(writers)


@click.command("cohort", epilog=examples(
    "rmpgraph cohort --store .rmpgraph/store",
    "rmpgraph cohort --store .rmpgraph/store --as-of 2026-11-25 -f json -o cohort.json",
    "rmpgraph cohort --store .rmpgraph/store -f csv -o cohort.csv   "
    "# one table, column 'question'",
    "rmpgraph cohort --store .rmpgraph/store -f csv -o cohort/   "
    "# one CSV per question",
    "rmpgraph cohort data/rmp/lemtrada.txt --product LEMTRADA"))
@optional_inputs_argument
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True,
              help="table: one text table per question; csv: one table with a "
                   "'question' column (or, with -o DIR/, one CSV per question); "
                   "json: one object keyed by query name, each a title and W3C "
                   "SPARQL JSON results.")
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="Write to this file (atomically); with -f csv, a path ending "
                   "in / or an existing directory gets one CSV per question. "
                   "None or -: stdout.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Reference date for milestone status (default: today).")
@click.option("--product", metavar="NAME|IRI",
              help="Only this product (its name as written, or its IRI).")
@click.option("--rmp", metavar="IRI", help="Only this RMP version.")
@click.option("--versions", type=click.Choice(["latest", "all"]), default=None,
              help="latest (default): the latest RMP of each product; all: every "
                   "version.")
@source_options
@handle_errors
def command(inputs: tuple[str, ...], fmt: str, output: str | None,
            as_of: str | None, product: str | None, rmp: str | None,
            versions: str | None, store: str | None, endpoint: str | None) -> None:
    """Answer every corpus question (queries/cohort/) over INPUTS, the store or an
    endpoint, for the latest RMP of each product unless scoped."""
    from rmpgraph import api

    to_dir = fmt == "csv" and output not in (None, "-") and (
        output.endswith(("/", os.sep)) or Path(output).is_dir())
    if output not in (None, "-") and not to_dir and Path(output).is_dir():
        raise UsageError(f"-o {output}: is a directory; one file per question is "
                         "-f csv only")
    # api.cohort checks the options, then that --product/--rmp name something
    results = api.cohort(source_from_options(inputs, store, endpoint), as_of=as_of,
                         product=product, rmp=rmp, versions=versions)
    if to_dir:
        assert output is not None
        _write_dir(output, results)
        click.echo(f"wrote {len(results)} files to {output}", err=True)
        return
    text = {"csv": _csv_with_question, "json": _json, "table": _tables}[fmt](results)
    write_text(output, text)
