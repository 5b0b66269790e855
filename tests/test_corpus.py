"""Golden tests: each document of the corpus (LEMTRADA and the fictional summaries in
tests/fixtures/rmp/) against its hand-written `<name>.expected.json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphfacts import concern_facts, concerns, one, study_facts, tail
from rdflib.namespace import RDF, RDFS

from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import read_source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "rmp"
CASES = sorted(
    p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json")
)


def _source(name: str) -> Path:
    return (
        ROOT / "data" / "rmp" / "lemtrada.txt"
        if name == "lemtrada"
        else (FIXTURES / f"{name}.txt")
    )


@pytest.fixture(scope="module", params=CASES)
def case(request):  # type: ignore[no-untyped-def]
    name = request.param
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    result = build_source(read_source(_source(name)))
    return name, expected, result


def test_product(case) -> None:  # type: ignore[no-untyped-def]
    _, expected, result = case
    g = result.graph
    product = one(g, None, RMP.hasRiskManagementPlan) or next(
        g.subjects(RDF.type, RMP.MedicinalProduct)
    )
    product = next(g.subjects(RDF.type, RMP.MedicinalProduct))
    assert str(one(g, product, RDFS.label)) == expected["product"]
    substance = one(g, product, RMP.hasActiveSubstance)
    assert (
        str(one(g, substance, RDFS.label)).lower()
        == expected["active_substance"].lower()
    )
    if expected.get("route"):
        rmp = one(g, product, RMP.hasRiskManagementPlan)
        assert str(one(g, rmp, RMP.routeText)) == expected["route"]
    if expected.get("epar"):
        assert str(one(g, product, RMP.eparPage)) == expected["epar"]


def test_concern_names_and_categories(case) -> None:  # type: ignore[no-untyped-def]
    _, expected, result = case
    g = result.graph
    got = [
        (f["name"], f["category"])
        for f in map(lambda c: concern_facts(g, c), concerns(g))
    ]
    assert got == [(c["name"], c["category"]) for c in expected["concerns"]]


@pytest.mark.parametrize(
    "field", ["qualifier", "routine_label_sections", "additional_measures", "studies"]
)
def test_concern_details(case, field: str) -> None:  # type: ignore[no-untyped-def]
    _, expected, result = case
    g = result.graph
    got = {f["name"]: f[field] for f in (concern_facts(g, c) for c in concerns(g))}
    want = {
        c["name"]: (sorted(c[field]) if isinstance(c[field], list) else c[field])
        for c in expected["concerns"]
    }
    assert got == want


def test_studies(case) -> None:  # type: ignore[no-untyped-def]
    _, expected, result = case
    got = study_facts(result.graph)
    for study in expected["studies"]:
        assert study["name"] in got, f"study {study['name']!r} missing: {sorted(got)}"
        facts = got[study["name"]]
        assert facts["identifier"] == study["identifier"]
        assert facts["section"] == study["section"]
        assert facts["category"] == study["category"]
        want = sorted(study["milestones"], key=lambda x: (x["kind"], x["due_text"]))
        assert facts["milestones"] == want
    assert len(got) == len(expected["studies"])


def test_section_nones(case) -> None:  # type: ignore[no-untyped-def]
    _, expected, result = case
    g = result.graph
    rmp = next(g.subjects(RDF.type, RMP.RiskManagementPlan))
    got = sorted(
        tail(one(g, n, RMP.noneFor)) for n in g.objects(rmp, RMP.hasNoneStatement)
    )
    assert got == sorted(expected.get("section_none", []))


def test_abbreviations(case) -> None:  # type: ignore[no-untyped-def]
    _, expected, result = case
    g = result.graph
    shorts = {
        str(o)
        for a in g.subjects(RDF.type, RMP.Abbreviation)
        for o in g.objects(a, RMP.abbreviation)
    }
    assert len(shorts) == expected["abbreviations_defined"]


def test_no_parse_issues_and_the_known_defects(case) -> None:  # type: ignore[no-untyped-def]
    """Every line is understood, and the source's own defects (a broken Word cross-
    reference, a study named in II.B but missing from II.C) are the ones the oracle
    lists, found where it says."""
    _, expected, result = case
    issues = [(i.line, i.reason, i.text) for i in result.document.issues]
    assert issues == []
    defects = expected.get("defects", [])
    broken = sorted(int(d.split(":", 1)[1]) for d in defects
                    if d.startswith("unresolved-cross-reference:"))
    assert sorted(d.line for d in result.document.defects) == broken
    facts = study_facts(result.graph)
    for d in defects:
        if d.startswith("unresolved-study-reference:"):
            assert facts[d.split(":", 1)[1]]["section"] == "none"
