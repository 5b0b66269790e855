"""MedDRA terms as SKOS, emitted lazily from a loaded release.

One `skos:Concept` per code (a PT and its own LLT record share one code, hence one
concept), `skos:broader` along LLT -> PT -> HLT -> HLGT -> SOC (every axis of a
multi-axial PT), `rmp:primarySoc` on PTs, `rmp:isCurrent` on LLTs, one
`skos:ConceptScheme` per release. By default only the concepts a linked graph uses
and their ancestors are emitted: enough for the SOC roll-up, and the user's output
does not silently become a copy of their licensed distribution.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from rmpgraph.graph.namespaces import ID, RMP
from rmpgraph.link.meddra import Meddra

__all__ = ["DEFAULT_BASE", "concept_iri", "scheme_iri", "to_graph"]

# The pattern BioPortal and UMLS-derived datasets use, so links join with theirs.
DEFAULT_BASE = "http://purl.bioontology.org/ontology/MEDDRA/"

_LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es",
              "italian": "it", "dutch": "nl", "portuguese": "pt", "czech": "cs",
              "hungarian": "hu", "swedish": "sv", "danish": "da", "greek": "el"}


def concept_iri(code: str, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base}{code}")


def scheme_iri(version: str) -> URIRef:
    """The release as a scheme in rmpgraph's own namespace (never under the base)."""
    return URIRef(f"{ID}meddra/{version}")


def _closure(m: Meddra, codes: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        if code in m.level or code in m.llt_pt:
            out.add(code)
            out |= m.ancestors(code)
            if code in m.primary_soc:
                out.add(m.primary_soc[code])
    return out


def to_graph(m: Meddra, codes: Iterable[str] | None = None,
             base: str = DEFAULT_BASE) -> Graph:
    """SKOS graph of the release; `codes=None` emits every term (slow, large).

    Args:
        m: the loaded release.
        codes: PT/LLT (or any) codes to emit, with all their ancestors.
        base: concept IRI prefix (code appended).
    """
    lang = _LANGUAGES.get((m.language or "").lower())
    scheme = scheme_iri(m.version)
    wanted = sorted(m.level) if codes is None else sorted(_closure(m, codes))
    triples: list[tuple[URIRef, URIRef, object]] = [
        (scheme, RDF.type, SKOS.ConceptScheme),
        (scheme, RDF.type, RMP.MeddraRelease),
        (scheme, RDFS.label, Literal(f"MedDRA {m.version}")),
        (scheme, OWL.versionInfo, Literal(m.version)),
    ]
    if lang:
        triples.append((scheme, DCTERMS.language, Literal(lang)))
    true, false = Literal(True), Literal(False)
    level_literals = {lvl: Literal(lvl)
                      for lvl in ("SOC", "HLGT", "HLT", "PT", "LLT", "SMQ")}
    for code in wanted:
        iri = concept_iri(code, base)
        level = m.level[code]
        triples += [
            (iri, RDF.type, SKOS.Concept),
            (iri, SKOS.inScheme, scheme),
            (iri, SKOS.notation, Literal(code)),
            (iri, SKOS.prefLabel, Literal(m.names[code], lang=lang)),
            (iri, RMP.meddraLevel, level_literals[level]),
        ]
        for parent in m.broader(code):
            triples.append((iri, SKOS.broader, concept_iri(parent, base)))
        if level == "SOC":
            triples += [(iri, SKOS.topConceptOf, scheme),
                        (scheme, SKOS.hasTopConcept, iri)]
        elif level == "PT":
            soc = concept_iri(m.primary_soc[code], base)
            triples.append((iri, RMP.primarySoc, soc))
        elif level == "LLT":
            triples.append((iri, RMP.isCurrent, true if m.llt_current[code] else false))
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)  # type: ignore[misc]
    graph.bind("meddra", base)
    return graph
