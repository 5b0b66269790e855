"""`rmpgraph check-store`: does every graph hold what was loaded into it?

The catalogue records each graph's triple count in the transaction that wrote
the graph, so a graph whose quad count differs from it lost or gained data
outside rmpgraph (a damaged or hand-edited data file, a half-restored backup).
Counting walks one graph's index range at a time, so a damaged file that makes a
scan run away is met graph by graph; the CLI runs the check under the same
memory limit as store queries (`storeguard`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from rmpgraph.store.storedocs import CATALOGUE_GRAPH

if TYPE_CHECKING:
    from rmpgraph.store.embedded import RmpStore

__all__ = ["Finding", "check"]


@dataclass(frozen=True)
class Finding:
    graph: str
    found: int
    recorded: int | None  # None: the graph is not in the catalogue

    def __str__(self) -> str:
        if self.recorded is None:
            return f"graph {self.graph}: {self.found} quads, not in the catalogue"
        return (f"graph {self.graph}: {self.found} quads, the catalogue recorded "
                f"{self.recorded} at load")


def check(store: RmpStore) -> tuple[list[Finding], int, int]:
    """(findings, graphs checked, quads counted); no findings means sound."""
    from rmpgraph.store.embedded import STORE_GRAPHS

    raw = store._store
    entries = store.list()
    findings: list[Finding] = []
    total = 0
    with store._failing():
        for e in entries:
            n = sum(1 for _ in raw.quads_for_pattern(None, None, None,
                                                     ox.NamedNode(e.graph)))
            total += n
            if n != e.triples:
                findings.append(Finding(e.graph, n, e.triples))
        known = {e.graph for e in entries} | {*STORE_GRAPHS, CATALOGUE_GRAPH}
        for g in raw.named_graphs():
            if isinstance(g, ox.NamedNode) and g.value not in known:
                n = sum(1 for _ in raw.quads_for_pattern(None, None, None, g))
                findings.append(Finding(g.value, n, None))
    return sorted(findings, key=lambda f: f.graph), len(entries), total
