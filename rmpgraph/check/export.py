"""One file with which plain pySHACL checks what `rmpgraph validate` checks.

The shipped shapes read SKOS vocabularies (dcterms:requires) and rely on the class
hierarchy of the ontology, which `validate` adds to the data itself; pySHACL's
`-e` adds only RDFS/OWL axioms, not SKOS concepts, so the shapes alone report every
label citation as a violation. The bundle holds the shapes, the ontology and every
vocabulary; given as the shapes graph and as a second data file it makes

    pyshacl -s rmp-shacl.ttl -w -f human out/x.ttl rmp-shacl.ttl

report what `rmpgraph validate out/x.ttl` reports (tests/test_validate_pyshacl.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from rmpgraph.check.validate import load_extra_shapes, load_shapes
from rmpgraph.graph.ontology import load_ontology

__all__ = ["validation_bundle"]


def validation_bundle(shacl: Sequence[str | Path] = ()) -> Graph:
    """Shapes (shipped and `shacl` extras) + ontology + vocabularies, one graph."""
    out = Graph()
    sources = [load_shapes(), load_ontology()]
    if shacl:
        sources.append(load_extra_shapes(shacl))
    for source in sources:
        for prefix, namespace in source.namespaces():
            out.bind(prefix, namespace, override=False)
        for triple in source:
            out.add(triple)
    return out
