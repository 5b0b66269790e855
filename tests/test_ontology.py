"""Checks on the shipped ontology, SKOS schemes and JSON-LD context.

The ontology is a public contract (docs/MODEL.md): these tests make a missing term,
a missing label/definition, a wrong QRD section list or an axiom that makes valid data
inconsistent a test failure. Expected values are written out here, independently of
the Turtle files, so that editing a file cannot silently change what is checked.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import owlrl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from rmpgraph.graph.ontology import (
    load_ontology,
    ontology_copy,
    ontology_files,
    ontology_terms,
)

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = REPO / "ontology"
MODEL_MD = REPO / "docs" / "MODEL.md"
SAMPLE = Path(__file__).resolve().parent / "fixtures" / "ontology_sample.ttl"

RMP = Namespace("https://w3id.org/rmpgraph/ontology#")
VOCAB = "https://w3id.org/rmpgraph/vocab/"
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
ONTOLOGY_IRI = URIRef("https://w3id.org/rmpgraph/ontology")
DCTERMS = Namespace("http://purl.org/dc/terms/")
# a plain Namespace: pytest probes module globals, which rdflib's XSD warns about
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TTL_FILES = sorted(ONTOLOGY_DIR.glob("**/*.ttl"))
VOCAB_FILES = sorted((ONTOLOGY_DIR / "vocab").glob("*.ttl"))


def _core() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "rmp.ttl", format="turtle")


def _declared(graph: Graph, *types: URIRef) -> set[URIRef]:
    return {
        s
        for t in types
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(RMP))
    }


def _has_en(graph: Graph, subject: URIRef, *predicates: URIRef) -> bool:
    return any(
        isinstance(o, Literal) and o.language == "en" and str(o).strip()
        for p in predicates
        for o in graph.objects(subject, p)
    )


def _inconsistencies(graph: Graph) -> list[str]:
    """Problems in an OWL RL closure: owl:Nothing members, x ≠ x, owlrl errors."""
    problems = [f"{s} a owl:Nothing" for s in graph.subjects(RDF.type, OWL.Nothing)]
    problems += [
        f"{s} owl:differentFrom itself"
        for s, o in graph.subject_objects(OWL.differentFrom)
        if s == o
    ]
    problems += [
        str(graph.value(m, ERR.error))
        for m in graph.subjects(RDF.type, ERR.ErrorMessage)
    ]
    return sorted(problems)


def _closure(graph: Graph) -> Graph:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


# --------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    "path", TTL_FILES, ids=[str(p.relative_to(ONTOLOGY_DIR)) for p in TTL_FILES]
)
def test_turtle_file_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0


def test_expected_files_exist() -> None:
    stems = {p.stem for p in VOCAB_FILES}
    assert (ONTOLOGY_DIR / "rmp.ttl").is_file()
    assert stems == {
        "qrd",
        "concern-category",
        "pv-category",
        "measure-kind",
        "material-kind",
        "evidence-source",
        "milestone-kind",
        "summary-row",
        "plan-section",
        "procedure-type",
        "legal-basis",
        "identifier-scheme",
        "mapping-status",
        "template",
        "study-design",
        "value-source",
        "milestone-status",
        "derivation-rule",
    }


# --------------------------------------------------------------------- header


def test_ontology_header() -> None:
    g = _core()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://www.apache.org/licenses/LICENSE-2.0"
    )
    assert _has_en(g, ONTOLOGY_IRI, DCTERMS.title)
    assert _has_en(g, ONTOLOGY_IRI, DCTERMS.description)
    created = g.value(ONTOLOGY_IRI, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == XSD.date
    assert not list(g.objects(None, OWL.imports)), "no owl:imports (offline)"


# --------------------------------------------------------------------- terms

_CORE = _core()
_TERMS = sorted(_declared(_CORE, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty))


@pytest.mark.parametrize("term", _TERMS, ids=[t.fragment for t in _TERMS])
def test_term_has_label_and_definition(term: URIRef) -> None:
    assert _has_en(_CORE, term, RDFS.label), f"{term} lacks rdfs:label@en"
    assert _has_en(_CORE, term, SKOS.definition, RDFS.comment), (
        f"{term} lacks skos:definition@en or rdfs:comment@en"
    )


def test_terms_cite_part_vi_or_gvp() -> None:
    """Definitions say which part of the RMP template / GVP they model."""
    cue = re.compile(r"Part VI|GVP|II\.[ABC]|QRD|source text|Part VI summary")
    uncited = [
        t.fragment
        for t in _TERMS
        if not any(cue.search(str(o)) for o in _CORE.objects(t, SKOS.definition))
    ]
    assert uncited == []


def test_no_term_is_both_object_and_datatype_property() -> None:
    both = _declared(_CORE, OWL.ObjectProperty) & _declared(_CORE, OWL.DatatypeProperty)
    assert both == set()


def _model_terms() -> set[str]:
    return set(re.findall(r"\brmp:([A-Za-z][A-Za-z0-9]*)", MODEL_MD.read_text("utf-8")))


def test_model_md_mentions_many_terms() -> None:
    # guards the regex below: if MODEL.md's notation changed, the check would be empty
    assert len(_model_terms()) > 90


def test_every_model_md_term_is_declared() -> None:
    classes = {t.fragment for t in _declared(_CORE, OWL.Class)}
    props = {
        t.fragment for t in _declared(_CORE, OWL.ObjectProperty, OWL.DatatypeProperty)
    }
    model = _model_terms()
    missing_classes = sorted(t for t in model if t[0].isupper() and t not in classes)
    missing_props = sorted(t for t in model if t[0].islower() and t not in props)
    assert missing_classes == []
    assert missing_props == []


def test_ontology_terms_helper_matches_declarations() -> None:
    expected = _declared(
        _CORE,
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
    )
    assert ontology_terms() == frozenset(expected)
    assert RMP.addressesConcern in ontology_terms()
    assert all(str(t).startswith(str(RMP)) for t in ontology_terms())


SUBCLASSES = [
    (RMP.ImportantIdentifiedRisk, RMP.ImportantRisk),
    (RMP.ImportantPotentialRisk, RMP.ImportantRisk),
    (RMP.ImportantRisk, RMP.SafetyConcern),
    (RMP.MissingInformation, RMP.SafetyConcern),
    (RMP.RoutineRiskMinimisationMeasure, RMP.RiskMinimisationMeasure),
    (RMP.AdditionalRiskMinimisationMeasure, RMP.RiskMinimisationMeasure),
    (RMP.Study, RMP.PharmacovigilanceActivity),
    (RMP.LiteratureReference, RMP.Footnote),
    (RMP.TextSpan, URIRef("http://www.w3.org/ns/prov#Entity")),
    (RMP.SourceDocument, URIRef("http://www.w3.org/ns/prov#Entity")),
    (RMP.LabelSection, SKOS.Concept),
]


@pytest.mark.parametrize("sub,sup", SUBCLASSES, ids=[s.fragment for s, _ in SUBCLASSES])
def test_class_hierarchy(sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in _CORE


def _disjoint_pairs(g: Graph) -> set[frozenset[URIRef]]:
    pairs = {frozenset((a, b)) for a, b in g.subject_objects(OWL.disjointWith)}
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(g, g.value(node, OWL.members)))
        pairs |= {frozenset((a, b)) for a in members for b in members if a != b}
    return pairs


@pytest.mark.parametrize(
    "a,b",
    [
        (RMP.ImportantIdentifiedRisk, RMP.ImportantPotentialRisk),
        (RMP.ImportantIdentifiedRisk, RMP.MissingInformation),
        (RMP.ImportantPotentialRisk, RMP.MissingInformation),
        (RMP.RoutineRiskMinimisationMeasure, RMP.AdditionalRiskMinimisationMeasure),
        (RMP.MedicinalProduct, RMP.RiskManagementPlan),
        (RMP.SafetyConcern, RMP.RiskMinimisationMeasure),
        (RMP.SafetyConcern, RMP.PharmacovigilanceActivity),
        (RMP.RiskMinimisationMeasure, RMP.PharmacovigilanceActivity),
        (RMP.MedicinalProduct, RMP.SafetyConcern),
    ],
)
def test_disjointness(a: URIRef, b: URIRef) -> None:
    assert frozenset((a, b)) in _disjoint_pairs(_CORE)


@pytest.mark.parametrize(
    "prop,inverse",
    [
        (RMP.addressesConcern, RMP.isAddressedBy),
        (RMP.hasRiskManagementPlan, RMP.forProduct),
        (RMP.hasSafetyConcern, RMP.isSafetyConcernOf),
    ],
)
def test_inverse_pairs(prop: URIRef, inverse: URIRef) -> None:
    assert (prop, OWL.inverseOf, inverse) in _CORE or (
        inverse,
        OWL.inverseOf,
        prop,
    ) in _CORE


@pytest.mark.parametrize(
    "prop", [RMP.startLine, RMP.endLine, RMP.dueStart, RMP.dueEnd, RMP.sha256]
)
def test_functional_properties(prop: URIRef) -> None:
    assert (prop, RDF.type, OWL.FunctionalProperty) in _CORE


OBJECT_PROPERTIES = [
    "addressesConcern",
    "isAddressedBy",
    "hasRiskManagementPlan",
    "forProduct",
    "hasSafetyConcern",
    "isSafetyConcernOf",
    "concernCategory",
    "citesLabelSection",
    "usesMaterial",
    "coversConcern",
    "hasMilestone",
    "studyCategory",
    "inPlanSection",
    "regulatoryBasis",
    "measureKind",
    "materialKind",
    "milestoneKind",
    "noneFor",
    "evidenceSource",
    "hasEvidence",
    "hasRiskFactors",
    "hasRiskFactor",
    "hasListing",
    "hasSummary",
    "hasQualifier",
    "hasNote",
    "hasFootnote",
    "hasAbbreviationLegend",
    "definesAbbreviation",
    "hasStudy",
    "hasTable",
    "hasParseIssue",
    "hasSourceDefect",
    "hasNoneStatement",
    "hasActiveSubstance",
    "hasIndication",
    "hasPatientGroup",
    "hasRegulatoryProcedure",
    "procedureType",
    "eparPage",
    "citesReference",
    "sharedMeddraConcept",
]
# Datatypes of typed literal properties (MODEL.md). Integer and boolean are in the
# OWL 2 datatype map and stated as rdfs:range; date and duration are not (a range
# would take the ontology out of OWL 2 DL), so only the JSON-LD context carries them.
LITERAL_TYPES = {
    "startLine": XSD.integer,
    "endLine": XSD.integer,
    "startPage": XSD.integer,
    "endPage": XSD.integer,
    "line": XSD.integer,
    "lineCount": XSD.integer,
    "position": XSD.integer,
    "isUpdated": XSD.boolean,
    "categoryStated": XSD.boolean,
    "isConditionOfMarketingAuthorisation": XSD.boolean,
    "dueStart": XSD.date,
    "dueEnd": XSD.date,
    "dueOffset": XSD.duration,
    "isCurrent": XSD.boolean,
    "versionDate": XSD.date,
    "hasAdditionalMeasure": XSD.boolean,
    "hasAdditionalPharmacovigilance": XSD.boolean,
    "studyCount": XSD.integer,
    "earliestDue": XSD.date,
    "latestDue": XSD.date,
    "productCount": XSD.integer,
}
OWL2_DATATYPES = {XSD.integer, XSD.boolean, XSD.string, XSD.anyURI, XSD.dateTime}
UNTYPED_DATATYPE_PROPERTIES = [
    "text",
    "routeText",
    "pharmaceuticalFormText",
    "expandedLabel",
    "abbreviation",
    "normalisedName",
    "tableNumber",
    "distributionFrequency",
    "studyType",
    "objective",
    "dueText",
    "dueGranularity",
    "dueEvent",
    "marker",
    "expansion",
    "usesAbbreviation",
    "usesFootnoteMarker",
    "reason",
    "encoding",
    "fileName",
    "sha256",
    "sharedName",
]


@pytest.mark.parametrize("name", OBJECT_PROPERTIES)
def test_object_property(name: str) -> None:
    assert (RMP[name], RDF.type, OWL.ObjectProperty) in _CORE


@pytest.mark.parametrize("name", UNTYPED_DATATYPE_PROPERTIES)
def test_datatype_property(name: str) -> None:
    assert (RMP[name], RDF.type, OWL.DatatypeProperty) in _CORE


@pytest.mark.parametrize("name,datatype", sorted(LITERAL_TYPES.items()))
def test_typed_datatype_property(name: str, datatype: URIRef) -> None:
    assert (RMP[name], RDF.type, OWL.DatatypeProperty) in _CORE
    expected_range = datatype if datatype in OWL2_DATATYPES else None
    assert _CORE.value(RMP[name], RDFS.range) == expected_range


def test_datatype_ranges_stay_in_owl2_datatype_map() -> None:
    ranges = {
        _CORE.value(p, RDFS.range) for p in _declared(_CORE, OWL.DatatypeProperty)
    }
    assert ranges - {None} <= OWL2_DATATYPES


@pytest.mark.parametrize(
    "name", ["text", "concernCategory", "position", "abbreviation", "hasNoneStatement"]
)
def test_shared_properties_have_no_domain(name: str) -> None:
    """Used on several classes: a domain would mistype valid data."""
    assert _CORE.value(RMP[name], RDFS.domain) is None


def test_addresses_concern_domain_is_union() -> None:
    domain = _CORE.value(RMP.addressesConcern, RDFS.domain)
    members = set(Collection(_CORE, _CORE.value(domain, OWL.unionOf)))
    assert members == {RMP.RiskMinimisationMeasure, RMP.PharmacovigilanceActivity}
    assert _CORE.value(RMP.addressesConcern, RDFS.range) == RMP.SafetyConcern


def test_covers_concern_chain() -> None:
    chain = _CORE.value(RMP.coversConcern, OWL.propertyChainAxiom)
    first, second = list(Collection(_CORE, chain))
    assert isinstance(first, BNode)
    assert _CORE.value(first, OWL.inverseOf) == RMP.usesMaterial
    assert second == RMP.addressesConcern


def test_reused_vocabularies_are_not_redefined() -> None:
    """prov:/dcterms:/skos: terms are reused; at most declared, never given axioms."""
    foreign = ("http://www.w3.org/ns/prov#", str(DCTERMS), str(SKOS))
    redefined = sorted(
        {
            str(s)
            for s, p, _ in _CORE
            if isinstance(s, URIRef) and str(s).startswith(foreign) and p != RDF.type
        }
    )
    assert redefined == []


# --------------------------------------------------------------------- SKOS


def _scheme_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.mark.parametrize("path", VOCAB_FILES, ids=[p.stem for p in VOCAB_FILES])
def test_scheme_concepts(path: Path) -> None:
    g = _scheme_graph(path)
    scheme = URIRef(VOCAB + path.stem)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert _has_en(g, scheme, SKOS.prefLabel)
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert concepts, "scheme has no concepts"
    for concept in concepts:
        assert str(concept).startswith(f"{scheme}/"), concept
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(concept)[len(scheme) + 1 :])
        assert list(g.objects(concept, SKOS.inScheme)) == [scheme], concept
        labels = [o for o in g.objects(concept, SKOS.prefLabel) if o.language == "en"]
        assert len(labels) == 1, concept
        assert _has_en(g, concept, SKOS.definition), concept
        broader = list(g.objects(concept, SKOS.broader))
        top = (concept, SKOS.topConceptOf, scheme) in g
        assert top != bool(broader), f"{concept}: exactly one of top/broader"
        assert all(b in concepts for b in broader), concept
        assert top == ((scheme, SKOS.hasTopConcept, concept) in g), concept


def test_model_md_schemes_are_shipped() -> None:
    text = MODEL_MD.read_text("utf-8")
    tail = text[text.index("## SKOS schemes") :]
    listed = set(re.findall(r"`rmpv:([a-z-]+)`", tail))
    assert listed == {p.stem for p in VOCAB_FILES}


def test_model_md_concept_slugs_exist() -> None:
    """Every `rmpv:<scheme>/<slug>` or `rmpv:<scheme>/{a|b}` in MODEL.md is shipped."""
    text = MODEL_MD.read_text("utf-8")
    vocab = load_ontology()
    expected: set[str] = set()
    for scheme, slugs in re.findall(r"rmpv:([a-z-]+)/(\{[^}]*\}|[a-z0-9-]+)", text):
        for slug in slugs.strip("{}").split("|"):
            expected.add(f"{VOCAB}{scheme}/{slug}")
    assert len(expected) > 30
    missing = sorted(
        iri for iri in expected if (URIRef(iri), RDF.type, SKOS.Concept) not in vocab
    )
    assert missing == []


# The QRD section titles, written out independently of vocab/qrd.ttl.
SMPC_SECTIONS = {
    "1": "Name of the medicinal product",
    "2": "Qualitative and quantitative composition",
    "3": "Pharmaceutical form",
    "4": "Clinical particulars",
    "4.1": "Therapeutic indications",
    "4.2": "Posology and method of administration",
    "4.3": "Contraindications",
    "4.4": "Special warnings and precautions for use",
    "4.5": "Interaction with other medicinal products and other forms of interaction",
    "4.6": "Fertility, pregnancy and lactation",
    "4.7": "Effects on ability to drive and use machines",
    "4.8": "Undesirable effects",
    "4.9": "Overdose",
    "5": "Pharmacological properties",
    "5.1": "Pharmacodynamic properties",
    "5.2": "Pharmacokinetic properties",
    "5.3": "Preclinical safety data",
    "6": "Pharmaceutical particulars",
    "6.1": "List of excipients",
    "6.2": "Incompatibilities",
    "6.3": "Shelf life",
    "6.4": "Special precautions for storage",
    "6.5": "Nature and contents of container",
    "6.6": "Special precautions for disposal and other handling",
    "7": "Marketing authorisation holder",
    "8": "Marketing authorisation number(s)",
    "9": "Date of first authorisation/renewal of the authorisation",
    "10": "Date of revision of the text",
}
PL_SECTIONS = {
    "1": "What X is and what it is used for",
    "2": "What you need to know before you take/use X",
    "3": "How to take/use X",
    "4": "Possible side effects",
    "5": "How to store X",
    "6": "Contents of the pack and other information",
}
QRD = Namespace(VOCAB + "qrd/")
_QRD_GRAPH = _scheme_graph(ONTOLOGY_DIR / "vocab" / "qrd.ttl")


def test_qrd_section_counts() -> None:
    g = _QRD_GRAPH
    sections = set(g.subjects(RDF.type, RMP.LabelSection))
    smpc_top = set(g.subjects(SKOS.broader, QRD.smpc))
    smpc_sub = {s for parent in smpc_top for s in g.subjects(SKOS.broader, parent)}
    pl = set(g.subjects(SKOS.broader, QRD.pl))
    assert len(smpc_top) == 10
    assert len(smpc_sub) == 9 + 3 + 6
    assert len(pl) == 6
    assert sections == smpc_top | smpc_sub | pl
    assert len(sections) == 34
    assert len(SMPC_SECTIONS) == 28 and len(PL_SECTIONS) == 6


@pytest.mark.parametrize(
    "doc,number,title",
    [("smpc", n, t) for n, t in SMPC_SECTIONS.items()]
    + [("pl", n, t) for n, t in PL_SECTIONS.items()],
)
def test_qrd_section(doc: str, number: str, title: str) -> None:
    g = _QRD_GRAPH
    concept = QRD[f"{doc}-{number.replace('.', '-')}"]
    assert (concept, RDF.type, RMP.LabelSection) in g
    assert (concept, RDF.type, SKOS.Concept) in g
    assert g.value(concept, SKOS.prefLabel) == Literal(title, lang="en")
    prefix = "SmPC" if doc == "smpc" else "PL"
    assert g.value(concept, SKOS.notation) == Literal(f"{prefix} {number}")
    parent = QRD[f"{doc}-{number.split('.')[0]}"] if "." in number else QRD[doc]
    assert g.value(concept, SKOS.broader) == parent


def test_qrd_roots_are_not_label_sections() -> None:
    g = _QRD_GRAPH
    for root in (QRD.smpc, QRD.pl):
        assert (root, SKOS.topConceptOf, URIRef(VOCAB + "qrd")) in g
        assert (root, RDF.type, RMP.LabelSection) not in g
    assert g.value(URIRef(VOCAB + "qrd"), DCTERMS.source) is not None


def test_qrd_chain_smpc_4_4() -> None:
    g = _QRD_GRAPH
    chain = [QRD["smpc-4-4"]]
    while (parent := g.value(chain[-1], SKOS.broader)) is not None:
        chain.append(parent)
    assert chain == [QRD["smpc-4-4"], QRD["smpc-4"], QRD.smpc]


@pytest.mark.parametrize(
    "scheme,slugs",
    [
        ("pv-category", {"1", "2", "3"}),
        (
            "concern-category",
            {
                "important-identified-risk",
                "important-potential-risk",
                "missing-information",
            },
        ),
        ("plan-section", {"ii-c-1", "ii-c-2"}),
        (
            "summary-row",
            {
                "evidence",
                "risk-factors",
                "routine-rmm",
                "additional-rmm",
                "additional-pv",
            },
        ),
    ],
)
def test_closed_schemes(scheme: str, slugs: set[str]) -> None:
    g = _scheme_graph(ONTOLOGY_DIR / "vocab" / f"{scheme}.ttl")
    found = {str(c).rsplit("/", 1)[1] for c in g.subjects(RDF.type, SKOS.Concept)}
    assert found == slugs


def test_spontaneous_reports_is_post_marketing() -> None:
    ev = Namespace(VOCAB + "evidence-source/")
    assert (ev["spontaneous-reports"], SKOS.broader, ev["post-marketing"]) in (
        load_ontology()
    )


# --------------------------------------------------------------------- loader


def test_load_ontology_is_cached_and_merged() -> None:
    first = load_ontology()
    assert load_ontology() is first
    assert (RMP.SafetyConcern, RDF.type, OWL.Class) in first
    assert (QRD["smpc-4-4"], RDF.type, RMP.LabelSection) in first
    assert len(first) == sum(len(Graph().parse(p)) for p in ontology_files())


def test_ontology_copy_is_independent() -> None:
    copy = ontology_copy()
    assert copy is not load_ontology()
    size = len(load_ontology())
    copy.add((RMP.Scratch, RDF.type, OWL.Class))
    assert len(load_ontology()) == size
    assert (RMP.Scratch, RDF.type, OWL.Class) not in load_ontology()


# --------------------------------------------------------------------- OWL RL


def test_owlrl_closure_of_ontology_is_consistent() -> None:
    assert _inconsistencies(_closure(ontology_copy())) == []


def test_owlrl_closure_of_sample_data_is_consistent() -> None:
    graph = ontology_copy()
    graph.parse(SAMPLE, format="turtle")
    closed = _closure(graph)
    assert _inconsistencies(closed) == []
    concern = URIRef("https://w3id.org/rmpgraph/id/examplumab/concern/stroke")
    material = URIRef("https://w3id.org/rmpgraph/id/examplumab/material/hcp-guide")
    study = URIRef("https://w3id.org/rmpgraph/id/examplumab/study/obs00001")
    # the property chain and the class hierarchy fire
    assert (material, RMP.coversConcern, concern) in closed
    assert (concern, RMP.isAddressedBy, study) in closed
    assert (concern, RDF.type, RMP.SafetyConcern) in closed
    assert (study, RDF.type, RMP.PharmacovigilanceActivity) in closed


def test_sample_uses_only_declared_terms() -> None:
    sample = Graph().parse(SAMPLE, format="turtle")
    used = {
        t
        for triple in sample
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(RMP))
    }
    assert used - ontology_terms() == set()
    concepts = {
        o
        for o in sample.objects()
        if isinstance(o, URIRef) and str(o).startswith(VOCAB)
    }
    vocab = load_ontology()
    assert {c for c in concepts if (c, RDF.type, SKOS.Concept) not in vocab} == set()


@pytest.mark.parametrize(
    "bad",
    [
        "<urn:x> a rmp:ImportantIdentifiedRisk , rmp:MissingInformation .",
        "<urn:x> a rmp:RoutineRiskMinimisationMeasure ,"
        " rmp:AdditionalRiskMinimisationMeasure .",
        "<urn:x> a rmp:Study ; rmp:hasSafetyConcern <urn:y> .",
        "<urn:m> rmp:addressesConcern <urn:x> . <urn:x> a rmp:Study .",
    ],
)
def test_consistency_check_detects_clashes(bad: str) -> None:
    """The check above must be able to fail: planted clashes are reported."""
    graph = ontology_copy()
    graph.parse(data=f"@prefix rmp: <{RMP}> .\n{bad}", format="turtle")
    assert _inconsistencies(_closure(graph)) != []


# --------------------------------------------------------------------- JSON-LD


def _context() -> dict:
    return json.loads((ONTOLOGY_DIR / "context.jsonld").read_text("utf-8"))["@context"]


def test_context_is_valid_json_with_prefixes() -> None:
    ctx = _context()
    assert ctx["@version"] == 1.1
    assert ctx["rmp"] == str(RMP)
    assert ctx["rmpv"] == VOCAB
    assert ctx["id"] == "https://w3id.org/rmpgraph/id/"
    for prefix in ("prov", "dcterms", "skos", "rdfs", "xsd", "owl"):
        assert ctx[prefix].startswith("http"), prefix


def test_context_covers_every_property_with_its_type() -> None:
    ctx = _context()
    for prop in _declared(_CORE, OWL.ObjectProperty):
        assert ctx[prop.fragment] == {"@id": f"rmp:{prop.fragment}", "@type": "@id"}
    for prop in _declared(_CORE, OWL.DatatypeProperty):
        term = ctx[prop.fragment]
        datatype = LITERAL_TYPES.get(prop.fragment)
        assert _CORE.value(prop, RDFS.range) in (None, datatype), prop
        if datatype is None:
            assert term == f"rmp:{prop.fragment}"
        else:
            assert term == {
                "@id": f"rmp:{prop.fragment}",
                "@type": "xsd:" + str(datatype).removeprefix(str(XSD)),
            }
    for cls in _declared(_CORE, OWL.Class):
        assert ctx[cls.fragment] == f"rmp:{cls.fragment}"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_context_parses_json_ld_offline(no_network: None) -> None:
    doc = {
        "@context": _context(),
        "@id": "id:examplumab/rmp/0123456789ab/source/L3-L4",
        "@type": "TextSpan",
        "startLine": "3",
        "endLine": "4",
        "isPartOf": "id:examplumab/rmp/0123456789ab/source",
        "value": "two lines",
        "wasDerivedFrom": "id:examplumab/rmp/0123456789ab/source",
    }
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    span = URIRef(
        "https://w3id.org/rmpgraph/id/examplumab/rmp/0123456789ab/source/L3-L4"
    )
    source = URIRef("https://w3id.org/rmpgraph/id/examplumab/rmp/0123456789ab/source")
    assert (span, RDF.type, RMP.TextSpan) in g
    assert (span, RMP.startLine, Literal("3", datatype=XSD.integer)) in g
    assert (span, DCTERMS.isPartOf, source) in g
    assert (span, URIRef("http://www.w3.org/ns/prov#value"), Literal("two lines")) in g
    assert len(g) == 6


def test_context_terms_used_when_serialising(no_network: None) -> None:
    sample = Graph().parse(SAMPLE, format="turtle")
    text = sample.serialize(format="json-ld", context=_context())
    nodes = json.loads(text)["@graph"]
    study_iri = "https://w3id.org/rmpgraph/id/examplumab/study/obs00001"
    study = next(n for n in nodes if n["@id"].endswith("examplumab/study/obs00001"))
    assert study["@type"] == "Study"
    assert {"label", "studyCategory", "hasMilestone", "addressesConcern"} <= set(study)
    back = Graph().parse(data=text, format="json-ld")
    assert len(back) == len(sample)
    assert (URIRef(study_iri), RMP.categoryStated, Literal(True)) in back


def test_context_compacts_iris_with_pyld(no_network: None) -> None:
    """A full JSON-LD 1.1 processor turns IRIs into `id:`/`rmpv:` compact IRIs."""
    jsonld = pytest.importorskip("pyld.jsonld")
    sample = Graph().parse(SAMPLE, format="turtle")
    expanded = json.loads(sample.serialize(format="json-ld"))
    compacted = jsonld.compact(expanded, {"@context": _context()})
    study = next(
        n for n in compacted["@graph"] if n["@id"] == "id:examplumab/study/obs00001"
    )
    assert study["@type"] == "Study"
    assert study["studyCategory"] == "rmpv:pv-category/3"
    assert study["categoryStated"] is True
