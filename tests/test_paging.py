"""Answers paged product by product (`queries.paging`, issue 16 item 4).

A stored query whose header says `pages: product` must give, product after product
in label order, exactly the rows of the whole query: that is what lets `--limit 100`
on a store run the first few products' queries instead of sorting the corpus. The
reference is always the whole query's rows on the same engine, never the pages.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fixtures.versions import stores
from rdflib import Literal, URIRef

import rmpgraph
from rmpgraph.api.querying import write_query
from rmpgraph.errors import InputError
from rmpgraph.graph.derive import shared_concerns
from rmpgraph.queries import paging
from rmpgraph.queries import stored as queries
from rmpgraph.queries.paging import pages, product_order
from rmpgraph.queries.sparqltext import bind_for_engine
from rmpgraph.store.embedded import RmpStore
from rmpgraph.store.storedocs import solution_rows

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
SCOPE = ("product", "rmp", "version", "versions")
ALL = sorted(queries.load_queries())
PAGED = [n for n in ALL if queries.get_query(n).pages]
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
HAS_RMP = ox.NamedNode("https://w3id.org/rmpgraph/ontology#hasRiskManagementPlan")


@pytest.fixture(scope="module")
def engine() -> ox.Store:
    """Twelve products (LORTAVEX in three versions), with the counts a store
    derives and each product's label in a second graph: a store's union default
    graph gives a product's label once per version graph."""
    graph = stores.versions_graph() + stores.cohort_graph()
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:x-test:a"))
    products = {q.subject for q in store.quads_for_pattern(None, HAS_RMP, None)}
    again = ox.NamedNode("urn:x-test:b")
    store.extend([ox.Quad(q.subject, q.predicate, q.object, again)
                  for q in store.quads_for_pattern(None, ox.NamedNode(LABEL), None)
                  if q.subject in products])
    assert len(store) > len(graph)
    shared = ox.NamedNode("urn:x-test:shared")
    store.extend([ox.Quad(t.subject, t.predicate, t.object, shared)
                  for t in shared_concerns(store)])
    return store


def _select(store: ox.Store, calls: list[str] | None = None) -> Any:
    def select(text: str) -> Iterator[Mapping[str, Any]]:
        if calls is not None:
            calls.append(text)
        solutions = store.query(text, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        return iter(list(solution_rows(solutions)))
    return select


def _bound(name: str, versions: str) -> str:
    query = queries.get_query(name)
    params = {p.name: p.example for p in query.params
              if p.example is not None and p.name not in SCOPE
              and (p.required or p.default is not None)}
    params["versions"] = versions
    return bind_for_engine(query.text, queries.bind_params(query, params))


def test_queries_sorted_by_product_first_are_paged() -> None:
    """Every stored query whose rows are sorted by product label first, and that
    takes the product, declares it, and no other does: a new query cannot forget."""
    for name in ALL:
        query = queries.get_query(name)
        first = re.search(r"^ORDER BY\s+\?product\b", query.text, re.M) is not None
        takes = any(p.name == "product" for p in query.params)
        assert (query.pages == "product") == (first and takes), name
    assert len(PAGED) >= 15


@pytest.mark.parametrize("versions", ["latest", "all"])
@pytest.mark.parametrize("name", PAGED)
def test_pages_are_the_whole_answer(engine: ox.Store, name: str,
                                    versions: str) -> None:
    text = _bound(name, versions)
    whole = list(_select(engine)(text))
    paged = pages(_select(engine), text, 10**9)
    assert paged is not None
    assert list(paged) == whole


def test_pages_cover_several_products(engine: ox.Store) -> None:
    """The property above is not vacuous: most paged queries answer for several
    products of the fixture, in more than one page."""
    several = [n for n in PAGED
               if len({r["product"] for r in _select(engine)(_bound(n, "all"))}) >= 2]
    assert len(several) >= len(PAGED) - 4, sorted(set(PAGED) - set(several))


def test_a_first_page_runs_only_the_first_products(engine: ox.Store) -> None:
    calls: list[str] = []
    text = _bound("concerns", "latest")
    paged = pages(_select(engine, calls), text, 3)
    assert paged is not None
    first = list(itertools.islice(paged, 3))
    assert first == list(_select(engine)(text))[:3]
    assert len(calls) == 2  # the products in label order, then the first product


@pytest.mark.parametrize("name", ["concern-measures", "alert-card-by-meddra",
                                  "version-changes", "study-coverage"])
def test_a_page_filling_slowly_goes_on_with_the_whole_query(
        engine: ox.Store, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """After PROBE products, a pace that needs more than MAX_PAGES products for
    the page switches to the whole query, from the row the pages reached."""
    monkeypatch.setattr(paging, "PROBE", 3)
    monkeypatch.setattr(paging, "MAX_PAGES", 3)
    calls: list[str] = []
    text = _bound(name, "all")
    whole = list(_select(engine)(text))
    paged = pages(_select(engine, calls), text, 10**6)
    assert paged is not None
    assert list(paged) == whole
    assert calls[1:4] != [text] * 3 and calls[-1] == text  # 3 pages, then all
    assert len(calls) == 5


def test_product_order() -> None:
    a, b = URIRef("urn:x:a"), URIRef("urn:x:b")
    assert product_order([{"product": b, "label": Literal("Alpha")},
                          {"product": a, "label": Literal("Beta")}]) == [b, a]
    # two products under one label: their rows would interleave
    assert product_order([{"product": a, "label": Literal("Same")},
                          {"product": b, "label": Literal("Same")}]) is None
    # one product under two labels: its rows would be split around others'
    assert product_order([{"product": a, "label": Literal("A1")},
                          {"product": a, "label": Literal("A2")}]) is None
    assert product_order([{"product": a, "label": Literal("A")},
                          {"product": b, "label": Literal("B")},
                          {"product": a, "label": Literal("C")}]) is None
    assert product_order([]) == []


def test_a_shared_label_falls_back_to_the_whole_query(engine: ox.Store) -> None:
    store = ox.Store()
    store.extend(engine.quads_for_pattern(None, None, None, None))
    first = next(iter(_select(store)(_bound("concerns", "latest"))))["product"]
    lortavex = ox.NamedNode("https://w3id.org/rmpgraph/id/lortavex")
    store.add(ox.Quad(lortavex, ox.NamedNode(LABEL), ox.Literal(str(first)),
                      ox.NamedNode("urn:x-test:a")))
    assert pages(_select(store), _bound("concerns", "latest"), 10) is None


@pytest.mark.parametrize("header", [
    "#+ pages: rmp\n",  # declared, but pages are cut by product only
    "#+ pages: product\n",  # not a parameter of this query
])
def test_header_pages_must_name_a_declared_product(tmp_path: Path,
                                                   header: str) -> None:
    path = tmp_path / "q.rq"
    params = "#+ params:\n#+   rmp:\n#+     type: iri\n#+     default: null\n" \
        "#+     description: one RMP\n#+     example: https://w3id.org/rmpgraph/id/x\n"
    path.write_text("#+ summary: s\n#+ description: d\n" + header + params
                    + "SELECT ?s WHERE { ?s ?p ?_rmp }\n", encoding="utf-8")
    with pytest.raises(InputError, match="'pages' must name a parameter"):
        queries.load_query(path)


def test_store_limit_and_offset_are_the_whole_answer_sliced(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Through the CLI on a store folder (the streamed, paged path) against the
    whole answer from the Python API (not streamed, not paged)."""
    where = tmp_path_factory.mktemp("paging") / "store"
    with RmpStore(where) as store:
        store.load([DOCS / f"{p}.txt" for p in ("ostravel", "corbenta", "vexaltra")])
    whole = rmpgraph.query("concern-measures", where)
    assert len({r["product"] for r in whole.rows}) == 3
    for offset, limit in ((0, 5), (7, 40), (len(whole.rows) - 2, 10)):
        proc = subprocess.run(
            [sys.executable, "-m", "rmpgraph", "query", "run", "concern-measures",
             "--store", str(where), "-f", "csv", "--offset", str(offset),
             "--limit", str(limit)], cwd=ROOT, capture_output=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        got = list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8"))))
        want = whole.rows[offset:offset + limit]
        assert [r["concern"] for r in got] == [str(r["concern"]) for r in want]
        assert [r["measure_text"] for r in got] == \
            [str(r["measure_text"]) for r in want]
        # the Python API's page comes the same way (its rows read back from JSON)
        page = rmpgraph.query("concern-measures", where, offset=offset, limit=limit)
        assert page.rows == want
        assert page.variables == whole.variables
        assert proc.stdout == page.serialize("csv").encode("utf-8")


def test_a_stored_query_hands_its_pages_to_the_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The header's key reaches the store's child (which pages only with a limit)
    from the CLI's writer and the Python API, and a request already scoped to a
    product is not paged again."""
    from rmpgraph.store.storeguard import GuardedStore

    where = tmp_path / "store"
    with RmpStore(where) as store:
        store.load([DOCS / "ostravel.txt"])
    seen: list[object] = []

    class StreamedError(Exception):
        pass

    def stream(self: object, *args: object, **kwargs: object) -> None:
        seen.append(kwargs.get("pages"))
        raise StreamedError

    monkeypatch.setattr(GuardedStore, "stream", stream)
    out = io.BytesIO()
    for params in (None, {"product": "https://w3id.org/rmpgraph/id/ostravel"}):
        with pytest.raises(StreamedError):
            write_query("concern-measures", where, out, limit=5, params=params)
    with pytest.raises(StreamedError):
        write_query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", where, out, limit=5)
    with pytest.raises(StreamedError):
        rmpgraph.query("concern-measures", where, limit=5)
    assert len(rmpgraph.query("concern-measures", where)) > 5  # no limit: no page
    assert seen == ["product", None, None, "product"]
