"""The MedDRA link shape (ontology/shapes/rmp-meddra.shapes.ttl), with pySHACL.

Positive: a graph linked by `link_loaded` conforms. Negative: each way a concern's
skos:*Match can point at the wrong thing is reported on that concern and no other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from rmpgraph.graph.namespaces import ID, RMP, RMPSH, vocab
from rmpgraph.link import link_loaded, load_meddra
from rmpgraph.link.meddra_rdf import scheme_iri

FIXTURE = Path(__file__).parent / "fixtures" / "meddra"
MEDDRA = "http://purl.bioontology.org/ontology/MEDDRA/"
GOOD = ID["testprod/concern/thrombocytopenia"]
BAD = ID["testprod/concern/bad"]


@pytest.fixture(scope="module")
def linked() -> Graph:
    g = Graph()
    product, plan = ID["testprod"], ID["testprod/rmp/000000000000"]
    g.add((product, RMP.hasRiskManagementPlan, plan))
    for concern, label in ((GOOD, "Thrombocytopenia"), (BAD, "Bad")):
        g.add((plan, RMP.hasSafetyConcern, concern))
        g.add((concern, RDF.type, RMP.ImportantIdentifiedRisk))
        g.add((concern, RDFS.label, Literal(label)))
        g.add((concern, RMP.concernCategory,
               URIRef(vocab("concern-category", "important-identified-risk"))))
    return link_loaded(g, load_meddra(FIXTURE)).graph


def _report(data: Graph, meddra_shapes: Graph) -> set[tuple[str, str]]:
    conforms, results, _ = validate(data, shacl_graph=meddra_shapes)
    found = {(str(results.value(r, SH.focusNode)),
              str(results.value(r, SH.sourceShape)))
             for r in results.objects(None, SH.result)}  # top level, not sh:detail
    assert conforms == (not found)
    return found


def _with(linked: Graph, *triples) -> Graph:
    g = Graph()
    for t in linked:
        g.add(t)
    for t in triples:
        g.add(t)
    return g


def test_linked_graph_conforms(linked: Graph, meddra_shapes: Graph) -> None:
    # a curated exactMatch is a closeMatch in the graph (docs/MODEL.md, Linking)
    assert (GOOD, SKOS.closeMatch, URIRef(MEDDRA + "94000010")) in linked
    assert _report(linked, meddra_shapes) == set()


def test_code_not_in_the_loaded_release(linked: Graph, meddra_shapes: Graph) -> None:
    data = _with(linked, (BAD, SKOS.closeMatch, URIRef(MEDDRA + "10000001")))
    assert _report(data, meddra_shapes) == {
        (str(BAD), str(RMPSH["MeddraLinkShape-match"]))}


def test_an_hlt_is_a_link_target(linked: Graph, meddra_shapes: Graph) -> None:
    """A concern such as "Infections" is best coded to a grouping below SOC."""
    hlt = URIRef(MEDDRA + "93000010")  # emitted as ancestor of Thrombocytopenia
    assert (hlt, RMP.meddraLevel, Literal("HLT")) in linked
    assert _report(_with(linked, (BAD, SKOS.broadMatch, hlt)), meddra_shapes) == set()


def test_a_whole_soc_is_not_a_link_target(linked: Graph, meddra_shapes: Graph) -> None:
    soc = sorted(linked.subjects(RMP.meddraLevel, Literal("SOC")))[0]
    data = _with(linked, (BAD, SKOS.broadMatch, soc))
    assert _report(data, meddra_shapes) == {
        (str(BAD), str(RMPSH["MeddraLinkShape-match"]))}


def test_concept_of_another_vocabulary(linked: Graph, meddra_shapes: Graph) -> None:
    route = URIRef("https://w3id.org/rmpgraph/vocab/edqm-standard-terms/20045000")
    data = _with(linked, (route, RDF.type, SKOS.Concept),
                 (route, SKOS.inScheme, URIRef("urn:other-scheme")),
                 (BAD, SKOS.relatedMatch, route))
    assert _report(data, meddra_shapes) == {
        (str(BAD), str(RMPSH["MeddraLinkShape-match"]))}


def test_links_into_two_releases(linked: Graph, meddra_shapes: Graph) -> None:
    other = scheme_iri("98.0")
    term = URIRef("urn:test:meddra98:94000010")
    data = _with(linked, (other, RDF.type, RMP.MeddraRelease),
                 (term, RDF.type, SKOS.Concept), (term, SKOS.inScheme, other),
                 (term, RMP.meddraLevel, Literal("PT")),
                 (BAD, SKOS.exactMatch, term))
    shape = str(RMPSH["MeddraLinkShape"])
    assert _report(data, meddra_shapes) == {(str(BAD), shape), (str(GOOD), shape)}


def test_an_smq_is_a_link_target(tmp_path: Path, meddra_shapes: Graph) -> None:
    """A curated SMQ (smq_list.asc beside the hierarchy files; the format of the
    MedDRA ASCII distribution: smq_code$smq_name$smq_level$...) is a valid target."""
    import shutil

    folder = tmp_path / "meddra"
    shutil.copytree(FIXTURE, folder)
    (folder / "smq_list.asc").write_text(
        "20000001$Haematopoietic cytopenias (SMQ)$1$Test SMQ$$$99.0$A$N$\n",
        encoding="utf-8")
    meddra = load_meddra(folder)
    assert meddra.level["20000001"] == "SMQ"
    g = Graph()
    product, plan = ID["testprod"], ID["testprod/rmp/000000000000"]
    g.add((product, RMP.hasRiskManagementPlan, plan))
    g.add((plan, RMP.hasSafetyConcern, BAD))
    g.add((BAD, RDF.type, RMP.ImportantIdentifiedRisk))
    g.add((BAD, RDFS.label, Literal("Cytopenias")))
    g.add((BAD, RMP.concernCategory,
           URIRef(vocab("concern-category", "important-identified-risk"))))
    linked = link_loaded(g, meddra, include="all").graph
    smq = URIRef(MEDDRA + "20000001")
    assert (smq, RMP.meddraLevel, Literal("SMQ")) in linked
    assert _report(_with(linked, (BAD, SKOS.broadMatch, smq)), meddra_shapes) == set()
