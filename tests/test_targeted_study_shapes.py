"""The study shapes' value rules, each at its edge (issue 19), on the hand-written
fixture tests/shapes/mini-rmp.ttl (which conforms).

RMP-IIC-07: a milestone's due granularity is one the template's due forms give
(date, month, quarter, half, year, event-relative), nothing else. RMP-IIC-10: a
study has one protocol submission, start, end and final report, so two different
due values for one of them conflict, while interim reports may be several and the
same value written twice (in any case) is no conflict. RMP-IIB-10: a cited label
section is a concept of the QRD scheme. Nodes are picked by label or citation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from rmpgraph.check.validate import validate
from rmpgraph.graph.namespaces import RMP, RMPV

MINI = Path(__file__).resolve().parent / "shapes" / "mini-rmp.ttl"
SECOND = URIRef("https://w3id.org/rmpgraph/id/targeted/second-milestone")
CONFLICT = "rmpsh:MilestoneDueConflictShape"


@pytest.fixture(scope="module")
def mini() -> Graph:
    return Graph().parse(MINI)


def _dus(g: Graph) -> URIRef:
    (study,) = (s for s in g.subjects(RDF.type, RMP.Study)
                if str(g.value(s, RDFS.label)) == "Drug Utilization Study")
    return study  # type: ignore[return-value]


def _findings(g: Graph) -> set[tuple[str, str]]:
    return {(f.focus, f.shape) for f in validate(g, severity="info").results}


@pytest.mark.parametrize("granularity,fires", [
    ("quarter", False), ("half", False), ("event-relative", False),
    ("week", True), ("quarterly", True),  # not a template form; anchored both ends
])
def test_due_granularity_is_a_template_form(mini: Graph, granularity: str,
                                            fires: bool) -> None:
    g = Graph()
    g += mini
    (m,) = g.subjects(RMP.dueText, Literal("Q3 2024"))
    g.set((m, RMP.dueGranularity, Literal(granularity)))
    hit = (str(m), "rmpsh:MilestoneShape-dueGranularity") in _findings(g)
    assert hit == fires


@pytest.mark.parametrize("added,fires", [
    ([("final-report", "Q4 2024")], True),  # two final report dates: which one?
    ([("final-report", "Q3 2024")], False),  # the same date twice
    ([("final-report", "q3 2024")], False),  # the same date in another case
    # interim reports may be several, at different dates
    ([("interim-report", "Q4 2024"), ("interim-report", "Q2 2025")], False),
])
def test_more_milestones_of_a_kind(mini: Graph, added: list[tuple[str, str]],
                                   fires: bool) -> None:
    """The Drug Utilization Study's final report is due Q3 2024; milestones are
    added beside it."""
    g = Graph()
    g += mini
    study = _dus(g)
    for n, (kind, due) in enumerate(added):
        node = URIRef(f"{SECOND}-{n}")
        g.add((study, RMP.hasMilestone, node))
        g.add((node, RDF.type, RMP.Milestone))
        g.add((node, RDFS.label, Literal(f"{kind}: {due}")))
        g.add((node, RMP.milestoneKind, URIRef(f"{RMPV}milestone-kind/{kind}")))
        g.add((node, RMP.dueText, Literal(due)))
        g.add((node, RMP.dueGranularity, Literal("quarter")))
    assert ((str(study), CONFLICT) in _findings(g)) == fires


def test_a_cited_section_must_be_in_the_qrd_scheme(mini: Graph) -> None:
    """RMP-IIB-10: a section of another template, even one placed under the SmPC
    root, is not a QRD section: the measure citing it is reported."""
    qrd = "https://w3id.org/rmpgraph/vocab/qrd"
    g = Graph()
    g += mini
    (measure,) = g.subjects(RMP.citesLabelSection, URIRef(f"{qrd}/smpc-5-1"))
    other = URIRef("https://example.org/other-template/smpc-5-1")
    g.remove((measure, RMP.citesLabelSection, URIRef(f"{qrd}/smpc-5-1")))
    g.add((measure, RMP.citesLabelSection, other))
    g.add((other, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")))
    g.add((other, URIRef("http://www.w3.org/2004/02/skos/core#broader"),
           URIRef(f"{qrd}/smpc")))
    g.add((other, URIRef("http://www.w3.org/2004/02/skos/core#inScheme"),
           URIRef("https://example.org/other-template")))
    assert (str(measure), "rmpsh:LabelCitationShape-citesLabelSection") in _findings(g)
