"""The parts of a document's graph under its concerns: footnotes, tables and their
hygiene (captions, legends, used markers), studies and milestones.

A mixin of `mapping._Mapper`, kept apart so each module reads in one sitting; it
adds triples only through the mapper's helpers (`add`, `text`, `span`).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from rmpgraph.graph.iris import identifier, slug, under
from rmpgraph.graph.namespaces import RMP, vocab
from rmpgraph.parse.milestones import milestone_submitted
from rmpgraph.parse.model import Document, Footnote, Milestone, Study

__all__ = ["PartsMixin"]


class PartsMixin:
    """Footnotes, tables, studies and milestones of `_Mapper`."""

    # provided by _Mapper: g, doc, rmp, product, add(), text(), span(), lineage()
    g: Graph
    doc: Document
    rmp: URIRef
    product: URIRef

    def _footnote(self, f: Footnote) -> URIRef:
        kind = "reference" if f.kind == "reference" else "note"
        node = under(self.rmp, kind, slug(f.text))
        self.g.add(
            (
                node,
                RDF.type,
                RMP.LiteratureReference if kind == "reference" else RMP.Footnote,
            )
        )
        self.text(node, RMP.marker, f.marker)
        self.text(node, RMP.text, f.text)
        if kind == "reference":
            self.text(node, DCTERMS.bibliographicCitation, f.text)
        self.span(node, [f.span])
        return node

    def _cites(self, row: URIRef, refs: list[Footnote]) -> None:
        for f in refs:
            prop = RMP.citesReference if f.kind == "reference" else RMP.hasNote
            self.g.add((row, prop, self._footnote(f)))

    def _table(self, table: URIRef, info) -> None:  # type: ignore[no-untyped-def]
        g = self.g
        for f in info.footnotes:
            g.add((table, RMP.hasFootnote, self._footnote(f)))
        if info.legend is not None:
            legend = under(table, "legend")
            g.add((legend, RDF.type, RMP.AbbreviationLegend))
            g.add((table, RMP.hasAbbreviationLegend, legend))
            self.span(legend, [info.legend.span])
            for a in info.legend.abbreviations:
                ab = under(
                    self.rmp,
                    "abbreviation",
                    slug(a.short)
                    if a.short.lower() == slug(a.short)
                    else slug(a.short) + "-" + slug(a.expansion)[:30],
                )
                g.add((ab, RDF.type, RMP.Abbreviation))
                self.text(ab, RMP.abbreviation, a.short)
                self.text(ab, RMP.expansion, a.expansion)
                self.text(ab, RDFS.label, f"{a.short}: {a.expansion}")
                g.add((legend, RMP.definesAbbreviation, ab))
                self.span(ab, [info.legend.span])
        for token in info.used_abbreviations:
            self.text(table, RMP.usesAbbreviation, token)
        for marker in info.used_markers:
            self.text(table, RMP.usesFootnoteMarker, marker)
        if info.span is not None:
            self.span(table, [info.span])

    # ---- studies ------------------------------------------------------------------
    def _study(self, st: Study) -> None:
        g = self.g
        node = under(self.rmp, "study", st.key)
        g.add((node, RDF.type, RMP.Study))
        self.lineage(node, "study", st.key, RMP.StudyLineage, st.label)
        g.add((self.rmp, RMP.hasStudy, node))
        self.text(node, RDFS.label, st.label)
        self.text(node, DCTERMS.title, st.title)
        self.text(node, DCTERMS.identifier, st.identifier)
        for alt in sorted(set(st.alt_labels) - {st.label}):
            self.text(node, SKOS.altLabel, alt)
        if st.category is not None:
            g.add(
                (
                    node,
                    RMP.studyCategory,
                    URIRef(vocab("pv-category", str(st.category))),
                )
            )
            g.add((node, RMP.categoryStated, Literal(st.category_stated)))
        if st.section:
            g.add((node, RMP.inPlanSection, URIRef(vocab("plan-section", st.section))))
            g.add(
                (
                    node,
                    RMP.isConditionOfMarketingAuthorisation,
                    Literal(st.section == "ii-c-1"),
                )
            )
            g.add((under(self.rmp, "table", st.section), DCTERMS.hasPart, node))
        self.text(node, RMP.studyType, st.study_type)
        if st.design:
            g.add((node, RMP.studyDesign, URIRef(vocab("study-design", st.design))))
        for scheme, number in st.register_ids:
            for triple in identifier(node, scheme, number)[1]:
                g.add(triple)
        for key in st.evaluates:  # only a measure this version names
            measure = under(self.rmp, "measure", key)
            if (measure, RDF.type, RMP.AdditionalRiskMinimisationMeasure) in g:
                g.add((node, RMP.evaluatesEffectivenessOf, measure))
        self.text(node, RMP.objective, st.objective)
        for ident, kind in st.procedures:
            g.add((node, RMP.regulatoryBasis, self._procedure(ident, kind)))
        for basis in st.legal_bases:
            g.add((node, RMP.regulatoryBasis, URIRef(vocab("legal-basis", basis))))
        for key in st.concerns:
            g.add((node, RMP.addressesConcern, under(self.rmp, "concern", key)))
        self.span(node, st.spans)
        seen: dict[str, int] = {}
        for ms in st.milestones:
            seen[ms.kind] = seen.get(ms.kind, 0) + 1
            self._milestone(node, ms, seen[ms.kind])

    def _milestone(self, study: URIRef, ms: Milestone, ordinal: int) -> None:
        """A milestone is its study's n-th milestone of a kind; its due value is data,
        so a corrected date changes a value, not the milestone's identity."""
        g = self.g
        key = ms.kind if ordinal == 1 else f"{ms.kind}-{ordinal}"
        node = under(study, "milestone", key)
        g.add((node, RDF.type, RMP.Milestone))
        g.add((study, RMP.hasMilestone, node))
        self.text(node, RDFS.label, ms.label)
        g.add((node, RMP.milestoneKind, URIRef(vocab("milestone-kind", ms.kind))))
        self.text(node, RMP.dueText, ms.due_text)
        if ms.due is not None:
            self.text(node, RMP.dueGranularity, ms.due.granularity)
            if ms.due.start:
                g.add((node, RMP.dueStart, Literal(ms.due.start, datatype=XSD.date)))
                g.add((node, RMP.dueEnd, Literal(ms.due.end, datatype=XSD.date)))
            if ms.due.offset:
                g.add(
                    (node, RMP.dueOffset, Literal(ms.due.offset, datatype=XSD.duration))
                )
                self.text(node, RMP.dueEvent, ms.due.event)
        g.add((node, RMP.milestoneStatus,
               URIRef(vocab("milestone-status", self._status(ms)))))
        self.span(node, [ms.span, *ms.more_spans])

    def _status(self, ms: Milestone) -> str:
        """Submitted when the text says so; overdue when its due period ended before
        the RMP's own date (late at sign-off); planned otherwise. Overdue as of
        another day is a query's question (`as_of`), not a fact of the document."""
        if milestone_submitted(f"{ms.label} {ms.due_text}"):
            return "submitted"
        day = self.doc.version.date if self.doc.version else None
        if day and ms.due is not None and ms.due.end is not None and ms.due.end < day:
            return "overdue"
        return "planned"
