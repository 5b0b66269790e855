"""Read facts back out of a built graph by plain traversal (no stored queries), so
golden tests compare the graph with hand-written expectations independently of the
query layer."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from rmpgraph.graph.namespaces import RMP


def tail(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1]


def section_name(iri: object) -> str:
    slug = tail(iri)
    doc, _, num = slug.partition("-")
    return ("SmPC " if doc == "smpc" else "PL ") + num.replace("-", ".")


def one(g: Graph, s: object, p: URIRef) -> Any:
    values = sorted(g.objects(s, p), key=str)
    return values[0] if values else None


def concerns(g: Graph) -> list[URIRef]:
    found = set(g.subjects(RDF.type, RMP.SafetyConcern))

    def order(c: URIRef) -> tuple[int, str]:
        listing = one(g, c, RMP.hasListing)
        pos = one(g, listing, RMP.position) if listing else None
        return (int(pos) if pos is not None else 10_000, str(c))

    return sorted(found, key=order)


def concern_facts(g: Graph, c: URIRef) -> dict[str, Any]:
    measures = list(g.subjects(RMP.addressesConcern, c))
    routine = [
        m for m in measures if (m, RDF.type, RMP.RoutineRiskMinimisationMeasure) in g
    ]
    additional = [
        m for m in measures if (m, RDF.type, RMP.AdditionalRiskMinimisationMeasure) in g
    ]
    studies = [m for m in measures if (m, RDF.type, RMP.Study) in g]
    add: set[str] = set()
    for m in additional:  # one node per material or programme (docs/MODEL.md)
        if (m, RDF.type, RMP.EducationalMaterial) in g:
            add.add(tail(one(g, m, RMP.materialKind)))
            continue
        kind = tail(one(g, m, RMP.measureKind))
        if kind not in ("educational-programme", "other-additional"):
            add.add(kind)
    qualifier = one(g, c, RMP.hasQualifier)
    return {
        "name": str(one(g, c, RDFS.label)),
        "category": tail(one(g, c, RMP.concernCategory)),
        "qualifier": str(one(g, qualifier, RMP.text)) if qualifier else None,
        "routine_label_sections": sorted(
            {
                section_name(s)
                for m in routine
                for s in g.objects(m, RMP.citesLabelSection)
            }
        ),
        "additional_measures": sorted(add),
        "studies": sorted(str(one(g, s, RDFS.label)) for s in studies),
    }


def study_facts(g: Graph) -> dict[str, dict[str, Any]]:
    out = {}
    for s in g.subjects(RDF.type, RMP.Study):
        cat = one(g, s, RMP.studyCategory)
        section = one(g, s, RMP.inPlanSection)
        milestones = []
        for m in g.objects(s, RMP.hasMilestone):
            start, end = one(g, m, RMP.dueStart), one(g, m, RMP.dueEnd)
            milestones.append(
                {
                    "kind": tail(one(g, m, RMP.milestoneKind)),
                    "due_text": str(one(g, m, RMP.dueText)),
                    "start": str(start) if start is not None else None,
                    "end": str(end) if end is not None else None,
                }
            )
        ident = one(g, s, DCTERMS.identifier)
        out[str(one(g, s, RDFS.label))] = {
            "identifier": str(ident) if ident is not None else None,
            "section": tail(section) if section is not None else "none",
            "category": int(tail(cat)) if cat is not None else None,
            "milestones": sorted(milestones, key=lambda x: (x["kind"], x["due_text"])),
        }
    return out
