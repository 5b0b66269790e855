"""Stage 'validate': check RMP graphs against the GVP-derived SHACL shapes.

pySHACL does the checking; this module decides what it sees and how results read.
It sees the data plus only the entailments the shapes need (`infer.expand`, not a
full owlrl run) plus the SKOS vocabularies (rule 8 looks QRD sections up), one RMP at
a time when several are loaded. Results come back as `Finding`s that carry the source
line numbers of what failed, so a reviewer can open the PDF text at the right place.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from rmpgraph.check.findings import SEVERITIES, Finding, make_finding
from rmpgraph.check.infer import expand
from rmpgraph.errors import InputError, UsageError
from rmpgraph.graph.namespaces import PREFIXES, RMP
from rmpgraph.graph.ontology import load_ontology
from rmpgraph.paths import SHAPES_DIR

__all__ = ["SEVERITIES", "Finding", "ValidationReport", "validate", "load_shapes",
           "load_extra_shapes", "split_by_plan"]


_FRAME_COLUMNS = ("severity", "rule", "product", "file", "line", "lines", "focus_label",
                  "message", "shape", "path", "value", "focus", "group_label", "rmp")


@dataclass(frozen=True)
class ValidationReport:
    """`conforms` is False only when a sh:Violation was found (warnings pass, as in
    SHACL; `failed("warning")` is the stricter gate). `results` holds the findings
    kept at the requested severity, `report_graph` (alias `graph`) the standard
    sh:ValidationReport; `counts` counts every finding, filtered or not."""

    conforms: bool
    results: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def graph(self) -> Graph:
        return self.report_graph

    def failed(self, level: str = "violation") -> bool:
        """Whether any finding at `level` or above was found (filtered ones too)."""
        if level not in SEVERITIES:
            raise UsageError(f"unknown severity {level!r}; expected one of "
                             + ", ".join(SEVERITIES))
        counts = self.counts or {s: sum(f.severity == s for f in self.results)
                                 for s in SEVERITIES}
        return any(counts.get(s, 0) for s in SEVERITIES[:SEVERITIES.index(level) + 1])

    def render(self, format: str = "human", fail_on: str = "violation") -> str:  # noqa: A002
        """The report as `rmpgraph validate -f FORMAT` prints it: "human", "json",
        "json-ld" or "turtle"; the summary states the policy `fail_on`."""
        from rmpgraph.check.validate_render import render

        return render(self, format, fail_on)

    def to_dataframe(self) -> Any:
        """One row per finding (pandas, imported here: an optional extra).

        `line` is the first source line (an integer, None without provenance);
        `lines` keeps every range as "a-b" text.
        """
        try:
            import pandas as pd
        except ImportError:
            raise UsageError("to_dataframe() needs pandas: pip install "
                             "'rmpgraph[pandas]'") from None
        rows = []
        for f in self.results:
            row: dict[str, object] = {c: getattr(f, c, None) for c in _FRAME_COLUMNS}
            row["line"] = f.source_lines[0][0] if f.source_lines else None
            row["lines"] = ", ".join(f"{a}-{b}" for a, b in f.source_lines)
            rows.append(row)
        frame = pd.DataFrame(rows, columns=list(_FRAME_COLUMNS))
        frame["line"] = frame["line"].astype("Int64")
        for column in ("severity",):
            frame[column] = pd.Categorical(frame[column], categories=list(SEVERITIES))
        return frame


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """All `ontology/shapes/*.ttl`, parsed once per process (treat as read-only)."""
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def load_extra_shapes(paths: Sequence[str | Path]) -> Graph:
    """Users' own shapes files (`--shacl`), any RDF syntax rdflib reads by suffix."""
    from rmpgraph.graph.rdfio import parse_rdf

    graph = Graph()
    for path in paths:
        if not Path(path).is_file():
            raise InputError("shapes file not found", path=path)
        graph += parse_rdf(path)
    if next(graph.triples((None, None, None)), None) is None and paths:
        raise InputError("no triples in the shapes file(s)", path=paths[0])
    return graph


# What SHACL never validates (SHACL 1.0 section 2.3.1 non-validating characteristics,
# RDFS annotations): pySHACL scans every predicate of a shape each time it evaluates
# the shape, so it is spared these.
_ANNOTATIONS = frozenset({RDFS.label, RDFS.comment, SH.name, SH.description,
                          SH.order, SH.group, SH.defaultValue})
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@lru_cache(maxsize=1)
def checking_shapes() -> Graph:
    """The shipped shapes rewritten for pySHACL (`rewrite_shapes`), cached."""
    return rewrite_shapes(load_shapes())


def rewrite_shapes(source: Graph) -> Graph:
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
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace)
    for triple in source:
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
    """`vocabulary_for(load_shapes())`, cached."""
    return vocabulary_for(load_shapes())


def vocabulary_for(shapes: Graph) -> tuple[tuple[Node, Node, Node], ...]:
    """The triples of the SKOS schemes a shape declares it reads (`dcterms:requires`).

    Only these go into the graph pySHACL checks, beside data and entailments: the
    class and property axioms of the ontology are not needed there, because `expand`
    has already materialised what they entail (a target class's subclass instances
    carry the target class, so `rdfs:subClassOf*` walks find nothing more).
    """
    ontology = load_ontology()
    triples: set[tuple[Node, Node, Node]] = set()
    for scheme in set(shapes.objects(None, DCTERMS.requires)):
        for node in {scheme, *ontology.subjects(SKOS.inScheme, scheme)}:
            triples.update(ontology.triples((node, None, None)))
    return tuple(sorted(triples))


def _checked_graph(members: list[Graph],
                   vocabulary: Sequence[tuple[Node, Node, Node]] | None = None
                   ) -> _UnionView:
    """`members` plus the required vocabulary, as the one graph pySHACL checks.

    The members must not share triples (`expand` returns only what `data` lacks).
    The vocabulary goes into the last member, a graph `validate` made for this call
    (inferred triples, or one RMP's part), minus what a member already holds, so
    no triple is seen twice (counts stay right) and lookups visit two graphs, not
    three.
    """
    *others, ours = members
    for triple in required_vocabulary() if vocabulary is None else vocabulary:
        if not any(triple in member for member in others):
            ours.add(triple)
    return _UnionView(members)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


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


def validate(data: Graph, *, severity: str = "violation", per_plan: bool = False,
             shacl: Sequence[str | Path] = ()) -> ValidationReport:
    """Validate `data` (one or more RMP graphs) and keep findings at `severity`+.

    Args:
        data: RMP data graph(s); never modified.
        severity: "violation", "warning" or "info": the least severe level reported.
        per_plan: run pySHACL once per RMP (`split_by_plan`) instead of once over
            everything. Same findings (the cross-node rules are scoped to one plan by
            their queries); off by default because copying triples into per-RMP
            graphs costs more in rdflib than it saves (bench/bench_validate.py).
        shacl: extra shapes files, checked together with the shipped shapes (the
            SKOS schemes they name with dcterms:requires are added to the data).

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
    shapes, vocabulary = checking_shapes(), None
    if shacl:
        merged = Graph()
        merged += load_shapes()
        merged += load_extra_shapes(shacl)
        shapes, vocabulary = rewrite_shapes(merged), vocabulary_for(merged)
    findings: dict[tuple[object, ...], tuple[Finding, Graph, Node]] = {}
    for members in views:
        _, report, _ = pyshacl.validate(
            _checked_graph(members, vocabulary), shacl_graph=shapes,
            inference="none", inplace=True, allow_warnings=True, allow_infos=True)
        for result in report.objects(None, SH.result):
            finding = make_finding(report, result, context)
            findings.setdefault(finding.sort_key(), (finding, report, result))
    conforms = not any(f.severity == "violation" for f, _, _ in findings.values())
    limit = SEVERITIES.index(severity)
    kept = sorted((v for v in findings.values()
                   if SEVERITIES.index(v[0].severity) <= limit),
                  key=lambda v: v[0].sort_key())
    counts = {level: sum(v[0].severity == level for v in findings.values())
              for level in SEVERITIES}
    return ValidationReport(conforms=conforms, results=[f for f, _, _ in kept],
                            report_graph=_report_graph(conforms, kept), counts=counts)


def _report_graph(conforms: bool, kept: list[tuple[Finding, Graph, Node]]) -> Graph:
    """A standard sh:ValidationReport holding the kept results (nested nodes too)."""
    graph = Graph()
    for prefix in ("sh", "rmp", "rmpsh"):
        graph.bind(prefix, SH if prefix == "sh" else PREFIXES[prefix])
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(conforms)))
    for index, (finding, report, original) in enumerate(kept):
        result = BNode(f"result{index}")
        graph.add((root, SH.result, result))
        for triple in _closure(report, original, str(result)):
            graph.add(triple)
        # where it is, for reports merged from several files or a store (SHACL
        # allows other triples on a result; these use Dublin Core terms)
        if finding.file:
            graph.add((result, DCTERMS.source, Literal(finding.file)))
        if finding.product:
            graph.add((result, DCTERMS.subject, Literal(finding.product)))
        if finding.rule:
            graph.add((result, DCTERMS.identifier, Literal(finding.rule)))
        if finding.rmp:
            graph.add((result, DCTERMS.isPartOf, URIRef(finding.rmp)))
        graph.add((result, RDFS.comment, Literal(finding.where())))
    return graph


def _closure(graph: Graph, node: Node, name: str
             ) -> Iterator[tuple[Node, Node, Node]]:
    """Triples reachable from `node` through blank nodes, the blank nodes renamed
    `name`, `name-1`, ... in an order fixed by their content (pySHACL's labels are
    random, and every output format must be the same on every run)."""
    names: dict[Node, BNode] = {node: BNode(name)}
    queue = [node]
    while queue:
        current = queue.pop(0)
        triples = sorted(graph.triples((current, None, None)),
                         key=lambda t: (t[1], _content(graph, t[2])))
        for _, pred, obj in triples:
            if isinstance(obj, BNode):
                if obj not in names:
                    names[obj] = BNode(f"{name}-{len(names)}")
                    queue.append(obj)
                obj = names[obj]
            yield names[current], pred, obj


def _content(graph: Graph, node: Node) -> str:
    if not isinstance(node, BNode):
        return node.n3()
    return "_:" + " ".join(sorted(f"{p.n3()} {o.n3()}" for _, p, o
                                  in graph.triples((node, None, None))
                                  if not isinstance(o, BNode)))
