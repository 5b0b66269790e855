"""Statements of one RMP version never collide with another version's.

Two versions of LEMTRADA that word Part VI, I differently (the indication of the
second reads "adult patients" where l.21 reads "adults", and its route "intravenous
infusion" where l.33 reads "intravenous (IV) infusion"), built together: each
version keeps its own indication and route text, and what hangs on the product
itself (shared by every version) is the same whichever version is built.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

import rmpgraph
from rmpgraph.graph.namespaces import RMP

LEMTRADA = Path(__file__).resolve().parent.parent / "data" / "rmp" / "lemtrada.txt"
PRODUCT = URIRef("https://w3id.org/rmpgraph/id/lemtrada")


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    text = LEMTRADA.read_text(encoding="utf-8")
    reworded = (text.replace("therapy (DMT) in adults with",
                             "therapy (DMT) in adult patients with", 1)
                .replace("by intravenous (IV) infusion.",
                         "by intravenous infusion.", 1))
    assert reworded.count("adult patients with") == 1
    where = tmp_path_factory.mktemp("versions")
    old, new = where / "lemtrada-v1.txt", where / "lemtrada-v2.txt"
    old.write_text(text, encoding="utf-8")
    new.write_text(reworded, encoding="utf-8")
    return old, new


def _product_statements(g: Graph) -> set[tuple[object, object]]:
    """What the product node itself says, without the links to its versions and
    their text spans (provenance adds up: the product is read from each one)."""
    return {(p, o) for p, o in g.predicate_objects(PRODUCT)
            if p not in (RMP.hasRiskManagementPlan, PROV.wasDerivedFrom)}


def test_each_version_keeps_its_own_indication_and_route(
        versions: tuple[Path, Path]) -> None:
    old, new = versions
    one = rmpgraph.build(old, rmp_version="1.0", rmp_date="2023-01-10")
    two = rmpgraph.build(new, rmp_version="2.0", rmp_date="2024-02-20")
    both = rmpgraph.build([old, new]).graph
    plans = sorted(both.objects(PRODUCT, RMP.hasRiskManagementPlan))
    assert len(plans) == 2
    wording = {}
    for plan in plans:
        indications = list(both.objects(plan, RMP.hasIndication))
        assert len(indications) == 1 and str(indications[0]).startswith(str(plan))
        wording[str(both.value(indications[0], RMP.text)).split(" with ")[0]] = \
            str(both.value(plan, RMP.routeText))
    assert wording == {
        "LEMTRADA is indicated as a single disease modifying therapy (DMT) in adults":
            "intravenous (IV) infusion",
        "LEMTRADA is indicated as a single disease modifying therapy (DMT) in adult "
        "patients": "intravenous infusion"}
    # nothing version-specific on the product: each version alone says the same
    assert _product_statements(one.graph) == _product_statements(two.graph)
    assert _product_statements(both) == _product_statements(one.graph)
    assert not set(both.objects(PRODUCT, RMP.hasIndication))
    assert not set(both.objects(PRODUCT, RMP.routeText))


def test_the_merged_versions_validate_without_a_cardinality_finding(
        versions: tuple[Path, Path]) -> None:
    both = rmpgraph.build(list(versions))
    report = rmpgraph.validate(both)
    shapes = {f.shape for f in report.results}
    assert "rmpsh:RiskManagementPlanShape-hasIndication" not in shapes
    assert sum(1 for _ in both.graph.subjects(RDF.type, RMP.Indication)) == 2


def _plan_by_wording(g: Graph) -> dict[str, URIRef]:
    """Each RMP of the product, keyed by how its indication words the patients."""
    out = {}
    for plan in g.objects(PRODUCT, RMP.hasRiskManagementPlan):
        text = str(g.value(g.value(plan, RMP.hasIndication), RMP.text))
        out["adult patients" if "adult patients" in text else "adults"] = plan
    return out


@pytest.mark.parametrize("given", [("old", "new"), ("new", "old"),
                                   ("old", "new", "old")])
def test_files_given_together_are_linked_in_the_order_given(
        versions: tuple[Path, Path], given: tuple[str, ...]) -> None:
    """Neither text states a version number or date, so the order the files are
    first given decides which revises which (the last tie-break,
    graph/versions.py); a file given again does not move its version."""
    path = dict(zip(("old", "new"), versions, strict=True))
    graph = rmpgraph.build([path[name] for name in given]).graph
    plan = _plan_by_wording(graph)
    first, second = (plan["adults"], plan["adult patients"]) if given[0] == "old" \
        else (plan["adult patients"], plan["adults"])
    assert set(graph.subject_objects(PROV.wasRevisionOf)) == {(second, first)}
