"""Linking RMP graphs to external vocabularies: MedDRA (user-supplied) and EMA/EDQM/ATC.

`link_meddra(graph, meddra_dir)` maps each safety concern to MedDRA PTs/LLTs (curated
SSSOM tables first, then lexical rules) and `link_ema(graph)` types the product's
identifiers and links route, form and ATC code to shipped (or user-supplied) SKOS
tables. Both return new graphs; the input graph is not changed.
"""

from __future__ import annotations

from rmpgraph.link.ema import EmaResult, link_ema, link_ema_report
from rmpgraph.link.linker import (
           ConcernOutcome,
           LinkResult,
           Mapping,
           link_loaded,
           link_meddra,
)
from rmpgraph.link.meddra import Meddra, load_meddra
from rmpgraph.link.meddra_rdf import DEFAULT_BASE, to_graph
from rmpgraph.link.output import summary_lines, write_link_sssom

__all__ = ["ConcernOutcome", "DEFAULT_BASE", "EmaResult", "LinkResult", "Mapping",
           "Meddra", "link_ema", "link_ema_report", "link_loaded", "link_meddra",
           "load_meddra", "summary_lines", "to_graph", "write_link_sssom"]
