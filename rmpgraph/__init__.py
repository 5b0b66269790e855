"""rmpgraph: EU Risk Management Plan (Part VI) summaries as a knowledge graph.

The pipeline, one sub-package per stage (docs/ARCHITECTURE.md): `parse` (documents
-> model) -> `graph` (model -> RDF) -> `check` (inference, SHACL) -> `queries`
(stored SPARQL) -> `store` (Oxigraph, endpoints) -> `present` (report, docs, diff);
`link` adds MedDRA and EMA vocabularies; `cli` is a thin layer over these.

From Python (names are imported on first use, so `import rmpgraph` stays cheap)::

    import rmpgraph
    g = rmpgraph.build("summary.pdf")                  # rdflib.Graph
    report = rmpgraph.validate(g)                       # .conforms, .results
    rows = rmpgraph.queries.run("concerns-without-additional-rmm", g)
    with rmpgraph.RmpStore("store-dir") as store: ...
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "build", "validate", "queries", "RmpStore"]

_LAZY = {
    "validate": ("rmpgraph.check.validate", "validate"),
    "RmpStore": ("rmpgraph.store.embedded", "RmpStore"),
    "queries": ("rmpgraph.queries", None),
}


def build(path):  # type: ignore[no-untyped-def]
    """Build the RDF graph of one RMP summary file (text, PDF or DOCX)."""
    from rmpgraph.graph.pipeline import build as _build

    return _build(path)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'rmpgraph' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = importlib.import_module(module)
    return getattr(value, attr) if attr else value
