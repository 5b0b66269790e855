"""Measures as shared nodes of one RMP version, and the per-concern statements of them.

A II.B table names its measures concern by concern, so the same programme (one
patient alert card, one SmPC section 4.4) is mentioned many times. Each measure is
one node per RMP version (`rmp/{h}/measure/{key}`), linked to every concern it
addresses; what the table says about it for one concern is kept on a
`rmp:MeasureStatement` (`rmp/{h}/concern/{c}/routine/{n}`), which qualifies the
`rmp:addressesConcern` link the way PROV's qualified relations do (docs/MODEL.md).

Keys: a routine measure that cites label sections is one node per section
(`smpc-4-4`, `pl-2`); an additional measure that names educational materials is one
node per material (`patient-alert-card`); a measure of a kind a product has once
(legal status, pack size, treatment setting, DHPC, controlled access, pregnancy
prevention programme) is keyed by its kind; anything else by the slug of its text.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from rmpgraph.graph.iris import slug, under
from rmpgraph.graph.namespaces import RMP, vocab
from rmpgraph.parse.model import Concern, Measure
from rmpgraph.paths import VOCAB_DIR

__all__ = ["MeasuresMixin", "measure_keys"]

# kinds a product has one of, whatever the wording (rmpv:measure-kind slugs)
_ONE_PER_KIND = frozenset({
    "legal-status", "pack-size", "treatment-setting", "packaging",
    "dhpc", "controlled-access", "pregnancy-prevention-programme",
    "educational-programme",
})


def measure_keys(m: Measure, routine: bool) -> list[tuple[str, str]]:
    """(key, kind) of the shared measure nodes one mention states, in order."""
    if routine and m.label_sections:
        return [(sec, "label-text") for sec in m.label_sections]
    if not routine and m.materials:
        keys = [(kind, "educational-programme") for kind in m.materials]
        if m.kind in _ONE_PER_KIND and m.kind != "educational-programme":
            keys.append((m.kind, m.kind))  # a programme with its materials
        return keys
    if m.kind in _ONE_PER_KIND:
        return [(m.kind, m.kind)]
    return [(slug(m.text), m.kind)]


class MeasuresMixin:
    """Shared measure nodes and measure statements of `_Mapper`."""

    # provided by _Mapper: g, rmp, product, text(), span(), lineage()
    g: Graph
    rmp: URIRef
    product: URIRef

    def _statements(self, c: Concern, concern: URIRef) -> None:
        for level, measures in (("routine", c.routine), ("additional", c.additional)):
            for n, m in enumerate(measures, start=1):
                self._statement(concern, level, n, m)

    def _statement(self, concern: URIRef, level: str, n: int, m: Measure) -> None:
        g = self.g
        node = under(concern, level, str(n))
        g.add((node, RDF.type, RMP.MeasureStatement))
        g.add((concern, RMP.hasMeasureStatement, node))
        self.text(node, RDFS.label, m.text)
        self.text(node, RMP.text, m.text)
        g.add((node, RMP.position, Literal(n)))
        g.add((node, RMP.measureKind, URIRef(vocab("measure-kind", m.kind))))
        if m.updated:
            g.add((node, RMP.isUpdated, Literal(True)))
        self.text(node, RMP.distributionFrequency, m.frequency)
        self.span(node, [m.span])
        routine = level == "routine"
        for key, kind in measure_keys(m, routine):
            measure = self._shared_measure(key, kind, m, routine)
            g.add((node, RMP.statesMeasure, measure))
            g.add((measure, RMP.addressesConcern, concern))
            if not routine and key in m.materials:  # a material covers it
                g.add((measure, RMP.coversConcern, concern))

    def _shared_measure(self, key: str, kind: str, m: Measure,
                        routine: bool) -> URIRef:
        g = self.g
        node = under(self.rmp, "measure", key)
        if (node, RMP.measureKind, None) in g:
            return node  # the first mention (document order) made and named it
        cls = (RMP.RoutineRiskMinimisationMeasure if routine
               else RMP.AdditionalRiskMinimisationMeasure)
        g.add((node, RDF.type, cls))
        # its provenance: where the document first names it (each statement
        # keeps its own lines)
        self.span(node, [m.span])
        g.add((node, RMP.measureKind, URIRef(vocab("measure-kind", kind))))
        if routine and m.label_sections:
            g.add((node, RMP.citesLabelSection, URIRef(vocab("qrd", key))))
            label = _qrd_label(key)
        elif not routine and m.materials:
            g.add((node, RDF.type, RMP.EducationalMaterial))
            g.add((node, RMP.materialKind, URIRef(vocab("material-kind", key))))
            label = _pref_label("material-kind", key)
        else:
            label = m.text
        self.text(node, RDFS.label, label)
        g.add((self.rmp, RMP.hasMeasure, node))
        self.lineage(node, "measure", key, RMP.MeasureLineage, label)
        return node


@lru_cache(maxsize=8)
def _scheme(scheme: str) -> Graph:
    """One shipped SKOS scheme (ontology/vocab/{scheme}.ttl), parsed once: the
    whole ontology is not needed to name a measure."""
    return Graph().parse(VOCAB_DIR / f"{scheme}.ttl", format="turtle")


def _qrd_label(key: str) -> str:
    """"SmPC 4.4 Special warnings and precautions for use": notation and title of
    the QRD section concept, so a label says which section it is."""
    notation = _scheme("qrd").value(URIRef(vocab("qrd", key)), SKOS.notation)
    title = _pref_label("qrd", key)
    return f"{notation} {title}" if notation is not None else title


def _pref_label(scheme: str, key: str) -> str:
    """English prefLabel of a shipped SKOS concept (labels live in ontology/vocab)."""
    label = _scheme(scheme).value(URIRef(vocab(scheme, key)), SKOS.prefLabel)
    return str(label) if label is not None else key

