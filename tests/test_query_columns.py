"""Every column of the stored queries, on a graph written by hand
(tests/fixtures/targeted/columns.ttl, its header says what it states), issue 19.

Golden tests elsewhere check the rows a query returns but rarely every column, so a
query that lost its study title or a concern's position still passed. Each expected
row below is the fixture's statement read through the query's `#+ description`,
written by hand, never from a run; a column that is unbound is absent from the row.
Test ids carry the query's name, so bench/mutation.py runs them for its mutants.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from rmpgraph.queries import stored as queries

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "targeted" / "columns.ttl"
PREFIXES = {
    "ex:": "https://w3id.org/rmpgraph/id/columns/",
    "v:": "https://w3id.org/rmpgraph/vocab/",
    "meddra:": "http://purl.bioontology.org/ontology/MEDDRA/",
    "skos:": "http://www.w3.org/2004/02/skos/core#",
}
IDENTIFIED = "v:concern-category/important-identified-risk"
POTENTIAL = "v:concern-category/important-potential-risk"
MISSING = "v:concern-category/missing-information"
ALPHA_HEP = {"product": "ALPHA", "concern": "ex:alpha-rmp-hepatotoxicity",
             "concern_label": "Hepatotoxicity"}
PASS = {"product": "ALPHA", "study": "ex:alpha-rmp-pass", "study_label": "ALP-PASS-01"}
FINAL = {"milestone": "ex:alpha-rmp-pass-final",
         "milestone_label": "Final report: Q1 2026",
         "kind": "v:milestone-kind/final-report", "due_text": "Q1 2026"}
DUS = {"product": "ALPHA", "study": "ex:alpha-rmp-dus", "study_label": "ALP-DUS-02"}
DUS_FINAL = {"milestone": "ex:alpha-rmp-dus-final",
             "milestone_label": "Final report: 01/06/2026",
             "kind": "v:milestone-kind/final-report", "due_text": "01/06/2026"}
INTERIM = {"milestone": "ex:alpha-rmp-pass-interim",
           "milestone_label": "Interim report: 15/09/2026",
           "kind": "v:milestone-kind/interim-report", "due_text": "15/09/2026"}
SOC = {"soc_label": "Hepatobiliary disorders", "soc": "meddra:10019805",
       "status": "v:mapping-status/mapped", "match": "skos:closeMatch",
       "term_label": "Hepatotoxicity", "term_level": "PT", "pt_label": "Hepatotoxicity"}
STUDY = {**PASS, "identifier": "ALP-PASS-01",
         "title": "Registry of liver outcomes in patients treated with Alpha",
         "category": "v:pv-category/1", "condition_of_ma": "true",
         "plan_section": "v:plan-section/ii-c-1"}
DISAGREE = {"term": "meddra:10019851", "term_label": "Hepatotoxicity",
            "product": "ALPHA", "concern_label": "Hepatotoxicity",
            "other_product": "BETA", "shared": "active substance",
            "shared_with": "ex:alphazumab"}

PROV = {"concern": "ex:alpha-rmp-hepatotoxicity", "concern_label": "Hepatotoxicity",
        "file_name": "alpha.txt"}
PREG = {"concern": "ex:alpha-rmp-pregnancy", "concern_label": "Use in pregnancy",
        "file_name": "alpha.txt"}
# the same pair shares the ATC level 4 group (L04AA), not levels 3 or 5
ATC4 = {**DISAGREE, "shared": "ATC level 4", "shared_with": "ex:atc-L04AA"}

CASES: list[tuple[str, dict[str, str], list[dict[str, str]]]] = [
    ("study-coverage", {}, [
        {**DUS, "category": "v:pv-category/2", "relation": "addresses concern",
         "item": "ex:alpha-rmp-pregnancy", "item_label": "Use in pregnancy"},
        {**DUS, "category": "v:pv-category/2", "relation": "milestone",
         "item": DUS_FINAL["milestone"], "item_label": DUS_FINAL["milestone_label"]},
        {**STUDY, "relation": "addresses concern",
         "item": "ex:alpha-rmp-hepatotoxicity", "item_label": "Hepatotoxicity"},
        {**STUDY, "relation": "milestone", "item": FINAL["milestone"],
         "item_label": FINAL["milestone_label"]},
        {**STUDY, "relation": "milestone", "item": INTERIM["milestone"],
         "item_label": INTERIM["milestone_label"]},
    ]),
    ("upcoming-milestones", {"from": "2026-01-01"}, [
        {**PASS, **FINAL, "due_start": "2026-01-01", "due_end": "2026-03-31"},
        {**DUS, **DUS_FINAL, "due_start": "2026-06-01", "due_end": "2026-06-01"},
        {**PASS, **INTERIM, "due_start": "2026-09-15", "due_end": "2026-09-15"},
    ]),
    ("overdue-milestones", {"as_of": "2026-06-01"}, [
        {**PASS, **FINAL, "due_end": "2026-03-31"},
    ]),
    ("overdue-milestones", {"as_of": "2026-06-02"}, [
        {**PASS, **FINAL, "due_end": "2026-03-31"},
        {**DUS, **DUS_FINAL, "due_end": "2026-06-01"},
    ]),
    # the final report (Q1 2026) ended before ALPHA 2.0 was signed off (2026-06-01);
    # ALP-DUS-02's is due that very day
    ("late-at-sign-off", {}, [
        {**PASS, "rmp": "ex:alpha-rmp", "version": "2.0", "version_date": "2026-06-01",
         "category": "v:pv-category/1", "milestone": FINAL["milestone"],
         "due_text": "Q1 2026", "due_end": "2026-03-31",
         "status": "v:milestone-status/overdue"},
    ]),
    ("evidence-sources", {}, [
        {**ALPHA_HEP, "position": "1", "kind": "evidence source",
         "value": "v:evidence-source/clinical-trials",
         "text": "Clinical trials ALP-101 and ALP-102 [1]"},
        {**ALPHA_HEP, "position": "1", "kind": "literature reference",
         "value": "ex:reference-1",
         "text": "[1] Smith J. Liver safety of alphazumab. 2021."},
    ]),
    # uncoded concerns first (no SOC), then by SOC, product, concern
    ("concerns-by-soc", {}, [
        {"product": "ALPHA", "concern_label": "Use in pregnancy",
         "concern": "ex:alpha-rmp-pregnancy", "status": "v:mapping-status/unmapped"},
        {**SOC, **ALPHA_HEP},
        {**{k: v for k, v in SOC.items() if k != "status"},  # no status stated
         "product": "BETA", "concern_label": "Hepatic failure",
         "concern": "ex:beta-rmp-hepatic-failure"},
        {**SOC, "product": "BETA", "concern_label": "Liver injury",
         "concern": "ex:beta-rmp-liver-injury"},
    ]),
    ("alert-card-by-meddra", {"term": PREFIXES["meddra:"] + "10019851"}, [
        {**ALPHA_HEP, "category": IDENTIFIED, "match": "skos:closeMatch",
         "meddra_term": "meddra:10019851", "term_label": "Hepatotoxicity",
         "card": "ex:alpha-rmp-card", "card_label": "Patient alert card"},
    ]),
    ("concerns-addressed-by-measure", {"measure": "patient ALERT card"}, [
        {**ALPHA_HEP, "measure": "ex:alpha-rmp-card",
         "measure_label": "Patient alert card", "level": "additional",
         "position": "1", "category": IDENTIFIED, "wording": "Patient alert card"},
    ]),
    ("concerns-addressed-by-measure",
     {"measure": PREFIXES["ex:"] + "alpha-rmp-smpc-4-4"}, [
        {**ALPHA_HEP, "measure": "ex:alpha-rmp-smpc-4-4",
         "measure_label": "SmPC 4.4 Special warnings and precautions for use",
         "level": "routine", "position": "1", "category": IDENTIFIED,
         "wording": "SmPC section 4.4: liver tests before treatment"},
    ]),
    # ALPHA has no HCP checklist, so no material is missing from one
    ("material-coverage", {}, [
        {**ALPHA_HEP, "material_kind": "v:material-kind/patient-alert-card",
         "material": "ex:alpha-rmp-card", "material_label": "Patient alert card",
         "concern_position": "1", "not_in_checklist": "false"},
    ]),
    ("concerns-not-in-smpc-4-4", {}, [
        {"product": "ALPHA", "position": "2", "concern": "ex:alpha-rmp-pregnancy",
         "concern_label": "Use in pregnancy", "category": MISSING},
        {"product": "BETA", "position": "1", "concern": "ex:beta-rmp-liver-injury",
         "concern_label": "Liver injury", "category": POTENTIAL},
        {"product": "BETA", "position": "2", "concern": "ex:beta-rmp-hepatic-failure",
         "concern_label": "Hepatic failure", "category": IDENTIFIED},
    ]),
    ("concerns-without-additional-rmm", {}, [
        {"product": "ALPHA", "position": "2", "concern": "ex:alpha-rmp-pregnancy",
         "concern_label": "Use in pregnancy", "category": MISSING,
         "none_stated": "true"},
        {"product": "BETA", "position": "1", "concern": "ex:beta-rmp-liver-injury",
         "concern_label": "Liver injury", "category": POTENTIAL,
         "none_stated": "false"},
        {"product": "BETA", "position": "2", "concern": "ex:beta-rmp-hepatic-failure",
         "concern_label": "Hepatic failure", "category": IDENTIFIED,
         "none_stated": "false"},
    ]),
    ("measures-without-effectiveness-study", {}, [
        {"product": "ALPHA", "rmp": "ex:alpha-rmp", "measure": "ex:alpha-rmp-card",
         "measure_label": "Patient alert card",
         "kind": "v:material-kind/patient-alert-card", "concerns": "1"},
    ]),
    ("risk-factor-search", {"term": "LIVER"}, [
        {**ALPHA_HEP, "position": "1", "risk_factor": "liver disease"},
    ]),
    # the statement's text matches though no risk factor's label does
    ("risk-factor-search", {"term": "pre-existing"}, [
        {**ALPHA_HEP, "position": "1"},
    ]),
    # BETA's own identified and potential risks share the term: not a disagreement;
    # BETA 0.9's Hepatic injury is not BETA's latest RMP
    ("risk-category-disagreement", {}, [
        {**ATC4, "other_concern_label": "Liver injury"},
        {**DISAGREE, "other_concern_label": "Liver injury"},
    ]),
    ("risk-category-disagreement", {"versions": "all"}, [
        {**ATC4, "other_concern_label": "Hepatic injury"},
        {**DISAGREE, "other_concern_label": "Hepatic injury"},
        {**ATC4, "other_concern_label": "Liver injury"},
        {**DISAGREE, "other_concern_label": "Liver injury"},
    ]),
    # the concern by name, any case; every part's lines, and no other concern's
    ("provenance", {"concern": "HEPATOTOXICITY"}, [
        {**PROV, "start_line": "5", "end_line": "5", "role": "concern",
         "item": "ex:alpha-rmp-hepatotoxicity"},
        {**PROV, "start_line": "5", "end_line": "5", "role": "listing",
         "item": "ex:alpha-rmp-hepatotoxicity-listing"},
        {**PROV, "start_line": "29", "end_line": "35", "role": "summary table",
         "item": "ex:alpha-rmp-hepatotoxicity-summary"},
        {**PROV, "start_line": "30", "end_line": "31", "role": "evidence",
         "item": "ex:alpha-rmp-hepatotoxicity-evidence"},
        {**PROV, "start_line": "32", "end_line": "32", "role": "risk factor",
         "item": "ex:alpha-rmp-hepatotoxicity-risk-factor-1"},
        {**PROV, "start_line": "32", "end_line": "32", "role": "risk factors",
         "item": "ex:alpha-rmp-hepatotoxicity-risk-factors"},
        {**PROV, "start_line": "33", "end_line": "33", "role": "routine measure",
         "item": "ex:alpha-rmp-hepatotoxicity-routine-1"},
        {**PROV, "start_line": "34", "end_line": "34", "role": "additional measure",
         "item": "ex:alpha-rmp-hepatotoxicity-additional-1"},
        # its own footnote; not the two it shares, which lie in the other table
        {**PROV, "start_line": "36", "end_line": "36", "role": "qualifier",
         "item": "ex:alpha-rmp-footnote-a"},
    ]),
    # the shared footnotes lie in its own table (its first and last line)
    ("provenance", {"concern": "use in pregnancy"}, [
        {**PREG, "start_line": "6", "end_line": "6", "role": "listing",
         "item": "ex:alpha-rmp-pregnancy-listing"},
        {**PREG, "start_line": "40", "end_line": "40", "role": "qualifier",
         "item": "ex:alpha-rmp-footnote-b"},
        {**PREG, "start_line": "40", "end_line": "45", "role": "summary table",
         "item": "ex:alpha-rmp-pregnancy-summary"},
        {**PREG, "start_line": "45", "end_line": "45", "role": "qualifier",
         "item": "ex:alpha-rmp-footnote-c"},
    ]),
    # one row per concern and qualifier
    ("concerns", {}, [
        {**ALPHA_HEP, "position": "1", "category": IDENTIFIED,
         "qualifier": "Data cut-off 31 March 2025."},
        {**ALPHA_HEP, "position": "1", "category": IDENTIFIED,
         "qualifier": "Mostly in the first 3 months."},
        {**ALPHA_HEP, "position": "1", "category": IDENTIFIED,
         "qualifier": "Women of childbearing potential."},
        {"product": "ALPHA", "position": "2", "concern": "ex:alpha-rmp-pregnancy",
         "concern_label": "Use in pregnancy", "category": MISSING,
         "qualifier": "Data cut-off 31 March 2025."},
        {"product": "ALPHA", "position": "2", "concern": "ex:alpha-rmp-pregnancy",
         "concern_label": "Use in pregnancy", "category": MISSING,
         "qualifier": "Women of childbearing potential."},
        {"product": "BETA", "position": "1", "concern": "ex:beta-rmp-liver-injury",
         "concern_label": "Liver injury", "category": POTENTIAL},
        {"product": "BETA", "position": "2", "concern": "ex:beta-rmp-hepatic-failure",
         "concern_label": "Hepatic failure", "category": IDENTIFIED},
    ]),
    # the scope picks the identified risk's RMP
    ("risk-category-disagreement", {"rmp": PREFIXES["ex:"] + "alpha-rmp"}, [
        {**ATC4, "other_concern_label": "Liver injury"},
        {**DISAGREE, "other_concern_label": "Liver injury"},
    ]),
    ("risk-category-disagreement", {"rmp": PREFIXES["ex:"] + "beta-rmp"}, []),
    # a product given: the query's other plan (risk-category-disagreement.rq), the
    # same answers; BETA's own identified and potential risks are no disagreement
    ("risk-category-disagreement", {"product": PREFIXES["ex:"] + "alpha"}, [
        {**ATC4, "other_concern_label": "Liver injury"},
        {**DISAGREE, "other_concern_label": "Liver injury"},
    ]),
    ("risk-category-disagreement", {"product": PREFIXES["ex:"] + "alpha",
                                    "versions": "all"}, [
        {**ATC4, "other_concern_label": "Hepatic injury"},
        {**DISAGREE, "other_concern_label": "Hepatic injury"},
        {**ATC4, "other_concern_label": "Liver injury"},
        {**DISAGREE, "other_concern_label": "Liver injury"},
    ]),
    ("risk-category-disagreement", {"product": PREFIXES["ex:"] + "alpha",
                                    "rmp": PREFIXES["ex:"] + "alpha-rmp"}, [
        {**ATC4, "other_concern_label": "Liver injury"},
        {**DISAGREE, "other_concern_label": "Liver injury"},
    ]),
    ("risk-category-disagreement", {"product": PREFIXES["ex:"] + "beta"}, []),
    # the products sharing a key are counted on their latest RMPs, whatever the scope
    ("products-sharing-concern", {"rmp": PREFIXES["ex:"] + "beta-rmp"}, [
        {"key": "meddra:10019851", "product_count": "2", "product": "BETA",
         "concern": "ex:beta-rmp-hepatic-failure", "concern_label": "Hepatic failure"},
        {"key": "meddra:10019851", "product_count": "2", "product": "BETA",
         "concern": "ex:beta-rmp-liver-injury", "concern_label": "Liver injury"},
    ]),
    ("products-sharing-concern", {}, [
        {"key": "meddra:10019851", "product_count": "2", **ALPHA_HEP},
        {"key": "meddra:10019851", "product_count": "2", "product": "BETA",
         "concern": "ex:beta-rmp-hepatic-failure", "concern_label": "Hepatic failure"},
        {"key": "meddra:10019851", "product_count": "2", "product": "BETA",
         "concern": "ex:beta-rmp-liver-injury", "concern_label": "Liver injury"},
    ]),
]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(FIXTURE, format="turtle")


def _expand(value: str) -> str:
    for prefix, iri in PREFIXES.items():
        if value.startswith(prefix):
            return iri + value[len(prefix):]
    return value


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in rows]


@pytest.mark.parametrize(("name", "params", "expected"), CASES,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)])
def test_every_column(graph: Graph, name: str, params: dict[str, str],
                      expected: list[dict[str, str]]) -> None:
    want = [{k: _expand(v) for k, v in row.items()} for row in expected]
    assert _rows(queries.run(name, graph, **params)) == want
