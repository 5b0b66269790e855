"""Golden answers of the version queries on a store of three LORTAVEX versions and
CORVANTA (tests/fixtures/versions/: the edits and the answers they imply are listed
in its README), and the scope parameters every stored query shares.

Expected rows are written from the edits made to the document, never from a run.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fixturemods import fixture_module
from rdflib import Graph, URIRef

from rmpgraph.queries import stored as queries
from rmpgraph.queries.sparqltext import check_request, constant_query, variables

ROOT = Path(__file__).resolve().parent.parent
stores = fixture_module("versions/stores.py")

SCOPE = ("product", "rmp", "version", "versions")
CAT = "https://w3id.org/rmpgraph/vocab/concern-category/"
LORTAVEX = URIRef("https://w3id.org/rmpgraph/id/lortavex")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return stores.versions_graph()


def _changes(rows: list[dict]) -> set[tuple[str, ...]]:
    return {(str(r["change"]), str(r["item_label"]), str(r.get("detail", "")),
             str(r.get("before", "")).removeprefix(CAT),
             str(r.get("after", "")).removeprefix(CAT)) for r in rows}


def test_every_stored_query_declares_and_uses_the_scope() -> None:
    text = (ROOT / "queries" / "concerns.rq").read_text(encoding="utf-8")
    pattern = re.search(r"  # scope \(queries/README.*?rdfs:label \?product \} \}\n",
                        text, re.S)
    assert pattern
    readme = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    assert pattern.group(0) in readme  # written once, used identically
    for name, query in queries.load_queries().items():
        assert {p.name for p in query.params} >= set(SCOPE), name
        assert query.param("versions").default == "latest", name
        assert pattern.group(0) in query.text, name


@pytest.mark.parametrize("name", sorted(queries.load_queries()))
def test_every_stored_query_takes_its_parameters_as_constants(name: str) -> None:
    """A VALUES block would not reach the scope's nested group (queries/README.md):
    every parameter given, each must be written as a constant."""
    query = queries.load_queries()[name]
    values = {p.name: p.example for p in query.params if p.example is not None}
    bound = queries.bind_params(query, values)
    assert set(bound) >= set(SCOPE)
    text = constant_query(query.text, bound)  # raises when it cannot
    left = variables(check_request(text).algebra)
    assert not {f"_{p}" for p in bound} & set(left), name


def test_version_changes_default_is_the_two_latest(graph: Graph) -> None:
    rows = queries.run("version-changes", graph)
    assert {(str(r["older_version"]), str(r["newer_version"])) for r in rows} == \
        {("2.0", "3.0")}
    assert _changes(rows) == {
        ("concern removed", "Diarrhoea and colitis", "", "important-identified-risk",
         ""),
        ("measure removed", "Hepatotoxicity (liver injury)", "Patient alert card", "",
         ""),
        ("study completed", "LTX-4021", "", "", ""),
        ("milestone moved", "LTX-PASS-001", "interim-report", "30 June 2026",
         "31 December 2026"),
    }


def test_version_changes_of_a_given_version(graph: Graph) -> None:
    rows = queries.run("version-changes", graph, version="2.0")
    expected = {
        ("concern added", "Second primary malignancies", "", "",
         "important-potential-risk"),
        ("concern re-categorised", "Neutropenia", "", "important-potential-risk",
         "important-identified-risk"),
        ("measure added", "Serious infections", "Patient alert card", "", ""),
        ("study added", "LTX-4021", "", "", ""),
        ("milestone moved", "LTX-PASS-001", "final-report", "Q2 2023", "Q4 2027"),
    }
    assert _changes(rows) == expected
    newer = stores.rmp_of(graph, "LORTAVEX", "2.0")
    assert _changes(queries.run("version-changes", graph, rmp=str(newer))) == expected
    # 3.0 against 1.0 directly: what both steps did, less what was undone
    older = stores.rmp_of(graph, "LORTAVEX", "1.0")
    both = _changes(queries.run("version-changes", graph, older=str(older)))
    assert ("concern removed", "Diarrhoea and colitis", "",
            "important-identified-risk", "") in both
    assert not {c for c in both if c[1] == "LTX-4021"}  # added, then completed
    assert ("measure added", "Serious infections", "Patient alert card", "", "") in both
    # the card was in 1.0 and is gone in 3.0 for hepatotoxicity
    assert ("measure removed", "Hepatotoxicity (liver injury)", "Patient alert card",
            "", "") in both


def test_version_changes_all_pairs(graph: Graph) -> None:
    rows = queries.run("version-changes", graph, versions="all")
    assert {(str(r["older_version"]), str(r["newer_version"])) for r in rows} == \
        {("1.0", "2.0"), ("2.0", "3.0")}
    assert len(_changes(rows)) == 9


def test_latest_by_default_then_scoped(graph: Graph) -> None:
    def concerns(**params: str) -> set[tuple[str, str]]:
        return {(str(r["product"]), str(r["concern_label"]))
                for r in queries.run("concerns", graph, **params)}
    latest = concerns()
    assert {p for p, _ in latest} == {"LORTAVEX", "CORVANTA"}
    lortavex = {c for p, c in latest if p == "LORTAVEX"}
    assert "Diarrhoea and colitis" not in lortavex and len(lortavex) == 8
    assert len({c for p, c in latest if p == "CORVANTA"}) == 16
    every = concerns(versions="all")
    assert {c for p, c in every if p == "LORTAVEX"} == lortavex | {
        "Diarrhoea and colitis"}
    v1 = concerns(version="1.0")
    assert {p for p, _ in v1} == {"LORTAVEX"} and len(v1) == 8
    assert ("LORTAVEX", "Second primary malignancies") not in v1
    assert concerns(rmp=str(stores.rmp_of(graph, "LORTAVEX", "1.0"))) == v1
    assert concerns(product=str(LORTAVEX)) == {x for x in latest if x[0] == "LORTAVEX"}
    assert concerns(product=str(LORTAVEX), versions="all") == \
        {x for x in every if x[0] == "LORTAVEX"}
    rows = queries.run("rmp-summary", graph, versions="all")
    assert sorted(str(r["product"]) for r in rows) == ["CORVANTA"] + ["LORTAVEX"] * 3


def test_late_at_sign_off(graph: Graph) -> None:
    def late(**params: str) -> set[tuple[str, str, str, date]]:
        return {(str(r["product"]), str(r.get("version", "")), str(r["due_text"]),
                 r["due_end"].toPython())
                for r in queries.run("late-at-sign-off", graph, **params)}
    corvanta = ("CORVANTA", "5.1", "Q4 2027", date(2027, 12, 31))
    assert late() == {corvanta}
    assert late(versions="all") == {corvanta,
                                    ("LORTAVEX", "1.0", "Q2 2023", date(2023, 6, 30))}


def test_concerns_addressed_by_measure(graph: Graph) -> None:
    def addressed(**params: str) -> set[tuple[str, str]]:
        rows = queries.run("concerns-addressed-by-measure", graph, **params)
        return {(str(r["product"]), str(r["concern_label"])) for r in rows}
    # LORTAVEX 3.0 names the card for Serious infections only
    assert {c for p, c in addressed(measure="Patient alert card")
            if p == "LORTAVEX"} == {"Serious infections"}
    assert {c for p, c in addressed(measure="patient-alert-card", version="2.0")} == \
        {"Hepatotoxicity (liver injury)", "Serious infections"}
    assert {c for p, c in addressed(measure="hcp-guide", version="1.0")} == \
        {"Hepatotoxicity (liver injury)", "Serious infections"}


def test_alert_card_by_meddra(graph: Graph) -> None:
    infection = stores.MEDDRA + "10021789"
    rows = queries.run("alert-card-by-meddra", graph, term=infection)
    # LORTAVEX's Serious infections (closeMatch) has the card in 3.0; CORVANTA's
    # serious infections (broadMatch) names the card among its educational materials
    assert {(str(r["product"]), str(r["match"]).rsplit("#")[-1]) for r in rows} == {
        ("LORTAVEX", "closeMatch"), ("CORVANTA", "broadMatch")}
    hepato = stores.MEDDRA + "10019851"
    assert queries.run("alert-card-by-meddra", graph, term=hepato) == []  # 3.0
    rows = queries.run("alert-card-by-meddra", graph, term=hepato, version="2.0")
    assert {str(r["concern_label"]) for r in rows} == {"Hepatotoxicity (liver injury)"}


def test_measures_without_effectiveness_study(graph: Graph) -> None:
    rows = queries.run("measures-without-effectiveness-study", graph,
                       product=str(LORTAVEX))
    # LORTAVEX 3.0: HCP guide, patient alert card, patient guide; no study says it
    # evaluates any of them
    assert {str(r["kind"]).rsplit("/", 1)[-1] for r in rows} == {
        "hcp-guide", "patient-alert-card", "patient-guide"}
    assert len(rows) == 3
