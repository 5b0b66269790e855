"""Which RMP version revises which: the order of a product's versions.

"The latest RMP of each product", which every stored query answers for by
default, needs the versions of a product ordered. That order is a fact about a
collection of documents (a store, or the files given to one command), not about
any one of them, so it is computed where they meet: by the store after each load
(`store/storeversions.py`) and here for files given together. Both use `order_key`.

Order, oldest first: `rmp:versionDate` (missing last); then `rmp:versionNumber`
compared numerically part by part ("8.10" after "8.9"; a part that is not a number
after the numbers; missing last); then the caller's tie-break (load or file order,
then names), so the order is total and never random.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from rmpgraph.graph.namespaces import RMP

__all__ = ["number_key", "order_key", "consecutive", "link_revisions", "merge_given"]


def number_key(number: str | None) -> tuple[tuple[int, int, str], ...]:
    """Sort key of a version number: "8.10" after "8.9", missing last."""
    if number is None:
        return ((2, 0, ""),)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in number.strip().split("."))


def order_key(date: str | None, number: str | None,
              *tiebreak: str) -> tuple[object, ...]:
    """Sort key of one version, oldest first (see the module docstring)."""
    return (date is None, date or "", number is None, number_key(number), *tiebreak)


def consecutive(versions: Iterable[tuple[str, str, tuple[object, ...]]]
                ) -> set[tuple[str, str]]:
    """(newer, older) RMP pairs, from (product, rmp, order key) triples."""
    by_product: dict[str, list[tuple[tuple[object, ...], str]]] = {}
    for product, rmp, key in versions:
        by_product.setdefault(product, []).append((key, rmp))
    links: set[tuple[str, str]] = set()
    for group in by_product.values():
        group.sort()
        links |= {(newer, older) for (_, older), (_, newer) in pairwise(group)}
    return links


def link_revisions(graph: Graph, order: list[URIRef] | None = None) -> int:
    """Add `prov:wasRevisionOf` between consecutive versions of each product of
    `graph` (files given to one command); `order` is the RMPs in the order their
    files were given, the last tie-break. Returns the number of links added."""
    position = {rmp: n for n, rmp in enumerate(order or [])}
    found = []
    for product, rmp in graph.subject_objects(RMP.hasRiskManagementPlan):
        number = graph.value(rmp, RMP.versionNumber)
        date = graph.value(rmp, RMP.versionDate)
        key = order_key(None if date is None else str(date),
                        None if number is None else str(number),
                        f"{position.get(rmp, len(position)):09d}", str(rmp))
        found.append((str(product), str(rmp), key))
    links = consecutive(found)
    for newer, older in sorted(links):
        graph.add((URIRef(newer), PROV.wasRevisionOf, URIRef(older)))
    return len(links)


def merge_given(parts: Iterable[Graph]) -> Graph:
    """The union of the graphs of files given to one command, in the order given,
    with the versions of each product linked (`link_revisions`; that order is the
    last tie-break)."""
    merged = Graph()
    order: list[URIRef] = []
    for part in parts:
        for triple in part:
            merged.add(triple)
        order += sorted(r for r in part.objects(None, RMP.hasRiskManagementPlan)
                        if isinstance(r, URIRef) and r not in order)
    if len(order) > 1:  # versions of one product given together: which is latest
        link_revisions(merged, order)
    return merged
