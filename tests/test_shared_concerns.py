"""The concerns products share, derived over the RMPs held together (issue 16).

Expected counts come from the fixtures' truth files (concern names typed by hand),
not from the rule: concerns are grouped by their lower-cased name, and a product
counts once whatever its number of concerns of that name. The rule's keys are the
parser's normalised names ("serious infection"), so the store's counts are compared
as a multiset and the query's rows through their concern labels.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from rmpgraph.graph.derive import with_shared_concerns
from rmpgraph.graph.inputs import load_graph
from rmpgraph.graph.namespaces import RMP
from rmpgraph.queries import stored as queries
from rmpgraph.store.embedded import RmpStore
from rmpgraph.store.storepush import graphs_to_push
from rmpgraph.store.storeshared import SHARED_GRAPH

DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
PRODUCTS = ("ostravel", "corbenta", "sorvelta", "vexaltra")
SHARED = f"""PREFIX rmp: <{RMP}>
SELECT ?name ?n WHERE {{ GRAPH <{SHARED_GRAPH}> {{
  ?s a rmp:SharedConcern ; rmp:sharedName ?name ; rmp:productCount ?n }} }}"""


def _truth_counts(products: tuple[str, ...]) -> dict[str, int]:
    """Lower-cased concern name -> products (of these) listing it, two or more."""
    holders: dict[str, set[str]] = defaultdict(set)
    for product in products:
        truth = json.loads((DOCS / f"{product}.truth.json").read_text("utf-8"))
        for concern in truth["concerns"]:
            holders[concern["name"].lower()].add(product)
    return {name: len(ps) for name, ps in holders.items() if len(ps) >= 2}


def _held(store: RmpStore) -> list[int]:
    """The product counts in the store's graph, sorted."""
    rows = store.query(SHARED)
    assert isinstance(rows, list)
    assert len({str(r["name"]) for r in rows}) == len(rows)  # one node per key
    return sorted(int(r["n"]) for r in rows)


def _counts(products: tuple[str, ...]) -> list[int]:
    return sorted(_truth_counts(products).values())


def _by_label(rows: object) -> dict[str, int]:
    """products-sharing-concern's rows as concern label (lower-cased) -> count."""
    assert isinstance(rows, (list, tuple))
    return {str(r["concern_label"]).lower(): int(r["product_count"]) for r in rows}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("shared") / "store"
    with RmpStore(where) as store:
        store.load([DOCS / f"{p}.txt" for p in PRODUCTS])
    return where


def test_truth_files_give_something_to_count() -> None:
    # guards the comparisons below against an empty expectation
    assert _truth_counts(PRODUCTS)["serious infections"] == 4
    assert len(_truth_counts(PRODUCTS)) >= 3


def test_store_counts_what_the_truth_files_share(store_dir: Path) -> None:
    with RmpStore(store_dir, read_only=True) as store:
        assert _held(store) == _counts(PRODUCTS)


def test_removal_recounts_and_a_store_without_the_graph_gets_it(
        tmp_path: Path, store_dir: Path) -> None:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    with RmpStore(copy) as store:
        store.remove("corbenta")
        left = tuple(p for p in PRODUCTS if p != "corbenta")
        assert _held(store) == _counts(left)
        store._store.remove_graph(ox.NamedNode(SHARED_GRAPH))  # as before issue 16
        assert _held(store) == []
    with RmpStore(copy, read_only=True) as store:  # opening puts it back
        assert _held(store) == _counts(left)
    with RmpStore(copy) as store:  # counts made by another version of the rule
        g, count, ident = f"<{SHARED_GRAPH}>", f"<{RMP.productCount}>", \
            f"<{DCTERMS.identifier}>"
        store._store.update(f"""
            DELETE {{ GRAPH {g} {{ ?s {count} ?n }} }}
            INSERT {{ GRAPH {g} {{ ?s {count} 99 }} }}
            WHERE {{ GRAPH {g} {{ ?s {count} ?n }} }} ;
            DELETE WHERE {{ GRAPH {g} {{ ?s {ident} ?hash }} }} ;
            INSERT DATA {{ GRAPH {g} {{ {g} {ident} "0123" }} }}""")
        assert set(_held(store)) == {99}
    with RmpStore(copy, read_only=True) as store:
        assert _held(store) == _counts(left)


def test_query_on_store_and_on_files_agree(store_dir: Path) -> None:
    from rmpgraph import api

    files = [str(DOCS / f"{p}.txt") for p in PRODUCTS]
    on_files = api.query("products-sharing-concern", files).rows
    on_store = api.query("products-sharing-concern", store_dir).rows
    assert on_files == on_store
    assert _by_label(on_files) == _truth_counts(PRODUCTS)


def test_rdflib_graph_is_copied_and_stale_counts_dropped() -> None:
    graph = load_graph([DOCS / f"{p}.txt" for p in PRODUCTS[:2]])
    stale = URIRef("https://w3id.org/rmpgraph/id/shared-concern/name/neutropenia")
    graph.add((stale, RDF.type, RMP.SharedConcern))
    graph.add((stale, RMP.sharedName, Literal("neutropenia")))
    graph.add((stale, RMP.productCount, Literal(99)))
    size = len(graph)
    derived = with_shared_concerns(graph)
    assert len(graph) == size  # the caller's graph is left as it was
    assert list(derived.objects(stale, RMP.productCount)) == [Literal(2)]
    rows = queries.run("products-sharing-concern", graph)
    assert _by_label(rows) == _truth_counts(PRODUCTS[:2])


def test_only_a_whole_store_push_sends_the_counts(store_dir: Path) -> None:
    with RmpStore(store_dir, read_only=True) as store:
        entries = store.list()
    assert SHARED_GRAPH in graphs_to_push(entries, [])
    assert SHARED_GRAPH not in graphs_to_push(entries, ["ostravel"])


def test_built_documents_carry_no_counts(tmp_path: Path) -> None:
    # a corpus fact: never written into a document's own graph
    graph = Graph()
    for p in PRODUCTS[:2]:
        graph += load_graph([DOCS / f"{p}.txt"])
    assert not list(graph.subjects(RDF.type, RMP.SharedConcern))


# ----------------------------------------------- the rule on hand-made graphs

EX = "https://w3id.org/rmpgraph/id/"
MEDDRA = "http://purl.bioontology.org/ontology/MEDDRA/"
OTHER = "http://example.org/other-vocabulary/"


def _product(graph: Graph, slug: str, versions: list[list[tuple[str, str | None]]]
             ) -> None:
    """A product whose RMP versions (oldest first) list concerns, each a normalised
    name and the IRI its lineage is skos:closeMatch to (or None)."""
    from rdflib.namespace import PROV, SKOS

    product = URIRef(EX + slug)
    older = None
    for n, concerns in enumerate(versions):
        rmp = URIRef(f"{EX}{slug}/rmp/v{n}")
        graph.add((product, RMP.hasRiskManagementPlan, rmp))
        if older is not None:
            graph.add((rmp, PROV.wasRevisionOf, older))
        for name, match in concerns:
            concern = URIRef(f"{rmp}/concern/{name}")
            lineage = URIRef(f"{EX}{slug}/concern/{name}")
            graph.add((rmp, RMP.hasSafetyConcern, concern))
            graph.add((concern, RMP.normalisedName, Literal(name)))
            graph.add((concern, PROV.specializationOf, lineage))
            if match is not None:
                graph.add((lineage, SKOS.closeMatch, URIRef(match)))
        older = rmp


def _shared(graph: Graph) -> dict[str, int]:
    """Key (name, or MedDRA IRI) -> product count, from the derived nodes."""
    derived = with_shared_concerns(graph)
    out = {}
    for node in derived.subjects(RDF.type, RMP.SharedConcern):
        key = derived.value(node, RMP.sharedName) or \
            derived.value(node, RMP.sharedMeddraConcept)
        out[str(key)] = int(derived.value(node, RMP.productCount))  # type: ignore[arg-type]
    return out


def test_products_count_on_their_latest_version_only() -> None:
    graph = Graph()
    # a's older version listed x, its latest no longer does; b lists both
    _product(graph, "a", [[("x", None)], [("y", None)]])
    _product(graph, "b", [[("x", None), ("y", None)]])
    assert _shared(graph) == {"y": 2}


def test_meddra_links_key_concerns_and_other_vocabularies_do_not() -> None:
    graph = Graph()
    # w1 and w2 share a MedDRA concept; z's lineages share a non-MedDRA concept,
    # which keys nothing, so z is compared by its name like v
    _product(graph, "a", [[("w1", MEDDRA + "100"), ("z", OTHER + "1"), ("v", None)]])
    _product(graph, "b", [[("w2", MEDDRA + "100"), ("z", OTHER + "1"), ("v", None)]])
    assert _shared(graph) == {MEDDRA + "100": 2, "z": 2, "v": 2}


def test_a_meddra_linked_concern_is_not_also_counted_by_name() -> None:
    graph = Graph()
    _product(graph, "a", [[("u", MEDDRA + "200")]])
    _product(graph, "b", [[("u", MEDDRA + "201")]])
    _product(graph, "c", [[("u", None)]])
    assert _shared(graph) == {}


# ------------------------------------------------- store bookkeeping and requests


def test_the_graph_names_the_rule_and_the_hash_of_its_text(store_dir: Path) -> None:
    import hashlib

    from rmpgraph.graph.derive import SHARED_RULE

    digest = hashlib.sha256(SHARED_RULE.read_bytes()).hexdigest()
    with RmpStore(store_dir, read_only=True) as store:
        rows = store.query(f"""SELECT ?rule ?hash WHERE {{ GRAPH <{SHARED_GRAPH}> {{
            <{SHARED_GRAPH}> <http://www.w3.org/ns/prov#wasGeneratedBy> ?rule ;
                             <{DCTERMS.identifier}> ?hash }} }}""")
    assert rows == [{"rule": URIRef(
        "https://w3id.org/rmpgraph/vocab/derivation-rule/shared-concerns"),
        "hash": Literal(digest)}]


class _Counting:
    """An Oxigraph store that counts the updates made through it."""

    def __init__(self, raw: ox.Store) -> None:
        self.raw, self.updates = raw, 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.raw, name)

    def update(self, text: str) -> None:
        self.updates += 1
        self.raw.update(text)


def test_recounting_an_unchanged_store_writes_nothing(tmp_path: Path) -> None:
    from rmpgraph.store import storeshared

    with RmpStore(tmp_path / "store") as store:
        store.load([DOCS / f"{p}.txt" for p in PRODUCTS[:2]])
        spy = _Counting(store._store)
        storeshared.refresh(spy)  # type: ignore[arg-type]
        assert spy.updates == 0
        store._store.update(f"DELETE WHERE {{ GRAPH <{SHARED_GRAPH}> "
                            f"{{ ?s <{RMP.productCount}> ?n }} }}")
        storeshared.refresh(spy)  # type: ignore[arg-type]
        assert spy.updates == 1
        assert _held(store) == _counts(PRODUCTS[:2])


@pytest.mark.parametrize("pattern", [
    "?c rmp:sharedName ?k",
    "?c rmp:normalisedName/^rmp:sharedName ?n",
    "?c (rmp:sharedName|rmp:sharedMeddraConcept) ?k",
    "?c rmp:x/(rmp:y|rmp:productCount)* ?k",
    "?c !(rmp:x|rmp:productCount) ?k",
])
def test_a_request_naming_a_shared_term_in_any_path_sees_the_counts(
        pattern: str) -> None:
    from rmpgraph.queries.sparqltext import check_request, iris

    text = f"PREFIX rmp: <{RMP}>\nSELECT * WHERE {{ {pattern} }}"
    assert iris(check_request(text).algebra) & {
        RMP.sharedName, RMP.sharedMeddraConcept, RMP.productCount}


def test_a_load_killed_before_the_recount_is_recounted_when_opened(
        tmp_path: Path) -> None:
    """No `finally` runs after SIGKILL: a load or removal marks the counts stale
    first, so the next opening (read-only too) recounts the RMPs the store holds."""
    from fixtures.killed import (
        load_killed_before_recount,
        remove_killed_before_recount,
    )

    from rmpgraph.store import storeshared

    where = tmp_path / "store"
    with RmpStore(where) as store:
        store.load([DOCS / f"{p}.txt" for p in PRODUCTS[:2]])
        assert _held(store) == _counts(PRODUCTS[:2])
    load_killed_before_recount(where, [DOCS / f"{p}.txt" for p in PRODUCTS[2:]])
    raw = ox.Store.read_only(str(where))  # as the killed load left it
    assert not storeshared.computed(raw)
    held = raw.query(SHARED.replace("SELECT ?name ?n", "SELECT ?n"))
    assert sorted(int(r["n"].value) for r in held) == _counts(PRODUCTS[:2])
    del raw
    with RmpStore(where, read_only=True) as store:
        assert _held(store) == _counts(PRODUCTS)
    remove_killed_before_recount(where, "corbenta")
    with RmpStore(where, read_only=True) as store:
        assert _held(store) == _counts(tuple(p for p in PRODUCTS if p != "corbenta"))
