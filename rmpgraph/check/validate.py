"""Stage 'validate': check RMP graphs against the GVP-derived SHACL shapes.

pySHACL does the checking; this module decides what it sees and how results read.
It sees the data plus only the entailments the shapes need (`infer.expand`, not a
full owlrl run) plus the SKOS vocabularies (rule 8 looks QRD sections up), one RMP at
a time when several are loaded. Results come back as `Finding`s that carry the source
line numbers of what failed, so a reviewer can open the PDF text at the right place.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from rmpgraph.check.infer import expand
from rmpgraph.errors import UsageError
from rmpgraph.graph.namespaces import PREFIXES, RMP
from rmpgraph.graph.ontology import load_ontology
from rmpgraph.paths import SHAPES_DIR

__all__ = ["SEVERITIES", "Finding", "ValidationReport", "validate", "load_shapes",
           "split_by_plan"]

# most to least severe; `--severity X` keeps X and everything above it
SEVERITIES: tuple[str, ...] = ("violation", "warning", "info")
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
# nodes a finding is grouped under, and never walked through to find that group
_GROUP_TYPES = (RMP.SafetyConcern, RMP.Study)
_BARRIER_TYPES = (RMP.RiskManagementPlan, RMP.MedicinalProduct)
_JSON_KEYS = ("severity", "shape", "focus", "focus_label", "path", "message",
              "source_lines")


@dataclass(frozen=True)
class Finding:
    """One validation result, readable without the report graph.

    `source_lines` are inclusive (start, end) line ranges of the decoded source text:
    the focus node's own provenance, else that of the concern or study it belongs to
    (`group`).
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

    def sort_key(self) -> tuple[object, ...]:
        return (SEVERITIES.index(self.severity), self.group or "~", self.focus,
                self.shape, self.path or "", self.value or "", self.message)

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        out = {key: data[key] for key in _JSON_KEYS}
        out["source_lines"] = [list(r) for r in self.source_lines]
        return out


@dataclass(frozen=True)
class ValidationReport:
    """`conforms` is False only when a sh:Violation was found (warnings pass)."""

    conforms: bool
    results: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """All `ontology/shapes/*.ttl`, parsed once per process (treat as read-only)."""
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


# What SHACL never validates (SHACL 1.0 section 2.3.1 non-validating characteristics,
# RDFS annotations): pySHACL scans every predicate of a shape each time it evaluates
# the shape, so it is spared these.
_ANNOTATIONS = frozenset({RDFS.label, RDFS.comment, SH.name, SH.description,
                          SH.order, SH.group, SH.defaultValue})
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@lru_cache(maxsize=1)
def checking_shapes() -> Graph:
    """`load_shapes()` rewritten for pySHACL: the same results for less work.

    pySHACL evaluates a node shape's `sh:property` shapes once per focus node (each
    evaluation re-reads the shape and rebuilds its constraints), but a property shape
    with targets of its own once for all its focus nodes. A property shape reached by
    `sh:property` from a targeted node shape has the results it would have with that
    node shape's targets (same focus node, path, value, source shape, severity), so
    the targets are moved onto it; a node shape left with no constraint of its own
    loses its targets too. The shape files keep the grouping, which documents which
    rules belong together. Shapes used from `sh:node`/`sh:or` (no targets) stay as
    they are.
    """
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS

    graph = Graph()
    for prefix, namespace in load_shapes().namespaces():
        graph.bind(prefix, namespace)
    for triple in load_shapes():
        # sh:Violation is the default severity: stating it costs a scan, not a result
        if triple[1] not in _ANNOTATIONS and triple[1:] != (SH.severity, SH.Violation):
            graph.add(triple)
    parameters = set(ALL_CONSTRAINT_PARAMETERS) - {SH.property}
    for node in sorted(set(graph.subjects(SH.property, None))):
        targets = [(p, o) for p in _TARGETS for o in graph.objects(node, p)]
        if (not targets or (node, RDF.type, RDFS.Class) in graph
                or (node, SH.deactivated, None) in graph):
            continue
        for prop in list(graph.objects(node, SH.property)):
            graph.remove((node, SH.property, prop))
            for p, o in targets:
                graph.add((prop, p, o))
        if not any(p in parameters for p in graph.predicates(node, None)):
            for p, o in targets:
                graph.remove((node, p, o))
    return graph


class _UnionView(ReadOnlyGraphAggregate):
    """Data, inferred triples and vocabularies seen as one graph, without copying.

    Copying LEMTRADA's triples into a fresh graph costs more than validating them.
    `query()` also parses each distinct SPARQL text once per process: pySHACL runs a
    SHACL-SPARQL constraint once per focus node with the same text and different
    `initBindings`, and rdflib would parse it every time (~20 ms each, most of the
    validation time of LEMTRADA).
    """

    _length: int | None = None

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)

    def __len__(self) -> int:
        # pySHACL tests the graph's truth (`graph or shapes`) for every result it
        # builds; a SimpleMemory member counts its triples one by one each time
        if self._length is None:
            self._length = super().__len__()
        return self._length


@lru_cache(maxsize=1)
def required_vocabulary() -> tuple[tuple[Node, Node, Node], ...]:
    """The triples of the SKOS schemes a shape declares it reads (`dcterms:requires`).

    Only these go into the graph pySHACL checks, beside data and entailments: the
    class and property axioms of the ontology are not needed there, because `expand`
    has already materialised what they entail (a target class's subclass instances
    carry the target class, so `rdfs:subClassOf*` walks find nothing more).
    """
    ontology = load_ontology()
    triples: set[tuple[Node, Node, Node]] = set()
    for scheme in set(load_shapes().objects(None, DCTERMS.requires)):
        for node in {scheme, *ontology.subjects(SKOS.inScheme, scheme)}:
            triples.update(ontology.triples((node, None, None)))
    return tuple(sorted(triples))


def _checked_graph(members: list[Graph]) -> _UnionView:
    """`members` plus the required vocabulary, as the one graph pySHACL checks.

    The members must not share triples (`expand` returns only what `data` lacks).
    The vocabulary goes into the last member, a graph `validate` made for this call
    (inferred triples, or one RMP's part), minus what a member already holds, so
    no triple is seen twice (counts stay right) and lookups visit two graphs, not
    three.
    """
    *others, ours = members
    for triple in required_vocabulary():
        if not any(triple in member for member in others):
            ours.add(triple)
    return _UnionView(members)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


def _has_type(graph: Graph, node: Node, types: tuple[URIRef, ...]) -> bool:
    return any((node, RDF.type, t) in graph for t in types)


def split_by_plan(data: Graph, inferred: Graph) -> list[Graph] | None:
    """One graph per RMP: what its plan node reaches (links + inverses), plus orphans.

    Nodes shared by two RMPs (a product's concerns across RMP versions) go to both.
    Returns None when there is at most one RMP: validate the data whole. Two passes
    over the triples (adjacency, then routing), so the cost stays linear.
    """
    plans = sorted(data.subjects(RDF.type, RMP.RiskManagementPlan))
    if len(plans) <= 1:
        return None
    edges: dict[Node, list[Node]] = {}
    for graph in (data, inferred):
        for s, _, o in graph:
            if not isinstance(o, Literal):
                edges.setdefault(s, []).append(o)
    owners: dict[Node, list[int]] = {}
    stop = set(plans)
    for index, plan in enumerate(plans):
        reached, queue = {plan}, deque([plan])
        while queue:
            for obj in edges.get(queue.popleft(), ()):
                if obj not in reached and obj not in stop:
                    reached.add(obj)
                    queue.append(obj)
        for node in reached:
            owners.setdefault(node, []).append(index)
    parts = [Graph() for _ in range(len(plans) + 1)]  # the last one: orphans
    orphan = [len(plans)]
    for graph in (data, inferred):
        for triple in graph:
            for index in owners.get(triple[0], orphan):
                parts[index].add(triple)
    return [part for part in parts if len(part)]


def validate(data: Graph, *, severity: str = "violation",
             per_plan: bool = False) -> ValidationReport:
    """Validate `data` (one or more RMP graphs) and keep findings at `severity`+.

    Args:
        data: RMP data graph(s); never modified.
        severity: "violation", "warning" or "info": the least severe level reported.
        per_plan: run pySHACL once per RMP (`split_by_plan`) instead of once over
            everything. Same findings (the cross-node rules are scoped to one plan by
            their queries); off by default because copying triples into per-RMP
            graphs costs more in rdflib than it saves (bench/bench_validate.py).

    Returns:
        The report; `conforms` counts violations whatever `severity` filters.
    """
    import pyshacl  # local: keeps `rmpgraph --help` fast

    if severity not in SEVERITIES:
        raise UsageError(f"unknown severity {severity!r}; expected one of "
                         + ", ".join(SEVERITIES))
    inferred = expand(data)
    parts = split_by_plan(data, inferred) if per_plan else None
    views = [[data, inferred]] if parts is None else [[part] for part in parts]
    context = ReadOnlyGraphAggregate([data, inferred])
    shapes = checking_shapes()
    findings: dict[tuple[object, ...], tuple[Finding, Graph, Node]] = {}
    for members in views:
        _, report, _ = pyshacl.validate(
            _checked_graph(members), shacl_graph=shapes, inference="none", inplace=True,
            allow_warnings=True, allow_infos=True)
        for result in report.objects(None, SH.result):
            finding = _finding(report, result, context)
            findings.setdefault(finding.sort_key(), (finding, report, result))
    conforms = not any(f.severity == "violation" for f, _, _ in findings.values())
    limit = SEVERITIES.index(severity)
    kept = sorted((v for v in findings.values()
                   if SEVERITIES.index(v[0].severity) <= limit),
                  key=lambda v: v[0].sort_key())
    return ValidationReport(conforms=conforms, results=[f for f, _, _ in kept],
                            report_graph=_report_graph(conforms, kept))


def _curie(node: Node | None, graph: Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        listed = (node, RDF.first, None) in graph
        items = list(Collection(graph, node)) if listed else []
        if items:
            return "/".join(str(_curie(i, graph)) for i in items)
        inverse = graph.value(node, SH.inversePath)
        return f"^{_curie(inverse, graph)}" if inverse is not None else str(node)
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in PREFIXES.items():
            local = text[len(namespace):]
            if text.startswith(namespace) and "/" not in local:
                return f"{prefix}:{local}"
    return str(node)


def _spans(graph: Graph, node: Node) -> list[tuple[int, int]]:
    spans = set()
    for span in graph.objects(node, PROV.wasDerivedFrom):
        start, end = graph.value(span, RMP.startLine), graph.value(span, RMP.endLine)
        if isinstance(start, Literal) and isinstance(end, Literal):
            spans.add((int(start), int(end)))
    return sorted(spans)


def _group(graph: Graph, focus: Node) -> Node | None:
    """The nearest concern or study linking to `focus` (breadth-first, sorted)."""
    seen, frontier = {focus}, [focus]
    for _ in range(4):
        hits = sorted(n for n in frontier if _has_type(graph, n, _GROUP_TYPES))
        if hits:
            return hits[0]
        nxt = []
        for node in frontier:
            if node != focus and _has_type(graph, node, _BARRIER_TYPES):
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


def _finding(report: Graph, result: Node, context: Graph) -> Finding:
    focus = report.value(result, SH.focusNode)
    group = _group(context, focus)
    spans = _spans(context, focus) or (_spans(context, group) if group else [])
    group_label = _label(context, group)
    tail = str(focus).rstrip("/").rsplit("/", 1)[-1]
    table = context.value(focus, RMP.tableNumber)
    focus_label = (f"Table {table}" if table is not None else _label(context, focus)
                   or (f"{group_label} ({tail})" if group_label else tail))
    value = report.value(result, SH.value)
    message = report.value(result, SH.resultMessage)
    return Finding(
        severity=_SEVERITY_OF.get(report.value(result, SH.resultSeverity), "info"),
        shape=str(_curie(report.value(result, SH.sourceShape), report)),
        focus=str(focus), focus_label=focus_label,
        path=_curie(report.value(result, SH.resultPath), report),
        message=str(message) if message is not None else "",
        source_lines=tuple(spans),
        value=None if value is None else str(_curie(value, report)),
        group=None if group is None else str(group), group_label=group_label)


def _report_graph(conforms: bool, kept: list[tuple[Finding, Graph, Node]]) -> Graph:
    """A standard sh:ValidationReport holding the kept results (nested nodes too)."""
    graph = Graph()
    for prefix in ("sh", "rmp", "rmpsh"):
        graph.bind(prefix, SH if prefix == "sh" else PREFIXES[prefix])
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(conforms)))
    for _, report, result in kept:
        graph.add((root, SH.result, result))
        for triple in _closure(report, result):
            graph.add(triple)
    return graph


def _closure(graph: Graph, node: Node) -> Iterator[tuple[Node, Node, Node]]:
    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for _, pred, obj in graph.triples((current, None, None)):
            yield current, pred, obj
            if isinstance(obj, BNode):
                stack.append(obj)
