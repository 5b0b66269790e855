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

from functools import lru_cache
from typing import Any

from rdflib import Graph

from rmpgraph.paths import QUERIES_DIR

__all__ = ["RULES", "add_derived_facts"]

#: the CONSTRUCT rules run on every built RMP version, in this order
RULES = (QUERIES_DIR / "derive" / "concern-facts.rq",)


@lru_cache(maxsize=len(RULES))
def _prepared(index: int) -> Any:
    """The rule parsed once per process (parsing costs more than running it on
    one RMP's graph)."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(RULES[index].read_text(encoding="utf-8"))


def add_derived_facts(graph: Graph) -> Graph:
    """Add the derived facts of every concern in `graph` (one RMP version) to it.

    Returns the same graph, so the pipeline can wrap its mapping call. Running it
    twice adds nothing new (the constructed nodes are a function of the concerns'
    IRIs and the facts of the graph, and a graph holds a triple once); on a graph
    already holding derived facts it adds none that differ, because the rule
    reads only document statements.
    """
    for index in range(len(RULES)):
        constructed = graph.query(_prepared(index)).graph
        if constructed is not None:
            for triple in constructed:
                graph.add(triple)
    return graph
