"""Shared fixtures: the shipped LEMTRADA document, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
CORPUS = ROOT / "tests" / "fixtures" / "rmp"


@pytest.fixture(scope="session")
def lemtrada_result():  # type: ignore[no-untyped-def]
    from rmpgraph.graph.pipeline import build_source
    from rmpgraph.parse.read import read_source

    return build_source(read_source(LEMTRADA))


@pytest.fixture(scope="session")
def lemtrada_graph(lemtrada_result) -> Graph:  # type: ignore[no-untyped-def]
    return lemtrada_result.graph


@pytest.fixture(scope="session")
def meddra_shapes() -> Graph:
    """The MedDRA link shape with the prefixes its SPARQL constraints declare, for
    tests that run pySHACL on it alone."""
    from rmpgraph.paths import SHAPES_DIR

    g = Graph()
    for name in ("rmp-prefixes.shapes.ttl", "rmp-meddra.shapes.ttl"):
        g.parse(SHAPES_DIR / name)
    return g
