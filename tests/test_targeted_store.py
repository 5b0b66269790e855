"""Blank nodes of two documents stay apart in one store (issue 19).

JSON-LD keeps a document's blank-node labels (`_:note`), so two RMP files that both
write `_:note` would share one node in the database unless the store keeps each
document's blank nodes to itself. Each document below gives its product one note
with its own label; in the store each product must still have one note, with its
own label only.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Literal
from rdflib.namespace import RDF, RDFS

from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import source_from_string
from rmpgraph.store.embedded import RmpStore

TESTA = Path(__file__).resolve().parent / "fixtures" / "targeted" / "testa.txt"
QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>
SELECT ?product ?label WHERE {
  GRAPH ?g { ?p a rmp:MedicinalProduct ; rdfs:label ?product ; rdfs:seeAlso ?note .
             FILTER isBlank(?note) }
  GRAPH ?h { ?note rdfs:label ?label }
} ORDER BY ?product ?label
"""


def _document(tmp: Path, name: str) -> Path:
    """testa.txt with the product renamed, as JSON-LD with a `_:note` blank node."""
    text = TESTA.read_text(encoding="utf-8").replace("TESTA", name)
    graph = build_source(source_from_string(text, f"{name}.txt")).graph
    (product,) = graph.subjects(RDF.type, RMP.MedicinalProduct)
    note = BNode("note")
    graph.add((product, RDFS.seeAlso, note))
    graph.add((note, RDFS.label, Literal(f"note of {name}")))
    path = tmp / f"{name.lower()}.jsonld"
    path.write_text(graph.serialize(format="json-ld"), encoding="utf-8")
    assert '"_:note"' in path.read_text(encoding="utf-8")  # the label is in the file
    return path


def test_blank_nodes_of_two_documents_stay_apart(tmp_path: Path) -> None:
    paths = [_document(tmp_path, "ALPHA"), _document(tmp_path, "BETA")]
    with RmpStore(tmp_path / "store") as store:
        outcomes = store.load(paths)
        assert [o.status for o in outcomes] == ["loaded", "loaded"]
        rows = store.query(QUERY)
    assert isinstance(rows, list)
    assert [(str(r["product"]), str(r["label"])) for r in rows] == [
        ("ALPHA", "note of ALPHA"), ("BETA", "note of BETA")]
