"""Linking the safety concerns of a graph to a user's MedDRA release.

Order of evidence: a curated SSSOM row for the concern (reviewed by a person, keyed
by term name and resolved to a code of the user's release here), then the population
rule (missing information about a population is not an adverse event), then the
lexical matcher. Every concern ends in exactly one state: `mapped`, `unmapped` (with a
reason) or `review` (partial or no match, ambiguous, or a curated term missing from
this release), so nothing is silently dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from rmpgraph.errors import UsageError
from rmpgraph.graph.namespaces import ID, RMP, vocab
from rmpgraph.link.lexicon import Lexicon, key, light_key, load_lexicon
from rmpgraph.link.match import LexicalOutcome, TermIndex, match_label
from rmpgraph.link.meddra import Meddra, load_meddra
from rmpgraph.link.meddra_rdf import DEFAULT_BASE, to_graph
from rmpgraph.link.sssom_io import CuratedRow, read_curated
from rmpgraph.paths import DATA_DIR

__all__ = ["Mapping", "ConcernOutcome", "LinkResult", "link_meddra", "link_loaded",
           "STATUSES", "concerns_of"]

STATUSES = ("mapped", "unmapped", "review")
CURATED = "semapv:ManualMappingCuration"
LEXICAL = "semapv:LexicalMatching"
_CONCERN_TYPES = (RMP.SafetyConcern, RMP.ImportantIdentifiedRisk,
                  RMP.ImportantPotentialRisk, RMP.MissingInformation)
_MISSING = URIRef(vocab("concern-category", "missing-information"))


@dataclass(frozen=True)
class Mapping:
    predicate: URIRef  # skos:*Match
    code: str
    justification: str  # semapv CURIE
    confidence: float | None
    comment: str


@dataclass
class ConcernOutcome:
    concern: URIRef
    label: str
    status: str = "review"
    mappings: list[Mapping] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reasons / parts to review
    curated_unmapped: bool = False  # a curator said "no MedDRA term" (NoTermFound)


@dataclass
class LinkResult:
    graph: Graph  # input + links + the MedDRA concepts they use
    meddra: Meddra
    base: str
    outcomes: list[ConcernOutcome]

    def counts(self) -> dict[str, int]:
        c = Counter(o.status for o in self.outcomes)
        return {"concerns": len(self.outcomes), **{s: c[s] for s in STATUSES},
                "mappings": sum(len(o.mappings) for o in self.outcomes)}

    def predicate_counts(self) -> dict[str, int]:
        c = Counter(m.predicate.split("#")[-1] for o in self.outcomes
                    for m in o.mappings)
        return dict(sorted(c.items()))


def default_mapping_files() -> list[Path]:
    return sorted((DATA_DIR / "mappings").glob("*.sssom.tsv"))


def concerns_of(graph: Graph) -> list[URIRef]:
    found = {s for t in _CONCERN_TYPES for s in graph.subjects(RDF.type, t)}
    return sorted(s for s in found if isinstance(s, URIRef))


def lineages_of(graph: Graph) -> dict[URIRef, URIRef]:
    """{version-free concern: one version of it} for every concern of `graph`.

    MedDRA coding belongs to the concern, not to one RMP version, so links hang on
    the node every version is a prov:specializationOf (a graph made before
    versions had them links its concerns directly). The version named is the
    first by IRI, so the result does not depend on the order files were given.
    """
    out: dict[URIRef, URIRef] = {}
    for concern in concerns_of(graph):
        general = graph.value(concern, PROV.specializationOf)
        target = general if isinstance(general, URIRef) else concern
        out.setdefault(target, concern)
    return dict(sorted(out.items()))


def _product_prefix(graph: Graph, concern: URIRef) -> str | None:
    for plan in sorted(graph.subjects(RMP.hasSafetyConcern, concern)):
        for product in sorted(graph.subjects(RMP.hasRiskManagementPlan, plan)):
            return f"{product}/"
    return None


def _legend(graph: Graph, prefix: str | None) -> dict[str, str]:
    """The document's own abbreviations (abbreviation IRIs sit under the product)."""
    out: dict[str, str] = {}
    for abbr in sorted(graph.subjects(RDF.type, RMP.Abbreviation)):
        if prefix and not str(abbr).startswith(prefix):
            continue
        short, expansion = graph.value(abbr, RMP.abbreviation), graph.value(
            abbr, RMP.expansion)
        if short and expansion:
            out.setdefault(str(short), str(expansion))
    return out


def _labels(graph: Graph, concern: URIRef) -> list[str]:
    first = [graph.value(concern, RDFS.label), graph.value(concern, RMP.expandedLabel)]
    rest = sorted(str(v) for v in graph.objects(concern, SKOS.altLabel))
    out: list[str] = []
    for v in [*(str(x) for x in first if x is not None), *rest]:
        if v not in out:
            out.append(v)
    return out


class _Curated:
    """Curated rows by concern IRI, and by (product, normalised label) as fallback."""

    def __init__(self, rows: Iterable[CuratedRow], lex: Lexicon) -> None:
        self.by_iri: dict[str, list[CuratedRow]] = {}
        self.by_label: dict[tuple[str, str], list[CuratedRow]] = {}
        for r in rows:
            self.by_iri.setdefault(r.subject_id, []).append(r)
            product = r.subject_id.rsplit("/concern/", 1)[0] + "/"
            self.by_label.setdefault((product, key(r.subject_label, lex)), []).append(r)

    def find(self, concern: URIRef, prefix: str | None, labels: list[str],
             lex: Lexicon) -> list[CuratedRow]:
        if str(concern) in self.by_iri:
            return self.by_iri[str(concern)]
        for label in labels:
            rows = self.by_label.get((prefix or "", key(label, lex)))
            if rows:
                return rows
        return []


def _apply_curated(out: ConcernOutcome, rows: list[CuratedRow], m: Meddra,
                   names: dict[str, list[str]]) -> None:
    for r in rows:
        where = f"{Path(r.path).name}:{r.line}"
        if r.object_label is None:
            out.status = "unmapped"
            out.curated_unmapped = True
            out.notes.append(f"{r.comment or 'curated as no MedDRA term'} ({where})")
            continue
        codes = names.get(light_key(r.object_label), [])
        current = [c for c in codes if m.llt_current.get(c, True)]
        if not current:
            state = "is non-current" if codes else "is not"
            out.notes.append(f"curated term {r.object_label!r} {state} in MedDRA "
                             f"{m.version} ({where})")
            continue
        for code in current:
            out.mappings.append(Mapping(SKOS[r.predicate.split(":")[1]], code, CURATED,
                                        r.confidence, f"curated ({where})"
                                        + (f"; {r.comment}" if r.comment else "")))


def _apply_lexical(out: ConcernOutcome, outcome: LexicalOutcome, lex: Lexicon) -> None:
    for f in outcome.found:
        rule = lex.rules[f.rule]
        out.mappings.append(Mapping(rule.predicate, f.code, LEXICAL, rule.confidence,
                                    f"rule {f.rule}: {f.text!r}"))
    out.notes += [f"no MedDRA term for {t!r}" for t in outcome.unmatched]
    out.notes += [f"{t!r} matches several PTs ({', '.join(c)})"
                  for t, c in outcome.ambiguous]


def _best(index: TermIndex, labels: list[str],
          legend: dict[str, str]) -> LexicalOutcome:
    scored = []
    for n, label in enumerate(labels):
        o = match_label(index, label, legend)
        clean = bool(o.found) and not o.unmatched and not o.ambiguous
        scored.append(((not clean, -len(o.found), len(o.unmatched), n), o))
    return min(scored, key=lambda s: s[0])[1]


def _population(graph: Graph, concern: URIRef, labels: list[str],
                lex: Lexicon) -> str | None:
    if (concern, RMP.concernCategory, _MISSING) not in graph:
        return None
    for label in labels:
        for pattern, reason in lex.populations:
            if pattern.search(label):
                return reason
    return None


def link_loaded(graph: Graph, meddra: Meddra, *, mapping_files: Iterable[Path] = (),
                base: str = DEFAULT_BASE, include: str = "referenced",
                lexicon: Lexicon | None = None) -> LinkResult:
    """Link with an already loaded release (the benchmark and tests reuse one)."""
    if include not in ("referenced", "all", "none"):
        raise UsageError(f"unknown MedDRA output {include!r}; expected referenced, "
                         "all or none")
    lex = lexicon or load_lexicon()
    curated = _Curated([r for p in mapping_files for r in read_curated(p)], lex)
    index = TermIndex(meddra, lex)
    names: dict[str, list[str]] = {}
    for code in sorted(meddra.llt_pt):
        names.setdefault(light_key(meddra.names[code]), []).append(code)
    for code in sorted(meddra.level):  # a curator may code a concern to a grouping
        if meddra.level[code] in ("HLT", "HLGT", "SMQ") and code in meddra.names:
            names.setdefault(light_key(meddra.names[code]), []).append(code)
    outcomes: list[ConcernOutcome] = []
    for lineage, concern in lineages_of(graph).items():
        labels = _labels(graph, concern)
        prefix = _product_prefix(graph, concern)
        out = ConcernOutcome(lineage, labels[0] if labels else str(lineage))
        rows = curated.find(lineage, prefix, labels, lex)
        if rows:
            _apply_curated(out, rows, meddra, names)
        reason = None if rows else _population(graph, concern, labels, lex)
        if reason:
            out.status = "unmapped"
            out.notes.append(reason)
        elif not out.mappings and out.status != "unmapped":
            _apply_lexical(out, _best(index, labels, _legend(graph, prefix)), lex)
        if out.status != "unmapped":
            out.status = "mapped" if out.mappings and not out.notes else "review"
        outcomes.append(out)
    return LinkResult(_emit(graph, meddra, outcomes, base, include), meddra, base,
                      outcomes)


def _emit(graph: Graph, m: Meddra, outcomes: list[ConcernOutcome], base: str,
          include: str) -> Graph:
    result = Graph()
    for t in graph:
        result.add(t)
    for ns_prefix, ns in graph.namespaces():
        result.bind(ns_prefix, ns)
    for o in outcomes:
        result.add((o.concern, RMP.mappingStatus,
                    URIRef(vocab("mapping-status", o.status))))
        for note in o.notes:
            result.add((o.concern, RMP.mappingNote, Literal(note)))
        for mp in o.mappings:
            # skos:exactMatch is transitive: two products' concerns coded to one PT
            # would become one concept. In the graph an exact mapping is a
            # skos:closeMatch; the SSSOM output keeps the curator's predicate.
            predicate = SKOS.closeMatch if mp.predicate == SKOS.exactMatch \
                else mp.predicate
            result.add((o.concern, predicate, URIRef(f"{base}{mp.code}")))
    if include != "none":
        codes = None if include == "all" else {mp.code for o in outcomes
                                                for mp in o.mappings}
        for t in to_graph(m, codes, base):
            result.add(t)
    result.bind("meddra", base)
    return result


def link_meddra(graph: Graph, meddra_dir: str | Path, *,
                meddra_version: str | None = None,
                mapping_files: Iterable[str | Path] | None = None,
                base: str = DEFAULT_BASE, include: str = "referenced") -> LinkResult:
    """Link every safety concern of `graph` to the user's MedDRA release.

    Args:
        graph: data graph (not modified; the result holds a copy plus the links).
        meddra_dir: the user's MedDRA ASCII distribution (MedAscii folder).
        meddra_version: needed only if the distribution has no release file.
        mapping_files: curated SSSOM tables; default `data/mappings/*.sssom.tsv`.
        base: MedDRA concept IRI prefix.
        include: which MedDRA concepts go into the output graph: "referenced"
            (linked terms and their ancestors), "all" or "none".
    """
    meddra = load_meddra(meddra_dir, meddra_version)
    files = default_mapping_files() if mapping_files is None else [
        Path(p) for p in mapping_files]
    return link_loaded(graph, meddra, mapping_files=files, base=base, include=include)


def mapping_set_id(version: str) -> str:
    return f"{ID}mappings/meddra/{version}"
