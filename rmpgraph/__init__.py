"""rmpgraph: EU Risk Management Plan (Part VI) summaries as a knowledge graph.

The pipeline, one module per stage: read -> segment -> extract (model) -> mapping
(RDF) -> infer -> validate -> queries -> report. Notebooks use `build()` and friends;
the CLI is a thin layer over the same functions.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build"]


def build(path):  # type: ignore[no-untyped-def]
    """Build the RDF graph of one RMP summary file (text or PDF)."""
    from .pipeline import build as _build

    return _build(path)
