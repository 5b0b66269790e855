"""`rmpgraph diff`: what changed between two versions of an RMP summary.

Concerns are matched by meaning, not position, in this order: same IRI (same
canonical name), same `rmp:normalisedName`, a shared MedDRA mapping, then a fuzzy
match of normalised names (difflib ratio >= FUZZY); a pair is taken only when it is
the unambiguous best for both concerns, so a dropped concern is reported as removed,
never as a rename of another. A matched pair with different labels is a rename.
The change set can be written as text, JSON, or RDF using the Talis/W3C
changeset vocabulary (reified statements removed and added).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from functools import cache

from rdflib import Graph

from rmpgraph.graph.namespaces import PROV, RDFS, RMP, vocab
from rmpgraph.paths import QUERIES_DIR

__all__ = ["FUZZY", "Change", "Snapshot", "snapshot", "diff_graphs", "diff_paths"]

DIFF_QUERIES_DIR = QUERIES_DIR / "diff"
FUZZY = 0.85
# what can address a concern; "study link" = a study names the concern in II.B
ADDRESSING = ("routine measure", "additional measure", "label section", "material",
              "study link")


@cache
def _query(name: str) -> str:
    return (DIFF_QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _rows(graph: Graph, name: str) -> list[dict[str, object]]:
    result = graph.query(_query(name))
    names = [str(v) for v in result.vars or []]
    return [{n: row[i] for i, n in enumerate(names)} for row in result]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


Triple = tuple[str, str, str]


@dataclass(frozen=True)
class Item:
    """Something addressing a concern, and the triple that links it (for RDF)."""

    display: str
    triple: Triple


@dataclass
class ConcernState:
    iri: str
    label: str
    normalised: str
    category: str
    rmp: str
    matches: set[str] = field(default_factory=set)
    # kind -> {comparison key: Item}
    items: dict[str, dict[str, Item]] = field(default_factory=dict)


@dataclass
class StudyState:
    iri: str
    label: str
    key: str
    rmp: str
    # milestone kind -> [(due text, milestone IRI)], sorted
    milestones: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class Snapshot:
    products: list[str]
    concerns: dict[str, ConcernState]
    studies: dict[str, StudyState]


@dataclass(frozen=True, order=True)
class Change:
    """One difference. `subject` names the concern or study it is about."""

    change: str  # e.g. concern-added, concern-renamed, material-removed
    subject: str
    detail: str = ""
    old: str = ""
    new: str = ""
    old_iri: str = ""
    new_iri: str = ""
    removed: tuple[Triple, ...] = ()  # triples of OLD this change takes away
    added: tuple[Triple, ...] = ()  # triples of NEW it brings


    def as_json(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items()
                if v and k not in ("removed", "added")}


def _slug(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


# the triple of the graph that a change of each kind adds or removes (for the
# changeset): measures by their statement (docs/MODEL.md), label sections by the
# shared section measure's link to the concern
_LINK = {
    "routine measure": lambda m, i, c: (c, str(RMP.hasMeasureStatement), m),
    "additional measure": lambda m, i, c: (c, str(RMP.hasMeasureStatement), m),
    "label section": lambda m, i, c: (m, str(RMP.addressesConcern), c),
    "material": lambda m, i, c: (i, str(RMP.coversConcern), c),
    "study link": lambda m, i, c: (i, str(RMP.addressesConcern), c),
}


def _item_key(kind: str, item: str, text: str) -> str:
    # materials, sections and studies compare by identity; measures by their words
    return _norm(text) if kind in ("routine measure", "additional measure") \
        else _slug(item) if kind in ("label section", "material") else _norm(text)


def snapshot(graph: Graph) -> Snapshot:
    """The facts `diff` compares, read from one version's graph."""
    concerns: dict[str, ConcernState] = {}
    products: set[str] = set()
    for row in _rows(graph, "concerns"):
        iri = str(row["concern"])
        products.add(str(row.get("product_label") or row["product"]))
        state = concerns.setdefault(iri, ConcernState(
            iri=iri, label=str(row["label"]),
            normalised=str(row.get("normalised") or _norm(str(row["label"]))),
            category=_slug(row["category"]), rmp=str(row["rmp"])))
        if row.get("match") is not None:
            state.matches.add(str(row["match"]))
    for row in _rows(graph, "measures"):
        state = concerns.get(str(row["concern"]))
        if state is None:
            continue
        kind, text = str(row["kind"]), " ".join(str(row["text"]).split())
        item, measure = str(row["item"]), str(row["measure"])
        display = _slug(item) if kind == "label section" else text
        triple = _LINK[kind](measure, item, state.iri)
        state.items.setdefault(kind, {}).setdefault(_item_key(kind, item, text),
                                                    Item(display, triple))
    studies: dict[str, StudyState] = {}
    for row in _rows(graph, "studies"):
        iri = str(row["study"])
        label = str(row.get("label") or _slug(iri))
        key = _norm(str(row["identifier"])) if row.get("identifier") else _norm(label)
        study = studies.setdefault(iri, StudyState(iri, label, key, str(row["rmp"])))
        if row.get("milestone") is not None:
            kind = _slug(row.get("kind") or "other")
            study.milestones.setdefault(kind, []).append(
                (str(row.get("due_text") or row.get("due_end") or ""),
                 str(row["milestone"])))
    for study in studies.values():
        for dues in study.milestones.values():
            dues.sort()
    return Snapshot(sorted(products), concerns, studies)


def _signature(state: ConcernState) -> frozenset[tuple[str, str]]:
    return frozenset((kind, key) for kind, items in state.items.items()
                     for key in items)


def _overlap(a: ConcernState, b: ConcernState) -> float:
    """Share of the II.B content (measures, sections, materials, studies) kept."""
    x, y = _signature(a), _signature(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def _unambiguous(scores: dict[tuple[str, str], tuple[float, ...]]
                 ) -> list[tuple[str, str]]:
    """Pairs whose score beats every rival pair sharing either end, best first.

    A dropped concern and a renamed one can both resemble the renamed one's new
    name or share its MedDRA term; taking whichever sorts first reported the drop
    as a rename of the other. A pair is taken only when it is strictly the best
    for both its old and its new concern (ties stay unpaired: removed + added).
    """
    taken: list[tuple[str, str]] = []
    used_old: set[str] = set()
    used_new: set[str] = set()
    for (o, n), score in sorted(scores.items(), key=lambda kv: (kv[1], kv[0]),
                                reverse=True):
        if o in used_old or n in used_new:
            continue
        rivals = [s for (a, b), s in scores.items() if (a == o) != (b == n)
                  and a not in used_old and b not in used_new]
        if all(score > s for s in rivals):
            taken.append((o, n))
            used_old.add(o)
            used_new.add(n)
    return taken


def _pair_concerns(old: Snapshot, new: Snapshot) -> list[tuple[str, str]]:
    """Matched (old IRI, new IRI) pairs, strongest evidence first.

    Same IRI, then equal normalised names, shared MedDRA mappings, similar names
    (difflib ratio >= FUZZY); within each kind of evidence a pair must be the
    unambiguous best for both ends (`_unambiguous`), the II.B content kept
    deciding between candidates that look alike.
    """
    left, right = set(old.concerns), set(new.concerns)
    pairs: list[tuple[str, str]] = []
    for iri in sorted(left & right):
        pairs.append((iri, iri))
    left -= right
    right -= set(old.concerns)

    def shared(a: ConcernState, b: ConcernState) -> float:
        return float(len(a.matches & b.matches))

    def ratio(a: ConcernState, b: ConcernState) -> float:
        value = difflib.SequenceMatcher(None, a.normalised, b.normalised).ratio()
        return value if value >= FUZZY else 0.0

    rules = (lambda a, b: float(a.normalised == b.normalised), shared, ratio)
    for rule in rules:
        scores = {}
        for o in left:
            for n in right:
                a, b = old.concerns[o], new.concerns[n]
                evidence = rule(a, b)
                if evidence > 0:
                    scores[(o, n)] = (evidence, _overlap(a, b))
        for o, n in _unambiguous(scores):
            pairs.append((o, n))
            left.discard(o)
            right.discard(n)
    return sorted(pairs)


def _item_changes(a: ConcernState, b: ConcernState) -> list[Change]:
    out = []
    for kind in ADDRESSING:
        was, now = a.items.get(kind, {}), b.items.get(kind, {})
        slug = kind.replace(" ", "-")
        for key in sorted(set(was) - set(now)):
            out.append(Change(f"{slug}-removed", b.label, was[key].display,
                              old_iri=a.iri, new_iri=b.iri,
                              removed=(was[key].triple,)))
        for key in sorted(set(now) - set(was)):
            out.append(Change(f"{slug}-added", b.label, now[key].display,
                              old_iri=a.iri, new_iri=b.iri, added=(now[key].triple,)))
    return out


def _study_changes(old: Snapshot, new: Snapshot) -> list[Change]:
    out = []
    by_old = {s.key: s for s in old.studies.values()}
    by_new = {s.key: s for s in new.studies.values()}
    for key in sorted(set(by_old) - set(by_new)):
        s = by_old[key]
        out.append(Change("study-removed", s.label, old_iri=s.iri,
                          removed=((s.rmp, str(RMP.hasStudy), s.iri),)))
    for key in sorted(set(by_new) - set(by_old)):
        s = by_new[key]
        out.append(Change("study-added", s.label, new_iri=s.iri,
                          added=((s.rmp, str(RMP.hasStudy), s.iri),)))
    for key in sorted(set(by_old) & set(by_new)):
        a, b = by_old[key], by_new[key]
        for kind in sorted(set(a.milestones) | set(b.milestones)):
            was, now = a.milestones.get(kind, []), b.milestones.get(kind, [])
            due_was, due_now = [d for d, _ in was], [d for d, _ in now]
            gone = [(d, m) for d, m in was if d not in due_now]
            came = [(d, m) for d, m in now if d not in due_was]
            due = str(RMP.dueText)
            for (d_old, m_old), (d_new, m_new) in zip(gone, came, strict=False):
                out.append(Change("milestone-moved", b.label, kind, d_old, d_new,
                                  m_old, m_new, ((m_old, due, d_old),),
                                  ((m_new, due, d_new),)))
            for d, m in gone[len(came):]:
                out.append(Change("milestone-removed", b.label, kind, d, "", m, "",
                                  ((m, due, d),)))
            for d, m in came[len(gone):]:
                out.append(Change("milestone-added", b.label, kind, "", d, "", m,
                                  (), ((m, due, d),)))
    return out


def diff_graphs(old: Graph, new: Graph) -> tuple[Snapshot, Snapshot, list[Change]]:
    """Compare two versions; changes sorted by kind, then subject."""
    a, b = snapshot(old), snapshot(new)
    pairs = _pair_concerns(a, b)
    changes: list[Change] = []
    for o, n in pairs:
        x, y = a.concerns[o], b.concerns[n]
        label, cat = str(RDFS.label), str(RMP.concernCategory)
        if x.label != y.label:
            revision = ((n, str(PROV.wasRevisionOf), o),) if n != o else ()
            changes.append(Change("concern-renamed", y.label, "", x.label, y.label,
                                  o, n, ((o, label, x.label),),
                                  ((n, label, y.label), *revision)))
        if x.category != y.category:
            changes.append(Change("concern-recategorised", y.label, "", x.category,
                                  y.category, o, n,
                                  ((o, cat, vocab("concern-category", x.category)),),
                                  ((n, cat, vocab("concern-category", y.category)),)))
        changes.extend(_item_changes(x, y))
    matched_old = {o for o, _ in pairs}
    matched_new = {n for _, n in pairs}
    for iri in sorted(set(a.concerns) - matched_old):
        c = a.concerns[iri]
        changes.append(Change("concern-removed", c.label, "", c.category, "", iri,
                              removed=((c.rmp, str(RMP.hasSafetyConcern), iri),)))
    for iri in sorted(set(b.concerns) - matched_new):
        c = b.concerns[iri]
        changes.append(Change("concern-added", c.label, "", "", c.category,
                              new_iri=iri,
                              added=((c.rmp, str(RMP.hasSafetyConcern), iri),)))
    changes.extend(_study_changes(a, b))
    return a, b, sorted(changes)


def diff_paths(old: str, new: str) -> tuple[Snapshot, Snapshot, list[Change]]:
    """Build or load both inputs (RMP text, PDF or RDF) and compare them."""
    from rmpgraph.graph.inputs import load_graph

    return diff_graphs(load_graph([old]), load_graph([new]))

