"""Turn command-line inputs (RMP texts, PDFs or RDF files) into one data graph.

Every command that "accepts RMP text files or already-built graphs" goes through here,
so they all treat inputs the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef

from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.rdfio import is_rdf_path, parse_rdf
from rmpgraph.graph.versions import link_revisions

__all__ = ["load_graph"]


def load_graph(paths: Iterable[str | Path]) -> Graph:
    """Union of the graphs of all inputs: RDF files are parsed, documents are built,
    and versions of one product are linked by prov:wasRevisionOf (graph/versions)."""
    from rmpgraph.graph.pipeline import (
        build,  # local: avoid an import cycle with the pipeline
    )

    merged = Graph()
    order: list[URIRef] = []
    for path in paths:
        part = parse_rdf(path) if is_rdf_path(path) else build(path)
        for triple in part:
            merged.add(triple)
        order += sorted(r for r in part.objects(None, RMP.hasRiskManagementPlan)
                        if isinstance(r, URIRef) and r not in order)
    if len(order) > 1:  # versions of one product given together: which is latest
        link_revisions(merged, order)
    return merged
