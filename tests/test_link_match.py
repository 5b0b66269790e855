"""Matcher rules on the synthetic MedDRA-layout fixture, one test per rule.

Concern names are the LEMTRADA II.A names (data/rmp/lemtrada.txt) or variants of
them; expected terms are the fixture's (tests/fixtures/meddra, invented codes).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from rmpgraph.graph.namespaces import ID, RMP, vocab
from rmpgraph.link.lexicon import key, light_key, load_lexicon
from rmpgraph.link.linker import link_loaded
from rmpgraph.link.match import TermIndex, match_label
from rmpgraph.link.meddra import load_meddra

FIXTURE = Path(__file__).parent / "fixtures" / "meddra"
# The LEMTRADA abbreviation legend under Table 1 (data/rmp/lemtrada.txt).
LEGEND = {"T1DM": "Type 1 Diabetes Mellitus", "GBS": "Guillain-Barre Syndrome",
          "GBM": "Glomerular Basement Membrane", "IAR": "Infusion-Associated Reaction"}


@pytest.fixture(scope="module")
def meddra():
    return load_meddra(FIXTURE)


@pytest.fixture(scope="module")
def index(meddra):
    return TermIndex(meddra, load_lexicon())


def found(index, label, legend=None):
    out = match_label(index, label, legend)
    names = index.meddra.names
    return sorted((names[f.code], f.rule) for f in out.found), out


def test_case_only(index) -> None:
    assert found(index, "THROMBOCYTOPENIA")[0] == [("Thrombocytopenia", "exact")]


def test_punctuation(index) -> None:
    assert found(index, "Infusion-related reaction")[0] == [
        ("Infusion related reaction", "exact")]


def test_british_to_american_spelling_without_an_llt(index) -> None:
    # PT "Pulmonary alveolar haemorrhage" has no American LLT in the fixture
    assert found(index, "Pulmonary alveolar hemorrhage")[0] == [
        ("Pulmonary alveolar haemorrhage", "variant")]


def test_plural(index) -> None:
    assert found(index, "Thyroid disorders")[0] == [("Thyroid disorder", "variant")]


def test_abbreviation_in_brackets_is_dropped(index) -> None:
    assert found(index, "Autoimmune Encephalitis (AIE)")[0] == [
        ("Autoimmune encephalitis", "exact")]


def test_including_clause_in_brackets(index) -> None:
    assert found(index, "Stroke (including haemorrhagic stroke)")[0] == [
        ("Haemorrhagic stroke", "included"), ("Stroke", "head")]


def test_inline_including_clause_with_document_abbreviation(index) -> None:
    assert found(index, "Nephropathies including anti-GBM disease", LEGEND)[0] == [
        ("Anti-glomerular basement membrane disease", "included"),
        ("Nephropathy", "head")]


def test_llt_synonym(index) -> None:
    assert found(index, "Heart attack")[0] == [("Heart attack", "exact")]
    assert index.meddra.llt_pt["95000070"] == "94000070"  # PT Myocardial infarction


def test_non_current_llts_are_ignored(index) -> None:
    names, out = found(index, "Thyroid trouble")  # LLT 95000090, currency N
    assert names == [] and out.unmatched == ["Thyroid trouble"]
    assert found(index, "Infusion reaction")[0] == []  # LLT 95000141, currency N


def test_conjunction(index) -> None:
    assert found(index, "Myocardial infarction and myocardial ischaemia")[0] == [
        ("Myocardial infarction", "conjunct"), ("Myocardial ischaemia", "conjunct")]


def test_narrowing_qualifier(index) -> None:
    assert found(index, "Serious infections")[0] == [("Infection", "qualified")]


def test_group_concern_maps_to_several_terms(index) -> None:
    label = ("Other autoimmune disorders (ie, cytopenias, including severe "
             "neutropenia, myasthenic syndrome, T1DM, GBS, sarcoidosis)")
    names, out = found(index, label, LEGEND)
    assert names == [("Autoimmune disorder", "qualified"), ("Cytopenia", "member"),
                     ("Guillain-Barre syndrome", "member"),
                     ("Myasthenic syndrome", "member"),
                     ("Neutropenia", "qualified-member"), ("Sarcoidosis", "member"),
                     ("Type 1 diabetes mellitus", "member")]
    assert out.unmatched == []


def test_lexicon_abbreviations_when_the_document_has_no_legend(index) -> None:
    assert found(index, "GBS")[0] == [("Guillain-Barre syndrome", "variant")]


def test_unmatched_name_is_reported(index) -> None:
    names, out = found(index, "Dissection of the cervicocephalic arteries")
    assert names == []
    assert out.unmatched == ["Dissection of the cervicocephalic arteries"]


def test_ambiguous_name_is_reported_not_guessed(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    shutil.copytree(FIXTURE, folder)
    with (folder / "llt.asc").open("a") as f:  # same name, another PT
        f.write("95000999$Cytopenia$94000020$$$$$$$Y$$\n")
    index = TermIndex(load_meddra(folder), load_lexicon())
    out = match_label(index, "Cytopenias")
    assert out.found == []
    assert out.ambiguous == [("Cytopenias", ["94000030", "95000999"])]


def test_normal_forms() -> None:
    lex = load_lexicon()
    assert light_key("Adult Onset Still\u2019s Disease") == "adult onset stills disease"
    assert key("Haemorrhagic strokes", lex) == key("hemorrhagic stroke", lex)
    assert key("Diabetes", lex) == "diabetes"  # plural-invariant.txt


# --- whole concerns through link_loaded: status and population rule ---------------

def _graph(concerns: list[tuple[str, str, str]]) -> Graph:
    """A minimal MODEL.md graph: product, RMP, concerns (slug, label, category)."""
    g = Graph()
    product, plan = ID["testprod"], ID["testprod/rmp/000000000000"]
    g.add((product, RDF.type, RMP.MedicinalProduct))
    g.add((product, RMP.hasRiskManagementPlan, plan))
    types = {"important-identified-risk": RMP.ImportantIdentifiedRisk,
             "missing-information": RMP.MissingInformation}
    for slug, label, category in concerns:
        c = ID[f"testprod/concern/{slug}"]
        g.add((plan, RMP.hasSafetyConcern, c))
        g.add((c, RDF.type, types[category]))
        g.add((c, RDFS.label, Literal(label)))
        g.add((c, RMP.concernCategory, URIRef(vocab("concern-category", category))))
    return g


def test_population_missing_information_is_unmapped_with_reason(meddra) -> None:
    g = _graph([("pediatric-use", "Pediatric use", "missing-information"),
                ("elderly", "Use in patients aged >55 years (including use in elderly "
                 "patients aged \u226565 years)", "missing-information"),
                ("race", "Use in racial categories other than white",
                 "missing-information"),
                ("thrombocytopenia", "Thrombocytopenia", "missing-information")])
    result = link_loaded(g, meddra)
    by_label = {o.label: o for o in result.outcomes}
    for label in ("Pediatric use", "Use in racial categories other than white"):
        assert by_label[label].status == "unmapped"
        assert by_label[label].mappings == [] and by_label[label].notes
    # missing information that names an event is still matched
    assert by_label["Thrombocytopenia"].status == "mapped"
    unmapped = URIRef(vocab("mapping-status", "unmapped"))
    assert (ID["testprod/concern/pediatric-use"], RMP.mappingStatus, unmapped) in \
        result.graph


def test_population_words_in_a_risk_are_not_unmapped(meddra) -> None:
    g = _graph([("x", "Use in pregnancy", "important-identified-risk")])
    (outcome,) = link_loaded(g, meddra).outcomes
    assert outcome.status == "review"  # a risk is never waved through as population


def test_every_concern_has_exactly_one_status(meddra) -> None:
    g = _graph([("a", "Thyroid disorders", "important-identified-risk"),
                ("b", "Acquired Haemophilia A", "important-identified-risk"),
                ("c", "Pediatric use", "missing-information")])
    result = link_loaded(g, meddra)
    statuses = {str(o.concern).rsplit("/", 1)[1]: o.status for o in result.outcomes}
    assert statuses == {"a": "mapped", "b": "review", "c": "unmapped"}
    for concern in (ID["testprod/concern/a"], ID["testprod/concern/b"],
                    ID["testprod/concern/c"]):
        assert len(list(result.graph.objects(concern, RMP.mappingStatus))) == 1
    thyroid = URIRef("http://purl.bioontology.org/ontology/MEDDRA/94000090")
    # exactMatch in SSSOM, closeMatch in the graph (exactMatch is transitive)
    assert (ID["testprod/concern/a"], SKOS.closeMatch, thyroid) in result.graph
