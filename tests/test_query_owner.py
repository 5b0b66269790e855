"""An `rmp` given without its `product` is answered with that product bound too
(`rmpgraph.queries.scope.owner_guess`): the same rows, from a plan that does not
visit every product first (version-changes given only `rmp` on 1,000 RMPs: over
30 s, against 59 ms with the product).

The product is read from the RMP IRI's form (`.../{p}/rmp/{sha}`) and bound only
after the scope check found that the source's product states that RMP; otherwise
the query runs as given. What each test compares against is the query run without
the API (`queries.run`: rdflib, the parameters exactly as given), so these tests
say "the guess changes nothing", and test_query_scope says what the rows must be.
"""

from __future__ import annotations

from typing import Any

import pytest
from fixturemods import fixture_module
from rdflib import Graph, URIRef
from test_query_scope import OWN  # each query's own parameters, with rows

import rmpgraph
from rmpgraph.api.querying import _prepare
from rmpgraph.api.scoping import attempts
from rmpgraph.graph.namespaces import RMP
from rmpgraph.queries import stored as queries
from rmpgraph.queries.scope import owner, owner_guess

stores = fixture_module("versions/stores.py")
# provenance needs a concern of the version asked for; test_query_scope covers it
SCOPED = sorted(n for n, q in queries.load_queries().items()
                if {p.name for p in q.params} >= {"product", "rmp"}
                and n != "provenance")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return stores.versions_graph()


def _cells(rows: list[Any]) -> list[tuple[tuple[str, str], ...]]:
    return [tuple(sorted((str(k), str(v)) for k, v in dict(row).items()
                         if v is not None)) for row in rows]


def _moved(graph: Graph, old: URIRef, new: URIRef) -> Graph:
    """`graph` with the product `old` renamed `new`: its RMP IRIs keep the old
    product's form, so the guess names a product the source does not hold."""
    out = Graph()
    for s, p, o in graph:
        out.add((new if s == old else s, p, new if o == old else o))
    return out


def _store_folder(graph: Graph, tmp_path: Any) -> str:
    """A store folder holding `graph` in one graph of its own, with the ontology."""
    import pyoxigraph as ox

    from rmpgraph.store.embedded import RmpStore

    path = tmp_path / "store"
    with RmpStore(path) as store:
        store.ensure_ontology()
        store._store.load(graph.serialize(format="nt").encode("utf-8"),
                          format=ox.RdfFormat.N_TRIPLES,
                          to_graph=ox.NamedNode("urn:x-test:versions"))
    return str(path)


@pytest.mark.parametrize("name", SCOPED)
def test_the_guess_changes_no_row(graph: Graph, name: str) -> None:
    rmp = stores.rmp_of(graph, "LORTAVEX", "2.0")
    params = {**OWN.get(name, {}), "rmp": str(rmp)}
    expected = _cells(queries.run(name, graph, **params))
    assert _cells(rmpgraph.query(name, graph, params).rows) == expected


def test_the_guess_is_bound_first(graph: Graph) -> None:
    rmp = stores.rmp_of(graph, "LORTAVEX", "2.0")
    product = graph.value(predicate=RMP.hasRiskManagementPlan, object=rmp)
    assert owner(rmp) == product  # the form docs/MODEL.md gives RMP IRIs
    prepared = _prepare("concern-measures", {"rmp": str(rmp)}, None, False)
    first, second = attempts(prepared)
    assert first.guessed and first.bindings["product"] == product
    assert not second.guessed and "product" not in second.bindings


def test_no_guess_when_product_is_given_or_not_declared(graph: Graph) -> None:
    rmp = stores.rmp_of(graph, "LORTAVEX", "2.0")
    params = queries.get_query("concern-measures").params
    given = {"rmp": rmp, "product": URIRef("https://w3id.org/rmpgraph/id/x")}
    assert owner_guess(params, given) is None
    assert owner_guess(params, {}) is None
    assert owner_guess([p for p in params if p.name != "product"],
                       {"rmp": rmp}) is None
    assert owner(URIRef("https://example.org/plans/7")) is None


@pytest.mark.parametrize("name", ["concern-measures", "version-changes"])
def test_a_misleading_rmp_iri_runs_as_given(graph: Graph, name: str,
                                            tmp_path: Any) -> None:
    """A product whose RMP IRIs carry another product's form: the scope check
    refuses the guess and the query runs as given, on a graph and through a
    store folder's child (where the refusal comes back as a scope miss)."""
    rmp = stores.rmp_of(graph, "LORTAVEX", "2.0")
    old = graph.value(predicate=RMP.hasRiskManagementPlan, object=rmp)
    moved = _moved(graph, old, URIRef(str(old) + "-moved"))
    params = {**OWN.get(name, {}), "rmp": str(rmp)}
    expected = _cells(queries.run(name, moved, **params))
    assert expected
    assert _cells(rmpgraph.query(name, moved, params).rows) == expected
    path = _store_folder(moved, tmp_path)
    assert _cells(rmpgraph.query(name, path, params).rows) == expected


def test_a_store_folder_answers_rmp_alone_as_with_its_product(graph: Graph,
                                                              tmp_path: Any) -> None:
    """The guess through a store folder's child, checked there with the query."""
    path = _store_folder(graph, tmp_path)
    rmp = stores.rmp_of(graph, "LORTAVEX", "2.0")
    for name in ("concern-measures", "overdue-milestones"):
        params = {**OWN.get(name, {}), "rmp": str(rmp)}
        expected = _cells(queries.run(name, graph, **params))
        assert expected
        assert _cells(rmpgraph.query(name, path, params).rows) == expected


def test_cohort_with_rmp_alone_answers_as_with_its_product(graph: Graph) -> None:
    """`rmpgraph.cohort` binds the guessed product to its six questions once the
    check confirms it, and not when the RMP IRIs carry another product's form."""
    rmp = stores.rmp_of(graph, "LORTAVEX", "2.0")
    product = graph.value(predicate=RMP.hasRiskManagementPlan, object=rmp)
    moved_product = URIRef(str(product) + "-moved")
    moved = _moved(graph, product, moved_product)
    for source, owner_iri in ((graph, product), (moved, moved_product)):
        alone = rmpgraph.cohort(source, rmp=str(rmp), as_of="2030-01-01")
        both = rmpgraph.cohort(source, rmp=str(rmp), product=str(owner_iri),
                               as_of="2030-01-01")
        assert any(r.rows for r in both.values())
        assert {n: _cells(r.rows) for n, r in alone.items()} == \
            {n: _cells(r.rows) for n, r in both.items()}
