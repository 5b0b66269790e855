"""`infer.expand` vs owlrl: what the shapes need, nothing owlrl would not derive."""

from __future__ import annotations

import json
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from rmpgraph.check import infer
from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.ontology import load_ontology

P = "https://w3id.org/rmpgraph/id/lemtrada/rmp/659dc422ff1a"  # 12 hex of its SHA-256


@pytest.fixture(scope="module")
def owlrl_closure(lemtrada_graph: Graph) -> Graph:
    closure = Graph()
    closure += lemtrada_graph
    closure += load_ontology()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return closure


@pytest.fixture(scope="module")
def expansion(lemtrada_graph: Graph) -> Graph:
    return infer.expand(lemtrada_graph)


def test_expansion_is_entailed_by_owlrl(expansion: Graph, owlrl_closure: Graph) -> None:
    assert len(expansion) > 0
    assert [t for t in expansion if t not in owlrl_closure] == []


def test_expansion_has_every_type_and_inverse_owlrl_derives_for_data_nodes(
        lemtrada_graph: Graph, expansion: Graph, owlrl_closure: Graph) -> None:
    """Every rdf:type to a named class and every triple of an ontology property that
    owlrl adds about a data node (not an ontology or vocabulary term) is in ours."""
    ontology = load_ontology()
    vocabulary_nodes = set(ontology.subjects())
    properties = {p for p in ontology.subjects(RDF.type, None)
                  if str(p).startswith(str(RMP))}
    data_nodes = {n for t in lemtrada_graph for n in (t[0], t[2])
                  if not isinstance(n, Literal)} - vocabulary_nodes
    missing = [
        (s, p, o) for s, p, o in owlrl_closure
        if s in data_nodes and (s, p, o) not in lemtrada_graph
        and (s, p, o) not in expansion
        and ((p == RDF.type and isinstance(o, URIRef)) or p in properties)
    ]
    assert missing == []


def test_expected_entailments(expansion: Graph) -> None:
    """The ones the shapes rely on, checked by name."""
    stroke = URIRef(f"{P}/concern/stroke")
    # the class follows from the stated category (owl:equivalentClass, hasValue)
    assert (stroke, RDF.type, RMP.ImportantIdentifiedRisk) in expansion
    assert (stroke, RDF.type, RMP.ImportantRisk) in expansion
    assert (stroke, RMP.isAddressedBy, URIRef(f"{P}/study/obs13434")) in expansion
    assert (URIRef(f"{P}/study/obs13434"), RDF.type,
            RMP.PharmacovigilanceActivity) in expansion
    assert (stroke, RMP.isSafetyConcernOf, None) in expansion
    missing = URIRef(f"{P}/concern/pediatric-use")  # II.A: missing information
    assert (missing, RDF.type, RMP.MissingInformation) in expansion
    assert (missing, RDF.type, RMP.ImportantRisk) not in expansion


def test_caller_graph_is_not_modified(lemtrada_graph: Graph) -> None:
    before = len(lemtrada_graph)
    inferred = infer.expand(lemtrada_graph)
    assert len(lemtrada_graph) == before
    assert not any(t in lemtrada_graph for t in inferred)


def test_tables_round_trip_through_json() -> None:
    tables = infer.entailments()
    again = infer.Entailments.from_json(json.loads(json.dumps(tables.to_json())))
    assert again == tables
    assert RMP.ImportantRisk in tables.superclasses[RMP.ImportantIdentifiedRisk]
    assert RMP.isAddressedBy in tables.inverses[RMP.addressesConcern]


def test_disk_cache_is_written_used_and_survives_corruption(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RMPGRAPH_CACHE_DIR", str(tmp_path))
    infer.entailments.cache_clear()
    try:
        fresh = infer.entailments()
        (cache_file,) = tmp_path.glob("entailments-*.json")
        assert infer.Entailments.from_json(json.loads(cache_file.read_text())) == fresh

        def no_owlrl() -> infer.Entailments:
            raise AssertionError("the cache should have been used")

        monkeypatch.setattr(infer, "compute_entailments", no_owlrl)
        infer.entailments.cache_clear()
        assert infer.entailments() == fresh

        cache_file.write_text("{not json", encoding="utf-8")
        monkeypatch.undo()
        monkeypatch.setenv("RMPGRAPH_CACHE_DIR", str(tmp_path))
        infer.entailments.cache_clear()
        assert infer.entailments() == fresh
    finally:
        infer.entailments.cache_clear()


def test_cache_key_follows_the_ontology_content(tmp_path: Path) -> None:
    a = tmp_path / "rmp.ttl"
    a.write_text("# v1\n", encoding="utf-8")
    first = infer.ontology_fingerprint([a])
    a.write_text("# v2\n", encoding="utf-8")
    assert infer.ontology_fingerprint([a]) != first
