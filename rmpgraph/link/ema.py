"""Linking products to EMA identifiers and EDQM / ATC vocabularies.

Identifiers found in the text (EMA product and procedure numbers) and the EPAR page
become typed `rmp:Identifier` nodes. Route, pharmaceutical form and active substance
are linked to SKOS concepts of small shipped tables (`data/vocab/`); a user can pass a
full EDQM / SPOR / ATC export in the same SKOS shape instead, so nothing about the
vocabularies is hard-wired here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from rmpgraph.errors import InputError
from rmpgraph.graph.iris import identifier
from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.rdfio import parse_rdf
from rmpgraph.link.lexicon import light_key
from rmpgraph.paths import DATA_DIR

__all__ = ["ROUTES", "FORMS", "ATC", "EmaResult", "link_ema", "link_ema_report"]

ROUTES = DATA_DIR / "vocab" / "edqm-routes.ttl"
FORMS: Path | None = None  # no form codes shipped yet: pass a file (see README)
ATC = DATA_DIR / "vocab" / "atc.ttl"
_PATTERNS = DATA_DIR / "lexicon" / "identifier-patterns.tsv"
_BRACKET_ABBREV = re.compile(r"\s*\([A-Za-z]{1,6}\)")


@dataclass
class EmaResult:
    graph: Graph
    linked: dict[str, int] = field(default_factory=dict)  # kind -> links made
    notes: list[str] = field(default_factory=list)  # what could not be linked


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for number, line in enumerate(_PATTERNS.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("scheme\t"):
            continue
        scheme, _, pattern = line.partition("\t")
        try:
            out.append((scheme, re.compile(pattern)))
        except re.error as exc:
            raise InputError(f"bad regular expression: {exc}", path=_PATTERNS,
                             line=number) from None
    return out


def _load_vocab(path: Path | None) -> Graph | None:
    if path is None:
        return None
    g = parse_rdf(path)
    if not any(g.subjects(RDF.type, SKOS.Concept)):
        raise InputError("no skos:Concept in this vocabulary file", path=path)
    return g


def _keys(vocab_graph: Graph, concept: URIRef) -> set[str]:
    """Comparable forms of a concept's labels; EDQM routes also without "use"."""
    out: set[str] = set()
    for p in (SKOS.prefLabel, SKOS.altLabel):
        for label in vocab_graph.objects(concept, p):
            k = light_key(str(label))
            out.add(k)
            if k.endswith(" use") and len(k) > 4:
                out.add(k[:-4])
    return out


def _find(vocab_graph: Graph, text: str, *, whole: bool = False) -> list[URIRef]:
    """Concepts whose label occurs in `text` as whole words; longest label wins."""
    t = light_key(_BRACKET_ABBREV.sub("", text))
    best: list[tuple[int, URIRef]] = []
    for concept in vocab_graph.subjects(RDF.type, SKOS.Concept):
        for k in _keys(vocab_graph, concept):
            hit = t == k if whole else re.search(rf"(?<![a-z0-9]){re.escape(k)}"
                                                 r"(?![a-z0-9])", t)
            if k and hit:
                best.append((len(k), concept))  # type: ignore[arg-type]
    if not best:
        return []
    top = max(n for n, _ in best)
    return sorted({c for n, c in best if n == top})


def _closure(vocab_graph: Graph, concepts: list[URIRef], out: Graph) -> None:
    """Copy the concepts with their broader chain and scheme into the output."""
    todo = list(concepts)
    seen: set[URIRef] = set()
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        for p, o in vocab_graph.predicate_objects(c):
            out.add((c, p, o))
            if p == SKOS.broader and isinstance(o, URIRef):
                todo.append(o)
            if p == SKOS.inScheme:
                for sp, so in vocab_graph.predicate_objects(o):
                    if sp != SKOS.hasTopConcept:
                        out.add((o, sp, so))


def _identifiers(graph: Graph, product: URIRef, out: Graph) -> int:
    texts: list[tuple[str, URIRef | None]] = []
    for plan in sorted(graph.objects(product, RMP.hasRiskManagementPlan)):
        for source in sorted(graph.objects(plan, PROV.wasDerivedFrom)):
            for span in sorted(graph.subjects(DCTERMS.isPartOf, source)):
                value = graph.value(span, PROV.value)
                if value is not None:
                    texts.append((str(value), span))  # type: ignore[arg-type]
    for proc in sorted(graph.objects(product, RMP.hasRegulatoryProcedure)):
        for ident in graph.objects(proc, DCTERMS.identifier):
            texts.append((str(ident), None))
    found: dict[tuple[str, str], set[URIRef]] = {}
    for scheme, pattern in _patterns():
        for text, span in texts:
            for m in pattern.finditer(text):
                spans = found.setdefault((scheme, m.group(0)), set())
                if span is not None:
                    spans.add(span)
    for page in graph.objects(product, RMP.eparPage):
        found.setdefault(("epar-page", str(page)), set())
    for (scheme, value), spans in sorted(found.items()):
        node, triples = identifier(product, scheme, value)
        for triple in triples:
            out.add(triple)
        for span in sorted(spans):
            out.add((node, PROV.wasDerivedFrom, span))
        for proc in graph.subjects(DCTERMS.identifier, Literal(value)):
            out.add((proc, RMP.hasIdentifier, node))
    return len(found)


def link_ema_report(graph: Graph, *, routes: Path | None = ROUTES,
                    forms: Path | None = FORMS, atc: Path | None = ATC) -> EmaResult:
    """Like `link_ema`, also saying what was linked and what was not."""
    out = Graph()
    for t in graph:
        out.add(t)
    result = EmaResult(out, dict.fromkeys(
        ("identifiers", "routes", "forms", "atc"), 0))
    tables = {"routes": _load_vocab(routes), "forms": _load_vocab(forms),
              "atc": _load_vocab(atc)}
    jobs = (("routes", RMP.routeText, RMP.routeOfAdministration, False),
            ("forms", RMP.pharmaceuticalFormText, RMP.pharmaceuticalForm, False))
    for product in sorted(graph.subjects(RDF.type, RMP.MedicinalProduct)):
        result.linked["identifiers"] += _identifiers(graph, product, out)
        name = graph.value(product, RDFS.label) or product
        plans = list(graph.objects(product, RMP.hasRiskManagementPlan))
        for kind, text_p, link_p, whole in jobs:
            # each version writes its own route/form text; the concepts they
            # name are the product's (an unchanged route across versions is one)
            texts = {t for rmp in plans for t in graph.objects(rmp, text_p)}
            for text in sorted(texts):
                table = tables[kind]
                hits = _find(table, str(text), whole=whole) if table else []
                if not hits:
                    why = "no table given" if table is None else "no matching term"
                    result.notes.append(f"{name}: {kind[:-1]} {str(text)!r}: {why}")
                for concept in hits:
                    out.add((product, link_p, concept))
                    _closure(table, [concept], out)  # type: ignore[arg-type]
                result.linked[kind] += len(hits)
        for substance in sorted(graph.objects(product, RMP.hasActiveSubstance)):
            label = str(graph.value(substance, RDFS.label) or "")
            table = tables["atc"]
            hits = [c for c in (_find(table, label, whole=True) if table else [])
                    if len(str(table.value(c, SKOS.notation) or "")) == 7]
            if not hits:
                result.notes.append(f"{name}: no ATC code for substance {label!r}")
            for concept in hits:
                out.add((product, RMP.atcCode, concept))
                _closure(table, [concept], out)  # type: ignore[arg-type]
            result.linked["atc"] += len(hits)
    return result


def link_ema(graph: Graph, *, routes: Path | None = ROUTES, forms: Path | None = FORMS,
             atc: Path | None = ATC) -> Graph:
    """A copy of `graph` with typed identifiers and route/form/ATC links added.

    Args:
        graph: data graph with `rmp:MedicinalProduct` nodes (not modified).
        routes, forms, atc: SKOS vocabulary files (one scheme each); None skips one.
    """
    return link_ema_report(graph, routes=routes, forms=forms, atc=atc).graph
