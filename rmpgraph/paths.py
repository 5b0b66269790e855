"""Where the knowledge files live.

The customer's layout keeps `ontology/`, `queries/` and `data/` at the top of the
repository; a wheel carries copies under `rmpgraph/_resources/`. Resolving both here
means no other module guesses paths, and `RMPGRAPH_ROOT` lets a user point the tool
at an edited copy (e.g. a full EDQM export in `data/`).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ROOT", "ONTOLOGY_DIR", "SHAPES_DIR", "VOCAB_DIR", "QUERIES_DIR", "DATA_DIR"]


def _root() -> Path:
    override = os.environ.get("RMPGRAPH_ROOT")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / "_resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


ROOT = _root()
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
