"""The benchmark harness's own measuring parts: memory sampling, the streamed
build files, and the timed `rmpgraph load` run.

Expected sizes come from what the test allocates or from a fresh rdflib build of
the same document, never from the harness code under test.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import BNode, Graph

from rmpgraph.graph.pipeline import build
from rmpgraph.store.embedded import RmpStore

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}",
                                                  ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run() -> ModuleType:
    return _module("run")


def test_sampler_sees_a_child_allocation(run: ModuleType) -> None:
    benchlib = sys.modules["benchlib"]
    size_mib = 150
    # bytes filled with a non-zero byte: every page is touched, so it is resident
    child = [sys.executable, "-c",
             f"import time; b = b'x' * ({size_mib} << 20); time.sleep(1.0)"]
    proc = subprocess.Popen(child)
    with benchlib.RssSampler(proc.pid) as sampled:
        assert proc.wait() == 0
    # the allocation plus one interpreter, not this test process's own memory
    assert size_mib <= sampled.peak_mib < size_mib + 100


def test_build_file_holds_the_document_graph(run: ModuleType, tmp_path: Path) -> None:
    nquads, entry = run._build_one(tmp_path, LEMTRADA)
    assert nquads == tmp_path / "lemtrada.nq" and nquads.is_file()
    built = build(LEMTRADA)
    graph = run._document_graph(nquads)
    assert entry.triples == len(built) == len(graph)
    def named(g: Graph) -> set:
        return {t for t in g if not any(isinstance(x, BNode) for x in t)}

    assert named(graph) == named(built)
    conforms, _ = run._validate_one(nquads)
    assert conforms


def test_timed_cli_load_fills_a_store(run: ModuleType, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus-2"
    corpus.mkdir()
    (corpus / "lemtrada.txt").write_bytes(LEMTRADA.read_bytes())
    text = LEMTRADA.read_text(encoding="utf-8")
    (corpus / "lemtrada-v2.txt").write_text(text.replace(
        "Important risks of LEMTRADA are risks",
        "Important risks of LEMTRADA are the risks", 1), encoding="utf-8")
    result = run.run_cli(2, tmp_path, jobs=2)
    assert result["cli_load_s"] > 0
    assert result["cli_peak_rss_mib"] >= result["cli_peak_rss_process_mib"] > 0
    with RmpStore(tmp_path / "cli-store-2") as store:
        assert len([e for e in store.list() if e.kind == "rmp"]) == 2


def test_packed_copy_holds_every_quad_in_lz4_files(tmp_path: Path) -> None:
    """bench_store_pack's copy: the same quads, in table files compressed with LZ4
    (what its finding about the store's size rests on)."""
    import pyoxigraph as ox

    pack = _module("bench_store_pack")
    with RmpStore(tmp_path / "store") as store:
        store.load([LEMTRADA])
    pack.pack(tmp_path / "store", tmp_path / "packed")

    def quads(path: Path) -> set[str]:
        return {str(q) for q in ox.Store.read_only(str(path)).quads_for_pattern(
            None, None, None, None)}

    before = quads(tmp_path / "store")
    assert len(before) > 6000 and quads(tmp_path / "packed") == before
    kinds = pack.compression(tmp_path / "packed")
    # all but a file or so of a few hundred bytes, whose properties say none
    assert kinds["LZ4"] > 0.9 * sum(kinds.values())
