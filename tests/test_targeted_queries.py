"""Stored queries' filters at their boundaries (issue 19), on both engines, against
hand-written answers.

A small graph written here by hand: one study with a milestone due on a single day
(15/03/2026), one due in a quarter (Q3 2027: 1 July to 30 September) and one due
relative to an event (no calendar date); products whose concerns are shared by
MedDRA code or, lacking one, by normalised name. Every expected row below follows
from the query's stated meaning (its `#+ description`), not from running it.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from rmpgraph.graph.derive import shared_concerns
from rmpgraph.graph.namespaces import RMP
from rmpgraph.queries import stored as queries

EX = "https://w3id.org/rmpgraph/id/targeted/"
MEDDRA = "http://purl.bioontology.org/ontology/MEDDRA/"
SNOMED = "http://snomed.info/id/77386006"


def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


@pytest.fixture(scope="module")
def milestones() -> Graph:
    g = Graph()
    prod, rmp, study = URIRef(EX + "alpha"), URIRef(EX + "alpha/rmp"), URIRef(
        EX + "alpha/study")
    g.add((prod, RDFS.label, Literal("ALPHA")))
    g.add((prod, RMP.hasRiskManagementPlan, rmp))
    g.add((rmp, RDF.type, RMP.RiskManagementPlan))
    g.add((rmp, RMP.hasStudy, study))
    g.add((study, RDF.type, RMP.Study))
    g.add((study, RDFS.label, Literal("ALP-PASS-01")))
    for n, (label, text, start, end) in enumerate([
            ("Final report: 15/03/2026", "15/03/2026", "2026-03-15", "2026-03-15"),
            ("Interim report: Q3 2027", "Q3 2027", "2027-07-01", "2027-09-30"),
            ("Final report: within 6 months of LPLV", "within 6 months of LPLV",
             None, None)]):
        m = URIRef(f"{EX}alpha/milestone/{n}")
        g.add((study, RMP.hasMilestone, m))
        g.add((m, RDF.type, RMP.Milestone))
        g.add((m, RDFS.label, Literal(label)))
        g.add((m, RMP.dueText, Literal(text)))
        if start and end:
            g.add((m, RMP.dueStart, _date(start)))
            g.add((m, RMP.dueEnd, _date(end)))
    return g


def _rows_both(name: str, graph: Graph, **params: str) -> list[dict[str, Any]]:
    """Rows from rdflib, after checking Oxigraph gives the same ones."""
    rows = queries.run(name, graph, **params)
    query = queries.get_query(name)
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES)
    # what a store derives over all its RMPs (RmpStore keeps it in a graph)
    store.extend([ox.Quad(t.subject, t.predicate, t.object)
                  for t in shared_concerns(store)])
    text = queries.values_query(query.text, queries.bind_params(query, params))
    result = store.query(text)
    names = [v.value for v in result.variables]
    ox_rows = [{n: str(s[n].value) for n in names if s[n] is not None}
               for s in result]
    assert ox_rows == [{k: str(v) for k, v in r.items()} for r in rows], name
    return rows


def _due(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["due_text"]) for r in rows]


@pytest.mark.parametrize("as_of,expected", [
    ("2026-03-14", []),
    ("2026-03-15", []),  # due on the as-of date itself: not yet overdue
    ("2026-03-16", ["15/03/2026"]),
    ("2027-07-01", ["15/03/2026"]),  # the quarter's first day: not over
    ("2027-09-30", ["15/03/2026"]),  # its last day: still not over
    ("2027-10-01", ["15/03/2026", "Q3 2027"]),
])
def test_overdue_milestones_boundaries(milestones: Graph, as_of: str,
                                       expected: list[str]) -> None:
    assert _due(_rows_both("overdue-milestones", milestones, as_of=as_of)) == expected


@pytest.mark.parametrize("params,expected", [
    ({"from": "2026-03-15", "to": "2026-03-15"}, ["15/03/2026"]),
    ({"from": "2026-03-16"}, ["Q3 2027"]),
    ({"from": "2026-03-14", "to": "2026-03-14"}, []),
    ({"from": "2026-03-16", "to": "2027-06-30"}, []),
    # a period is due from its first day to its last
    ({"from": "2026-03-16", "to": "2027-07-01"}, ["Q3 2027"]),
    ({"from": "2027-09-30", "to": "2031-12-31"}, ["Q3 2027"]),
    ({"from": "2027-10-01"}, []),
    ({"from": "2027-08-15", "to": "2027-08-15"}, ["Q3 2027"]),
    ({"from": "2020-01-01", "to": "2031-12-31"}, ["15/03/2026", "Q3 2027"]),
])
def test_upcoming_milestones_boundaries(milestones: Graph, params: dict[str, str],
                                        expected: list[str]) -> None:
    assert _due(_rows_both("upcoming-milestones", milestones, **params)) == expected


@pytest.fixture(scope="module")
def shared() -> Graph:
    """A and C share MedDRA 10019851 (under two names); A and B share 'Pancreatitis'
    by name (no MedDRA code); B and E share 'Hepatotoxicity' by name, which A and D
    also call a concern but with a MedDRA code (another one for D), so theirs are
    compared by code, not by name. F and G share 'Use in pregnancy' by name: its
    SNOMED CT code is no MedDRA code, so neither a key nor a reason to skip the name."""
    g = Graph()
    concerns = {
        "A": [("Hepatotoxicity", "hepatotoxicity", "10019851"),
              ("Pancreatitis", "pancreatitis", None)],
        "B": [("Hepatotoxicity", "hepatotoxicity", None),
              ("Pancreatitis", "pancreatitis", None)],
        "C": [("Liver injury", "liver injury", "10019851")],
        "D": [("Hepatotoxicity", "hepatotoxicity", "10000001")],
        "E": [("Hepatotoxicity", "hepatotoxicity", None)],
        # coded elsewhere than MedDRA (SNOMED CT 77386006, Pregnancy): still
        # compared by name, and that code is not a key
        "F": [("Use in pregnancy", "use in pregnancy", SNOMED)],
        "G": [("Use in pregnancy", "use in pregnancy", SNOMED)],
    }
    for prod, items in concerns.items():
        p, rmp = URIRef(EX + prod), URIRef(f"{EX}{prod}/rmp")
        g.add((p, RDFS.label, Literal(f"PRODUCT {prod}")))
        g.add((p, RMP.hasRiskManagementPlan, rmp))
        for label, norm, code in items:
            c = URIRef(f"{EX}{prod}/concern/{norm.replace(' ', '-')}")
            g.add((rmp, RMP.hasSafetyConcern, c))
            g.add((c, RDF.type, RMP.ImportantIdentifiedRisk))
            g.add((c, RDFS.label, Literal(label)))
            g.add((c, RMP.normalisedName, Literal(norm)))
            # the MedDRA link sits on the concern's version-free lineage node
            lineage = URIRef(f"{EX}{prod}/lineage/{norm.replace(' ', '-')}")
            g.add((c, PROV.specializationOf, lineage))
            if code:
                g.add((lineage, SKOS.exactMatch,
                       URIRef(code if code.startswith("http") else MEDDRA + code)))
    return g


def _shared_rows(graph: Graph) -> list[tuple[str, int, str, str]]:
    rows = _rows_both("products-sharing-concern", graph)
    return [(str(r["key"]), int(r["product_count"]), str(r["product"]),
             str(r["concern_label"])) for r in rows]


def test_products_sharing_concern_by_meddra(shared: Graph) -> None:
    got = [r for r in _shared_rows(shared) if r[0].startswith(MEDDRA)]
    assert got == [
        (MEDDRA + "10019851", 2, "PRODUCT A", "Hepatotoxicity"),
        (MEDDRA + "10019851", 2, "PRODUCT C", "Liver injury"),
    ]


def test_products_sharing_concern_by_name(shared: Graph) -> None:
    got = [r for r in _shared_rows(shared) if not r[0].startswith(MEDDRA)]
    assert got == [
        ("hepatotoxicity", 2, "PRODUCT B", "Hepatotoxicity"),
        ("hepatotoxicity", 2, "PRODUCT E", "Hepatotoxicity"),
        ("pancreatitis", 2, "PRODUCT A", "Pancreatitis"),
        ("pancreatitis", 2, "PRODUCT B", "Pancreatitis"),
        ("use in pregnancy", 2, "PRODUCT F", "Use in pregnancy"),
        ("use in pregnancy", 2, "PRODUCT G", "Use in pregnancy"),
    ]
