"""Which graphs `rmpgraph push` copies to an endpoint, decided before any is sent.

A target that names nothing in the store used to push just the ontology graphs
and report success, so a typo in a product name looked like a finished upload.
Every target must now name at least one loaded RMP (by product name or slug, product
or RMP IRI, graph IRI or file name) or the push stops before sending anything.

Remotely, stored queries see the pushed graphs through the server's union default
graph (Oxigraph: `serve --union-default-graph`; Fuseki: `tdb:unionDefaultGraph`).
How that union counts a triple two graphs share is the server's: Oxigraph counts
it once per graph. Stored queries are DISTINCT, so their answers do not depend on
it; ad hoc COUNT(*) queries may.
"""

from __future__ import annotations

from collections.abc import Iterable

from rmpgraph.errors import UsageError
from rmpgraph.graph.namespaces import ID
from rmpgraph.store.storedocs import Entry
from rmpgraph.store.storeshared import SHARED_GRAPH
from rmpgraph.store.storeversions import VERSIONS_GRAPH

__all__ = ["matches", "graphs_to_push"]


def matches(entry: Entry, target: str) -> bool:
    """Does `target` name this RMP graph (product name or slug, product/RMP/graph
    IRI, or the file it was loaded from)?"""
    wanted = target.strip()
    return entry.kind == "rmp" and wanted != "" and wanted in (
        entry.graph, entry.rmp, entry.product, entry.product_label, entry.file_name,
        (entry.product or "").removeprefix(str(ID)))


def graphs_to_push(entries: Iterable[Entry], targets: Iterable[str]) -> list[str]:
    """Graph IRIs to send: the ontology and vocabulary graphs, then the RMP graphs
    the targets name (all with no targets, plus the store's version links and
    shared concerns).

    Raises a `UsageError` naming the first target that matches no RMP graph.
    """
    entries = list(entries)
    wanted = list(targets)
    for target in wanted:
        if not any(matches(e, target) for e in entries):
            raise UsageError(f"push: nothing in the store matches {target!r}; "
                             "nothing was pushed (see `rmpgraph list`)")
    knowledge = [e.graph for e in entries if e.kind != "rmp"]
    rmps = [e.graph for e in entries if e.kind == "rmp"
            and (not wanted or any(matches(e, t) for t in wanted))]
    # the version links name RMPs of every product, and the shared concerns count
    # them: only a whole-store push sends them, so a partial push never links to
    # graphs it did not send or counts products it did not send
    whole = [VERSIONS_GRAPH, SHARED_GRAPH] if not wanted and rmps else []
    return knowledge + rmps + whole
