"""LEMTRADA end to end: build the real text, link it to the synthetic fixture.

Expected values come from data/rmp/lemtrada.txt (23 concerns in II.A: 17 identified,
3 potential, 3 missing information) and from the curated table
data/mappings/lemtrada.sssom.tsv, resolved against tests/fixtures/meddra.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV, SKOS

import rmpgraph
from rmpgraph.graph.namespaces import ID, RMP
from rmpgraph.link import link_meddra
from rmpgraph.link.sssom_io import read_curated
from rmpgraph.paths import DATA_DIR, QUERIES_DIR

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "meddra"
CURATED = DATA_DIR / "mappings" / "lemtrada.sssom.tsv"
MEDDRA = "http://purl.bioontology.org/ontology/MEDDRA/"
POPULATIONS = {"Pediatric use",
               "Use in patients aged >55 years (including use in elderly patients "
               "aged \u226565 years)",
               "Use in racial categories other than white"}


@pytest.fixture(scope="module")
def lemtrada():
    return rmpgraph.build(ROOT / "data" / "rmp" / "lemtrada.txt").graph


@pytest.fixture(scope="module")
def curated(lemtrada):
    return link_meddra(lemtrada, FIXTURE)


@pytest.fixture(scope="module")
def lexical(lemtrada):
    return link_meddra(lemtrada, FIXTURE, mapping_files=[])


def test_every_concern_is_accounted_for(curated, lemtrada) -> None:
    """Links hang on each concern's version-free node (docs/MODEL.md)."""
    concerns = set(lemtrada.objects(None, RMP.hasSafetyConcern))
    assert len(concerns) == 23
    lineages = {lemtrada.value(c, PROV.specializationOf) for c in concerns}
    assert {o.concern for o in curated.outcomes} == lineages
    assert curated.counts() == {"concerns": 23, "mapped": 20, "unmapped": 3,
                                "review": 0, "mappings": 30}
    assert {o.label for o in curated.outcomes if o.status == "unmapped"} == POPULATIONS


def test_curated_table_covers_every_lemtrada_concern(lemtrada) -> None:
    rows = read_curated(CURATED)
    concerns = {str(lemtrada.value(c, PROV.specializationOf))
                for c in lemtrada.objects(None, RMP.hasSafetyConcern)}
    assert {r.subject_id for r in rows} == concerns
    # every row's term resolves in the fixture (else the concern would be "review")
    assert len([r for r in rows if r.object_label]) == 30


def test_group_concern_links(curated) -> None:
    group = ID["lemtrada/concern/other-autoimmune-disorders"]
    names = curated.meddra.names
    got = sorted((p.split("#")[1], names[str(o)[len(MEDDRA):]])
                 for p, o in curated.graph.predicate_objects(group)
                 if str(o).startswith(MEDDRA))
    assert got == [("broadMatch", "Autoimmune disorder"), ("narrowMatch", "Cytopenia"),
                   ("narrowMatch", "Guillain-Barre syndrome"),
                   ("narrowMatch", "Myasthenic syndrome"),
                   ("narrowMatch", "Sarcoidosis"),
                   ("narrowMatch", "Type 1 diabetes mellitus"),
                   ("relatedMatch", "Neutropenia")]


def test_lexical_only_lists_what_it_cannot_match(lexical) -> None:
    review = {o.label for o in lexical.outcomes if o.status == "review"}
    assert review == {"Acquired Haemophilia A",
                      "Dissection of the cervicocephalic arteries",
                      "Infusion Associated Reactions (IARs)"}
    assert {o.label for o in lexical.outcomes if o.status == "unmapped"} == POPULATIONS
    assert lexical.counts()["concerns"] == 23


def test_lexical_and_curated_agree_where_both_link(curated, lexical) -> None:
    """Independent evidence: the lexical rules reach the curated term for the
    concerns whose name is a term name (up to spelling, plural, clauses)."""
    pairs = {}
    for result in (curated, lexical):
        for o in result.outcomes:
            pt = {result.meddra.pt_of(m.code) for m in o.mappings}
            pairs.setdefault(o.label, []).append(pt)
    agree = [label for label, (cur, lex) in pairs.items() if cur and cur == lex]
    assert "Thrombocytopenia" in agree and "Thyroid disorders" in agree
    assert len(agree) >= 12


def test_soc_roll_up_query(curated) -> None:
    query = (QUERIES_DIR / "concerns-by-soc.rq").read_text(encoding="utf-8")
    rows = list(curated.graph.query(query))
    by_concern: dict[str, set[str]] = {}
    for r in rows:
        by_concern.setdefault(str(r.concern_label), set()).add(
            str(r.soc_label) if r.soc_label else "")
    assert len(by_concern) == 23
    assert by_concern["Thrombocytopenia"] == {"Blood and lymphatic system disorders"}
    # multi-axial PT rolls up to its primary SOC only (fixture: PML primary Infections)
    assert by_concern["Progressive multifocal leukoencephalopathy"] == {
        "Infections and infestations"}
    # LLT -> PT -> primary SOC
    assert by_concern["Adult Onset Still\u2019s Disease (AOSD)"] == {
        "Musculoskeletal and connective tissue disorders"}
    for label in POPULATIONS:
        assert by_concern[label] == {""}


def test_linked_terms_are_in_the_output_with_their_ancestors(curated) -> None:
    still = URIRef(MEDDRA + "95000280")  # LLT Adult onset Still's disease
    assert (still, SKOS.broader, URIRef(MEDDRA + "94000280")) in curated.graph
    assert (URIRef(MEDDRA + "94000280"), RMP.primarySoc,
            URIRef(MEDDRA + "91000150")) in curated.graph


def test_input_graph_is_not_modified(lemtrada) -> None:
    before = len(lemtrada)
    link_meddra(lemtrada, FIXTURE)
    assert len(lemtrada) == before
