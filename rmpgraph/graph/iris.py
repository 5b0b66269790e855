"""The only place that mints instance IRIs.

IRIs are readable (`id/lemtrada/concern/thrombocytopenia`) and a pure function of the
document's content, so the same input always gives the same graph, whatever the hash
seed, and diffs between versions line up.
"""

from __future__ import annotations

from rdflib import URIRef

from rmpgraph.graph.namespaces import ID
from rmpgraph.parse.keys import digest, slug

__all__ = ["slug", "digest", "product_iri", "under"]

def product_iri(name: str) -> URIRef:
    return URIRef(f"{ID}{slug(name)}")


def under(parent: URIRef | str, *parts: str) -> URIRef:
    """IRI of a resource nested under `parent` (`parent/part/part`)."""
    return URIRef("/".join([str(parent).rstrip("/"), *parts]))
