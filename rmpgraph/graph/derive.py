"""Derived facts: per RMP version at build time, and per set of RMPs held together
(issue 16, item 3).

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

One rule is about RMPs held together, not one version: which products share a
concern (`queries/derive/shared-concerns.rq`). A store runs it after every load
and removal (`shared_concerns`), and a request on an rdflib graph that reads its
terms runs it first on a copy of that graph (`with_shared_concerns`); its nodes
are `rmp:SharedConcern`s of their own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD
from rdflib.term import Node

from rmpgraph.graph.namespaces import RMP, RMPV
from rmpgraph.paths import QUERIES_DIR

__all__ = ["RULES", "SHARED_RULE", "SHARED_RULE_IRI", "SHARED_TERMS",
           "add_derived_facts", "shared_concerns", "with_shared_concerns"]

#: the CONSTRUCT rules run on every built RMP version, in this order
RULES = (QUERIES_DIR / "derive" / "concern-facts.rq",)
#: the rule run over the RMPs held together (a store, the graph a query runs on)
SHARED_RULE = QUERIES_DIR / "derive" / "shared-concerns.rq"
SHARED_RULE_IRI = str(RMPV["derivation-rule/shared-concerns"])
#: the terms of its nodes: a request on an rdflib graph that names one gets them
SHARED_TERMS = frozenset({RMP.SharedConcern, RMP.sharedMeddraConcept, RMP.sharedName,
                          RMP.productCount})
_TERM = re.compile(r"\b(rmp|prov|skos):([A-Za-z][A-Za-z0-9]*)")
_PREFIXES = {"rmp": RMP, "prov": PROV, "skos": SKOS}


@lru_cache(maxsize=len(RULES) + 1)
def _read_rule(path: str) -> tuple[str, frozenset[URIRef]]:
    """The rule's text, and the rmp:, prov: and skos: terms its WHERE clause names
    (its predicates and classes): the only triples it can read, since a rule names
    every predicate it matches (no variable in predicate position; see the rule's
    header)."""
    text = Path(path).read_text(encoding="utf-8")
    where = text[re.search(r"^WHERE\b", text, re.MULTILINE).start():]  # type: ignore[union-attr]
    return text, frozenset(_PREFIXES[prefix][name]
                           for prefix, name in _TERM.findall(where))


def _rule(index: int) -> tuple[str, frozenset[URIRef]]:
    return _read_rule(str(RULES[index]))


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
    if term.datatype.value == str(XSD.string):  # as rdflib writes a simple literal
        return Literal(term.value)
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
        for triple in _copy(graph, terms).query(text):
            graph.add((_rdflib(triple.subject), _rdflib(triple.predicate),
                       _rdflib(triple.object)))
    return graph


def _copy(graph: Graph, terms: frozenset[URIRef]) -> ox.Store:
    """An in-memory Oxigraph store with the triples of `graph` a rule can read."""
    store = ox.Store()
    store.extend([ox.Quad(_ox(s), _ox(p), _ox(o)) for term in sorted(terms)
                  for pattern in ((None, term, None), (None, RDF.type, term))
                  for s, p, o in graph.triples(pattern)])
    return store


def shared_concerns(store: ox.Store) -> list[ox.Triple]:
    """The `rmp:SharedConcern` nodes of the RMPs in `store` (the union of its
    graphs), sorted, so whoever writes them writes the same bytes each time."""
    text, _ = _read_rule(str(SHARED_RULE))
    return sorted(store.query(text, use_default_graph_as_union=True),
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def with_shared_concerns(graph: Graph) -> Graph:
    """A copy of `graph` with the `rmp:SharedConcern` nodes of the RMPs it holds,
    for a request that reads them on an rdflib graph (a store keeps its own,
    `store.storeshared`). Nodes already in `graph` (derived over another set of
    RMPs) are left out of the copy, so no key is counted twice; `graph` itself is
    not changed."""
    stale = set(graph.subjects(RDF.type, RMP.SharedConcern))
    copy = Graph()
    for triple in graph:
        if triple[0] not in stale:
            copy.add(triple)
    _, terms = _read_rule(str(SHARED_RULE))
    for triple in shared_concerns(_copy(copy, terms)):
        copy.add((_rdflib(triple.subject), _rdflib(triple.predicate),
                  _rdflib(triple.object)))
    return copy
