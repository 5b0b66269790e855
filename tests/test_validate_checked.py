"""What pySHACL is given by `check.validate`: rewritten shapes, a reduced graph.

`validate` hands pySHACL `checking_shapes()` (the shape files with annotations dropped
and node-shape targets moved onto their property shapes) and data + entailments +
the vocabularies the shapes declare with dcterms:requires, not the whole ontology.
The oracle here is pySHACL itself on the shape files as written and the whole
ontology: both must report the same results, on LEMTRADA and on a copy broken in
ways that fire rules of every kind (Core, sh:node, sh:or, SPARQL).
"""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, RDFS, SH, SKOS

from rmpgraph.check.infer import expand
from rmpgraph.check.validate import (
    _checked_graph,
    checking_shapes,
    load_shapes,
    required_vocabulary,
)
from rmpgraph.graph.namespaces import RMP, vocab
from rmpgraph.graph.ontology import load_ontology

Key = tuple[str, str, str, str, str, str]


def _results(report: Graph) -> set[Key]:
    return {tuple(str(report.value(r, p)) for p in (  # type: ignore[misc]
        SH.focusNode, SH.sourceShape, SH.resultPath, SH.value, SH.resultMessage,
        SH.resultSeverity)) for r in report.objects(None, SH.result)}


def _broken(graph: Graph) -> Graph:
    """LEMTRADA with a citation of a section the QRD template lacks, a concern that
    loses its II.B table, a risk that loses its additional-RMM statement, an
    undefined abbreviation and a second name-twin concern."""
    out = Graph()
    out += graph
    measure = sorted(out.subjects(RMP.citesLabelSection, None))[0]
    out.add((measure, RMP.citesLabelSection, URIRef(vocab("qrd", "smpc-4-12"))))
    concern = sorted(out.subjects(RMP.hasSummary, None))[0]
    out.remove((concern, RMP.hasSummary, None))
    for risk in sorted(out.subjects(RMP.hasNoneStatement, None))[:1]:
        out.remove((risk, RMP.hasNoneStatement, None))
    table = sorted(out.subjects(RMP.usesAbbreviation, None))[0]
    out.add((table, RMP.usesAbbreviation, Literal("ZZQ")))
    plan = sorted(out.subjects(RMP.hasSafetyConcern, None))[0]
    twin = URIRef(str(concern) + "-twin")
    out.add((plan, RMP.hasSafetyConcern, twin))
    out.add((twin, RDF.type, RMP.ImportantPotentialRisk))
    out.add((twin, RMP.normalisedName, out.value(concern, RMP.normalisedName)))
    return out


@pytest.mark.parametrize("broken", [False, True], ids=["lemtrada", "broken"])
def test_checked_graph_and_shapes_report_what_the_files_and_ontology_do(
        lemtrada_graph: Graph, broken: bool) -> None:
    data = _broken(lemtrada_graph) if broken else lemtrada_graph
    inferred = expand(data)
    whole = ReadOnlyGraphAggregate([data, inferred, load_ontology()])
    _, expected, _ = pyshacl.validate(whole, shacl_graph=load_shapes(),
                                      inference="none", allow_warnings=True,
                                      allow_infos=True)
    _, got, _ = pyshacl.validate(_checked_graph([data, expand(data)]),
                                 shacl_graph=checking_shapes(), inference="none",
                                 allow_warnings=True, allow_infos=True)
    assert _results(got) == _results(expected)
    if broken:  # the mutations did fire, and rules of each kind are among them
        shapes = {k[1].rsplit("#", 1)[1] for k in _results(got)}
        assert {"LabelCitationShape-citesLabelSection", "SafetyConcernShape-hasSummary",
                "AbbreviationUseShape-usesAbbreviation",
                "AdditionalRiskMinimisationStatementShape",
                "ConcernNameShape-normalisedName"} <= shapes


def test_checking_shapes_drop_annotations_and_move_targets() -> None:
    files, checking = load_shapes(), checking_shapes()
    assert (None, RDFS.comment, None) in files
    assert (None, RDFS.comment, None) not in checking
    node = URIRef("https://w3id.org/rmpgraph/shapes#SafetyConcernShape")
    prop = URIRef("https://w3id.org/rmpgraph/shapes#SafetyConcernShape-hasListing")
    assert (node, SH.property, prop) in files
    assert (node, SH.property, prop) not in checking
    assert (prop, SH.targetClass, RMP.SafetyConcern) in checking
    assert (node, SH.targetClass, None) not in checking  # nothing left to check there
    # a node shape with a constraint of its own keeps its targets
    meddra = URIRef("https://w3id.org/rmpgraph/shapes#MeddraLinkShape")
    assert (meddra, SH.targetClass, RMP.SafetyConcern) in checking
    # shapes used from sh:node / sh:or stay untargeted
    qrd_shape = URIRef("https://w3id.org/rmpgraph/shapes#QrdSectionShape-inScheme")
    assert not any((qrd_shape, p, None) in checking
                   for p in (SH.targetClass, SH.targetSubjectsOf))


def test_required_vocabulary_is_the_qrd_scheme_only() -> None:
    scheme = URIRef("https://w3id.org/rmpgraph/vocab/qrd")
    triples = set(required_vocabulary())
    section = URIRef(vocab("qrd", "smpc-4-4"))
    assert (section, SKOS.inScheme, scheme) in triples
    assert (section, SKOS.broader, URIRef(vocab("qrd", "smpc-4"))) in triples
    subjects = {s for s, _, _ in triples}
    assert subjects == {scheme, *load_ontology().subjects(SKOS.inScheme, scheme)}
    assert RMP.SafetyConcern not in subjects
