"""Study facts read from a study's words (rmpgraph/parse/study_facts.py): design,
EU PAS / RWD catalogue numbers, the additional measures whose effectiveness a study
evaluates. Expected values are written by hand from the phrases."""

from __future__ import annotations

import tomllib

import pytest
from rdflib import RDF, SKOS, Graph, URIRef

from rmpgraph.parse.model import Study
from rmpgraph.parse.study_facts import (
    FACTS_FILE,
    describe,
    design_of,
    evaluated_measures,
    register_ids_in,
)
from rmpgraph.paths import VOCAB_DIR

DESIGN = "https://w3id.org/rmpgraph/vocab/study-design"


@pytest.mark.parametrize(("naming", "about", "expected"), [
    # the fixtures' and LEMTRADA's wordings
    (["A non-interventional PASS to investigate drug utilization and safety "
      "monitoring patterns for LEMTRADA (alemtuzumab)", "Drug Utilization Study"], [],
     "drug-utilisation-study"),
    (["A prospective, multicenter, observational cohort study of patients with "
      "relapsing forms of MS"], [], "non-interventional-pass"),
    (["Open-label, rater-blinded, single-arm, before and after efficacy, safety and "
      "tolerability study of alemtuzumab in pediatric patients"], [], "clinical-trial"),
    (["HLV-REG-02 – Pregnancy registry"], [], "pregnancy-registry"),
    (["Registry study OST-REG-07", "Long-term safety of delanoxumab in the European "
      "Myeloma Outcomes Registry", "Registry-based cohort study"], [], "registry"),
    (["SRV-PASS-401 Long-term safety of ilvotamab in psoriasis registries"], [],
     "registry"),
    # pdftotext drops the hyphen of "registry-" at the end of a line
    (["Prospective registrybased cohort study of long-term safety"], [], "registry"),
    # the design after the study type's colon
    (["Non-interventional post-authorisation safety study: international registry "
      "of patients treated with velcomizumab"], [], "registry"),
    (["Osteosarcoma surveillance study: non-interventional PASS linking national "
      "cancer registries"], [], "non-interventional-pass"),
    (["cross-sectional survey of prescribers and patients to measure knowledge of the "
      "pregnancy prevention programme"], [], "survey"),
    (["Interventional study of calmeparatide in adolescents"], [], "clinical-trial"),
    (["Non-interventional cohort study of the hepatic safety of olvafungin"], [],
     "non-interventional-pass"),
    (["Cardiovascular outcomes in the long-term extension of SRV-301"], [],
     "clinical-trial"),
    (["Pregnancy surveillance programme", "Enhanced pharmacovigilance with structured "
      "follow-up questionnaires."], [], "other"),
    # a code is not a word: HLV-PASS-01 names no PASS, TRZ-PPP-12 no programme
    (["HLV-PASS-01"], [], None),
    (["Long-term safety study of esmirtazone nasal spray"], [], None),
    # the naming text wins over the objective ("outside clinical trials")
    (["A non-interventional post-authorisation safety study of delanoxumab"],
     ["patients treated outside clinical trials"], "non-interventional-pass"),
    # the objective is read when the names say nothing
    (["PDR-X-1"], ["A drug utilisation study to describe prescribing"],
     "drug-utilisation-study"),
    (["PDR-X-1"], ["To describe the safety of ulmesiran"], None),
])
def test_design(naming: list[str], about: list[str], expected: str | None) -> None:
    assert design_of(naming, about) == expected


def test_a_title_naming_a_design_wins_over_a_part_in_the_design_field() -> None:
    # pravelta: "Drug utilisation study of …" / "… combined with a cross-sectional
    # survey of prescribers and patients"
    from rmpgraph.parse.model import Study
    from rmpgraph.parse.study_facts import describe

    study = Study("kvx-dus-202", "KVX-DUS-202")
    describe(study, ["KVX-DUS-202", "Drug utilisation study of kevoxa",
                     "Drug utilisation study using health records, combined with a "
                     "cross-sectional survey of prescribers"], [], "", names=2)
    assert study.design == "drug-utilisation-study"


def test_every_design_of_the_data_file_is_a_concept_of_the_scheme() -> None:
    scheme = Graph().parse(VOCAB_DIR / "study-design.ttl")
    concepts = {str(c).rsplit("/", 1)[1]
                for c in scheme.subjects(RDF.type, SKOS.Concept)}
    with FACTS_FILE.open("rb") as fh:
        used = {r["concept"] for r in tomllib.load(fh)["design"]}
    assert used == concepts
    assert (URIRef(f"{DESIGN}/pregnancy-registry"), SKOS.broader,
            URIRef(f"{DESIGN}/registry")) in scheme


@pytest.mark.parametrize(("text", "expected"), [
    ("EU PAS 12345", [("eu-pas", "EUPAS12345")]),
    ("(EUPAS12345)", [("eu-pas", "EUPAS12345")]),
    ("EU PAS Register No: 104321", [("eu-pas", "EUPAS104321")]),
    ("EU PAS Register No. 104321.", [("eu-pas", "EUPAS104321")]),
    ("EU PAS register number EUPAS31862; final report 2027",
     [("eu-pas", "EUPAS31862")]),
    ("eu pas register: 3847", [("eu-pas", "EUPAS3847")]),
    ("Registered in the HMA-EMA Catalogue of RWD studies as EUPAS1000000217.",
     [("rwd-catalogue", "EUPAS1000000217")]),
    ("RWD catalogue number EUPAS108734", [("rwd-catalogue", "EUPAS108734")]),
    ("EU PAS 12345. Also in the real-world data catalogue: EUPAS99887.",
     [("eu-pas", "EUPAS12345"), ("rwd-catalogue", "EUPAS99887")]),
    ("EUPAS12345 and again EU PAS 12345", [("eu-pas", "EUPAS12345")]),
    # not register numbers
    ("EMA/214587/2025", []),
    ("EU PASS 12345", []),
    ("PAS 12345", []),
    ("EUPAS12", []),
])
def test_register_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert register_ids_in(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Survey to evaluate the effectiveness of the HCP educational materials",
     ["educational-programme"]),
    ("A study of the effectiveness of the patient alert card", ["patient-alert-card"]),
    ("To evaluate the effectiveness of the HCP guide and the patient alert card",
     ["hcp-guide", "patient-alert-card"]),
    ("cross-sectional survey of prescribers and patients to measure knowledge of the "
     "pregnancy prevention programme of Tirelza", ["pregnancy-prevention-programme"]),
    ("To assess whether the controlled access programme is followed and to describe "
     "the use of Quenzali in clinical practice.", ["controlled-access"]),
    ("Receipt and understanding of the DHPC among prescribers", ["dhpc"]),
    ("It will also describe how far the controlled distribution programme ensures "
     "that patients are vaccinated before the first dose.", ["controlled-access"]),
    ("Awareness of the patient card and the educational programme",
     ["patient-card"]),
    # a measure named without an evaluation, or an evaluation of no measure
    ("Patients will receive a patient alert card.", []),
    ("To describe adherence to the recommended monitoring", []),
    ("To assess understanding of cardiac risk in guided therapy", []),
    # the clause that evaluates names the measure; another clause's measure is not it
    ("To measure knowledge of the risks; patients also get the HCP guide", []),
    ("TRZ-PPP-12: knowledge survey", []),
])
def test_evaluated_measures(text: str, expected: list[str]) -> None:
    assert evaluated_measures(text) == expected


def test_evaluated_slugs_are_concepts_of_one_scheme_each() -> None:
    """Material-kind and measure-kind slugs never coincide, so a slug names one
    concept."""
    def slugs(scheme: str) -> set[str]:
        g = Graph().parse(VOCAB_DIR / f"{scheme}.ttl")
        return {str(c).rsplit("/", 1)[1] for c in g.subjects(RDF.type, SKOS.Concept)}

    materials, kinds = slugs("material-kind"), slugs("measure-kind")
    assert materials & kinds == set()
    with FACTS_FILE.open("rb") as fh:
        assert set(tomllib.load(fh)["effectiveness"]["measures"]) <= kinds


def test_describe_sets_the_three_fields() -> None:
    st = Study(key="", label="OST-PASS-301")
    describe(st, ["OST-PASS-301", "A non-interventional PASS of delanoxumab"],
             ["To evaluate the effectiveness of the patient alert card."],
             "OST-PASS-301\nEU PAS Register No: EUPAS104321")
    assert st.design == "non-interventional-pass"
    assert st.register_ids == [("eu-pas", "EUPAS104321")]
    assert st.evaluates == ["patient-alert-card"]
