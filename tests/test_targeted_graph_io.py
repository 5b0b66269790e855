"""Graph output and RDF input rules (rmpgraph/graph/serialize.py, rdfio.py, iris.py),
issue 19: each on a graph or file written here by hand, with what the rule promises
(the project's prefixes, named graphs, same bytes for the same triples, bundled
JSON-LD contexts, identifier schemes), never compared with a run of the code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, SKOS

from rmpgraph.errors import InputError
from rmpgraph.graph.iris import identifier
from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.rdfio import LOCAL_CONTEXTS, parse_rdf
from rmpgraph.graph.serialize import serialize, write_graph

EX = "https://w3id.org/rmpgraph/id/targeted-io/"
TRIPLES = [
    (URIRef(EX + "alpha"), RDFS.label, Literal("ALPHA")),
    (URIRef(EX + "alpha"), RMP.hasRiskManagementPlan, URIRef(EX + "alpha/rmp")),
    (URIRef(EX + "alpha/rmp"), RMP.versionNumber, Literal("2.0")),
    (URIRef(EX + "alpha/rmp"), RDFS.label, Literal("Résumé « ALPHA »", lang="fr")),
]


def _graph(triples: list) -> Graph:  # type: ignore[type-arg]
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_turtle_uses_the_projects_prefix_even_if_bound_otherwise() -> None:
    g = _graph(TRIPLES)
    g.bind("ns1", str(RMP), override=True)  # as a foreign file might bind it
    out = serialize(g, "turtle")
    assert "PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>" in out
    assert "rmp:versionNumber" in out and "ns1:" not in out


def test_turtle_keeps_every_literal_and_is_the_same_bytes_in_any_order() -> None:
    one, other = _graph(TRIPLES), _graph(list(reversed(TRIPLES)))
    out = serialize(one, "turtle")
    assert isomorphic(Graph().parse(data=out, format="turtle"), _graph(TRIPLES))
    assert serialize(other, "turtle") == out


def test_nquads_put_the_triples_in_the_named_graph() -> None:
    named = EX + "graph/alpha"
    out = serialize(_graph(TRIPLES), "nquads", graph_iri=named)
    lines = out.splitlines()
    assert len(lines) == len(TRIPLES)
    assert all(line.endswith(f"<{named}> .") for line in lines)


def test_json_ld_with_the_bundled_context_in_a_list(tmp_path: Path) -> None:
    """The context by its published IRI, inside a list: read from the bundled copy,
    so rmp: terms expand without the network."""
    (iri,) = LOCAL_CONTEXTS
    doc = {"@context": [iri, {"ex": EX}], "@id": "ex:alpha",
           "rdfs:label": "ALPHA", "rmp:versionNumber": "2.0"}
    path = tmp_path / "alpha.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    g = parse_rdf(path)
    assert set(g) == {(URIRef(EX + "alpha"), RDFS.label, Literal("ALPHA")),
                      (URIRef(EX + "alpha"), RMP.versionNumber, Literal("2.0"))}


def test_identifier_scheme_is_the_vocabulary_term() -> None:
    node, triples = identifier(URIRef(EX + "study"), "eu-pas", "EUPAS104512")
    scheme = URIRef("https://w3id.org/rmpgraph/vocab/identifier-scheme/eu-pas")
    assert (node, RMP.identifierScheme, scheme) in triples
    assert (node, SKOS.notation, Literal("EUPAS104512", datatype=scheme)) in triples


def test_refused_xml_says_what_was_refused_and_where(tmp_path: Path) -> None:
    """An RDF/XML file with an internal entity (the billion-laughs shape) is refused
    with one line naming the file, the construct and what to do instead."""
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
                    '  <!ENTITY lol "lol">\n]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                    '</rdf:RDF>\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_rdf(bomb)
    message = str(caught.value)
    assert "bomb.rdf" in message and "\n" not in message
    assert any(f"XML {what} refused" in message
               for what in ("DOCTYPE declaration", "entity declaration"))
    assert message.endswith("convert the file to Turtle")


def test_write_graph_takes_the_format_from_the_extension(tmp_path: Path) -> None:
    out = tmp_path / "x.nt"
    write_graph(_graph(TRIPLES), out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(TRIPLES) and all(ln.endswith(" .") for ln in lines)
    assert isomorphic(Graph().parse(out, format="nt"), _graph(TRIPLES))
