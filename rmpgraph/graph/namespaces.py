"""Namespaces and prefixes used across rmpgraph.

One place for every IRI base, so queries, shapes, the parser and the reports agree.
`tests/test_ontology.py` checks that every `RMP.<name>` used in the code is declared in
`ontology/rmp.ttl` (a typo is a test failure, not a silent new term).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BASE",
    "RMP",
    "RMPSH",
    "RMPV",
    "ID",
    "PREFIXES",
    "DCTERMS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "vocab",
]

BASE = "https://w3id.org/rmpgraph/"
RMP = Namespace(BASE + "ontology#")
RMPSH = Namespace(BASE + "shapes#")
RMPV = Namespace(BASE + "vocab/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

PREFIXES: dict[str, str] = {
    "rmp": str(RMP),
    "rmpsh": str(RMPSH),
    "rmpv": str(RMPV),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
}


def vocab(scheme: str, slug: str) -> str:
    """IRI of a concept of a shipped SKOS scheme (`rmpv:<scheme>/<slug>`)."""
    return f"{RMPV}{scheme}/{slug}"
