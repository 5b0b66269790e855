"""The persistent Oxigraph store: round trip, dedup, isolation, crash safety.

Expected numbers come from the LEMTRADA text itself (23 distinct II.B headings),
from a fresh rdflib build of the same file, or from the catalogue written in the
same transaction, never from re-running the store code being checked.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from rmpgraph.errors import UsageError
from rmpgraph.graph.pipeline import build
from rmpgraph.queries.stored import execute
from rmpgraph.store.embedded import (
    CATALOGUE_GRAPH,
    SHARED_GRAPH,
    RmpStore,
    to_rdflib_term,
)
from rmpgraph.store.storedisk import OLD_UNION_GRAPH

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"
PREFIX = "PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>\n" \
         "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
CONCERNS = PREFIX + """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a/rdfs:subClassOf* rmp:SafetyConcern }"""
_HEADING = re.compile(r"^(Important (identified|potential) risk|Missing information)"
                      r" ?:.*$", re.MULTILINE)


def _headings(path: Path) -> int:
    """Distinct II.B table headings: one per safety concern in the document."""
    text = path.read_text(encoding="utf-8")
    return len({m.group(0).rstrip() for m in _HEADING.finditer(text)})


@pytest.fixture
def second_version(tmp_path: Path) -> Path:
    """A later version of the LEMTRADA summary (one sentence reworded)."""
    text = LEMTRADA.read_text(encoding="utf-8")
    changed = text.replace("Important risks of LEMTRADA are risks",
                           "Important risks of LEMTRADA are the risks", 1)
    assert changed != text
    out = tmp_path / "lemtrada-v2.txt"
    out.write_text(changed, encoding="utf-8")
    return out


def _count(store: RmpStore, query: str) -> int:
    rows = store.query(query)
    assert isinstance(rows, list)
    return int(rows[0]["n"])


def _graph_size(store: RmpStore, graph: str) -> int:
    return _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> "
                         "{ ?s ?p ?o } }")


def test_round_trip_lemtrada(tmp_path: Path) -> None:
    assert _headings(LEMTRADA) == 23
    with RmpStore(tmp_path / "store") as store:
        [outcome] = store.load([LEMTRADA])
        assert outcome.status == "loaded"
        assert _count(store, CONCERNS) == _headings(LEMTRADA)
    # reopening the directory gives the same data back
    with RmpStore(tmp_path / "store") as store:
        assert _count(store, CONCERNS) == 23
        entries = {e.kind: e for e in store.list()}
        assert set(entries) == {"rmp", "ontology", "vocab"}
        rmp = entries["rmp"]
        built = build(LEMTRADA)
        assert rmp.triples == len(built) == _graph_size(store, rmp.graph)
        assert rmp.product_label == "LEMTRADA"
        assert rmp.file_name == "lemtrada.txt"
        sha12 = rmp.sha256[:12]
        assert rmp.graph.endswith(f"/graph/lemtrada/{sha12}")
        assert rmp.rmp.endswith(f"/id/lemtrada/rmp/{sha12}")
        # the data graph holds exactly the built triples
        stored = Graph()
        for s, p, o in built:
            stored.add((s, p, o))
        union = store.to_rdflib()
        assert all(t in union for t in built)


def test_dedup_by_content_hash(tmp_path: Path) -> None:
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(LEMTRADA.read_bytes())
    with RmpStore(tmp_path / "store") as store:
        first = store.load([LEMTRADA])
        size = len(store)
        again = store.load([LEMTRADA, copy])
        assert [o.status for o in first] == ["loaded"]
        assert [o.status for o in again] == ["skipped", "skipped"]
        assert {o.graph for o in first + again} == {first[0].graph}
        assert len(store) == size
        assert len([e for e in store.list() if e.kind == "rmp"]) == 1


def test_rdf_input_is_recognised_by_its_hash(tmp_path: Path) -> None:
    ttl = tmp_path / "lemtrada.ttl"
    build(LEMTRADA).serialize(ttl, format="turtle")
    with RmpStore(tmp_path / "store") as store:
        assert [o.status for o in store.load([ttl])] == ["loaded"]
        assert [o.status for o in store.load([LEMTRADA])] == ["skipped"]
        assert _count(store, CONCERNS) == 23


def test_named_graph_isolation(tmp_path: Path, second_version: Path) -> None:
    with RmpStore(tmp_path / "store") as store:
        a, b = store.load([LEMTRADA, second_version])
        assert a.status == b.status == "loaded" and a.graph != b.graph
        size_b = _graph_size(store, b.graph)
        removed = store.remove(a.graph)
        assert [e.graph for e in removed] == [a.graph]
        assert _graph_size(store, a.graph) == 0
        assert _graph_size(store, b.graph) == size_b == b.triples
        assert [e.graph for e in store.list() if e.kind == "rmp"] == [b.graph]
        # the surviving version still answers on its own
        assert _count(store, CONCERNS) == 23
        # removing by product name takes every version of that product
        store.load([LEMTRADA])
        assert len(store.remove("LEMTRADA")) == 2
        assert _count(store, CONCERNS) == 0
        with pytest.raises(UsageError):
            store.remove("no-such-product")


def test_union_answers_equal_rdflib(tmp_path: Path, second_version: Path) -> None:
    queries = [
        PREFIX + """SELECT DISTINCT ?rmp ?c ?label WHERE {
          ?rmp rmp:hasSafetyConcern ?c . ?c rdfs:label ?label }""",
        PREFIX + """SELECT DISTINCT ?study ?label ?cat WHERE {
          ?study a rmp:Study ; rdfs:label ?label .
          OPTIONAL { ?study rmp:studyCategory ?cat } }""",
        PREFIX + """SELECT DISTINCT ?m ?start ?end WHERE {
          ?m a rmp:Milestone . OPTIONAL { ?m rmp:dueStart ?start ; rmp:dueEnd ?end }
          }""",
    ]
    reference = build(LEMTRADA)
    for t in build(second_version):
        reference.add(t)
    with RmpStore(tmp_path / "store") as store:
        store.load([LEMTRADA, second_version])
        union = store.to_rdflib()
        for t in reference:
            assert t in union
        for q in queries:
            mine = store.query(q)
            theirs = execute(q, reference)
            assert isinstance(mine, list)
            assert len(mine) > 0
            expected = {tuple(sorted((str(k), v) for k, v in row.items()))
                        for row in theirs.rows}
            got = {tuple(sorted(row.items())) for row in mine}
            assert got == expected


def _quads(store_dir: Path) -> list[tuple[object, ...]]:
    """Every quad in the store, read with Oxigraph itself (the store closed)."""
    raw = ox.Store.read_only(str(store_dir))
    out = [tuple(to_rdflib_term(t) for t in (q.subject, q.predicate, q.object))
           + (q.graph_name.value,) for q in raw]
    del raw
    return out


def test_distinct_answers_count_shared_triples_once(tmp_path: Path,
                                                    second_version: Path) -> None:
    # two versions share the product IRI and its label; the default graph is
    # Oxigraph's union, a multiset, so a stored query's DISTINCT must make the
    # answer equal rdflib's over the merged graphs
    query = PREFIX + """SELECT (COUNT(DISTINCT ?label) AS ?n) (COUNT(DISTINCT ?rmp)
      AS ?rmps) WHERE { ?product rmp:hasRiskManagementPlan ?rmp ; rdfs:label ?label }"""
    with RmpStore(tmp_path / "store") as store:
        store.load([LEMTRADA, second_version])
        rows = store.query(query)
        assert isinstance(rows, list)
        assert (int(rows[0]["n"]), int(rows[0]["rmps"])) == (1, 2)
        listing = store.query(PREFIX + """SELECT DISTINCT ?product ?label WHERE {
          ?product rmp:hasRiskManagementPlan ?rmp ; rdfs:label ?label }""")
        assert isinstance(listing, list)
        assert [str(r["label"]) for r in listing] == ["LEMTRADA"]


def test_every_triple_is_stored_once(tmp_path: Path, second_version: Path) -> None:
    store_dir = tmp_path / "store"
    with RmpStore(store_dir) as store:
        a, b = store.load([LEMTRADA, second_version])
        size = len(store)
        entries = {e.graph: e.triples for e in store.list()}
    quads = _quads(store_dir)
    assert len(quads) == size
    by_graph: dict[str, int] = {}
    for q in quads:
        by_graph[str(q[3])] = by_graph.get(str(q[3]), 0) + 1
    assert OLD_UNION_GRAPH not in by_graph
    # each loaded graph holds exactly its recorded triples, and besides them only
    # the catalogue, the store's version links and its shared concerns exist
    assert {g: n for g, n in by_graph.items() if g in entries} == entries
    assert set(by_graph) - set(entries) <= {
        CATALOGUE_GRAPH, "https://w3id.org/rmpgraph/graph/versions",
        "https://w3id.org/rmpgraph/graph/shared-concerns"}
    with RmpStore(store_dir) as store:
        store.remove(a.graph)
    left = {str(q[3]) for q in _quads(store_dir)}
    assert a.graph not in left and b.graph in left


def test_closed_store_leaves_no_write_ahead_log(tmp_path: Path) -> None:
    # the logged writes are in the sorted files once closed; RocksDB keeps the
    # logs (6 MB for LEMTRADA) until told otherwise, which doubles a small store
    store_dir = tmp_path / "store"
    with RmpStore(store_dir) as store:
        store.load([LEMTRADA])
    logs = {p.name: p.stat().st_size for p in store_dir.glob("*.log")}
    assert logs and set(logs.values()) == {0}
    with RmpStore(store_dir, read_only=True) as store:
        assert _count(store, CONCERNS) == 23


def test_writers_leave_no_old_diagnostic_logs(tmp_path: Path) -> None:
    # every writable opening keeps RocksDB's previous info log (136 KB), up to a
    # thousand of them; the current one is all a reader of the logs needs
    store_dir = tmp_path / "store"
    for _ in range(3):
        with RmpStore(store_dir) as store:
            store.ensure_ontology()
    assert not list(store_dir.glob("LOG.old.*"))
    assert (store_dir / "LOG").is_file()
    with RmpStore(store_dir, read_only=True) as store:
        assert len(store) > 0


def test_graph_patterns_see_the_loaded_graphs(tmp_path: Path) -> None:
    with RmpStore(tmp_path / "store") as store:
        store.load([LEMTRADA])
        rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(rows, list)
        expected = {e.graph for e in store.list()} | {CATALOGUE_GRAPH, SHARED_GRAPH}
        assert {str(r["g"]) for r in rows} == expected


def _old_layout(store_dir: Path) -> set[tuple[object, ...]]:
    """Turn a store into the layout before issue 16 (a copy of every RMP, ontology
    and vocabulary triple in graph/union); returns the quads it held before."""
    before = set(_quads(store_dir))
    raw = ox.Store(str(store_dir))
    raw.update(f"INSERT {{ GRAPH <{OLD_UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ "
               f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{CATALOGUE_GRAPH}>) }}")
    raw.flush()
    del raw
    assert any(q[3] == OLD_UNION_GRAPH for q in _quads(store_dir))
    return before


@pytest.mark.parametrize("how", ["writer", "reader", "cli-list"])
def test_old_layout_store_is_migrated_on_open(tmp_path: Path, how: str) -> None:
    store_dir = tmp_path / "store"
    with RmpStore(store_dir) as store:
        store.load([LEMTRADA])
    before = _old_layout(store_dir)
    if how == "cli-list":
        proc = subprocess.run([sys.executable, "-m", "rmpgraph", "list", "--store",
                               str(store_dir)], capture_output=True, text=True,
                              timeout=120, cwd=REPO)
        assert proc.returncode == 0, proc.stderr
        assert "LEMTRADA\tlemtrada.txt" in proc.stdout
    else:
        with RmpStore(store_dir, read_only=how == "reader") as store:
            assert _count(store, CONCERNS) == 23
    # the copy is gone and nothing else changed
    assert set(_quads(store_dir)) == before


def test_query_refuses_updates(tmp_path: Path) -> None:
    with RmpStore(tmp_path / "store") as store:
        with pytest.raises(UsageError):
            store.query(f"DROP GRAPH <{CATALOGUE_GRAPH}>")


_LOADER = """
import sys
from rmpgraph.store.embedded import RmpStore
store = RmpStore(sys.argv[1])
store.load(sys.argv[2:])
store.close()
"""

#: the same loader with its database's `extend` wrapped from outside: half-way
#: through the first document's transaction it creates the flag file and sleeps,
#: so the test kills it at a known point inside a transaction
_PAUSING_LOADER = """
import sys, time
from pathlib import Path
import rmpgraph.store.embedded as store_module

flag = Path(sys.argv[1])
real_open = store_module.RmpStore._open

class Pausing:
    def __init__(self, real):
        self._real = real
    def __getattr__(self, name):
        return getattr(self._real, name)
    def extend(self, quads):
        quads = list(quads)
        def paced():
            for i, quad in enumerate(quads):
                if i == len(quads) // 2 and len(quads) > 1000:
                    flag.touch()
                    time.sleep(60)
                yield quad
        self._real.extend(paced())

store_module.RmpStore._open = lambda self, create: Pausing(real_open(self, create))
store = store_module.RmpStore(sys.argv[2])
store.load(sys.argv[3:])
store.close()
"""


def _kill_while_loading(store_dir: Path, inputs: list[Path], flag: Path | None,
                        delay: float) -> None:
    """Kill a loader mid-load: at the flag (inside a transaction) or after
    `delay` seconds, asserting in both cases that it was still loading."""
    if flag is not None:
        args = ["-c", _PAUSING_LOADER, str(flag), str(store_dir)]
    else:
        args = ["-c", _LOADER, str(store_dir)]
    proc = subprocess.Popen([sys.executable, *args, *map(str, inputs)], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        if flag is not None:
            while not flag.exists():
                assert proc.poll() is None, "loader exited before the pause"
                assert time.monotonic() < deadline
                time.sleep(0.05)
        else:
            time.sleep(delay)
        assert proc.poll() is None, "the loader finished before the kill"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def _all_or_none(store_dir: Path, expected: dict[str, int]) -> set[str]:
    """Graphs present after a crash: each complete and catalogued, or absent."""
    with RmpStore(store_dir) as store:
        catalogued = {e.graph: e.triples for e in store.list() if e.kind == "rmp"}
        present = set()
        for graph, size in expected.items():
            n = _graph_size(store, graph)
            assert n in (0, size), f"{graph}: {n} of {size} triples"
            assert (n == size) == (graph in catalogued)
            if n:
                present.add(graph)
        # still usable: the interrupted document can be loaded afterwards
        store.load([LEMTRADA])
        rmp = next(e.rmp for e in store.list() if e.file_name == LEMTRADA.name)
        # its own concerns (other versions' concern nodes may be version-scoped)
        assert _count(store, PREFIX + "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { "
                      f"<{rmp}> rmp:hasSafetyConcern ?c }}") == 23
    return present


def _expected_graph(path: Path) -> dict[str, int]:
    graph = build(path)
    rmp = next(s for s in graph.subjects() if isinstance(s, URIRef)
               and re.search(r"/rmp/[0-9a-f]{12}$", str(s)))
    p, h = str(rmp).split("/id/")[1].split("/rmp/")
    return {f"https://w3id.org/rmpgraph/graph/{p}/{h}": len(graph)}


def test_kill_during_transaction_leaves_nothing(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    _kill_while_loading(store_dir, [LEMTRADA], tmp_path / "paused", 0)
    assert _all_or_none(store_dir, _expected_graph(LEMTRADA)) == set()


@pytest.mark.parametrize("delay", [0.8, 1.2, 1.6])
def test_kill_at_any_moment_leaves_all_or_none(tmp_path: Path, delay: float,
                                               second_version: Path) -> None:
    # six versions: the load outlasts the longest delay on a fast machine too, and
    # the assertion in _kill_while_loading checks it was still loading
    text = second_version.read_text(encoding="utf-8")
    versions = [second_version]
    for n in range(4):
        more = tmp_path / f"lemtrada-v{n + 3}.txt"
        more.write_text(text.replace("are the risks", "are the risks" + " " * (n + 1),
                                     1), encoding="utf-8")
        versions.append(more)
    expected = _expected_graph(LEMTRADA)
    for v in versions:
        expected |= _expected_graph(v)
    store_dir = tmp_path / "store"
    _kill_while_loading(store_dir, [*versions, LEMTRADA], None, delay)
    _all_or_none(store_dir, expected)


def test_cli_load_list_remove(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rmpgraph.cli import store as cli

    runner = CliRunner()
    where = ["--store", str(tmp_path / "store")]
    first = runner.invoke(cli.load, [str(LEMTRADA), *where])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("loaded\t")
    again = runner.invoke(cli.load, [str(LEMTRADA), "--quiet", *where])
    assert again.exit_code == 0 and again.stdout.startswith("skipped\t")
    listing = runner.invoke(cli.list_, where)
    assert listing.exit_code == 0
    rows = listing.stdout.strip().splitlines()
    assert len(rows) == 2 and rows[1].startswith("LEMTRADA\tlemtrada.txt\t")
    gone = runner.invoke(cli.remove, ["lemtrada", *where])
    assert gone.exit_code == 0 and gone.stdout.startswith("removed\t")
    assert len(runner.invoke(cli.list_, where).stdout.strip().splitlines()) == 1
    missing = runner.invoke(cli.remove, ["lemtrada", *where])
    assert missing.exit_code == 2 and "nothing loaded matches" in missing.stderr
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    refused = runner.invoke(cli.load, [str(bad), *where])
    assert refused.exit_code == 2
    assert str(bad) in refused.stderr and "Traceback" not in refused.stderr


def test_broken_ontology_file_is_an_input_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rmpgraph.store.storedocs as docs_module
    from rmpgraph.errors import InputError

    broken = tmp_path / "ontology"
    broken.mkdir()
    (broken / "rmp.ttl").write_text("@prefix : <urn:x#> .\n:a :b :c ; ; .\n:d :e\n")
    monkeypatch.setattr(docs_module, "ONTOLOGY_DIR", broken)
    with RmpStore(tmp_path / "store") as store:
        with pytest.raises(InputError) as info:
            store.ensure_ontology()
        assert str(broken / "rmp.ttl") in str(info.value)
        assert store.list() == []


def test_parallel_load_keeps_input_order_with_a_short_window(
        tmp_path: Path, second_version: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing ahead is bounded (one document per process here), flushes happen
    after every document, and neither changes what is written or in what order."""
    import rmpgraph.store.embedded as store_module
    import rmpgraph.store.storedocs as docs_module

    monkeypatch.setattr(docs_module, "_AHEAD", 1)
    monkeypatch.setattr(store_module, "_FLUSH_EVERY", 1)
    third = tmp_path / "lemtrada-v3.txt"
    third.write_text(second_version.read_text(encoding="utf-8").replace(
        "Important risks of LEMTRADA are the risks",
        "The important risks of LEMTRADA are the risks", 1), encoding="utf-8")
    inputs = [second_version, LEMTRADA, third]
    expected = [next(iter(_expected_graph(p).items())) for p in inputs]
    assert len({g for g, _ in expected}) == 3
    with RmpStore(tmp_path / "store") as store:
        outcomes = store.load(inputs, jobs=2)
        assert [(o.graph, o.triples) for o in outcomes] == expected
        assert [o.status for o in outcomes] == ["loaded"] * 3
    with RmpStore(tmp_path / "store") as store:
        for graph, size in expected:
            assert _graph_size(store, graph) == size
        again = store.load([LEMTRADA, third], jobs=2)
        assert [o.status for o in again] == ["skipped", "skipped"]
