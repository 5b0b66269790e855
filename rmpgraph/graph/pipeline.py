"""The pipeline as one call: read -> segment -> extract -> map to RDF.

`build_source()` keeps the intermediate model and the line accounting so the CLI can
explain which source lines did not make it into the graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph

from rmpgraph.graph.derive import add_derived_facts
from rmpgraph.graph.mapping import to_graph
from rmpgraph.parse.extract import extract
from rmpgraph.parse.model import Document
from rmpgraph.parse.read import SourceText, read_source
from rmpgraph.parse.versions import state_version

__all__ = ["BuildResult", "build", "build_source", "unaccounted_lines"]


@dataclass
class BuildResult:
    graph: Graph
    document: Document
    source: SourceText


def build_source(source: SourceText, *, rmp_version: str | None = None,
                 rmp_date: date | str | None = None) -> BuildResult:
    """Graph and model of one decoded summary.

    `rmp_version`/`rmp_date` supply what the document does not state; contradicting
    what it does state is a UsageError (see parse/versions.py).
    """
    doc = extract(source)
    if doc.version is not None and (rmp_version is not None or rmp_date is not None):
        doc.version = state_version(doc.version, number=rmp_version, day=rmp_date)
    return BuildResult(add_derived_facts(to_graph(doc, source)), doc, source)


def build(path: str | Path, *, rmp_version: str | None = None,
          rmp_date: date | str | None = None) -> Graph:
    """RDF graph of one RMP summary file (text, PDF or DOCX)."""
    return build_source(read_source(path), rmp_version=rmp_version,
                        rmp_date=rmp_date).graph


def unaccounted_lines(result: BuildResult) -> dict[str, list[tuple[int, str]]]:
    """Non-blank source lines outside the graph, by reason ("boilerplate", "issue")."""
    doc = result.document
    lines = result.source.lines
    out: dict[str, list[tuple[int, str]]] = {"boilerplate": [], "not understood": []}
    for no in sorted(doc.boilerplate):
        out["boilerplate"].append((no, lines[no - 1].strip()))
    for issue in doc.issues:
        if issue.reason.startswith("line not understood"):
            out["not understood"].append((issue.line, issue.text))
    return out
