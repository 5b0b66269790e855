"""How a validation report reads: text grouped by concern or study, JSON, Turtle.

Kept apart from `validate` so the checking and the presentation can change alone.
"""

from __future__ import annotations

import json

from rmpgraph.check.validate import SEVERITIES, Finding, ValidationReport
from rmpgraph.errors import UsageError

__all__ = ["FORMATS", "render", "render_text", "render_json", "render_turtle"]


def _lines(finding: Finding) -> str:
    ranges = [f"{a}" if a == b else f"{a}-{b}" for a, b in finding.source_lines]
    return "lines " + ", ".join(ranges) if ranges else "no source line"


def render_text(report: ValidationReport) -> str:
    """Findings grouped by concern / study, each with shape, message and lines."""
    counts = {s: sum(f.severity == s for f in report.results) for s in SEVERITIES}
    head = ("Conforms" if report.conforms else "Does not conform") + ": " + ", ".join(
        f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    out = [head]
    groups: dict[str, list[Finding]] = {}
    for f in report.results:
        key = f"{f.group_label or f.group}" if f.group else "Document"
        groups.setdefault(key, []).append(f)
    for key in sorted(groups, key=lambda k: (k == "Document", k.lower())):
        out.append("")
        out.append(key)
        for f in groups[key]:
            value = f" [{f.value}]" if f.value else ""
            out.append(f"  {f.severity.upper():9} {f.shape} ({_lines(f)})")
            out.append(f"            {f.focus_label}{value}: {f.message}")
    return "\n".join(out) + "\n"


def render_json(report: ValidationReport) -> str:
    return json.dumps([f.as_json() for f in report.results], indent=2,
                      ensure_ascii=False) + "\n"


def render_turtle(report: ValidationReport) -> str:
    from rmpgraph.graph.serialize import serialize

    return serialize(report.report_graph, "turtle")


FORMATS = {"text": render_text, "json": render_json, "turtle": render_turtle}


def render(report: ValidationReport, fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of "
                         + ", ".join(sorted(FORMATS)))
    return FORMATS[fmt](report)
