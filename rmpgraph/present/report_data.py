"""What the HTML report shows, gathered from the graph by the queries in
`queries/report/`.

Kept apart from the rendering so the facts on the page can be tested without HTML,
and so the page template only lays out plain dataclasses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from rdflib import Graph

from rmpgraph.graph.namespaces import ID
from rmpgraph.paths import QUERIES_DIR

__all__ = ["Span", "Column", "Concern", "Milestone", "Plan", "collect",
           "REPORT_QUERIES_DIR", "span_anchor", "spans_by_lines"]

REPORT_QUERIES_DIR = QUERIES_DIR / "report"
CELL_KINDS = ("label", "material", "measure", "study")
CATEGORY_ORDER = ("important-identified-risk", "important-potential-risk",
                  "missing-information")


@cache
def _query_text(name: str) -> str:
    return (REPORT_QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _rows(graph: Graph, name: str) -> list[dict[str, object]]:
    result = graph.query(_query_text(name))
    names = [str(v) for v in result.vars or []]
    return [{n: row[i] for i, n in enumerate(names)} for row in result]


def span_anchor(span_iri: str) -> str:
    """HTML id of a text span: its IRI below the data namespace, made id-safe."""
    tail = span_iri[len(str(ID)):] if span_iri.startswith(str(ID)) else span_iri
    return "src-" + re.sub(r"[^A-Za-z0-9_-]+", "-", tail).strip("-")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    iri: str
    value: str

    @property
    def anchor(self) -> str:
        return span_anchor(self.iri)

    @property
    def lines(self) -> str:
        if self.start == self.end:
            return f"L{self.start}"
        return f"L{self.start}–{self.end}"


@dataclass(frozen=True)
class Column:
    kind: str  # one of CELL_KINDS
    iri: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.iri}"


@dataclass
class Concern:
    iri: str
    label: str
    category: str  # slug of rmpv:concern-category/…
    category_label: str
    position: int
    cells: dict[str, list[Span]] = field(default_factory=dict)  # Column.key -> spans

    @property
    def routine_only(self) -> bool:
        """No additional risk minimisation measure addresses it (materials or other)."""
        kinds = {k.split(":", 1)[0] for k in self.cells}
        return not kinds & {"material", "measure"}


@dataclass
class Milestone:
    iri: str
    study: str
    label: str
    kind: str
    due_text: str
    due_start: date | None
    due_end: date | None
    spans: list[Span]

    def overdue(self, as_of: date) -> bool:
        return self.due_end is not None and self.due_end < as_of


@dataclass
class Plan:
    """One RMP: its product card, matrix and milestones."""

    iri: str
    title: str
    product: str
    product_iri: str
    substances: list[str]
    indication: str
    patient_groups: list[str]
    routes: list[str]
    epar: str | None
    file_name: str
    sha256: str
    concerns: list[Concern]
    columns: list[Column]
    milestones: list[Milestone]

    def groups(self) -> list[tuple[str, list[Concern]]]:
        """Concerns grouped by category in GVP order, II.A order inside a group."""
        by: dict[str, list[Concern]] = defaultdict(list)
        for c in self.concerns:
            by[c.category_label].append(c)
        order = {c.category_label: (_cat_rank(c.category), c.category_label)
                 for c in self.concerns}
        return [(k, sorted(v, key=lambda c: (c.position, c.label)))
                for k, v in sorted(by.items(), key=lambda kv: order[kv[0]])]


def _cat_rank(slug: str) -> int:
    return CATEGORY_ORDER.index(slug) if slug in CATEGORY_ORDER else len(CATEGORY_ORDER)


def _s(value: object) -> str:
    return "" if value is None else str(value)


def _slug(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _span(row: dict[str, object]) -> Span | None:
    if row.get("span") is None or row.get("start") is None:
        return None
    return Span(int(str(row["start"])), int(str(row["end"])), str(row["span"]),
                _s(row.get("value")))


def _label_sort(label: str) -> tuple[object, ...]:
    """QRD order: SmPC before PL, sections numerically (4.10 after 4.9)."""
    doc, _, number = label.partition(" ")
    parts = tuple(int(p) if p.isdigit() else 0 for p in number.split("."))
    return (0 if doc.lower() == "smpc" else 1, parts, label)


def _column_sort(col: Column) -> tuple[object, ...]:
    kind = CELL_KINDS.index(col.kind)
    if col.kind == "label":
        return (kind, _label_sort(col.label))
    return (kind, (col.label.lower(),), col.iri)


def _plan_concerns(graph: Graph) -> dict[str, list[Concern]]:
    plans: dict[str, list[Concern]] = defaultdict(list)
    for row in _rows(graph, "concerns"):
        pos = row.get("position")
        plans[str(row["rmp"])].append(Concern(
            iri=str(row["concern"]), label=_s(row["label"]),
            category=_slug(row["category"]),
            category_label=_s(row.get("category_label")) or _slug(row["category"]),
            position=int(str(pos)) if pos is not None else 10**6))
    return plans


def _fill_cells(graph: Graph, concerns: dict[str, Concern]) -> dict[str, Column]:
    columns: dict[str, Column] = {}
    for kind in CELL_KINDS:
        for row in _rows(graph, f"cells-{kind}"):
            concern = concerns.get(str(row["concern"]))
            span = _span(row)
            if concern is None:
                continue
            col = Column(kind, str(row["column"]),
                         _s(row.get("column_label")) or _slug(row["column"]))
            columns[col.key] = col
            spans = concern.cells.setdefault(col.key, [])
            if span is not None and span not in spans:
                spans.append(span)
                spans.sort()
    return columns


def _milestones(graph: Graph) -> dict[str, list[Milestone]]:
    found: dict[str, Milestone] = {}
    plan_of: dict[str, str] = {}
    for row in _rows(graph, "milestones"):
        iri = str(row["milestone"])
        if iri not in found:
            start, end = row.get("due_start"), row.get("due_end")
            found[iri] = Milestone(
                iri=iri, study=_s(row.get("study_label")) or _slug(row["study"]),
                label=_s(row.get("label")), kind=_s(row.get("kind_label")),
                due_text=_s(row.get("due_text")),
                due_start=date.fromisoformat(str(start)) if start is not None else None,
                due_end=date.fromisoformat(str(end)) if end is not None else None,
                spans=[])
            plan_of[iri] = str(row["rmp"])
        span = _span(row)
        if span is not None and span not in found[iri].spans:
            found[iri].spans.append(span)
            found[iri].spans.sort()
    out: dict[str, list[Milestone]] = defaultdict(list)
    for iri, m in found.items():
        out[plan_of[iri]].append(m)
    for ms in out.values():
        ms.sort(key=lambda m: (m.due_end or date.max, m.study, m.label, m.iri))
    return out


def _lead_in(indication: str, groups: list[str]) -> str:
    """The indication up to where its patient groups start, when it spells them all.

    Section I states the groups inside the indication sentence and the graph keeps
    them as `rmp:PatientGroup`s too; the card lists the groups, so it shows only the
    words before the first one (else each group would be read twice).
    """
    starts = [indication.find(g) for g in groups]
    if not groups or min(starts) < 0:
        return indication
    cut = indication[:min(starts)].rstrip()
    return cut or indication


def collect(graph: Graph) -> list[Plan]:
    """Every RMP in `graph` (data merged with the vocabularies), sorted by product."""
    plan_concerns = _plan_concerns(graph)
    all_concerns = {c.iri: c for cs in plan_concerns.values() for c in cs}
    columns = _fill_cells(graph, all_concerns)
    milestones = _milestones(graph)
    cards: dict[str, dict[str, object]] = {}
    for row in _rows(graph, "products"):
        rmp = str(row["rmp"])
        card = cards.setdefault(rmp, {"groups": [], "subs": set(), "routes": set(),
                                      "row": row})
        if row.get("group") is not None and str(row["group"]) not in card["groups"]:
            card["groups"].append(str(row["group"]))  # type: ignore[union-attr]
        if row.get("substance") is not None:
            card["subs"].add(str(row["substance"]))  # type: ignore[union-attr]
        if row.get("route") is not None:
            card["routes"].add(str(row["route"]))  # type: ignore[union-attr]
    plans = []
    for rmp, card in cards.items():
        row = card["row"]
        assert isinstance(row, dict)
        concerns = plan_concerns.get(rmp, [])
        used = {k for c in concerns for k in c.cells}
        plans.append(Plan(
            iri=rmp, title=_s(row.get("rmp_title")), product=_s(row.get("name")),
            product_iri=str(row["product"]),
            substances=sorted(card["subs"]),  # type: ignore[arg-type]
            indication=_lead_in(_s(row.get("indication")),
                                card["groups"]),  # type: ignore[arg-type]
            patient_groups=list(card["groups"]),  # type: ignore[call-overload]
            routes=sorted(card["routes"]),  # type: ignore[arg-type]
            epar=_s(row.get("epar")) or None, file_name=_s(row.get("file")),
            sha256=_s(row.get("sha256")), concerns=concerns,
            columns=sorted((columns[k] for k in used), key=_column_sort),
            milestones=milestones.get(rmp, [])))
    plans.sort(key=lambda p: (p.product.lower(), p.iri))
    return plans


def spans_by_lines(graph: Graph) -> dict[tuple[int, int], list[Span]]:
    """Text spans by (start, end), to show the text of a finding's lines."""
    out: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for row in _rows(graph, "spans"):
        span = _span(row)
        if span is not None:
            out[(span.start, span.end)].append(span)
    return out

