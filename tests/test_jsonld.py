"""JSON-LD output: compacted with the bundled context, offline, isomorphic, stable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

import rmpgraph
from rmpgraph.graph.jsonld import CONTEXT_PATH, to_jsonld
from rmpgraph.graph.serialize import serialize

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return rmpgraph.build(str(LEMTRADA)).graph


@pytest.fixture(scope="module")
def doc(graph: Graph) -> dict:
    return to_jsonld(graph)


def _no_network(url: str, options: dict | None = None) -> dict:
    raise AssertionError(f"JSON-LD reader tried to fetch {url}")


def test_context_is_the_bundled_one(doc: dict) -> None:
    bundled = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == bundled


def test_rdflib_round_trip_is_isomorphic(graph: Graph, doc: dict) -> None:
    back = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


def test_pyld_reads_it_without_network(graph: Graph, doc: dict) -> None:
    nquads = jsonld.to_rdf(
        doc, {"format": "application/n-quads", "documentLoader": _no_network}
    )
    back = Graph().parse(data=nquads, format="nt")
    assert isomorphic(back, graph)


def test_compacted_terms_are_used(doc: dict) -> None:
    by_id = {n["@id"]: n for n in doc["@graph"]}
    rmp = "https://w3id.org/rmpgraph/id/lemtrada/rmp/659dc422ff1a"  # 12 hex of SHA-256
    concern = by_id[f"{rmp}/concern/serious-infections"]
    assert concern["label"] == "Serious infections"  # line 137 of the source
    assert concern["@type"] == "SafetyConcern"
    assert concern["concernCategory"].endswith("important-identified-risk")
    milestones = [n for n in doc["@graph"] if n.get("@type") == "Milestone"]
    assert any(m.get("dueText") == "Q3 2024" for m in milestones)


def test_sorted_and_deterministic(graph: Graph, doc: dict) -> None:
    ids = [n["@id"] for n in doc["@graph"]]
    assert ids == sorted(ids)
    # same triples inserted in another order must give the same document
    reordered = Graph()
    for triple in sorted(graph, reverse=True):
        reordered.add(triple)
    assert serialize(reordered, "json-ld") == serialize(graph, "json-ld")


def test_cli_writes_jsonld(tmp_path: Path, graph: Graph) -> None:
    out = tmp_path / "l.jsonld"
    proc = subprocess.run(
        [sys.executable, "-m", "rmpgraph", "build", str(LEMTRADA), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert isomorphic(Graph().parse(out, format="json-ld"), graph)


def test_empty_graph() -> None:
    assert to_jsonld(Graph())["@graph"] == []
