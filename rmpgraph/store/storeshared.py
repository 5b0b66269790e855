"""The concerns products share, over every RMP in a store: `graph/shared-concerns`.

products-sharing-concern asks, for each concern of a product, how many products
list the same concern (by MedDRA link, else by normalised name) on their latest
RMP. That count is a fact about all the RMPs held together, so no document can
carry it, and counting every key of the corpus at query time took 1.2-2.3 s on
1,000 RMPs for a question about one product. The store keeps the counts in a graph
of its own, recomputed by the rule `queries/derive/shared-concerns.rq`
(`graph.derive.shared_concerns`) after every load and removal, like the version
links (`storeversions`), which it reads to find each product's latest RMP.
"""

from __future__ import annotations

import hashlib
from functools import cache

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV

from rmpgraph.graph.derive import SHARED_RULE, SHARED_RULE_IRI, shared_concerns
from rmpgraph.graph.namespaces import GRAPH
from rmpgraph.store import storeversions

__all__ = ["SHARED_GRAPH", "refresh", "rederive", "computed", "invalidate"]

SHARED_GRAPH = str(GRAPH["shared-concerns"])
_SHARED = ox.NamedNode(SHARED_GRAPH)


@cache
def _marks() -> tuple[ox.Triple, ox.Triple]:
    """Always in the graph: the rule, and the hash of its text, so a store whose
    graph is missing (written before it existed) or was made by another version of
    the rule can be told from one where no two products share a concern."""
    digest = hashlib.sha256(SHARED_RULE.read_bytes()).hexdigest()
    return (ox.Triple(_SHARED, ox.NamedNode(str(PROV.wasGeneratedBy)),
                      ox.NamedNode(SHARED_RULE_IRI)),
            ox.Triple(_SHARED, ox.NamedNode(str(DCTERMS.identifier)),
                      ox.Literal(digest)))


def computed(raw: ox.Store) -> bool:
    """Was this store's graph computed by the rule as it is now?"""
    return all(any(True for _ in raw.quads_for_pattern(
        mark.subject, mark.predicate, mark.object, _SHARED)) for mark in _marks())


def invalidate(raw: ox.Store) -> None:
    """Before a load or removal changes the RMPs: until `refresh` has run, the
    graph lacks its marks, so a load killed half-way (no `finally` runs after a
    SIGKILL) leaves a store that `storedisk.migrate` recomputes when next opened
    rather than counts of the RMPs it held before."""
    for mark in _marks():
        raw.remove(ox.Quad(mark.subject, mark.predicate, mark.object, _SHARED))


def refresh(raw: ox.Store) -> None:
    """Make `graph/shared-concerns` hold exactly what the rule derives from the
    store's RMPs (and MedDRA links), written only when something changed
    (`storeversions.replace_graph`). The rule reads the union of all graphs, its
    own included; it matches none of its own triples (they are not concerns or
    lineages)."""
    storeversions.replace_graph(raw, _SHARED, [*_marks(), *shared_concerns(raw)])


def rederive(raw: ox.Store) -> None:
    """Recompute everything the store derives from all its RMPs, after a load or
    removal and when an opening finds the marks gone (`invalidate`): the version
    links first, since the shared concerns count each product's latest RMP."""
    storeversions.refresh(raw)
    refresh(raw)
