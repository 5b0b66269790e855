"""Stage 4, map to RDF: `model.Document` -> rdflib Graph, following docs/MODEL.md.

The only module that adds triples for a document. IRIs come from `iris`, so they are
readable and a pure function of the content; no blank nodes, so the output diffs
cleanly between runs and versions.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from rmpgraph.graph.iris import product_iri, slug, under
from rmpgraph.graph.mapping_measures import MeasuresMixin
from rmpgraph.graph.mapping_parts import PartsMixin
from rmpgraph.graph.namespaces import ID, RMP, vocab
from rmpgraph.parse.model import (
    Category,
    Concern,
    Document,
    Span,
)
from rmpgraph.parse.read import SourceText

__all__ = ["to_graph"]

class _Mapper(PartsMixin, MeasuresMixin):
    def __init__(self, doc: Document, source: SourceText) -> None:
        self.g = Graph()
        self.doc = doc
        self.source = source
        self.product = product_iri(doc.product.name)
        self.rmp = under(self.product, "rmp", source.sha256[:12])
        self.src = under(self.rmp, "source")

    # ---- helpers ----------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        if o is None:
            return
        if not isinstance(o, (URIRef, Literal)):
            o = Literal(o)
        self.g.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value:
            self.g.add((s, p, Literal(value)))

    def lineage(self, node: URIRef, kind: str, key: str, cls: URIRef,
                label: str | None) -> URIRef:
        """The version-free node (`{product}/{kind}/{key}`) that `node`, this RMP
        version's concern, study or measure, is a specialisation of: what ties one
        concern's statements across the product's RMP versions."""
        general = under(self.product, kind, key)
        self.g.add((general, RDF.type, cls))
        self.text(general, RDFS.label, label)
        self.g.add((node, PROV.specializationOf, general))
        return general

    def span(self, node: URIRef, spans: Iterable[Span | None]) -> None:
        for sp in sorted({x for x in spans if x is not None}):
            iri = under(self.src, f"L{sp.start}-L{sp.end}")
            if (iri, RDF.type, RMP.TextSpan) not in self.g:
                self.g.add((iri, RDF.type, RMP.TextSpan))
                self.g.add((iri, RMP.startLine, Literal(sp.start)))
                self.g.add((iri, RMP.endLine, Literal(sp.end)))
                pages = [pg for pg in self.source.line_pages[sp.start - 1 : sp.end]
                         if pg is not None]
                if pages:  # a PDF's lines know their page
                    self.g.add((iri, RMP.startPage, Literal(min(pages))))
                    self.g.add((iri, RMP.endPage, Literal(max(pages))))
                quote = "\n".join(
                    line.rstrip() for line in self.source.lines[sp.start - 1 : sp.end]
                )
                self.g.add((iri, PROV.value, Literal(quote)))
                self.g.add((iri, DCTERMS.isPartOf, self.src))
            self.g.add((node, PROV.wasDerivedFrom, iri))

    # ---- document ---------------------------------------------------------------
    def run(self) -> Graph:
        d, g, p = self.doc, self.g, self.product
        g.add((p, RDF.type, RMP.MedicinalProduct))
        self.text(p, RDFS.label, d.product.name)
        self.span(p, [d.title_span, d.product.span])
        g.add((p, RMP.hasRiskManagementPlan, self.rmp))
        g.add((self.rmp, RDF.type, RMP.RiskManagementPlan))
        g.add((self.rmp, RMP.forProduct, p))
        self.text(self.rmp, RDFS.label, d.title)
        self.text(self.rmp, DCTERMS.title, d.title)
        g.add((self.rmp, PROV.wasDerivedFrom, self.src))
        g.add((self.rmp, RMP.followsTemplate, URIRef(vocab("template", d.template))))
        self._version()
        self._source()
        self._product()
        for c in d.concerns:
            self._concern(c)
        for st in d.studies:
            self._study(st)
        for name, info in sorted(d.tables.items()):
            table = under(self.rmp, "table", name)
            g.add((table, RDF.type, RMP.DocumentTable))
            g.add((self.rmp, RMP.hasTable, table))
            self.text(table, RDFS.label, info.caption or name)
            self._table(table, info)
        for none in d.nones:
            node = under(self.rmp, "none", none.row)
            g.add((node, RDF.type, RMP.NoneStatement))
            scheme = (
                "plan-section" if none.row.startswith("ii-") else "concern-category"
            )
            g.add((node, RMP.noneFor, URIRef(vocab(scheme, none.row))))
            self.text(node, RMP.text, none.text)
            self.span(node, [none.span])
            g.add((self.rmp, RMP.hasNoneStatement, node))
        for issue in d.issues:
            node = under(self.rmp, "issue", f"L{issue.line}-{slug(issue.reason)}")
            g.add((node, RDF.type, RMP.ParseIssue))
            g.add((node, RMP.line, Literal(issue.line)))
            self.text(node, RMP.text, issue.text)
            self.text(node, RMP.reason, issue.reason)
            g.add((self.rmp, RMP.hasParseIssue, node))
            self.span(node, [Span(issue.line, issue.line)])
        for defect in d.defects:
            node = under(self.rmp, "defect", f"L{defect.line}")
            g.add((node, RDF.type, RMP.UnresolvedCrossReference))
            g.add((node, RMP.line, Literal(defect.line)))
            self.text(node, RMP.text, defect.text)
            self.span(node, [Span(defect.line, defect.line)])
            g.add((self.rmp, RMP.hasSourceDefect, node))
            if defect.row:
                concern = under(self.rmp, "concern", defect.row[0])
                g.add((under(concern, defect.row[1]), RMP.hasSourceDefect, node))
        return g

    def _version(self) -> None:
        v = self.doc.version
        if v is None:
            return
        if v.number:
            self.g.add((self.rmp, RMP.versionNumber, Literal(v.number)))
            self.g.add((self.rmp, RMP.versionNumberSource,
                        URIRef(vocab("value-source", v.number_source or "document"))))
        if v.date:
            self.g.add((self.rmp, RMP.versionDate, Literal(v.date)))
            self.g.add((self.rmp, RMP.versionDateSource,
                        URIRef(vocab("value-source", v.date_source or "document"))))
        self.span(self.rmp, [v.number_span, v.date_span])

    def _source(self) -> None:
        g, s = self.g, self.src
        g.add((s, RDF.type, RMP.SourceDocument))
        self.text(s, RMP.fileName, self.source.file_name)
        self.text(s, RMP.sha256, self.source.sha256)
        self.text(s, RMP.encoding, self.source.encoding)
        self.text(s, DCTERMS["format"], self.source.media_type)
        g.add((s, RMP.lineCount, Literal(len(self.source.lines))))

    def _product(self) -> None:
        g, p, prod = self.g, self.product, self.doc.product
        if prod.substance:
            sub = URIRef(f"{ID}substance/{slug(prod.substance)}")
            g.add((sub, RDF.type, RMP.ActiveSubstance))
            self.text(sub, RDFS.label, prod.substance.lower())
            g.add((p, RMP.hasActiveSubstance, sub))
        # what this version's Part VI, I says (wording changes between versions,
        # so it hangs on the RMP, not on the product all versions share)
        self.text(self.rmp, RMP.routeText, prod.route_text)
        self.text(self.rmp, RMP.pharmaceuticalFormText, prod.form_text)
        if prod.epar_url:
            g.add((p, RMP.eparPage, URIRef(prod.epar_url)))
        if prod.product_number:
            g.add((p, DCTERMS.identifier, Literal(prod.product_number)))
        if prod.indication_text:
            ind = under(self.rmp, "indication")
            g.add((ind, RDF.type, RMP.Indication))
            g.add((self.rmp, RMP.hasIndication, ind))
            self.text(ind, RMP.text, prod.indication_text)
            self.text(ind, RDFS.label, prod.indication_text.split(" (see ")[0][:200])
            self.span(ind, [prod.indication_span])
            for n, (text, sp) in enumerate(prod.patient_groups, start=1):
                grp = under(ind, "patient-group", str(n))
                g.add((grp, RDF.type, RMP.PatientGroup))
                g.add((ind, RMP.hasPatientGroup, grp))
                self.text(grp, RMP.text, text)
                self.text(grp, RDFS.label, text)
                g.add((grp, RMP.position, Literal(n)))
                self.span(grp, [sp])
        for ident, kind, sp in self.doc.procedures:
            proc = self._procedure(ident, kind)
            g.add((p, RMP.hasRegulatoryProcedure, proc))
            self.span(proc, [sp])

    def _procedure(self, ident: str, kind: str) -> URIRef:
        proc = URIRef(f"{ID}procedure/{slug(ident)}")
        self.g.add((proc, RDF.type, RMP.RegulatoryProcedure))
        self.g.add((proc, DCTERMS.identifier, Literal(ident)))
        label = ident
        if kind:
            self.g.add((proc, RMP.procedureType, URIRef(vocab("procedure-type", kind))))
            label = f"{kind.replace('-', ' ').capitalize()} {ident}"
        self.text(proc, RDFS.label, label)
        return proc

    # ---- concerns -----------------------------------------------------------------
    def _concern(self, c: Concern) -> None:
        g = self.g
        node = under(self.rmp, "concern", c.key)
        category = URIRef(vocab("concern-category", c.category.value))
        # the category is stated once, as a SKOS concept; the class
        # (rmp:ImportantIdentifiedRisk, ...) follows from it by the ontology
        g.add((node, RDF.type, RMP.SafetyConcern))
        self.lineage(node, "concern", c.key, RMP.ConcernLineage, c.name)
        g.add((self.rmp, RMP.hasSafetyConcern, node))
        self.text(node, RDFS.label, c.name)
        for alt in sorted(set(c.alt_names)):
            self.text(node, SKOS.altLabel, alt)
        self.text(node, RMP.expandedLabel, c.expanded_name)
        self.text(node, RMP.abbreviation, c.abbreviation)
        self.text(node, RMP.normalisedName, c.normalised_name)
        g.add((node, RMP.concernCategory, category))
        spans = [c.listing_span, c.summary.span if c.summary else None]
        self.span(node, spans)
        for q in c.qualifiers:
            g.add((node, RMP.hasQualifier, self._footnote(q)))
        if c.listed:
            listing = self._part(
                node, "listing", RMP.ConcernListing, RMP.hasListing, c.listed_category
            )
            g.add((listing, RMP.position, Literal(c.position)))
            self.text(listing, RDFS.label, c.name)
            self.span(listing, [c.listing_span])
            g.add((under(self.rmp, "table", "concern-list"), DCTERMS.hasPart, listing))
        if c.summary is not None:
            summary = self._part(
                node, "summary", RMP.ConcernSummary, RMP.hasSummary, c.summary_category
            )
            self.text(summary, RMP.tableNumber, c.summary.number)
            self.text(summary, RDFS.label, c.summary.caption or c.name)
            self.span(summary, [c.summary.span])
            self._table(summary, c.summary)
        self._rows(c, node)

    def _part(
        self,
        concern: URIRef,
        key: str,
        cls: URIRef,
        link: URIRef,
        category: Category | None,
    ) -> URIRef:
        """The II.A entry or II.B table of a concern, with the category stated there."""
        part = under(concern, key)
        self.g.add((part, RDF.type, cls))
        self.g.add((concern, link, part))
        if category is not None:
            self.g.add(
                (
                    part,
                    RMP.concernCategory,
                    URIRef(vocab("concern-category", category.value)),
                )
            )
        return part

    def _rows(self, c: Concern, node: URIRef) -> None:
        g = self.g
        if c.evidence_text:
            ev = under(node, "evidence")
            g.add((ev, RDF.type, RMP.Evidence))
            g.add((node, RMP.hasEvidence, ev))
            self.text(ev, RMP.text, c.evidence_text)
            for src in c.evidence_sources:
                g.add((ev, RMP.evidenceSource, URIRef(vocab("evidence-source", src))))
            self.span(ev, [c.evidence_span])
            self._cites(ev, c.references.get("evidence", []))
        if c.risk_factor_text:
            rf = under(node, "risk-factors")
            g.add((rf, RDF.type, RMP.RiskFactorStatement))
            g.add((node, RMP.hasRiskFactors, rf))
            self.text(rf, RMP.text, c.risk_factor_text)
            self.span(rf, [c.risk_factor_span])
            self._cites(rf, c.references.get("risk-factors", []))
            for n, (text, sp) in enumerate(c.risk_factors, start=1):
                item = under(rf, str(n))
                g.add((item, RDF.type, RMP.RiskFactor))
                g.add((rf, RMP.hasRiskFactor, item))
                self.text(item, RDFS.label, text)
                self.text(item, RMP.text, text)
                g.add((item, RMP.position, Literal(n)))
                self.span(item, [sp])
        self._statements(c, node)
        for none in c.nones:
            nn = under(node, "none", none.row)
            g.add((nn, RDF.type, RMP.NoneStatement))
            g.add((nn, RMP.noneFor, URIRef(vocab("summary-row", none.row))))
            self.text(nn, RMP.text, none.text)
            self.span(nn, [none.span])
            g.add((node, RMP.hasNoneStatement, nn))

    # ---- shared -------------------------------------------------------------------
def to_graph(doc: Document, source: SourceText) -> Graph:
    """RDF graph of one extracted document."""
    return _Mapper(doc, source).run()
