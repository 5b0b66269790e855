"""Output forms of `rmpgraph diff`: text for people, JSON for scripts, RDF for stores.

The RDF form is a changeset in the Talis/W3C vocabulary
(http://purl.org/vocab/changeset/schema#): one `cs:ChangeSet` whose `cs:removal`s
and `cs:addition`s are reified statements, each commented with the change it
belongs to. Removing the removals from OLD and adding the additions gives those
facts of NEW; no new rmpgraph terms are needed.
"""

from __future__ import annotations

import hashlib
import json

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from rmpgraph.errors import UsageError
from rmpgraph.graph.serialize import serialize
from rmpgraph.present.diff import Change, Snapshot, Triple

__all__ = ["CS", "FORMATS", "render", "to_text", "to_json", "to_changeset"]

CS = Namespace("http://purl.org/vocab/changeset/schema#")
FORMATS = ("text", "json", "turtle")
_HEADINGS = {
    "concern": "Safety concerns",
    "study": "Studies",
    "milestone": "Milestones",
}


def _line(c: Change) -> str:
    kind = c.change
    if kind == "concern-renamed":
        return f"~ renamed: {c.old!r} -> {c.new!r}"
    if kind == "concern-recategorised":
        return f"~ {c.subject}: category {c.old} -> {c.new}"
    if kind in ("concern-added", "concern-removed"):
        sign = "+" if kind.endswith("added") else "-"
        return f"{sign} {c.subject} ({c.new or c.old})"
    if kind in ("study-added", "study-removed"):
        return f"{'+' if kind.endswith('added') else '-'} {c.subject}"
    if kind == "milestone-moved":
        return f"~ {c.subject}: {c.detail} moved {c.old} -> {c.new}"
    if kind.startswith("milestone-"):
        sign = "+" if kind.endswith("added") else "-"
        return f"{sign} {c.subject}: {c.detail} {c.new or c.old}"
    what = kind.rsplit("-", 1)[0].replace("-", " ")
    sign = "+" if kind.endswith("added") else "-"
    return f"{sign} {c.subject}: {what}: {c.detail}"


def _section(c: Change) -> str:
    head = c.change.split("-", 1)[0]
    return _HEADINGS.get(head, "Measures, materials and studies per concern")


def to_text(old: Snapshot, new: Snapshot, changes: list[Change]) -> str:
    out = [f"OLD: {', '.join(old.products)} ({len(old.concerns)} concerns, "
           f"{len(old.studies)} studies)",
           f"NEW: {', '.join(new.products)} ({len(new.concerns)} concerns, "
           f"{len(new.studies)} studies)"]
    if not changes:
        return "\n".join(out + ["no changes"]) + "\n"
    order = ("Safety concerns", "Measures, materials and studies per concern",
             "Studies", "Milestones")
    for heading in order:
        lines = [_line(c) for c in changes if _section(c) == heading]
        if lines:
            out += ["", f"{heading}:", *(f"  {line}" for line in lines)]
    return "\n".join(out) + "\n"


def to_json(old: Snapshot, new: Snapshot, changes: list[Change]) -> str:
    data = {
        "old": {"products": old.products, "concerns": len(old.concerns),
                "studies": len(old.studies)},
        "new": {"products": new.products, "concerns": len(new.concerns),
                "studies": len(new.studies)},
        "changes": [c.as_json() for c in changes],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _term(value: str, is_object: bool) -> URIRef | Literal:
    if is_object and not value.startswith(("http://", "https://", "urn:")):
        return Literal(value)
    return URIRef(value)


def _statement(g: Graph, triple: Triple, comment: str) -> BNode:
    s, p, o = triple
    node = BNode()
    g.add((node, RDF.type, RDF.Statement))
    g.add((node, RDF.subject, URIRef(s)))
    g.add((node, RDF.predicate, URIRef(p)))
    g.add((node, RDF.object, _term(o, True)))
    g.add((node, RDFS.comment, Literal(comment)))
    return node


def _plans(snap: Snapshot) -> list[str]:
    return sorted({c.rmp for c in snap.concerns.values()}
                  | {s.rmp for s in snap.studies.values()})


def to_changeset(old: Snapshot, new: Snapshot, changes: list[Change]) -> Graph:
    """The change set as RDF (cs:ChangeSet with reified removals/additions)."""
    g = Graph()
    g.bind("cs", CS)
    old_plans, new_plans = _plans(old), _plans(new)
    digest = hashlib.sha256("\n".join(old_plans + ["->"] + new_plans).encode())
    base = new_plans[0].split("/rmp/")[0] if new_plans else "urn:rmpgraph"
    cs = URIRef(f"{base}/changeset/{digest.hexdigest()[:12]}")
    g.add((cs, RDF.type, CS.ChangeSet))
    if base != "urn:rmpgraph":
        g.add((cs, CS.subjectOfChange, URIRef(base)))
    g.add((cs, CS.creatorName, Literal("rmpgraph diff")))
    g.add((cs, CS.changeReason, Literal(
        f"differences from {', '.join(old_plans) or '(empty)'} "
        f"to {', '.join(new_plans) or '(empty)'}")))
    for c in changes:
        comment = f"{c.change}: {_line(c)[2:]}"
        for triple in c.removed:
            g.add((cs, CS.removal, _statement(g, triple, comment)))
        for triple in c.added:
            g.add((cs, CS.addition, _statement(g, triple, comment)))
    return g


def render(old: Snapshot, new: Snapshot, changes: list[Change], fmt: str) -> str:
    if fmt == "text":
        return to_text(old, new, changes)
    if fmt == "json":
        return to_json(old, new, changes)
    if fmt == "turtle":
        return serialize(to_changeset(old, new, changes), "turtle")
    raise UsageError(f"unknown diff format {fmt!r}; expected one of "
                     + ", ".join(FORMATS))
