"""A stored query's plan for the store over the whole corpus (queries/plans/,
`rmpgraph.queries.plans`): which text the store runs, and that the plan gives the
stored query's rows.

The rows are compared on Oxigraph, parameters as constants as the store binds
them, on the store of three LORTAVEX versions and CORVANTA (tests/fixtures/versions)
and on LEMTRADA, for every scope a query run without a product can take. The
expected rows are the stored query's, whose own goldens are checked elsewhere
(test_queries_lemtrada.py, test_cohort_queries.py against the truth files).
Test ids carry the query's name, so bench/mutation.py runs them for its mutants.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fixturemods import fixture_module
from rdflib import Graph

from rmpgraph.queries import stored as queries
from rmpgraph.queries.plans import PLANS_DIR, corpus_plan
from rmpgraph.store.sources import StoreSource
from rmpgraph.store.storedocs import rdflib_result

stores = fixture_module("versions/stores.py")
PLANS = sorted(p.stem for p in PLANS_DIR.glob("*.rq"))
ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"


def _body(text: str) -> str:
    return "\n".join(line for line in text.split("\n")
                     if not line.lstrip().startswith("#"))


def test_there_is_a_plan() -> None:
    assert "concern-measures" in PLANS


@pytest.mark.parametrize("name", PLANS)
def test_plan_selects_and_orders_as_its_query(name: str) -> None:
    """The same columns in the same order, sorted alike, and no parameter the
    query does not declare."""
    query = queries.load_queries()[name]
    plan = _body((PLANS_DIR / f"{name}.rq").read_text(encoding="utf-8"))
    stored = _body(query.text)
    for part in (r"SELECT DISTINCT(.*?)WHERE", r"ORDER BY(.*)$"):
        want = re.search(part, stored, re.S)
        got = re.search(part, plan, re.S)
        assert want and got
        assert got.group(1).split() == want.group(1).split()
    used = set(re.findall(r"\?(_[a-z][a-z0-9_]*)", plan))
    assert used <= {p.variable for p in query.params}


def _ox_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES)
    return store


def _rows(store: ox.Store, text: str, query: queries.StoredQuery,
          params: dict[str, str]) -> list[dict[str, Any]]:
    bound = queries.bind_for_engine(text, queries.bind_params(query, params))
    rows = rdflib_result(store.query(bound))
    assert isinstance(rows, list)
    return rows


def _scopes(graph: Graph) -> dict[str, dict[str, str]]:
    older = str(stores.rmp_of(graph, "LORTAVEX", "2.0"))
    return {"latest": {}, "all": {"versions": "all"}, "version": {"version": "2.0"},
            "rmp": {"rmp": older}}


@pytest.mark.parametrize("scope", ["latest", "all", "version", "rmp"])
@pytest.mark.parametrize("name", PLANS)
def test_plan_gives_the_rows_of_its_query(name: str, scope: str) -> None:
    graph = stores.versions_graph()
    store = _ox_store(graph)
    query = queries.load_queries()[name]
    plan = (PLANS_DIR / f"{name}.rq").read_text(encoding="utf-8")
    params = _scopes(graph)[scope]
    want = _rows(store, query.text, query, params)
    assert want  # every scope has rows here
    assert _rows(store, plan, query, params) == want


@pytest.mark.parametrize("name", PLANS)
def test_plan_gives_the_rows_of_its_query_on_lemtrada(name: str,
                                                     lemtrada_graph: Graph) -> None:
    store = _ox_store(lemtrada_graph)
    query = queries.load_queries()[name]
    plan = (PLANS_DIR / f"{name}.rq").read_text(encoding="utf-8")
    want = _rows(store, query.text, query, {})
    assert len(want) > 100
    assert _rows(store, plan, query, {}) == want


def test_the_plan_is_taken_without_a_product_only() -> None:
    query = queries.load_queries()["concern-measures"]
    plan = (PLANS_DIR / "concern-measures.rq").read_text(encoding="utf-8")
    assert corpus_plan(query.path, {}) == plan
    assert corpus_plan(query.path, {"versions": "all", "rmp": "x"}) == plan
    assert corpus_plan(query.path, {"product": "x"}) is None
    assert corpus_plan(None, {}) is None
    other = queries.load_queries()["concerns"]  # a query without a plan
    assert corpus_plan(other.path, {}) is None


def test_a_users_copy_of_a_shipped_query_runs_as_written(tmp_path: Path) -> None:
    """A query of the same file name outside the shipped folder (`--queries DIR`)
    is the user's: never swapped for the shipped query's plan."""
    mine = tmp_path / "concern-measures.rq"
    shutil.copy(queries.load_queries()["concern-measures"].path, mine)
    assert corpus_plan(mine, {}) is None


@pytest.fixture(scope="module")
def store_source(tmp_path_factory: pytest.TempPathFactory) -> StoreSource:
    from rmpgraph.store.embedded import RmpStore

    path = tmp_path_factory.mktemp("plans") / "store"
    with RmpStore(path) as store:
        store.load([LEMTRADA])
    return StoreSource(path)


def test_the_store_runs_the_plan_over_the_whole_corpus(store_source: StoreSource
                                                       ) -> None:
    query = queries.load_queries()["concern-measures"]
    marker = "each pattern a sub-SELECT of its own"
    assert marker in (PLANS_DIR / "concern-measures.rq").read_text(encoding="utf-8")
    assert marker not in query.text
    whole = store_source.bound_text(query.text, queries.bind_params(query, {}),
                                    path=query.path)
    assert marker in whole
    one = store_source.bound_text(query.text, queries.bind_params(
        query, {"product": "https://w3id.org/rmpgraph/id/lemtrada"}), path=query.path)
    assert marker not in one
    # and the rows are the stored query's on the document itself (rdflib)
    rows = store_source.outcome(query.text, queries.bind_params(query, {}),
                                path=query.path).rows
    graph = Graph()
    for triple in store_source.graph():
        graph.add(triple)
    assert list(rows) == queries.run("concern-measures", graph)


def test_concern_measures_plan_reads_the_level_from_the_two_classes() -> None:
    """A measure with more types (owlrl's entailment gives every one
    `prov:Entity`) adds no row to the plan either: its level comes from the routine
    or additional class only."""
    from rdflib.namespace import PROV, RDF

    from rmpgraph.graph.namespaces import RMP

    graph = stores.versions_graph()
    query = queries.load_queries()["concern-measures"]
    want = _rows(_ox_store(graph), query.text, query, {"versions": "all"})
    more = Graph()
    more += graph
    for measure in set(graph.subjects(RDF.type, RMP.RoutineRiskMinimisationMeasure)):
        more.add((measure, RDF.type, PROV.Entity))
    plan = (PLANS_DIR / "concern-measures.rq").read_text(encoding="utf-8")
    assert _rows(_ox_store(more), plan, query, {"versions": "all"}) == want
