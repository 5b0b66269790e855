"""Golden facts of the shipped LEMTRADA summary, read from the document by hand."""

from __future__ import annotations

from collections import Counter

from graphfacts import concerns, one, tail
from rdflib import URIRef
from rdflib.namespace import PROV, RDF, RDFS

from rmpgraph.graph.namespaces import ID, RMP, vocab


def test_counts_by_category(lemtrada_graph) -> None:  # type: ignore[no-untyped-def]
    g = lemtrada_graph
    got = Counter(tail(one(g, c, RMP.concernCategory)) for c in concerns(g))
    assert got == {
        "important-identified-risk": 17,
        "important-potential-risk": 3,
        "missing-information": 3,
    }


def test_readable_iris(lemtrada_graph) -> None:  # type: ignore[no-untyped-def]
    g = lemtrada_graph
    rmp = f"{ID}lemtrada/rmp/659dc422ff1a"  # 12 hex of the text's SHA-256
    concern = URIRef(f"{rmp}/concern/thrombocytopenia")
    assert (concern, RDF.type, RMP.SafetyConcern) in g
    assert (concern, RMP.concernCategory,
            URIRef(vocab("concern-category", "important-identified-risk"))) in g
    assert (concern, PROV.specializationOf,
            URIRef(f"{ID}lemtrada/concern/thrombocytopenia")) in g
    assert (URIRef(f"{rmp}/study/obs13434"), RDF.type, RMP.Study) in g
    assert (URIRef(f"{rmp}/measure/patient-alert-card"), RDF.type,
            RMP.AdditionalRiskMinimisationMeasure) in g


def test_everything_has_provenance_to_lines(lemtrada_graph) -> None:  # type: ignore[no-untyped-def]
    g = lemtrada_graph
    kinds = [
        RMP.SafetyConcern,
        RMP.MeasureStatement,
        RMP.RoutineRiskMinimisationMeasure,
        RMP.AdditionalRiskMinimisationMeasure,
        RMP.Study,
        RMP.Milestone,
    ]
    for kind in kinds:
        nodes = set(g.subjects(RDF.type, kind))
        assert nodes, kind
        for node in nodes:
            spans = list(g.objects(node, PROV.wasDerivedFrom))
            assert spans, node
            for span in spans:
                start = int(one(g, span, RMP.startLine))
                end = int(one(g, span, RMP.endLine))
                assert 1 <= start <= end <= 1907


def test_labels_on_concerns_measures_studies(lemtrada_graph) -> None:  # type: ignore[no-untyped-def]
    g = lemtrada_graph
    counts = {}
    for kind in (RMP.RoutineRiskMinimisationMeasure,
                 RMP.AdditionalRiskMinimisationMeasure, RMP.Study, RMP.SafetyConcern):
        nodes = set(g.subjects(RDF.type, kind))
        counts[kind.fragment] = len(nodes)
        for node in nodes:
            assert str(one(g, node, RDFS.label) or "").strip(), node
    categories: dict[str, int] = {}
    for c in g.subjects(RDF.type, RMP.SafetyConcern):
        cat = str(one(g, c, RMP.concernCategory)).rsplit("/", 1)[1]
        categories[cat] = categories.get(cat, 0) + 1
    # LEMTRADA's II.A: 17 identified, 3 potential, 3 missing; II.C: 4 studies
    assert categories == {"important-identified-risk": 17,
                          "important-potential-risk": 3, "missing-information": 3}
    assert counts["Study"] == 4
    # the measures its II.B rows name: SmPC 4.2, 4.3, 4.4, 4.7, 4.8, 5.1, 5.2,
    # PL 2, PL 4 and the treatment setting; HCP guide, HCP checklist, patient
    # guide, patient alert card
    assert counts["RoutineRiskMinimisationMeasure"] == 10
    assert counts["AdditionalRiskMinimisationMeasure"] == 4


def test_study_identifiers_and_regulatory_basis(lemtrada_graph) -> None:  # type: ignore[no-untyped-def]
    g = lemtrada_graph
    from rdflib.namespace import DCTERMS

    idents = {
        str(o)
        for s in g.subjects(RDF.type, RMP.Study)
        for o in g.objects(s, DCTERMS.identifier)
    }
    assert idents == {"OBS13434", "EFC13429"}
    proc = URIRef(f"{ID}procedure/emea-h-a-31-1483-c-3718-0028")
    assert (proc, DCTERMS.identifier, None) in g
    basis = {s for s in g.subjects(RMP.regulatoryBasis, proc)}
    assert len(basis) == 2  # both II.C.1 studies follow the Article 20 referral


def test_pah_table_defect_is_recorded(lemtrada_graph) -> None:  # type: ignore[no-untyped-def]
    g = lemtrada_graph
    lines = [
        int(one(g, d, RMP.line))
        for d in g.subjects(RDF.type, RMP.UnresolvedCrossReference)
    ]
    assert lines == [539]


def test_qualifier_from_footnote_marker(lemtrada_graph) -> None:  # type: ignore[no-untyped-def]
    g = lemtrada_graph
    qualified = sorted(
        str(one(g, c, RDFS.label))
        for c in concerns(g)
        if one(g, c, RMP.hasQualifier) is not None
    )
    assert qualified == sorted(
        [
            "Stroke (including haemorrhagic stroke)",
            "Dissection of the cervicocephalic arteries",
            "Myocardial infarction and myocardial ischaemia",
            "Pulmonary alveolar haemorrhage",
            "Thrombocytopenia",
        ]
    )
