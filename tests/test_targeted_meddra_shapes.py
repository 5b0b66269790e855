"""The MedDRA link shape's own claims (ontology/shapes/rmp-meddra.shapes.ttl), one
failing graph each (issue 19): what its `rdfs:comment`s and messages say is a
violation is reported, at Violation severity, on the concern lineage that links
(links hang on the version-free lineage node, docs/MODEL.md).

The graphs are written here by hand: a concern lineage, its link and a term of a
MedDRA release (`rmp:MeddraRelease`, docs/MODEL.md "Linking"), changed one way each.
"""

from __future__ import annotations

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from rmpgraph.graph.namespaces import RMP, RMPSH

EX = "https://w3id.org/rmpgraph/id/targeted-meddra/"
MEDDRA = "http://purl.bioontology.org/ontology/MEDDRA/"
LINEAGE = URIRef(EX + "alpha/concern/thrombocytopenia")
TERM = URIRef(MEDDRA + "10043554")
RELEASE = URIRef(EX + "meddra/27.0")


def _graph(*, concept: bool = True, release_typed: bool = True,
           level: str = "PT") -> Graph:
    g = Graph()
    g.add((LINEAGE, RDF.type, RMP.ConcernLineage))
    g.add((LINEAGE, RDFS.label, Literal("Thrombocytopenia")))
    g.add((LINEAGE, SKOS.closeMatch, TERM))
    if concept:
        g.add((TERM, RDF.type, SKOS.Concept))
    g.add((TERM, SKOS.inScheme, RELEASE))
    g.add((TERM, RMP.meddraLevel, Literal(level)))
    if release_typed:
        g.add((RELEASE, RDF.type, RMP.MeddraRelease))
    return g


def _report(data: Graph, meddra_shapes: Graph) -> set[tuple[str, str, str]]:
    """(focus node, source shape, severity) of each top-level result."""
    conforms, results, _ = validate(data, shacl_graph=meddra_shapes)
    found = {(str(results.value(r, SH.focusNode)),
              str(results.value(r, SH.sourceShape)),
              str(results.value(r, SH.resultSeverity)))
             for r in results.objects(None, SH.result)}
    assert conforms == (not found)
    return found


def test_a_pt_of_a_loaded_release_conforms(meddra_shapes: Graph) -> None:
    assert _report(_graph(), meddra_shapes) == set()


@pytest.mark.parametrize("change", [
    {"concept": False},  # "a skos:Concept of a rmp:MeddraRelease scheme"
    {"release_typed": False},  # its scheme is no MedDRA release
    {"level": "SOC"},  # "not a whole SOC"
])
def test_a_wrong_target_is_a_violation_on_the_lineage(
        meddra_shapes: Graph, change: dict[str, object]) -> None:
    report = _report(_graph(**change), meddra_shapes)  # type: ignore[arg-type]
    assert report == {(str(LINEAGE), str(RMPSH["MeddraLinkShape-match"]),
                       str(SH.Violation))}
