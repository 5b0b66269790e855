"""Every cardinality constraint of the GVP shapes, at its minimum and its maximum
(issue 19): the hand-written fixture tests/shapes/mini-rmp.ttl conforms; taking
every value of a required property away, or giving a single-valued one a second
value, must give a violation of exactly that property shape on that node.

The cases are written by hand from the template's rules (one II.A listing and one
II.B table per concern, one plan section and category per study, one due period per
milestone, ...); `test_every_cardinality_has_a_case` keeps the list in step with
ontology/shapes/. Nodes are picked by class and label, not by IRI.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from rmpgraph.check.validate import ValidationReport, validate
from rmpgraph.graph.namespaces import RMP, RMPV

MINI = Path(__file__).resolve().parent / "shapes" / "mini-rmp.ttl"
GVP_FILES = ("rmp-plan", "rmp-concern", "rmp-study")
NEW = URIRef("https://w3id.org/rmpgraph/id/targeted/second")


@pytest.fixture(scope="module")
def mini() -> Graph:
    return Graph().parse(MINI)


@pytest.fixture(scope="module")
def baseline(mini: Graph) -> set[tuple[str, str]]:
    return {(f.focus, f.shape) for f in validate(mini, severity="info").results}


def node(g: Graph, cls: URIRef, label: str | None = None) -> URIRef:
    """The one node of `cls` (with rdfs:label `label`, when given)."""
    found = [s for s in g.subjects(RDF.type, cls)
             if label is None or str(g.value(s, RDFS.label)) == label]
    assert len(found) == 1, (cls, label, found)
    return found[0]


def milestone(g: Graph, due_text: str) -> URIRef:
    (m,) = g.subjects(RMP.dueText, Literal(due_text))
    return m


def plan(g: Graph) -> URIRef:
    return node(g, RMP.RiskManagementPlan)


def product(g: Graph) -> URIRef:
    return node(g, RMP.MedicinalProduct)


def iar(g: Graph) -> URIRef:
    return node(g, RMP.ImportantIdentifiedRisk, "Infusion Associated Reactions")


def dus(g: Graph) -> URIRef:
    return node(g, RMP.Study, "Drug Utilization Study")


def obs(g: Graph) -> URIRef:
    return node(g, RMP.Study, "PASS OBS13434")


def drop(pick: Callable[[Graph], URIRef], *paths: URIRef,
         inverse: tuple[URIRef, ...] = ()) -> Callable[[Graph], URIRef]:
    """Remove every value of `paths` (and of `inverse` pointing at it)."""
    def change(g: Graph) -> URIRef:
        focus = pick(g)
        for p in paths:
            g.remove((focus, p, None))
        for p in inverse:
            g.remove((None, p, focus))
        return focus
    return change


def add(pick: Callable[[Graph], URIRef], path: URIRef, value: object,
        cls: URIRef | None = None) -> Callable[[Graph], URIRef]:
    """Give the focus one more value of `path` (a new node of `cls`, when given)."""
    def change(g: Graph) -> URIRef:
        focus = pick(g)
        if cls is not None:
            g.add((NEW, RDF.type, cls))
        g.add((focus, path, value))
        return focus
    return change


def swap(pick: Callable[[Graph], URIRef], path: URIRef,
         value: Callable[[Graph], object],
         inverse: tuple[URIRef, ...] = ()) -> Callable[[Graph], URIRef]:
    """Replace every value of `path` with one value of the wrong class or datatype
    (one value: a cardinality of the same property shape cannot fire instead)."""
    def change(g: Graph) -> URIRef:
        focus, wrong = pick(g), value(g)
        g.remove((focus, path, None))
        for p in inverse:
            g.remove((None, p, focus))
        g.add((focus, path, wrong))
        return focus
    return change


CAT = f"{RMPV}concern-category/"
Case = tuple[str, str, Callable[[Graph], URIRef]]


def new_measure(g: Graph) -> URIRef:
    """An additional measure for Malignancies that no study evaluates."""
    g.add((NEW, RDF.type, RMP.AdditionalRiskMinimisationMeasure))
    g.add((NEW, RDFS.label, Literal("Patient card")))
    g.add((NEW, RMP.addressesConcern, node(g, RMP.ImportantPotentialRisk,
                                           "Malignancies")))
    return NEW


CASES: list[Case] = [
    # RMP: exactly one product; at least one concern
    ("RiskManagementPlanShape-forProduct", "min",
     drop(plan, RMP.forProduct, inverse=(RMP.hasRiskManagementPlan,))),
    ("RiskManagementPlanShape-forProduct", "max",
     add(plan, RMP.forProduct, NEW, RMP.MedicinalProduct)),
    ("RiskManagementPlanShape-hasSafetyConcern", "min",
     drop(plan, RMP.hasSafetyConcern)),
    # RMP: exactly one indication (each version states its own)
    ("RiskManagementPlanShape-hasIndication", "min", drop(plan, RMP.hasIndication)),
    ("RiskManagementPlanShape-hasIndication", "max",
     add(plan, RMP.hasIndication, NEW, RMP.Indication)),
    # product: name, active substance
    ("MedicinalProductShape-label", "min", drop(product, RDFS.label)),
    ("MedicinalProductShape-hasActiveSubstance", "min",
     drop(product, RMP.hasActiveSubstance)),
    # concern: listed once in II.A, one II.B table, one category
    ("SafetyConcernShape-hasListing", "min", drop(iar, RMP.hasListing)),
    ("SafetyConcernShape-hasListing", "max",
     add(iar, RMP.hasListing, NEW, RMP.ConcernListing)),
    ("SafetyConcernShape-hasSummary", "min", drop(iar, RMP.hasSummary)),
    ("SafetyConcernShape-hasSummary", "max",
     add(iar, RMP.hasSummary, NEW, RMP.ConcernSummary)),
    ("SafetyConcernShape-concernCategory", "min", drop(iar, RMP.concernCategory)),
    ("SafetyConcernShape-concernCategory", "max",
     add(iar, RMP.concernCategory, URIRef(CAT + "important-potential-risk"))),
    # important risk: evidence and risk-factor rows
    ("ImportantRiskShape-hasEvidence", "min", drop(iar, RMP.hasEvidence)),
    ("ImportantRiskShape-hasRiskFactors", "min", drop(iar, RMP.hasRiskFactors)),
    # study: one plan section, at most one category, at least one milestone
    ("StudyShape-inPlanSection", "min", drop(obs, RMP.inPlanSection)),
    ("StudyShape-inPlanSection", "max",
     add(dus, RMP.inPlanSection, URIRef(f"{RMPV}plan-section/ii-c-2"))),
    ("StudyShape-studyCategory", "max",
     add(obs, RMP.studyCategory, URIRef(f"{RMPV}pv-category/2"))),
    ("StudyShape-hasMilestone", "min", drop(obs, RMP.hasMilestone)),
    # milestone: one granularity, at most one start, end and offset
    ("MilestoneShape-dueGranularity", "min",
     drop(lambda g: milestone(g, "Q3 2024"), RMP.dueGranularity)),
    ("MilestoneShape-dueGranularity", "max",
     add(lambda g: milestone(g, "Q3 2024"), RMP.dueGranularity, Literal("month"))),
    ("MilestoneShape-dueStart", "max",
     add(lambda g: milestone(g, "Q3 2024"), RMP.dueStart,
         Literal("2024-08-01", datatype=XSD.date))),
    ("MilestoneShape-dueEnd", "max",
     add(lambda g: milestone(g, "Q3 2024"), RMP.dueEnd,
         Literal("2024-08-31", datatype=XSD.date))),
    ("MilestoneShape-dueOffset", "max",
     add(lambda g: next(iter(g.subjects(RMP.dueOffset, None))), RMP.dueOffset,
         Literal("P12M", datatype=XSD.duration))),
    # the values' datatypes. (sh:class has no case: every sh:class of these shapes
    # sits on a property whose rdfs:range is that class, and validation entails
    # the range first, so a value of another class gains the class and fails that
    # class's own shapes instead; bench/mutation_equivalent.toml)
    ("MilestoneShape-dueStart", "datatype",
     swap(lambda g: milestone(g, "Q3 2024"), RMP.dueStart,
          lambda g: Literal("2024-07-01"))),
    ("MilestoneShape-dueEnd", "datatype",
     swap(lambda g: milestone(g, "Q3 2024"), RMP.dueEnd,
          lambda g: Literal("2024-09-30"))),
    ("MilestoneShape-dueOffset", "datatype",
     swap(lambda g: next(iter(g.subjects(RMP.dueOffset, None))), RMP.dueOffset,
          lambda g: Literal("P6M"))),
    # advice (GVP XVI): an additional measure's effectiveness evaluated by a study
    ("AdditionalMeasureEffectivenessShape-study", "min", new_measure),
]
# findings that are advice, not template rules
SEVERITY = {"AdditionalMeasureEffectivenessShape-study": "info"}


@pytest.mark.parametrize("shape,bound,change", CASES,
                         ids=[f"{s}-{b}" for s, b, _ in CASES])
def test_cardinality_violation(mini: Graph, baseline: set[tuple[str, str]],
                               shape: str, bound: str,
                               change: Callable[[Graph], URIRef]) -> None:
    g = Graph()
    g += mini
    focus = change(g)
    report: ValidationReport = validate(g, severity="info")
    new = [f for f in report.results if (f.focus, f.shape) not in baseline]
    hits = [f for f in new if f.focus == str(focus) and f.shape == f"rmpsh:{shape}"]
    severity = SEVERITY.get(shape, "violation")
    assert [f.severity for f in hits] == [severity], [(f.focus, f.shape)
                                                       for f in new]
    assert report.conforms == (severity != "violation")


def test_every_cardinality_has_a_case() -> None:
    """Each sh:minCount, sh:maxCount and sh:datatype of the GVP property shapes has
    its case above."""
    g = Graph()
    for name in GVP_FILES:
        g.parse(Path(__file__).resolve().parent.parent / "ontology" / "shapes"
                / f"{name}.shapes.ttl")
    declared = set()
    for prop, bound in ((SH.minCount, "min"), (SH.maxCount, "max"),
                        (SH.datatype, "datatype")):
        for s in g.subjects(prop, None):
            if not isinstance(s, BNode):
                declared.add((str(s).rsplit("#", 1)[-1].rsplit("/", 1)[-1], bound))
    assert {(s, b) for s, b, _ in CASES} == declared


def test_value_of_another_class_is_still_reported(mini: Graph,
                                                  baseline: set[tuple[str, str]]
                                                  ) -> None:
    """An RMP whose product is its indication: the range makes the indication a
    product, which then lacks a product's active substance."""
    g = Graph()
    g += mini
    wrong = node(g, RMP.Indication)
    swap(plan, RMP.forProduct, lambda _: wrong,
         inverse=(RMP.hasRiskManagementPlan,))(g)
    new = {(f.focus, f.shape) for f in validate(g, severity="info").results} - baseline
    assert (str(wrong), "rmpsh:MedicinalProductShape-hasActiveSubstance") in new


def test_one_concern_is_enough(mini: Graph) -> None:
    """The template asks for at least one safety concern: a plan listing exactly
    one gets no finding for it (the minimum is 1, not more)."""
    g = Graph()
    g += mini
    keep = iar(g)
    for c in list(g.objects(plan(g), RMP.hasSafetyConcern)):
        if c != keep:
            g.remove((plan(g), RMP.hasSafetyConcern, c))
    shapes = {f.shape for f in validate(g, severity="info").results
              if f.focus == str(plan(g))}
    assert "rmpsh:RiskManagementPlanShape-hasSafetyConcern" not in shapes
