"""Stage 3, model: what a Part VI summary says, as plain Python objects.

No rdflib here. The extractor fills these from the segmented text and the mapping
turns them into triples, so the two concerns (reading a layout, naming things in RDF)
can change independently. Every object keeps the source lines it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # versions.py builds on this module's Span
    from rmpgraph.parse.versions import RmpVersion

__all__ = [
    "Span",
    "Category",
    "Footnote",
    "Abbreviation",
    "Legend",
    "TableInfo",
    "Measure",
    "NoneStatement",
    "Due",
    "Milestone",
    "StudyMention",
    "Study",
    "Concern",
    "Product",
    "ParseIssue",
    "SourceDefect",
    "Document",
]


@dataclass(frozen=True, order=True)
class Span:
    """Inclusive, 1-based range of source lines."""

    start: int
    end: int

    @staticmethod
    def cover(spans: list[Span]) -> Span:
        return Span(min(s.start for s in spans), max(s.end for s in spans))


class Category(StrEnum):
    IDENTIFIED = "important-identified-risk"
    POTENTIAL = "important-potential-risk"
    MISSING = "missing-information"


@dataclass
class Footnote:
    marker: str
    text: str
    span: Span
    kind: str = "note"  # "note" | "qualifier" | "reference"


@dataclass
class Abbreviation:
    short: str
    expansion: str


@dataclass
class Legend:
    abbreviations: list[Abbreviation]
    span: Span


@dataclass
class TableInfo:
    """What every table of the document carries: caption, notes, legend, usage."""

    number: str | None = None
    caption: str | None = None
    footnotes: list[Footnote] = field(default_factory=list)
    legend: Legend | None = None
    used_abbreviations: list[str] = field(default_factory=list)
    used_markers: list[str] = field(default_factory=list)
    span: Span | None = None


@dataclass
class Measure:
    text: str
    span: Span
    kind: str  # slug of rmpv:measure-kind
    label_sections: list[str] = field(default_factory=list)  # "smpc-4-4", "pl-2"
    materials: list[str] = field(default_factory=list)  # rmpv:material-kind slugs
    updated: bool = False
    frequency: str | None = None


@dataclass
class NoneStatement:
    row: str  # rmpv:summary-row slug, concern-category slug or plan-section slug
    text: str
    span: Span


@dataclass
class Due:
    granularity: str  # date | month | quarter | year | event-relative
    start: date | None = None
    end: date | None = None
    offset: str | None = None  # xsd:duration, e.g. "P6M"
    event: str | None = None


@dataclass
class Milestone:
    kind: str  # rmpv:milestone-kind slug
    label: str
    due_text: str
    due: Due | None
    span: Span
    legal_basis: str | None = None  # rmpv:legal-basis slug
    more_spans: list[Span] = field(default_factory=list)  # repeated in other tables


@dataclass
class StudyMention:
    """A study named in a II.B table's additional-PV row."""

    name: str
    span: Span
    milestones: list[Milestone] = field(default_factory=list)
    category: int | None = None


@dataclass
class Study:
    key: str  # IRI key (slug)
    label: str
    title: str | None = None
    identifier: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    section: str | None = None  # "ii-c-1" | "ii-c-2" | None (named in II.B only)
    category: int | None = None
    category_stated: bool = False
    study_type: str | None = None
    objective: str | None = None
    procedures: list[tuple[str, str]] = field(default_factory=list)  # (id, type slug)
    legal_bases: list[str] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)  # concern keys, II.B order
    design: str | None = None  # rmpv:study-design slug, from title/type/objective
    # (scheme slug "eu-pas" | "rwd-catalogue", number normalised "EUPAS12345")
    register_ids: list[tuple[str, str]] = field(default_factory=list)
    # material-kind / measure-kind slugs whose effectiveness the study evaluates
    evaluates: list[str] = field(default_factory=list)


@dataclass
class Concern:
    key: str
    name: str
    category: Category
    alt_names: list[str] = field(default_factory=list)
    abbreviation: str | None = None
    expanded_name: str | None = None
    normalised_name: str = ""
    qualifiers: list[Footnote] = field(default_factory=list)
    # II.A
    listed: bool = False
    listed_category: Category | None = None
    listing_span: Span | None = None
    position: int | None = None
    # II.B
    summary: TableInfo | None = None
    summary_category: Category | None = None
    evidence_text: str | None = None
    evidence_span: Span | None = None
    evidence_sources: list[str] = field(default_factory=list)
    risk_factor_text: str | None = None
    risk_factor_span: Span | None = None
    risk_factors: list[tuple[str, Span]] = field(default_factory=list)
    routine: list[Measure] = field(default_factory=list)
    additional: list[Measure] = field(default_factory=list)
    nones: list[NoneStatement] = field(default_factory=list)
    study_mentions: list[StudyMention] = field(default_factory=list)
    references: dict[str, list[Footnote]] = field(default_factory=dict)  # row -> refs


@dataclass
class Product:
    name: str
    substance: str | None = None
    route_text: str | None = None
    form_text: str | None = None
    indication_text: str | None = None
    indication_span: Span | None = None
    patient_groups: list[tuple[str, Span]] = field(default_factory=list)
    epar_url: str | None = None
    product_number: str | None = None
    span: Span | None = None


@dataclass
class ParseIssue:
    line: int
    text: str
    reason: str


@dataclass
class SourceDefect:
    line: int
    text: str
    row: tuple[str, str] | None = None  # (concern key, row slug)


@dataclass
class Document:
    """Everything extracted from one Part VI summary."""

    title: str
    title_span: Span
    product: Product
    concerns: list[Concern]
    studies: list[Study]
    tables: dict[str, TableInfo] = field(default_factory=dict)  # concern-list, ii-c-1..
    nones: list[NoneStatement] = field(default_factory=list)  # section level
    issues: list[ParseIssue] = field(default_factory=list)
    defects: list[SourceDefect] = field(default_factory=list)
    procedures: list[tuple[str, str, Span]] = field(default_factory=list)
    accounted: set[int] = field(default_factory=set)  # source lines used
    furniture: set[int] = field(default_factory=set)  # page headers/footers, repeats
    boilerplate: set[int] = field(default_factory=set)  # template paragraphs
    # which Part VI template the text follows: "rev2" (GVP V Rev. 2, sections I,
    # II.A-II.C) or "rev1" (GVP V Rev. 1, sections VI.1.1-VI.2.7); rmpv:template/<slug>
    template: str = "rev2"
    # the RMP version number and date, as stated (parse/versions.py) or given
    version: RmpVersion | None = None
