"""Stage 'infer': the entailments the SHACL shapes rely on, in time linear in the data.

The shapes target classes up the subclass hierarchy (`rmp:ImportantRisk`), follow
inverse properties (`rmp:isAddressedBy`, `rmp:forProduct`) and expect nodes typed by
the domain and range of the properties that point at them. Running owlrl over data +
ontology derives all of that, but re-derives the whole ontology closure on every call
and costs seconds per RMP. Here the ontology's OWL-RL closure is computed once (owlrl,
cached in the process and on disk keyed by the ontology's content hash) and distilled
into lookup tables; the data is then expanded by one pass over its triples. The test
suite checks the result against owlrl on LEMTRADA.

The caller's graph is never modified: `expand()` returns the inferred triples only.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Literal, Node

from rmpgraph.graph.ontology import load_ontology, ontology_files

__all__ = ["Entailments", "entailments", "expand", "cache_dir", "CACHE_FORMAT"]

# Bump when the cached table layout or the derivation rules change.
CACHE_FORMAT = "rmpgraph-entailments-2"

Table = Mapping[URIRef, frozenset[URIRef]]


@dataclass(frozen=True)
class Entailments:
    """What the ontology's OWL-RL closure says about classes and properties.

    Each table maps a term to its *strict* relatives (IRIs only; anonymous classes
    such as `owl:unionOf` domains are left out because no shape can target them).
    `inverses` already contains symmetric properties (p inverse of p).
    """

    superclasses: Table
    superproperties: Table
    inverses: Table
    domains: Table
    ranges: Table
    #: C -> (B, p, v) for `C ≡ B ⊓ ∃p.{v}` (a class defined by a value, such as
    #: rmp:MissingInformation by its rmp:concernCategory)
    value_classes: Mapping[URIRef, tuple[URIRef, URIRef, URIRef]] = field(
        default_factory=dict)

    def to_json(self) -> dict[str, object]:
        def table(t: Table) -> dict[str, list[str]]:
            return {str(k): sorted(str(v) for v in vs) for k, vs in sorted(t.items())}

        return {
            "format": CACHE_FORMAT,
            "superclasses": table(self.superclasses),
            "superproperties": table(self.superproperties),
            "inverses": table(self.inverses),
            "domains": table(self.domains),
            "ranges": table(self.ranges),
            "value_classes": {str(c): [str(x) for x in bpv]
                              for c, bpv in sorted(self.value_classes.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Entailments:
        if data.get("format") != CACHE_FORMAT:
            raise ValueError("cache format mismatch")

        def table(name: str) -> dict[URIRef, frozenset[URIRef]]:
            raw = data[name]
            assert isinstance(raw, dict)
            return {URIRef(k): frozenset(map(URIRef, vs)) for k, vs in raw.items()}

        return cls(
            superclasses=table("superclasses"),
            superproperties=table("superproperties"),
            inverses=table("inverses"),
            domains=table("domains"),
            ranges=table("ranges"),
            value_classes={URIRef(c): (URIRef(b), URIRef(p), URIRef(v))
                           for c, (b, p, v) in data["value_classes"].items()},  # type: ignore[union-attr]
        )


def _value_classes(graph: Graph) -> dict[URIRef, tuple[URIRef, URIRef, URIRef]]:
    """Named classes defined as `B ⊓ (p hasValue v)` in the ontology."""
    out: dict[URIRef, tuple[URIRef, URIRef, URIRef]] = {}
    for c, x in graph.subject_objects(OWL.equivalentClass):
        members = graph.value(x, OWL.intersectionOf)
        if not isinstance(c, URIRef) or members is None:
            continue
        parts = list(Collection(graph, members))
        named = [m for m in parts if isinstance(m, URIRef)]
        restrictions = [(graph.value(m, OWL.onProperty), graph.value(m, OWL.hasValue))
                        for m in parts if not isinstance(m, URIRef)]
        if len(parts) == 2 and len(named) == 1 and len(restrictions) == 1:
            prop, value = restrictions[0]
            if isinstance(prop, URIRef) and isinstance(value, URIRef):
                out[c] = (named[0], prop, value)
    return out


def _strict(graph: Graph, predicate: URIRef) -> dict[URIRef, frozenset[URIRef]]:
    """{s: {o}} over IRI pairs of `predicate`, without reflexive pairs."""
    table: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
            table[s].add(o)
    return {k: frozenset(v) for k, v in table.items()}


def _from_closure(closure: Graph) -> Entailments:
    inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
    for p, q in closure.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            inverses[p].add(q)
            inverses[q].add(p)
    for p in closure.subjects(RDF.type, OWL.SymmetricProperty):
        if isinstance(p, URIRef):
            inverses[p].add(p)
    return Entailments(
        superclasses=_strict(closure, RDFS.subClassOf),
        superproperties=_strict(closure, RDFS.subPropertyOf),
        inverses={k: frozenset(v) for k, v in inverses.items()},
        domains=_strict_all(closure, RDFS.domain),
        ranges=_strict_all(closure, RDFS.range),
        value_classes=_value_classes(closure),
    )


def _strict_all(graph: Graph, predicate: URIRef) -> dict[URIRef, frozenset[URIRef]]:
    """Like `_strict` but keeps p == C pairs (a domain is never its own property)."""
    table: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            table[s].add(o)
    return {k: frozenset(v) for k, v in table.items()}


def ontology_fingerprint(paths: Iterable[Path] | None = None) -> str:
    """SHA-256 over the ontology files' names and bytes (the disk cache key)."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for path in paths if paths is not None else ontology_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_dir() -> Path | None:
    """Where derived tables are kept between runs; None disables the disk cache.

    `RMPGRAPH_CACHE_DIR` overrides (empty string disables); otherwise the XDG cache
    directory.
    """
    override = os.environ.get("RMPGRAPH_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rmpgraph"


def compute_entailments() -> Entailments:
    """Run owlrl on a copy of the ontology and distil its closure (slow: ~0.5 s)."""
    import owlrl  # local: only needed when the cache is cold

    closure = Graph()
    for triple in load_ontology():
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return _from_closure(closure)


@lru_cache(maxsize=1)
def entailments() -> Entailments:
    """The ontology tables, from the disk cache when the ontology is unchanged."""
    directory = cache_dir()
    cache_file = None
    if directory is not None:
        cache_file = directory / f"entailments-{ontology_fingerprint()[:32]}.json"
        try:
            return Entailments.from_json(json.loads(cache_file.read_text("utf-8")))
        except (OSError, ValueError, KeyError, AssertionError):
            pass  # missing or stale: recompute below
    result = compute_entailments()
    if cache_file is not None:
        _write_cache(cache_file, result)
    return result


def _write_cache(path: Path, result: Entailments) -> None:
    from rmpgraph.graph.serialize import atomic_write

    text = json.dumps(result.to_json(), indent=1, sort_keys=True)
    try:
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError:
        pass  # a read-only home must not stop validation; the cache is an optimisation


def expand(data: Graph, tables: Entailments | None = None) -> Graph:
    """The triples OWL-RL entails from `data` that the shapes need, and only those.

    Derived: super-properties, inverse and symmetric properties, `rdf:type` from
    domains and ranges, every type's superclasses, and classes defined by a value
    (`C ≡ B ⊓ ∃p.{v}`: a rmp:SafetyConcern with that rmp:concernCategory).
    (Property chains and transitive properties are not expanded: the ontology
    materialises its one chain, `rmp:coversConcern`, in the parser; the owlrl
    equivalence test guards this.)
    Cost is linear in the number of data triples (times the small, fixed depth of
    the ontology's hierarchies).

    Args:
        data: the data graph; not modified.
        tables: the ontology tables (default: `entailments()`).

    Returns:
        A new graph holding the inferred triples that are not already in `data`.
    """
    t = tables if tables is not None else entailments()
    rules: dict[Node, _PredicateRule | None] = {}  # None: rdf:type
    new_triples: set[tuple[Node, URIRef, Node]] = set()
    types: dict[Node, set[URIRef]] = defaultdict(set)
    stated: set[tuple[Node, Node]] = set()  # (s, o) of data's rdf:type triples
    rdf_type = RDF.type
    by_value: dict[tuple[Node, Node], list[tuple[URIRef, URIRef]]] = defaultdict(list)
    for c, (base, prop, value) in t.value_classes.items():
        by_value[(prop, value)].append((c, base))
    valued: list[tuple[Node, URIRef, URIRef]] = []  # (s, C, B): s is C if s is a B
    for s, p, o in data:
        for c, base in by_value.get((p, o), ()):
            valued.append((s, c, base))
        if p in rules:
            rule = rules[p]
        else:
            rule = rules[p] = None if p == rdf_type else _rule_for(p, t)  # type: ignore[arg-type]
        if rule is None:
            stated.add((s, o))
            if isinstance(o, URIRef):
                types[s].add(o)
            continue
        types[s].update(rule.subject_types)
        for q in rule.forward:
            new_triples.add((s, q, o))
        if not isinstance(o, Literal):
            types[o].update(rule.object_types)
            for q in rule.backward:
                new_triples.add((o, q, s))
    inferred = Graph(store="SimpleMemory")  # no named graphs: 3x cheaper to fill
    for classes in types.values():
        for c in list(classes):
            classes.update(t.superclasses.get(c, ()))
    for node, c, base in valued:  # after the closure above: B may be a superclass
        if base in types.get(node, ()):
            types[node].add(c)
            types[node].update(t.superclasses.get(c, ()))
    for node, classes in types.items():
        for c in classes:
            if (node, c) not in stated:
                inferred.add((node, rdf_type, c))
    for triple in new_triples:
        if triple not in data:
            inferred.add(triple)
    return inferred


@dataclass(frozen=True)
class _PredicateRule:
    """What one data triple (s p o) entails, precomputed per predicate p.

    forward: q with (s q o); backward: q with (o q s); subject_types / object_types:
    classes of s / o from the domains and ranges of all of those (and of p).
    """

    forward: frozenset[URIRef]
    backward: frozenset[URIRef]
    subject_types: frozenset[URIRef]
    object_types: frozenset[URIRef]


def _rule_for(p: URIRef, t: Entailments) -> _PredicateRule:
    """Close {(p, forward)} under super-properties and inverses (a tiny fixpoint)."""
    reached: set[tuple[URIRef, bool]] = set()
    stack = [(p, True)]
    while stack:
        q, forward = stack.pop()
        if (q, forward) in reached:
            continue
        reached.add((q, forward))
        stack.extend((r, forward) for r in t.superproperties.get(q, ()))
        stack.extend((r, not forward) for r in t.inverses.get(q, ()))
    subject_types: set[URIRef] = set()
    object_types: set[URIRef] = set()
    for q, forward in reached:
        subject_types |= t.domains.get(q, frozenset()) if forward else t.ranges.get(
            q, frozenset())
        object_types |= t.ranges.get(q, frozenset()) if forward else t.domains.get(
            q, frozenset())
    return _PredicateRule(
        forward=frozenset(q for q, f in reached if f and q != p),
        backward=frozenset(q for q, f in reached if not f),
        subject_types=frozenset(subject_types),
        object_types=frozenset(object_types),
    )
