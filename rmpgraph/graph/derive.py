"""Derived facts, computed once per RMP version at build time (issue 16, item 3).

Corpus questions ("which concerns rely on routine measures only", "how many have a
study", "when is the next report due") otherwise recompute the same joins over
every concern of every RMP each time they run. The rule that computes them is a
SPARQL CONSTRUCT in `queries/derive/concern-facts.rq` (knowledge in files); this
module runs it on one version's freshly mapped graph and adds what it constructs
to that graph, so the facts travel with the version (its named graph in a store,
its file when built) and a query reads a few triple patterns instead.

The facts hang on their own node (`{concern}/derived`, a `rmp:DerivedFacts`,
`prov:wasGeneratedBy` the rule's resource in `ontology/vocab/derivation-rule.ttl`),
not on the concern: what the document says and what rmpgraph concluded from it
stay apart, so validation and `rmpgraph diff`, which read the document's
statements, never see a derived fact as a second statement of the same thing.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from rmpgraph.graph.namespaces import RMP
from rmpgraph.paths import QUERIES_DIR

__all__ = ["RULES", "add_derived_facts"]

#: the CONSTRUCT rules run on every built RMP version, in this order
RULES = (QUERIES_DIR / "derive" / "concern-facts.rq",)
_TERM = re.compile(r"\brmp:([A-Za-z][A-Za-z0-9]*)")


@lru_cache(maxsize=len(RULES))
def _rule(index: int) -> tuple[str, frozenset[URIRef]]:
    """The rule's text, and the rmp: terms its WHERE clause names (its predicates
    and classes): the only triples it can read, since a rule names every
    predicate it matches (no variable in predicate position; see the rule's
    header)."""
    text = RULES[index].read_text(encoding="utf-8")
    where = text[text.index("WHERE"):]
    return text, frozenset(RMP[name] for name in _TERM.findall(where))


def _ox(term: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    assert isinstance(term, Literal), term  # the graph stage adds no blank nodes
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _rdflib(term: object) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    assert isinstance(term, ox.Literal), term
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def add_derived_facts(graph: Graph) -> Graph:
    """Add the derived facts of every concern in `graph` (one RMP version) to it.

    The rule runs on Oxigraph over the triples it can read (copied from `graph`):
    on LEMTRADA that is 10 ms, where rdflib takes 50 ms on the whole graph,
    which would cost a tenth of the build. Returns the same graph, so the pipeline
    can wrap its mapping call. The rule reads only document statements, so
    running it again adds nothing.
    """
    for index in range(len(RULES)):
        text, terms = _rule(index)
        store = ox.Store()
        store.extend([ox.Quad(_ox(s), _ox(p), _ox(o)) for term in sorted(terms)
                      for pattern in ((None, term, None), (None, RDF.type, term))
                      for s, p, o in graph.triples(pattern)])
        for triple in store.query(text):
            graph.add((_rdflib(triple.subject), _rdflib(triple.predicate),
                       _rdflib(triple.object)))
    return graph
