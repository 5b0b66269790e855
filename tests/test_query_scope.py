"""The scope every stored query shares (queries/README.md, "Scope"), query by query,
on the store of three LORTAVEX versions and CORVANTA (tests/fixtures/versions/).

Every statement of an RMP version hangs under that version's IRI (docs/MODEL.md:
concerns, studies, milestones, measures are `.../rmp/{sha12}/...`), so which version
a row answers for can be read from its IRIs. What each scope must give follows from
the README: `rmp` = that version only; `version` = RMPs stating that number only;
default = the latest of each product (LORTAVEX 3.0 and CORVANTA 5.1, the RMPs no
other is a revision of); `versions=all` = every version. Test ids carry the query's
name, so bench/mutation.py runs them for that query's mutants.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from fixturemods import fixture_module
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from rmpgraph.graph.derive import shared_concerns
from rmpgraph.graph.namespaces import RMP
from rmpgraph.queries import stored as queries
from rmpgraph.store.storedocs import rdflib_result

stores = fixture_module("versions/stores.py")

SCOPE = ("product", "rmp", "version", "versions")
# the query's own parameters: a value each that has rows in the fixture (MedDRA codes
# of MEDDRA_LINKS, a measure both products state, a concern LORTAVEX lists in every
# version, dates around LTX-PASS-001's milestones)
OWN = {
    "alert-card-by-meddra": {"term": stores.MEDDRA + "10021789"},
    "concerns-addressed-by-measure": {"measure": "patient-alert-card"},
    "overdue-milestones": {"as_of": "2030-01-01"},
    "upcoming-milestones": {"from": "2020-01-01"},
    "risk-factor-search": {"term": "patients"},
    "concerns-by-soc": {},
}
# queries that compare products or versions: no row is about one RMP alone
ACROSS = {"products-sharing-concern", "risk-category-disagreement", "version-changes"}
# provenance answers for one concern (required), so the version is the concern's:
# test_provenance_scope
ACROSS.add("provenance")
NAMES = sorted(n for n in queries.load_queries() if "/" not in n)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return stores.versions_graph()


def _versions_in(rows: list[dict[str, Any]], rmps: dict[str, str]) -> set[str]:
    """The RMP versions the rows' IRIs hang under (product label + number)."""
    seen = set()
    for row in rows:
        for value in row.values():
            if isinstance(value, URIRef):
                seen |= {name for iri, name in rmps.items()
                         if str(value) == iri or str(value).startswith(iri + "/")}
    return seen


def _rmps(graph: Graph) -> dict[str, str]:
    return {str(stores.rmp_of(graph, p, v)): f"{p} {v}" for p, v in (
        ("LORTAVEX", "1.0"), ("LORTAVEX", "2.0"), ("LORTAVEX", "3.0"),
        ("CORVANTA", "5.1"))}


def _product(graph: Graph, label: str) -> str:
    """A product's IRI, by its label."""
    return next(str(p) for p in graph.subjects(RDFS.label, Literal(label))
                if graph.value(p, RMP.hasRiskManagementPlan) is not None)


def _run(name: str, graph: Graph, **params: str) -> list[dict[str, Any]]:
    return queries.run(name, graph, **OWN.get(name, {}), **params)


def _ox(name: str, graph: Graph, **params: str) -> list[dict[str, Any]]:
    """The rows of Oxigraph, the parameters constants in the text as a store and
    an endpoint bind them (`bind_for_engine`), where `_run` has rdflib's."""
    query = queries.load_queries()[name]
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES)
    # what a store derives over all its RMPs (`RmpStore` keeps it in a graph)
    store.extend([ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                  for t in shared_concerns(store)])
    text = queries.bind_for_engine(
        query.text, queries.bind_params(query, {**OWN.get(name, {}), **params}))
    rows = rdflib_result(store.query(text))
    assert isinstance(rows, list)
    return rows


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ACROSS])
def test_scope_picks_the_versions_it_names(graph: Graph, name: str) -> None:
    rmps = _rmps(graph)
    # LORTAVEX 2.0 (the fixture as it is) lists concerns, studies, milestones and
    # measures of every kind read here; only 1.0 was signed off after a milestone
    number = "1.0" if name == "late-at-sign-off" else "2.0"
    named = next(iri for iri, n in rmps.items() if n == f"LORTAVEX {number}")
    # rmp: that one version, and it has rows
    assert _versions_in(_run(name, graph, rmp=named), rmps) == {f"LORTAVEX {number}"}
    assert _versions_in(_run(name, graph, version=number), rmps) == {
        f"LORTAVEX {number}"}
    assert _versions_in(_run(name, graph, version="5.1"), rmps) <= {"CORVANTA 5.1"}
    latest = _versions_in(_run(name, graph), rmps)
    assert latest and latest <= {"LORTAVEX 3.0", "CORVANTA 5.1"}
    every = _versions_in(_run(name, graph, versions="all"), rmps)
    assert every >= latest | {f"LORTAVEX {number}"}
    only = _versions_in(_run(name, graph, product=_product(graph, "LORTAVEX"),
                             versions="all"), rmps)
    assert only and not any(v.startswith("CORVANTA") for v in only)


def test_version_changes_scope(graph: Graph) -> None:
    """version-changes compares an RMP with the one it revises (README: 2.0 is a
    revision of 1.0, 3.0 of 2.0): `rmp` names the newer one."""
    def pairs(**params: str) -> set[tuple[str, str]]:
        return {(str(r["older_version"]), str(r["newer_version"]))
                for r in queries.run("version-changes", graph, **params)}
    rmps = {n: iri for iri, n in _rmps(graph).items()}
    # (versions=all: test_versions_queries.py::test_version_changes_all_pairs)
    assert pairs(rmp=rmps["LORTAVEX 2.0"]) == {("1.0", "2.0")}


# provenance needs a concern of the version asked for: test_provenance_scope
@pytest.mark.parametrize("name", [n for n in NAMES if n != "provenance"])
def test_the_latest_rmp_answers_as_its_product(graph: Graph, name: str) -> None:
    """Two ways to the same version: `rmp=` LORTAVEX 3.0 and `product=` LORTAVEX
    (the latest by default) take different paths through the scope (a branch that
    filters on `?_rmp` against one that starts from `?_product`), so a path that
    loses rows in one of them shows here."""
    latest = next(iri for iri, n in _rmps(graph).items() if n == "LORTAVEX 3.0")
    by_rmp = _run(name, graph, rmp=latest)
    product = _product(graph, "LORTAVEX")
    assert by_rmp == _run(name, graph, product=product)
    # on Oxigraph too, and with the product and the RMP both given, as the API
    # binds an RMP's product (queries.scope.owner_guess): the scope's filters on
    # ?_rmp inside a branch that starts from ?_product run only then
    assert _ox(name, graph, product=product) == by_rmp
    assert _ox(name, graph, product=product, rmp=latest) == by_rmp


def test_concern_measures_level_comes_from_the_two_measure_classes(
        graph: Graph) -> None:
    """A graph whose measures have more types (owlrl's entailment gives every one
    `prov:Entity`) gives the same rows: the level is read from the routine or
    additional class only, not from whatever class the measure has."""
    before = _run("concern-measures", graph)
    assert {str(r["level"]) for r in before} == {"routine", "additional"}
    more = Graph()
    more += graph
    for measure in set(graph.subjects(RDF.type, RMP.RoutineRiskMinimisationMeasure)):
        more.add((measure, RDF.type, PROV.Entity))
    assert _run("concern-measures", more) == before
    # and with a product given, on Oxigraph (the branches that start from it)
    product = _product(graph, "LORTAVEX")
    assert _ox("concern-measures", more, product=product) == \
        _run("concern-measures", graph, product=product)
