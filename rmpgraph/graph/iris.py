"""The only place that mints instance IRIs.

IRIs are readable (`id/lemtrada/concern/thrombocytopenia`) and a pure function of the
document's content, so the same input always gives the same graph, whatever the hash
seed, and diffs between versions line up.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from rmpgraph.graph.namespaces import ID, RMP, vocab
from rmpgraph.parse.keys import digest, slug

__all__ = ["slug", "digest", "product_iri", "under", "identifier"]

def product_iri(name: str) -> URIRef:
    return URIRef(f"{ID}{slug(name)}")


def under(parent: URIRef | str, *parts: str) -> URIRef:
    """IRI of a resource nested under `parent` (`parent/part/part`)."""
    return URIRef("/".join([str(parent).rstrip("/"), *parts]))


def identifier(owner: URIRef, scheme: str, value: str
               ) -> tuple[URIRef, list[tuple[URIRef, URIRef, Literal | URIRef]]]:
    """An `rmp:Identifier` under `owner` (`{owner}/identifier/{scheme}/{slug}`) and
    its triples: the notation typed by its scheme, the scheme, a label. Shared by
    the mapping (study register numbers) and EMA linking (product numbers)."""
    scheme_iri = URIRef(vocab("identifier-scheme", scheme))
    node = under(owner, "identifier", scheme, slug(value))
    return node, [
        (owner, RMP.hasIdentifier, node),
        (node, RDF.type, RMP.Identifier),
        (node, SKOS.notation, Literal(value, datatype=scheme_iri)),
        (node, RMP.identifierScheme, scheme_iri),
        (node, RDFS.label, Literal(value)),
    ]
