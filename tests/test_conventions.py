"""Conventions enforced as tests: every rmp: term used by code, queries or shapes is
declared in the ontology; every rmpv: concept used exists in a shipped scheme."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import SKOS

from rmpgraph.graph.namespaces import RMP, RMPV
from rmpgraph.graph.ontology import load_ontology, ontology_terms

ROOT = Path(__file__).resolve().parent.parent


def _used_terms() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in [*ROOT.glob("rmpgraph/**/*.py"), *ROOT.glob("queries/**/*.rq"),
                 *ROOT.glob("ontology/shapes/*.ttl")]:
        text = path.read_text("utf-8")
        names = set(re.findall(r"\bRMP\.([A-Za-z]\w*)", text))
        names |= set(re.findall(r"(?<![\w/])rmp:([A-Za-z]\w*)", text))
        names |= set(re.findall(r"ontology#([A-Za-z]\w*)", text))
        for name in names:
            used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return used


def test_every_used_rmp_term_is_declared() -> None:
    declared = {str(t) for t in ontology_terms()}
    missing = {name: sorted(files) for name, files in _used_terms().items()
               if str(RMP[name]) not in declared}
    assert missing == {}


def test_every_used_vocab_concept_exists() -> None:
    onto = load_ontology()
    concepts = {str(s) for s in onto.subjects(SKOS.inScheme, None)}
    schemes = {str(s) for s in onto.objects(None, SKOS.inScheme)}
    missing = set()
    for path in [*ROOT.glob("queries/**/*.rq"), *ROOT.glob("ontology/shapes/*.ttl")]:
        for iri in re.findall(rf"<({re.escape(str(RMPV))}[^>]+)>", path.read_text()):
            if iri not in concepts and iri not in schemes:
                missing.add((iri, path.name))
    assert missing == set()
    assert URIRef(f"{RMPV}qrd/smpc-4-4") in {URIRef(c) for c in concepts}
