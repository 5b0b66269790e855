"""The alignment of the ontology to FHIR R5, IDMP-O and PROV-O
(ontology/alignment/rmp-alignment.ttl): it parses, maps only terms that exist (rmp:
terms in rmp.ttl, rmpv: concepts in vocab/, external terms in the shipped copy of
their vocabulary) and says nothing else about rmp: terms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef

from rmpgraph.paths import ONTOLOGY_DIR

ALIGN_DIR = ONTOLOGY_DIR / "alignment"
ALIGNMENT = ALIGN_DIR / "rmp-alignment.ttl"
RMP = "https://w3id.org/rmpgraph/ontology#"
RMPV = "https://w3id.org/rmpgraph/vocab/"
FHIR = Namespace("http://hl7.org/fhir/")
# which shipped copy holds the terms of which namespace
COPIES = {
    "http://hl7.org/fhir/": "fhir-r5-terms.ttl",
    "https://spec.pistoiaalliance.org/idmp/ontology/": "idmp-o-terms.ttl",
    "http://www.w3.org/ns/prov#": "prov-terms.ttl",
}
MAPPINGS = {SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch,
            SKOS.exactMatch, RDFS.subClassOf, RDFS.subPropertyOf}


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _copy_for(term: URIRef) -> Graph:
    name = next(f for ns, f in COPIES.items() if str(term).startswith(ns))
    return _graph(ALIGN_DIR / "external" / name)


def _mappings(g: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    return [(s, p, o) for s, p, o in g
            if isinstance(s, URIRef) and p in MAPPINGS and isinstance(o, URIRef)]


def _ours(term: URIRef) -> bool:
    return str(term).startswith((RMP, RMPV))


def test_alignment_parses_and_maps_every_target_vocabulary() -> None:
    g = _graph(ALIGNMENT)
    targets = {o for _, _, o in _mappings(g)}
    for ns in COPIES:
        assert any(str(t).startswith(ns) for t in targets), ns
    assert len(_mappings(g)) >= 10


def test_every_mapping_goes_from_an_rmpgraph_term_to_an_external_one() -> None:
    for s, p, o in _mappings(_graph(ALIGNMENT)):
        assert _ours(s) and not _ours(o), (s, p, o)


def test_mapped_rmp_terms_exist_in_the_ontology() -> None:
    core = _graph(ONTOLOGY_DIR / "rmp.ttl")
    declared = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                for s in core.subjects(RDF.type, t)}
    mapped = {s for s, _, _ in _mappings(_graph(ALIGNMENT)) if str(s).startswith(RMP)}
    assert mapped and mapped - declared == set()


def test_mapped_rmpv_concepts_exist_in_the_vocabularies() -> None:
    for s, _, _ in _mappings(_graph(ALIGNMENT)):
        if str(s).startswith(RMPV):
            scheme = str(s)[len(RMPV):].split("/")[0]
            vocab = _graph(ONTOLOGY_DIR / "vocab" / f"{scheme}.ttl")
            assert (s, RDF.type, SKOS.Concept) in vocab, s


def test_external_terms_exist_in_the_shipped_copy_of_their_vocabulary() -> None:
    g = _graph(ALIGNMENT)
    used = {o for _, _, o in _mappings(g)}
    used |= {o for o in g.objects(None, OWL.annotatedTarget)}
    used |= {p for _, p, _ in g if not _ours(p) and str(p).startswith(tuple(COPIES))}
    for term in sorted(used):
        copy = _copy_for(term)
        assert any(copy.triples((term, RDF.type, None))), term
        assert copy.value(term, RDFS.label) is not None, term


@pytest.mark.parametrize("name", sorted(COPIES.values()))
def test_each_copy_names_its_source_and_version(name: str) -> None:
    text = (ALIGN_DIR / "external" / name).read_text("utf-8")
    header = "\n".join(ln for ln in text.splitlines() if ln.startswith("#"))
    assert re.search(r"Source:[^\n]*(?:\n#[^\n]*){0,3}https?://", header), name
    assert re.search(r"\b(?:v?5\.0\.0|20241201|2024-12-01|2013)\b", header), name
    assert "License" in header, name
    assert len(_graph(ALIGN_DIR / "external" / name)) > 0


def test_copies_hold_only_terms_of_their_own_vocabulary() -> None:
    for ns, name in COPIES.items():
        copy = _graph(ALIGN_DIR / "external" / name)
        ontologies = set(copy.subjects(RDF.type, OWL.Ontology))
        subjects = {s for s in copy.subjects()
                    if isinstance(s, URIRef) and s not in ontologies}
        assert subjects and all(str(s).startswith(ns) for s in subjects), name


def test_alignment_says_nothing_else_about_rmp_terms() -> None:
    """Only mapping triples have an rmp: or rmpv: subject; an rmp: term appears as
    an object only as the source of an annotated mapping; nothing is declared."""
    g = _graph(ALIGNMENT)
    for s, p, o in g:
        if isinstance(s, URIRef) and _ours(s):
            assert p in MAPPINGS and isinstance(o, URIRef) and not _ours(o), (s, p, o)
        if isinstance(o, URIRef) and str(o).startswith(RMP):
            assert p == OWL.annotatedSource, (s, p, o)


def test_owl_equivalence_is_not_used() -> None:
    g = _graph(ALIGNMENT)
    assert not list(g.triples((None, OWL.equivalentClass, None)))
    assert not list(g.triples((None, OWL.sameAs, None)))


def test_annotated_axioms_annotate_asserted_mappings() -> None:
    g = _graph(ALIGNMENT)
    axioms = list(g.subjects(RDF.type, OWL.Axiom))
    assert axioms
    for ax in axioms:
        assert isinstance(ax, BNode)
        triple = (g.value(ax, OWL.annotatedSource), g.value(ax, OWL.annotatedProperty),
                  g.value(ax, OWL.annotatedTarget))
        assert triple in g, triple


def test_clinical_use_types_are_codes_of_the_fhir_code_system() -> None:
    """A mapping to ClinicalUseDefinition names its type by a code the shipped
    ClinicalUseDefinitionType code system defines."""
    g = _graph(ALIGNMENT)
    copy = _graph(ALIGN_DIR / "external" / "fhir-r5-terms.ttl")
    system = URIRef("http://hl7.org/fhir/CodeSystem/clinical-use-definition-type")
    codes = {str(copy.value(copy.value(c, FHIR.code), FHIR.v))
             for c in copy.objects(system, FHIR.concept)}
    assert codes == {"indication", "contraindication", "interaction",
                     "undesirable-effect", "warning"}
    for ax in g.subjects(OWL.annotatedTarget, FHIR.ClinicalUseDefinition):
        value = g.value(g.value(ax, FHIR.type), FHIR.v)
        assert isinstance(value, Literal) and str(value) in codes, ax
    targets = [s for s, _, o in _mappings(g) if o == FHIR.ClinicalUseDefinition]
    typed = set(g.objects(None, OWL.annotatedSource))
    assert targets and set(targets) <= typed


def test_prov_subsumptions_are_not_restated() -> None:
    """rmp.ttl already puts these classes under prov:Entity; the alignment adds
    only what rmp.ttl lacks."""
    core = _graph(ONTOLOGY_DIR / "rmp.ttl")
    g = _graph(ALIGNMENT)
    for s, o in g.subject_objects(RDFS.subClassOf):
        assert (s, RDFS.subClassOf, o) not in core, s


def test_ontology_with_the_alignment_has_a_consistent_owl_rl_closure() -> None:
    """Loaded beside the ontology, its schemes and the target copies, the alignment
    makes no class empty and no individual different from itself."""
    import owlrl

    from rmpgraph.graph.ontology import ontology_copy

    g = ontology_copy()
    g.parse(ALIGNMENT, format="turtle")
    for name in COPIES.values():
        g.parse(ALIGN_DIR / "external" / name, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.subjects(RDF.type, OWL.Nothing)) == []
    assert [s for s, o in g.subject_objects(OWL.differentFrom) if s == o] == []
    err = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
    assert list(g.subjects(RDF.type, err.ErrorMessage)) == []
    # the PROV subsumption fires
    assert (URIRef(RMP + "RiskManagementPlan"), RDFS.subClassOf,
            URIRef("http://www.w3.org/ns/prov#Entity")) in g
