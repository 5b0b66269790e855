"""`rmpgraph report`: one self-contained HTML page for people who do not write SPARQL.

Everything the page needs is inside it (CSS, a few lines of JS, the SVG timeline and
the quoted source lines), so it can be mailed, archived or opened from file:// on a
machine without network. Facts come from `report_data` (SPARQL in
`queries/report/`); SHACL findings are added when `check.validate` is available.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from rdflib import Graph

from rmpgraph import __version__
from rmpgraph.graph.ontology import load_ontology
from rmpgraph.graph.serialize import atomic_write
from rmpgraph.present.report_data import (
    Plan,
    Span,
    collect,
    span_anchor,
    spans_by_lines,
)
from rmpgraph.present.timeline import Timeline, layout

__all__ = ["FindingView", "render_report", "write_report", "TEMPLATES_DIR"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class FindingView:
    """A SHACL finding as the page shows it: linked to its concern and lines."""

    severity: str
    message: str
    focus_label: str
    path: str
    shape: str
    concern_anchor: str | None
    concern_label: str | None
    spans: tuple[Span, ...]
    lines: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["anchor"] = span_anchor
    return env


def concern_anchor(iri: str) -> str:
    """HTML id of a concern row (stable across runs: derived from the IRI)."""
    return "concern-" + hashlib.sha256(iri.encode()).hexdigest()[:12]


def _findings(data: Graph, known: dict[str, str],
              spans: dict[tuple[int, int], list[Span]]) -> list[FindingView] | None:
    try:
        from rmpgraph.check.validate import validate
    except ImportError:  # validation is optional for the page
        return None
    views = []
    for f in validate(data, severity="info").results:
        group = f.group if f.group in known else (f.focus if f.focus in known else None)
        found = tuple(s for r in f.source_lines for s in spans.get(tuple(r), []))
        views.append(FindingView(
            severity=f.severity, message=f.message, focus_label=f.focus_label,
            path=f.path or "", shape=f.shape,
            concern_anchor=concern_anchor(group) if group else None,
            concern_label=known.get(group) if group else None,
            spans=found, lines=tuple(tuple(r) for r in f.source_lines)))
    return views


def _timeline(plan: Plan, as_of: date) -> Timeline | None:
    dated = [(m.due_start or m.due_end, m.due_end, m.label, m.study,
              m.overdue(as_of), "ms-" + span_anchor(m.iri))
             for m in plan.milestones if m.due_end is not None]
    return layout(dated, as_of)  # type: ignore[arg-type]


def render_report(data: Graph, *, as_of: date | None = None,
                  sources: Iterable[str] = (), with_findings: bool = True) -> str:
    """The HTML page for every RMP in `data`.

    Args:
        data: RMP data graph(s), as built or loaded; never modified.
        as_of: reference date for "overdue" (default today).
        sources: the input paths, listed in the page footer.
        with_findings: run SHACL validation and list its findings.
    """
    as_of = as_of or date.today()
    merged = data + load_ontology()
    plans = collect(merged)
    known = {c.iri: c.label for p in plans for c in p.concerns}
    findings = (_findings(data, known, spans_by_lines(merged))
                if with_findings else None)
    quoted: dict[str, dict[str, Span]] = {}
    for plan in plans:
        used: dict[str, Span] = {}
        for c in plan.concerns:
            for spans in c.cells.values():
                used.update((s.iri, s) for s in spans)
        for m in plan.milestones:
            used.update((s.iri, s) for s in m.spans)
        quoted[plan.iri] = dict(sorted(used.items(), key=lambda kv: kv[1]))
    seen = {iri for q in quoted.values() for iri in q}
    finding_spans = {s.iri: s for f in findings or [] for s in f.spans
                     if s.iri not in seen}
    template = _environment().get_template("report.html.j2")
    return template.render(
        plans=plans, as_of=as_of, findings=findings, quoted=quoted,
        finding_spans=dict(sorted(finding_spans.items(), key=lambda kv: kv[1])),
        timelines={p.iri: _timeline(p, as_of) for p in plans},
        concern_anchor=concern_anchor, sources=sorted(sources),
        version=__version__)


def write_report(inputs: list[str], output: str | Path, *,
                 as_of: date | None = None, with_findings: bool = True) -> None:
    """Build or load `inputs` and write the report atomically to `output`."""
    from rmpgraph.graph.inputs import load_graph

    html = render_report(load_graph(inputs), as_of=as_of,
                         sources=[Path(i).name for i in inputs],
                         with_findings=with_findings)
    atomic_write(output, lambda tmp: tmp.write_text(html, encoding="utf-8"))
