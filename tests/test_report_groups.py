"""The product card names each patient group once (issue 17).

LEMTRADA's section I writes its two patient groups inside the indication sentence;
the report lists them as groups, so the indication shows only its lead-in. The
sentences below are copied from data/rmp/lemtrada.txt.
"""

from __future__ import annotations

from datetime import date

from rdflib import Graph

from rmpgraph.present.report import render_report

GROUPS = (
    "Patients with highly active disease despite a full and adequate course of "
    "treatment with at least one DMT",
    "Patients with rapidly evolving severe relapsing remitting multiple sclerosis",
)
LEAD_IN = ("in adults with highly active relapsing remitting multiple sclerosis "
           "(RRMS)")


def test_each_patient_group_appears_once(lemtrada_graph: Graph) -> None:
    html = render_report(lemtrada_graph, as_of=date(2024, 1, 1), with_findings=False)
    for group in GROUPS:
        assert html.count(group) == 1, group
    assert html.count(LEAD_IN) == 1
