"""`concerns-without-additional-pv` on a graph written here by hand: every column,
including whether the II.B table says "None" for additional pharmacovigilance
(`none_stated`), which an emptied OPTIONAL turned false for every row and no test
read (issue 19, the stored-query mutant left in MUTATION.md).

GAMMA's latest RMP lists three concerns: a study addresses the first; the II.B
table of the second says "None" in its additional-PV row; the third has neither.
"""

from __future__ import annotations

from rdflib import Graph

import rmpgraph

GAMMA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rmp: <https://w3id.org/rmpgraph/ontology#> .
@prefix cat: <https://w3id.org/rmpgraph/vocab/concern-category/> .
@prefix ex: <https://w3id.org/rmpgraph/id/gamma/> .

ex: rdfs:label "GAMMA" ; rmp:hasRiskManagementPlan ex:rmp .
ex:rmp a rmp:RiskManagementPlan ;
    rmp:hasSafetyConcern ex:infections, ex:pregnancy, ex:elderly .
ex:infections rdfs:label "Serious infections" ;
    rmp:concernCategory cat:important-identified-risk ;
    rmp:hasListing [ rmp:position 1 ] .
ex:pregnancy rdfs:label "Use in pregnancy" ;
    rmp:concernCategory cat:missing-information ;
    rmp:hasListing [ rmp:position 2 ] ;
    rmp:hasNoneStatement [ rmp:noneFor
        <https://w3id.org/rmpgraph/vocab/summary-row/additional-pv> ;
        rmp:text "None" ] .
ex:elderly rdfs:label "Use in the elderly" ;
    rmp:concernCategory cat:missing-information ;
    rmp:hasListing [ rmp:position 3 ] .
ex:registry a rmp:Study ; rdfs:label "GAM-REG-01" ;
    rmp:addressesConcern ex:infections .
"""
ID = "https://w3id.org/rmpgraph/id/gamma/"
MI = "https://w3id.org/rmpgraph/vocab/concern-category/missing-information"


def test_every_column_of_concerns_without_additional_pv() -> None:
    graph = Graph().parse(data=GAMMA, format="turtle")
    rows = rmpgraph.query("concerns-without-additional-pv", graph).rows
    got = sorted(({k: str(v) for k, v in row.items()} for row in rows),
                 key=lambda r: r["position"])
    assert got == [
        {"product": "GAMMA", "position": "2", "concern": ID + "pregnancy",
         "concern_label": "Use in pregnancy", "category": MI, "none_stated": "true"},
        {"product": "GAMMA", "position": "3", "concern": ID + "elderly",
         "concern_label": "Use in the elderly", "category": MI,
         "none_stated": "false"},
    ]
