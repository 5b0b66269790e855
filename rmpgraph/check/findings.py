"""A pySHACL result as a reviewer reads it: what, where in which file, which RMP.

Kept apart from `validate` (which decides what pySHACL sees) so the two can change
alone. Each `Finding` carries the source file, the product and the RMP it belongs
to, found through the provenance the graph stage writes (a text span is part of a
`rmp:SourceDocument` with a `rmp:fileName`; the RMP derives from that document; the
product has the RMP), so findings from several files or a store stay traceable.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH
from rdflib.term import Node

from rmpgraph.graph.namespaces import PREFIXES, RMP

__all__ = ["SEVERITIES", "Finding", "make_finding", "curie"]

# most to least severe; `--severity X` keeps X and everything above it
SEVERITIES: tuple[str, ...] = ("violation", "warning", "info")
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
# nodes a finding is grouped under, and never walked through to find that group
_GROUP_TYPES = (RMP.SafetyConcern, RMP.Study)
_BARRIER_TYPES = (RMP.RiskManagementPlan, RMP.MedicinalProduct)
# the shapes' messages end with the GVP rule they check: "... [RMP-IIC-03]"
_RULE = re.compile(r"\[(RMP-[A-Z0-9]+-\d+)\]\s*$")
JSON_KEYS = ("severity", "rule", "product", "file", "source_lines", "shape", "focus",
             "focus_label", "path", "message")


@dataclass(frozen=True)
class Finding:
    """One validation result, readable without the report graph.

    `source_lines` are inclusive (start, end) line ranges of the decoded source text
    `file`: the focus node's own provenance, else that of the concern or study it
    belongs to (`group`). `product` and `rmp` name the plan the node belongs to
    (None for a node no plan reaches). `rule` is the GVP rule id of the message.
    """

    severity: str
    shape: str
    focus: str
    focus_label: str
    path: str | None
    message: str
    source_lines: tuple[tuple[int, int], ...]
    value: str | None = None
    group: str | None = None
    group_label: str | None = None
    file: str | None = None
    product: str | None = None
    rmp: str | None = None
    rule: str | None = None

    @property
    def lines(self) -> tuple[tuple[int, int], ...]:
        return self.source_lines

    def where(self) -> str:
        """"LEMTRADA, lemtrada.txt, lines 216-217": product, file and lines."""
        ranges = [f"{a}" if a == b else f"{a}-{b}" for a, b in self.source_lines]
        lines = ("lines " + ", ".join(ranges)) if ranges else "no source line"
        return ", ".join([self.product or "no product", self.file or "no file", lines])

    def sort_key(self) -> tuple[object, ...]:
        return (SEVERITIES.index(self.severity), self.product or "~", self.file or "~",
                self.group or "~", self.focus, self.shape, self.path or "",
                self.value or "", self.message)

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        out = {key: data[key] for key in JSON_KEYS}
        out["source_lines"] = [list(r) for r in self.source_lines]
        return out


def curie(node: Node | None, graph: Graph) -> str | None:
    """A prefixed name (paths as `a/b`, `^p`), else the IRI."""
    if node is None:
        return None
    if isinstance(node, BNode):
        listed = (node, RDF.first, None) in graph
        items = list(Collection(graph, node)) if listed else []
        if items:
            return "/".join(str(curie(i, graph)) for i in items)
        inverse = graph.value(node, SH.inversePath)
        return f"^{curie(inverse, graph)}" if inverse is not None else str(node)
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in PREFIXES.items():
            local = text[len(namespace):]
            if text.startswith(namespace) and "/" not in local:
                return f"{prefix}:{local}"
    return str(node)


def _span_nodes(graph: Graph, node: Node) -> list[Node]:
    return [s for s in graph.objects(node, PROV.wasDerivedFrom)
            if (s, RMP.startLine, None) in graph]


def _spans(graph: Graph, spans: list[Node]) -> list[tuple[int, int]]:
    found = set()
    for span in spans:
        start, end = graph.value(span, RMP.startLine), graph.value(span, RMP.endLine)
        if isinstance(start, Literal) and isinstance(end, Literal):
            found.add((int(start), int(end)))
    return sorted(found)


def _has_type(graph: Graph, node: Node, types: tuple[URIRef, ...]) -> bool:
    return any((node, RDF.type, t) in graph for t in types)


def _up(graph: Graph, focus: Node, types: tuple[URIRef, ...], *, steps: int,
        barrier: bool) -> Node | None:
    """The nearest node of `types` linking to `focus` (breadth-first, sorted)."""
    seen, frontier = {focus}, [focus]
    for _ in range(steps):
        hits = sorted(n for n in frontier if _has_type(graph, n, types))
        if hits:
            return hits[0]
        nxt = []
        for node in frontier:
            if barrier and node != focus and _has_type(graph, node, _BARRIER_TYPES):
                continue
            for subject, pred in graph.subject_predicates(node):
                if pred != RDF.type and subject not in seen:
                    seen.add(subject)
                    nxt.append(subject)
        frontier = sorted(nxt)
    return None


def _label(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    value = graph.value(node, RDFS.label)
    return str(value) if value is not None else None


def _origin(graph: Graph, spans: list[Node], focus: Node
            ) -> tuple[str | None, str | None, str | None]:
    """(file name, product label, RMP IRI) of the plan a finding belongs to."""
    doc = next((d for s in sorted(spans) for d in graph.objects(s, DCTERMS.isPartOf)),
               None)
    plan = None
    if doc is not None:
        plan = next((p for p in sorted(graph.subjects(PROV.wasDerivedFrom, doc))
                     if (p, RDF.type, RMP.RiskManagementPlan) in graph), None)
    if plan is None:
        plan = _up(graph, focus, (RMP.RiskManagementPlan,), steps=6, barrier=False)
    if doc is None and plan is not None:
        doc = next((d for d in sorted(graph.objects(plan, PROV.wasDerivedFrom))
                    if (d, RDF.type, RMP.SourceDocument) in graph), None)
    file = graph.value(doc, RMP.fileName) if doc is not None else None
    product = None
    if plan is not None:
        owner = next(iter(sorted(graph.subjects(RMP.hasRiskManagementPlan, plan))),
                     None)
        product = _label(graph, owner)
    return (None if file is None else str(file), product,
            None if plan is None else str(plan))


def make_finding(report: Graph, result: Node, context: Graph) -> Finding:
    """The `Finding` of one sh:result of `report`, located in `context` (the data)."""
    focus = report.value(result, SH.focusNode)
    group = _up(context, focus, _GROUP_TYPES, steps=4, barrier=True)
    span_nodes = _span_nodes(context, focus) or (
        _span_nodes(context, group) if group is not None else [])
    group_label = _label(context, group)
    tail = str(focus).rstrip("/").rsplit("/", 1)[-1]
    table = context.value(focus, RMP.tableNumber)
    focus_label = (f"Table {table}" if table is not None else _label(context, focus)
                   or (f"{group_label} ({tail})" if group_label else tail))
    value = report.value(result, SH.value)
    message = report.value(result, SH.resultMessage)
    text = str(message) if message is not None else ""
    rule = _RULE.search(text)
    file, product, rmp = _origin(context, span_nodes, focus)
    return Finding(
        severity=_SEVERITY_OF.get(report.value(result, SH.resultSeverity), "info"),
        shape=str(curie(report.value(result, SH.sourceShape), report)),
        focus=str(focus), focus_label=focus_label,
        path=curie(report.value(result, SH.resultPath), report),
        message=text, source_lines=tuple(_spans(context, span_nodes)),
        value=None if value is None else str(curie(value, report)),
        group=None if group is None else str(group), group_label=group_label,
        file=file, product=product, rmp=rmp,
        rule=rule.group(1) if rule else None)
