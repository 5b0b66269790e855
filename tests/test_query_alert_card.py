"""`alert-card-by-meddra` on a graph written here by hand: only the SKOS mapping
properties a link can be (close, exact, broad, narrow match) lead from a concern to
MedDRA, and a term's narrower terms count (skos:broader*). A concern linked to the
HLT only by skos:relatedMatch (a hint, not a mapping) is not an answer; without the
query's FILTER it was (issue 19, the stored-query mutant left in MUTATION.md).

DELTA's alert card addresses two concerns: "Serious infections", closeMatch to a PT
under the HLT asked for, and "Tuberculosis", relatedMatch to the HLT itself.
"""

from __future__ import annotations

from rdflib import Graph

import rmpgraph

DELTA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rmp: <https://w3id.org/rmpgraph/ontology#> .
@prefix cat: <https://w3id.org/rmpgraph/vocab/concern-category/> .
@prefix meddra: <http://purl.bioontology.org/ontology/MEDDRA/> .
@prefix ex: <https://w3id.org/rmpgraph/id/delta/> .

ex: rdfs:label "DELTA" ; rmp:hasRiskManagementPlan ex:rmp .
ex:rmp a rmp:RiskManagementPlan ; rmp:hasSafetyConcern ex:rmp-infections, ex:rmp-tb .
ex:rmp-infections rdfs:label "Serious infections" ;
    rmp:concernCategory cat:important-identified-risk ;
    prov:specializationOf ex:infections .
ex:infections skos:closeMatch meddra:10021789 .
ex:rmp-tb rdfs:label "Tuberculosis" ;
    rmp:concernCategory cat:important-potential-risk ;
    prov:specializationOf ex:tb .
ex:tb skos:relatedMatch meddra:10021879 .
meddra:10021789 skos:prefLabel "Infection"@en ; skos:broader meddra:10021879 .
meddra:10021879 skos:prefLabel "Infections NEC"@en .
@prefix kind: <https://w3id.org/rmpgraph/vocab/material-kind/> .
ex:rmp-card rdfs:label "Patient alert card" ;
    rmp:materialKind kind:patient-alert-card ;
    rmp:addressesConcern ex:rmp-infections, ex:rmp-tb .
"""
MEDDRA = "http://purl.bioontology.org/ontology/MEDDRA/"


def test_alert_card_by_meddra_follows_only_mapping_properties() -> None:
    graph = Graph().parse(data=DELTA, format="turtle")
    rows = rmpgraph.query("alert-card-by-meddra", graph,
                          {"term": MEDDRA + "10021879"}).rows
    assert [{k: str(v) for k, v in row.items()} for row in rows] == [{
        "product": "DELTA",
        "concern": "https://w3id.org/rmpgraph/id/delta/rmp-infections",
        "concern_label": "Serious infections",
        "category": "https://w3id.org/rmpgraph/vocab/concern-category/"
                    "important-identified-risk",
        "match": "http://www.w3.org/2004/02/skos/core#closeMatch",
        "meddra_term": MEDDRA + "10021789", "term_label": "Infection",
        "card": "https://w3id.org/rmpgraph/id/delta/rmp-card",
        "card_label": "Patient alert card"}]
