"""Loading the shipped ontology (`ontology/rmp.ttl`) and SKOS schemes (`vocab/*.ttl`).

The ontology is data, not Python: classes, properties and concept schemes live in
Turtle files that users can read and edit, and every stage that needs them (inference,
validation, reports, the term check in the tests) loads them through this module so
they all see the same graph. Parsing takes a noticeable fraction of a second, so the
merged graph is parsed once per process and cached.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from rmpgraph.graph.namespaces import PREFIXES, RMP
from rmpgraph.paths import ONTOLOGY_DIR, VOCAB_DIR

__all__ = [
    "ONTOLOGY_FILE",
    "ontology_files",
    "load_ontology",
    "ontology_copy",
    "ontology_terms",
]

ONTOLOGY_FILE = ONTOLOGY_DIR / "rmp.ttl"

# The kinds of declaration that make an `rmp:` IRI a term of the ontology.
_TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
)


def ontology_files() -> list[Path]:
    """The Turtle files that make up the ontology, core file first.

    Sorted so the merge order (and any error message) is the same on every machine.
    """
    return [ONTOLOGY_FILE, *sorted(VOCAB_DIR.glob("*.ttl"))]


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """The merged ontology: `rmp.ttl` plus every SKOS scheme in `vocab/`.

    Returns:
        A graph shared by every caller in the process (parsed once, cached).

    Note:
        Callers must not mutate the returned graph (no `add`, `remove`, `parse`, nor
        running an inference closure on it): the change would leak into every other
        stage. Use `ontology_copy()` when a mutable graph is needed.
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def ontology_copy() -> Graph:
    """A fresh, mutable copy of the merged ontology (e.g. to run owlrl on it)."""
    source = load_ontology()
    copy = Graph()
    for prefix, namespace in source.namespaces():
        copy.bind(prefix, namespace)
    for triple in source:
        copy.add(triple)
    return copy


@lru_cache(maxsize=1)
def ontology_terms() -> frozenset[URIRef]:
    """Every `rmp:` class and property declared in `ontology/rmp.ttl`.

    Used to check that code, queries and shapes only use declared terms, so a typo
    in a term name is an error rather than a silent new term.
    """
    graph = load_ontology()
    base = str(RMP)
    return frozenset(
        subject
        for term_type in _TERM_TYPES
        for subject in graph.subjects(RDF.type, term_type)
        if isinstance(subject, URIRef) and str(subject).startswith(base)
    )
