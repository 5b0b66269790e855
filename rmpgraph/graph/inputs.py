"""Turn command-line inputs (RMP texts, PDFs or RDF files) into one data graph.

Every command that "accepts RMP text files or already-built graphs" goes through here,
so they all treat inputs the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from rmpgraph.graph.rdfio import is_rdf_path, parse_rdf
from rmpgraph.graph.versions import merge_given

__all__ = ["load_graph"]


def load_graph(paths: Iterable[str | Path]) -> Graph:
    """Union of the graphs of all inputs: RDF files are parsed, documents are built,
    and versions of one product are linked by prov:wasRevisionOf (graph/versions)."""
    from rmpgraph.graph.pipeline import (
        build,  # local: avoid an import cycle with the pipeline
    )

    return merge_given(parse_rdf(path) if is_rdf_path(path) else build(path)
                       for path in paths)
