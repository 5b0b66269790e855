"""Golden answers of the cohort queries (queries/cohort/) and of the cross-product
stored queries on the ten products of tests/fixtures/docs/ (their DOCX renderings,
which the truth files are the oracle for; the pdftotext .txt readings lose
Quenzali's milestones and part of Pendrava's).

Expected values come from the hand-typed truth files (`<name>.truth.json`), the
hand-written ATC excerpt (tests/fixtures/versions/atc.ttl, restated below as
ATC) and the hand-made MedDRA links of stores.COHORT_MEDDRA; never from a run.
Where the reader disagrees with a truth file the test is a strict xfail naming the
disagreement, so it starts passing (and must be un-marked) when the reader is fixed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fixturemods import fixture_module
from rdflib import Graph

from rmpgraph.queries import stored as queries

ROOT = Path(__file__).resolve().parent.parent
COHORT = ROOT / "queries" / "cohort"
stores = fixture_module("versions/stores.py")

TRUTH = {t["product"]: t for t in (json.loads(p.read_text(encoding="utf-8"))
                                   for p in sorted((ROOT / "tests" / "fixtures"
                                                    / "docs").glob("*.truth.json")))}
# product -> ATC level-5 code, as written in atc.ttl
ATC = {"Ambrelta": "B02BX91", "Pendrava": "B02BX92", "Endravia": "H05AA91",
       "Halvoren": "A06AX91", "Velmoran": "A02BX91", "Ostravel": "L01FX91",
       "Sorvelta": "L04AC91", "Quenzali": "N06AX91", "Tirelza": "J05AX91",
       "Tremivast": "J02AX91", "Vexaltra": "L04AC92", "Corbenta": "L04AF91",
       "Pelitraxan Norvik": "C09CA91", "Orlivanta": "L01EX91", "Tessilor": "L04AF92",
       "Kelvoria": "L04AG91", "Dorvenia": "N03AX91", "Zentrivo": "A16AX91",
       "Brontivia": "L04AC93", "Nerivalta": "B01AF91", "Oxapremid": "C02KX91",
       "Quorvela": "L04AJ91", "Imbrasta": "L01XX91", "Viranova": "J07BB91",
       "Ostelix and Ostelix Kit": "M09AX91", "Calmedra": "A10BX91",
       "Fentrovix": "L01EM91", "Lunavesta": "L01FB91", "Tarvexa": "L04AF93",
       "Soravimab": "L04AC94", "Melquira": "N03AX92", "Cordaxin": "B01AF92",
       "Hemolvar": "L04AJ92", "Pravelta": "D11AH91", "Zelvoran": "L01FX92"}
AS_OF = date(2026, 11, 25)
@pytest.fixture(scope="module")
def graph() -> Graph:
    return stores.cohort_graph()


@pytest.fixture(scope="module")
def store(graph: Graph) -> ox.Store:
    """The cohort graph in an Oxigraph store's default graph."""
    out = ox.Store()
    out.load(graph.serialize(format="nt").encode("utf-8"),
             format=ox.RdfFormat.N_TRIPLES)
    return out


def _ox_rows(result: Any) -> list[dict[str, str]]:
    """An Oxigraph SELECT's solutions as {variable: lexical value}, unbound left out."""
    return [{v.value: s[v.value].value for v in result.variables
             if s[v.value] is not None} for s in result]


def _cohort(name: str) -> queries.StoredQuery:
    return queries.load_query(COHORT / f"{name}.rq")


def _run(graph: Graph, name: str, **params: str) -> list[dict]:
    query = _cohort(name)
    out = queries.execute(query.text, graph, queries.bind_params(query, params),
                          path=query.path)
    return list(out.rows)


def _tail(term: object) -> str:
    return str(term).rsplit("/", 1)[-1]


def _additional(product: str) -> set[str]:
    return {m for c in TRUTH[product]["concerns"] for m in c["additional_measures"]}


# ------------------------------------------------------------------ every cohort query


def test_cohort_queries_have_headers_scope_and_agree_on_engines(graph: Graph,
                                                               store: ox.Store
                                                               ) -> None:
    names = sorted(p.stem for p in COHORT.glob("*.rq"))
    assert names == ["additional-measure-share", "additional-measure-tools",
                     "concerns-per-rmp", "routine-only-concerns",
                     "shared-meddra-concerns", "study-milestone-status"]
    # a store's default graph is the union of its named graphs, where a triple two
    # graphs hold (a product's label in each of its versions) comes twice: every
    # count must be DISTINCT to stay right
    twice = ox.Store()
    for name in ("urn:x-test:a", "urn:x-test:b"):
        twice.load(graph.serialize(format="nt").encode("utf-8"),
                   format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    for name in names:
        query = _cohort(name)
        assert query.title and query.description, name
        assert {"product", "rmp", "version", "versions"} <= {p.name for p in
                                                             query.params}
        params = {"as_of": AS_OF.isoformat()} if name == "study-milestone-status" \
            else {}
        rows = _run(graph, name, **params)
        assert rows, name
        text = queries.values_query(query.text, queries.bind_params(query, params))
        expected = [{k: str(v) for k, v in r.items()} for r in rows]
        for result in (store.query(text),
                       twice.query(text, use_default_graph_as_union=True)):
            assert _ox_rows(result) == expected, name


# ---------------------------------------------------------------------- the answers


def test_additional_measure_share(graph: Graph) -> None:
    rows = _run(graph, "additional-measure-share")
    got = {(str(r["group"]), str(r.get("atc_code", ""))):
           (int(r["products"]), int(r["with_additional"]), int(r["percent"]))
           for r in rows}
    expected: dict[tuple[str, str], list[int]] = {}
    for product in TRUTH:
        for key in (("all", ""), ("ATC level 1", ATC[product][0])):
            counts = expected.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += bool(_additional(product))
    assert got == {k: (n, w, round(100 * w / n)) for k, (n, w) in expected.items()}
    # Halvoren, Pelitraxan Norvik, Viranova, Calmedra and Melquira have none
    assert got[("all", "")][:2] == (35, 30)


def test_routine_only_concerns(graph: Graph) -> None:
    rows = _run(graph, "routine-only-concerns")
    total: Counter[str] = Counter()
    routine: Counter[str] = Counter()
    for t in TRUTH.values():
        for c in t["concerns"]:
            total[c["category"]] += 1
            routine[c["category"]] += not c["additional_measures"]
    assert {_tail(r["category"]): (int(r["concerns"]), int(r["routine_only_concerns"]))
            for r in rows} == {k: (total[k], routine[k]) for k in total}


def test_routine_only_concern_totals(graph: Graph) -> None:
    """The part of the answer the reader gets right today: concerns per category."""
    rows = _run(graph, "routine-only-concerns")
    total = Counter(c["category"] for t in TRUTH.values() for c in t["concerns"])
    assert {_tail(r["category"]): int(r["concerns"]) for r in rows} == dict(total)


def test_additional_measure_tools(graph: Graph) -> None:
    rows = _run(graph, "additional-measure-tools")
    expected = Counter(m for p in TRUTH for m in _additional(p))
    assert {_tail(r["tool"]): int(r["products"]) for r in rows} == dict(expected)
    counts = [int(r["products"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_additional_measure_tools_named_in_the_truth(graph: Graph) -> None:
    """Every tool kind the truth files name, with its number of products."""
    rows = _run(graph, "additional-measure-tools")
    got = {_tail(r["tool"]): int(r["products"]) for r in rows}
    expected = Counter(m for p in TRUTH for m in _additional(p))
    assert {k: got.get(k) for k in expected} == dict(expected)


def _milestone_status(end: str | None, due_text: str = "", status: str = "") -> str:
    # "submitted 15 January 2025", or "Protocol submitted: 12 March 2025" (the
    # truth's `status`)
    if status == "submitted" or re.search(r"\bsubmitted\b", due_text, re.I):
        return "submitted"
    if end is None:
        return "planned"
    day = date.fromisoformat(end)
    if day < AS_OF:
        return "overdue"
    if day <= date(AS_OF.year + 1, AS_OF.month, AS_OF.day):
        return "due within 12 months"
    return "planned"


def _status_counts(products: list[str]) -> dict:
    studies: dict[tuple[str, str], set[tuple[str, str]]] = {}
    milestones: Counter[tuple[str, str]] = Counter()
    for product in products:
        for s in TRUTH[product]["studies"]:
            category = str(s["category"])
            for m in s["milestones"]:
                key = (category, _milestone_status(m["end"], m["due_text"],
                                                   m.get("status", "")))
                studies.setdefault(key, set()).add((product, s["name"]))
                milestones[key] += 1
    return {k: (len(v), milestones[k]) for k, v in studies.items()}


def test_study_milestone_status(graph: Graph) -> None:
    rows = _run(graph, "study-milestone-status", as_of=AS_OF.isoformat())
    assert {(_tail(r["category"]), str(r["status"])):
            (int(r["studies"]), int(r["milestones"])) for r in rows} == \
        _status_counts(list(TRUTH))


@pytest.mark.parametrize("product", sorted(TRUTH))
def test_study_milestone_status_per_product(graph: Graph, product: str) -> None:
    slug = product.lower().replace(" ", "-")  # "Pelitraxan Norvik": a two-word name
    rows = _run(graph, "study-milestone-status", as_of=AS_OF.isoformat(),
                product=f"https://w3id.org/rmpgraph/id/{slug}")
    assert {(_tail(r["category"]), str(r["status"])):
            (int(r["studies"]), int(r["milestones"])) for r in rows} == \
        _status_counts([product])


def test_concerns_per_rmp(graph: Graph) -> None:
    rows = _run(graph, "concerns-per-rmp")
    expected: Counter[tuple[str, int]] = Counter()
    for t in TRUTH.values():
        per = Counter(c["category"] for c in t["concerns"])
        for category in ("important-identified-risk", "important-potential-risk",
                         "missing-information"):
            expected[(category, per[category])] += 1
    assert {(_tail(r["category"]), int(r["concerns"])): int(r["rmps"])
            for r in rows} == dict(expected)


def test_shared_meddra_concerns(graph: Graph) -> None:
    rows = _run(graph, "shared-meddra-concerns")
    products: dict[str, set[str]] = {}
    for (product, _), code in stores.COHORT_MEDDRA.items():
        products.setdefault(code, set()).add(product)
    expected = {code: len(p) for code, p in products.items() if len(p) >= 2}
    assert {_tail(r["pt"]): int(r["products"]) for r in rows} == expected
    assert [int(r["products"]) for r in rows] == sorted(
        (int(r["products"]) for r in rows), reverse=True)
    one = _run(graph, "shared-meddra-concerns",
               product="https://w3id.org/rmpgraph/id/sorvelta")
    assert one == []  # one product shares nothing with itself


# ------------------------------------------------- cross-product stored queries


def _disagreements() -> set[tuple[str, ...]]:
    """(PT, product, identified concern, other product, potential concern, ATC 4)."""
    category = {(p, c["name"]): c["category"] for p, t in TRUTH.items()
                for c in t["concerns"]}
    expected = set()
    for (p1, c1), code1 in stores.COHORT_MEDDRA.items():
        for (p2, c2), code2 in stores.COHORT_MEDDRA.items():
            if code1 == code2 and p1 != p2 \
                    and category[(p1, c1)] == "important-identified-risk" \
                    and category[(p2, c2)] == "important-potential-risk" \
                    and ATC[p1][:5] == ATC[p2][:5]:
                expected.add((code1, p1, c1, p2, c2, ATC[p1][:5]))
    return expected


def _disagreement_facts(rows: list[dict]) -> set[tuple[str, ...]]:
    return {(_tail(r["term"]), str(r["product"]), str(r["concern_label"]),
             str(r["other_product"]), str(r["other_concern_label"]),
             _tail(r["shared_with"])) for r in rows}


def test_risk_category_disagreement(graph: Graph) -> None:
    rows = queries.run("risk-category-disagreement", graph)
    expected = _disagreements()
    assert _disagreement_facts(rows) == expected
    assert {str(r["shared"]) for r in rows} == {"ATC level 4"}
    assert len(expected) == 2  # Ambrelta vs Pendrava: hepatotoxicity, thrombocytopenia


@pytest.mark.parametrize("product", [None, "Ambrelta", "Pendrava", "Sorvelta"])
def test_risk_category_disagreement_both_plans_on_oxigraph(graph: Graph,
                                                           store: ox.Store,
                                                           product: str | None
                                                           ) -> None:
    """The query holds two plans, one kept when a product is given and one over the
    whole corpus (queries/risk-category-disagreement.rq); Oxigraph runs either, with
    the parameter as a constant, and each must give the truth's rows."""
    query = queries.load_queries()["risk-category-disagreement"]
    params = {} if product is None else {
        "product": f"https://w3id.org/rmpgraph/id/{product.lower()}"}
    text = queries.bind_for_engine(query.text, queries.bind_params(query, params))
    rows = _ox_rows(store.query(text))
    expected = {e for e in _disagreements() if product in (None, e[1])}
    assert _disagreement_facts(rows) == expected
    # Ambrelta's identified risks are Pendrava's potential ones; Pendrava (the
    # potential side) and Sorvelta (whose ATC group Vexaltra shares) have none
    assert bool(expected) == (product in (None, "Ambrelta"))
    # and rdflib, with the parameter bound around the query
    assert _disagreement_facts(queries.run("risk-category-disagreement", graph,
                                           **params)) == expected


def test_measures_without_effectiveness_study(graph: Graph) -> None:
    rows = queries.run("measures-without-effectiveness-study", graph)
    # ostravel.txt line 499: OST-PASS-301 is "to evaluate the effectiveness of the
    # HCP guide and the patient alert card"; tirelza.txt lines 236-237: TRZ-PPP-12
    # measures "knowledge of the pregnancy prevention programme"; quenzali.txt lines
    # 296-298: QNZ-DUS-05 is "to assess whether the controlled access programme is
    # followed"; orlivanta.txt lines 243-244: ORV-PASS-201 will "assess whether
    # prescribers follow the requirements of the controlled access programme";
    # tessilor.txt lines 170-172: TSL-DUS-06 describes "how often prescribers hand
    # out the patient alert card"; kelvoria.txt lines 377-378: DLV-PASS-01 is "to
    # evaluate the effectiveness of the patient alert card"; zentrivo.txt lines
    # 461-465: ZTV-DUS-302 is "to evaluate the effectiveness of the healthcare
    # professional guide and the patient alert card"
    # Batches 7 and 8: NRV-DUS-402 is "to evaluate the effectiveness of the
    # prescriber guide and the patient alert card"; OXP-DUS-02 of "the physician's
    # guide and the patient brochure"; QRV-PASS-101 will "assess whether the
    # controlled distribution programme ensures that patients are vaccinated";
    # IMB-PASS-402 will "assess the effectiveness of the guide for healthcare
    # professionals and the patient alert card"
    evaluated = {("Ostravel", "hcp-guide"), ("Ostravel", "patient-alert-card"),
                 ("Nerivalta", "hcp-guide"), ("Nerivalta", "patient-alert-card"),
                 ("Oxapremid", "hcp-guide"), ("Oxapremid", "patient-guide"),
                 ("Quorvela", "controlled-access"),
                 ("Imbrasta", "hcp-guide"), ("Imbrasta", "patient-alert-card"),
                 # batches 9 and 10: AVG-301 will "assess whether the patient alert
                 # card is given to each treated patient"; FTX-SUR-403 will "measure
                 # knowledge of the pregnancy prevention programme … and assess
                 # whether the HCP checklist and the patient card are used as
                 # intended"
                 ("Ostelix and Ostelix Kit", "patient-alert-card"),
                 ("Fentrovix", "pregnancy-prevention-programme"),
                 ("Fentrovix", "hcp-checklist"), ("Fentrovix", "patient-card"),
                 ("Tirelza", "pregnancy-prevention-programme"),
                 ("Quenzali", "controlled-access"), ("Orlivanta", "controlled-access"),
                 ("Tessilor", "patient-alert-card"), ("Kelvoria", "patient-alert-card"),
                 ("Zentrivo", "hcp-guide"), ("Zentrivo", "patient-alert-card"),
                 # batches 11 and 12: TRX-DUS-502 will "evaluate the effectiveness
                 # of the prescriber guide and the patient alert card"; LNV-PASS-402
                 # "of the controlled distribution programme and the patient
                 # reminder card"
                 ("Tarvexa", "hcp-guide"), ("Tarvexa", "patient-alert-card"),
                 ("Lunavesta", "controlled-access"), ("Lunavesta", "patient-card"),
                 # batch 13: CDX-DUS-08 will "evaluate the effectiveness of the
                 # prescriber guide and the patient alert card"; HMV-SUR-102 is a
                 # survey of the HCP guide and the patient alert card
                 ("Cordaxin", "hcp-guide"), ("Cordaxin", "patient-alert-card"),
                 ("Hemolvar", "hcp-guide"), ("Hemolvar", "patient-alert-card"),
                 # batch 14: PRV-DUS-202 and ZLV-DUS-403 assess the guide for
                 # healthcare professionals and the patient alert card
                 ("Pravelta", "hcp-guide"), ("Pravelta", "patient-alert-card"),
                 ("Zelvoran", "hcp-guide"), ("Zelvoran", "patient-alert-card")}
    expected = {(p, m) for p in TRUTH for m in _additional(p)} - evaluated
    assert {(str(r["product"]), _tail(r["kind"])) for r in rows} == expected


def _measure_facts(rows: list[dict[str, str]]) -> set[tuple[str, str, str, str]]:
    """(product, concern, level, what): a routine row's label section as the truth
    writes it ("SmPC 4.4"), an additional row's material (its measure's slug) or
    "None" where the II.B row says there is none (its statement node, whatever the
    words: "None", "Not applicable")."""
    out = set()
    for r in rows:
        if r["level"] == "routine":
            if "label_section" in r:
                doc, _, number = _tail(r["label_section"]).partition("-")
                what = f"{'SmPC' if doc == 'smpc' else doc.upper()} " \
                       + number.replace("-", ".")
                out.add((r["product"], r["concern_label"], "routine", what))
        elif "/none/" in r["measure"]:
            out.add((r["product"], r["concern_label"], "additional", "None"))
        else:
            out.add((r["product"], r["concern_label"], "additional",
                     _tail(r["measure"])))
    return out


def _measures_expected(product: str | None) -> set[tuple[str, str, str, str]]:
    """The truth's measures; "None" for a concern without additional measures where
    the template gives every concern an additional-measures row (II.B of rev2). The
    older template's summary may leave such a concern out (Corbenta: "addressed by
    routine risk minimisation measures only"), so its "None" rows are not compared."""
    out = set()
    for name, truth in TRUTH.items():
        if product not in (None, name):
            continue
        for c in truth["concerns"]:
            out |= {(name, c["name"], "routine", s)
                    for s in c["routine_label_sections"]}
            none = ["None"] if truth["template"] == "rev2" else []
            out |= {(name, c["name"], "additional", m)
                    for m in c["additional_measures"] or none}
    return out


@pytest.mark.parametrize("product", [None, "Ambrelta", "Quenzali", "Tirelza"])
def test_concern_measures_on_oxigraph_and_its_store_plan(graph: Graph, store: ox.Store,
                                                        product: str | None) -> None:
    """concern-measures on Oxigraph, the parameter a constant as a store binds it,
    against the truth's measures; over the whole corpus also the plan the store
    runs then (queries/plans/concern-measures.rq), which must give the same rows;
    and rdflib's rows are Oxigraph's."""
    from rmpgraph.queries.plans import corpus_plan

    query = queries.load_queries()["concern-measures"]
    params = {} if product is None else {
        "product": f"https://w3id.org/rmpgraph/id/{product.lower()}"}
    bindings = queries.bind_params(query, params)
    ox_rows = _ox_rows(store.query(queries.bind_for_engine(query.text, bindings)))
    rev1 = {p for p, t in TRUTH.items() if t["template"] == "rev1"}
    facts = {f for f in _measure_facts(ox_rows) if f[0] not in rev1 or f[3] != "None"}
    assert facts == _measures_expected(product)
    plan = corpus_plan(query.path, bindings)
    assert (plan is None) == (product is not None)
    if plan is not None:
        assert _ox_rows(store.query(queries.bind_for_engine(plan, bindings))) == ox_rows
    rows = queries.run("concern-measures", graph, **params)
    assert [{k: str(v) for k, v in r.items()} for r in rows] == ox_rows
