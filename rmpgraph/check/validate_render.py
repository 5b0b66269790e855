"""How a validation report reads: human text, JSON, JSON-LD and Turtle.

Kept apart from `validate` so the checking and the presentation can change alone.
Every format names the product, the file and the source lines of every finding, so
a report over several files or a store can be traced back to each RMP; the human
summary line says which severities fail the run and how to make warnings fail.
"""

from __future__ import annotations

import json

from rmpgraph.check.findings import SEVERITIES, Finding
from rmpgraph.check.validate import ValidationReport
from rmpgraph.errors import UsageError

__all__ = ["FORMATS", "ALIASES", "render", "render_text", "render_json",
           "render_jsonld", "render_turtle", "summary"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: ValidationReport, fail_on: str = "violation") -> str:
    """One line: the verdict under the policy `fail_on`, every count, and what the
    counts not failing the run would need to fail it.

    e.g. "conforms: yes (0 violations; 10 warnings not counted as failures, use
    --fail-on warning to fail on them)".
    """
    if fail_on not in SEVERITIES:
        raise UsageError(f"unknown severity {fail_on!r}; expected one of "
                         + ", ".join(SEVERITIES))
    counts = report.counts or {s: sum(f.severity == s for f in report.results)
                               for s in SEVERITIES}
    limit = SEVERITIES.index(fail_on)
    failing = [_plural(counts.get(s, 0), s) for s in SEVERITIES[:limit + 1]]
    passing = [(s, counts.get(s, 0)) for s in SEVERITIES[limit + 1:]
               if counts.get(s, 0)]
    text = "; ".join(failing)
    if passing:
        level, _ = passing[0]
        text += "; " + ", ".join(_plural(n, s) for s, n in passing) + \
            f" not counted as failures, use --fail-on {level} to fail on them"
    verdict = "no" if report.failed(fail_on) else "yes"
    shown = len(report.results)
    total = sum(counts.values())
    hidden = "" if shown == total else f" [{total - shown} not shown: --severity]"
    return f"conforms: {verdict} ({text}){hidden}"


def _where(finding: Finding) -> str:
    return finding.where()


def render_text(report: ValidationReport, fail_on: str = "violation") -> str:
    """Summary line, then findings grouped by RMP and by concern / study."""
    out = [summary(report, fail_on)]
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in report.results:
        plan = f"{f.product or 'no product'} ({f.file or 'no file'})"
        key = f"{f.group_label or f.group}" if f.group else "Document"
        groups.setdefault((plan, key), []).append(f)
    last_plan = None
    for plan, key in sorted(groups, key=lambda k: (k[0], k[1] == "Document",
                                                    k[1].lower())):
        if plan != last_plan:
            out += ["", plan]
            last_plan = plan
        out.append("  " + key)
        for f in groups[(plan, key)]:
            value = f" [{f.value}]" if f.value else ""
            rule = f" {f.rule}" if f.rule else ""
            out.append(f"    {f.severity.upper():9} {f.shape}{rule} ({_where(f)})")
            out.append(f"              {f.focus_label}{value}: {f.message}")
    return "\n".join(out) + "\n"


def render_json(report: ValidationReport, fail_on: str = "violation") -> str:
    """A stable list of findings (product, file, lines, rule on each)."""
    return json.dumps([f.as_json() for f in report.results], indent=2,
                      ensure_ascii=False) + "\n"


def render_jsonld(report: ValidationReport, fail_on: str = "violation") -> str:
    """The sh:ValidationReport as JSON-LD (what `pyshacl -f json-ld` writes); its
    blank nodes are named in a fixed order by `validate`, nodes sorted here."""
    from rdflib.namespace import DCTERMS, RDFS, SH

    from rmpgraph.graph.namespaces import PREFIXES

    graph = report.report_graph
    context = {"sh": str(SH), "rdfs": str(RDFS), "dcterms": str(DCTERMS),
               "rmp": PREFIXES["rmp"], "rmpsh": PREFIXES["rmpsh"]}
    data = json.loads(graph.serialize(format="json-ld", context=context))
    nodes = data.get("@graph", [data])
    nodes.sort(key=lambda n: json.dumps(n, sort_keys=True))
    out = {"@context": context, "@graph": [
        {k: v for k, v in n.items() if k != "@context"} for n in nodes]}
    return json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_turtle(report: ValidationReport, fail_on: str = "violation") -> str:
    from rmpgraph.graph.serialize import serialize

    return serialize(report.report_graph, "turtle")


FORMATS = {"human": render_text, "json": render_json, "json-ld": render_jsonld,
           "turtle": render_turtle}
# names accepted for old scripts
ALIASES = {"text": "human"}


def render(report: ValidationReport, fmt: str, fail_on: str = "violation") -> str:
    fmt = ALIASES.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of "
                         + ", ".join(sorted(FORMATS)))
    return FORMATS[fmt](report, fail_on)
