"""Facts of a built graph and of a hand-written truth file, in one comparable form
(normalised names, study keys), and F1 scores between them. Used by the document
golden tests and by bench/bench_docs.py."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from graphfacts import concern_facts, concerns, one, study_facts
from rdflib import RDF, RDFS

from rmpgraph.errors import RmpGraphError
from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.extract import extract
from rmpgraph.parse.model import Document
from rmpgraph.parse.read import read_source

__all__ = ["norm", "f1", "facts_of_graph", "facts_of_truth", "score", "DOCS",
           "SUFFIX", "STUDY_FACTS", "study_facts_of_document", "study_facts_of_source"]

DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
SUFFIX = {"docx": ".docx", "pdf": ".pdf", "rl.pdf": ".rl.pdf", "txt": ".txt",
          "pdfminer": ".pdfminer.txt"}


def norm(text: str | None) -> str:
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return re.sub(r"\s+", " ", t).strip().rstrip(".")


def f1(got: set[Any], want: set[Any]) -> float:
    if not got and not want:
        return 1.0
    tp = len(got & want)
    if not tp:
        return 0.0
    p, r = tp / len(got), tp / len(want)
    return 2 * p * r / (p + r)


def study_key(name: str, ident: str | None) -> str:
    return norm(ident) if ident else norm(name)


# the facts a study's own words give (parse/study_facts.py), read from the parsed
# Document until the graph states them
STUDY_FACTS = ("design", "register_ids", "evaluates")


def study_facts_of_document(doc: Document) -> dict[str, set[tuple[str, ...]]]:
    studies = [(study_key(s.label, s.identifier), s) for s in doc.studies]
    return {
        "design": {(k, s.design) for k, s in studies if s.design},
        "register_ids": {(k, scheme, number) for k, s in studies
                         for scheme, number in s.register_ids},
        "evaluates": {(k, slug) for k, s in studies for slug in s.evaluates},
    }


def study_facts_of_source(path: Path) -> dict[str, set[tuple[str, ...]]]:
    """Parse only (no graph): the study facts of one rendering."""
    return study_facts_of_document(extract(read_source(path)))


def facts_of_graph(path: Path) -> dict[str, Any]:
    result = build_source(read_source(path))
    g = result.graph
    product = next(g.subjects(RDF.type, RMP.MedicinalProduct), None)
    cfacts = [concern_facts(g, c) for c in concerns(g)]
    sfacts = study_facts(g)
    by_label = {norm(k): v for k, v in sfacts.items()}
    return {
        "product": str(one(g, product, RDFS.label)) if product else None,
        "concerns": {(norm(c["name"]), c["category"]) for c in cfacts},
        "studies": {study_key(k, v["identifier"]) for k, v in sfacts.items()},
        "links": {(norm(c["name"]), study_key(s, (by_label.get(norm(s)) or {})
                                              .get("identifier")))
                  for c in cfacts for s in c["studies"]},
        "additional": {(norm(c["name"]), m) for c in cfacts
                       for m in c["additional_measures"]},
        "milestones": {(study_key(k, v["identifier"]), m["kind"], norm(m["due_text"]))
                       for k, v in sfacts.items() for m in v["milestones"]},
        "issues": len(result.document.issues),
        **study_facts_of_document(result.document),
    }


def facts_of_truth(truth: dict[str, Any]) -> dict[str, Any]:
    studies = {norm(s["name"]): study_key(s["name"], s.get("identifier"))
               for s in truth["studies"]}
    return {
        "product": truth["product"],
        "concerns": {(norm(c["name"]), c["category"]) for c in truth["concerns"]},
        "studies": set(studies.values()),
        "links": {(norm(c["name"]), studies.get(norm(s), norm(s)))
                  for c in truth["concerns"] for s in c["studies"]},
        "additional": {(norm(c["name"]), m) for c in truth["concerns"]
                       for m in c["additional_measures"]},
        "milestones": {(studies[norm(s["name"])], m["kind"], norm(m["due_text"]))
                       for s in truth["studies"] for m in s["milestones"]},
        "design": {(studies[norm(s["name"])], s["design"]) for s in truth["studies"]
                   if s.get("design")},
        "register_ids": {(studies[norm(s["name"])], scheme, number)
                         for s in truth["studies"]
                         for scheme, number in s.get("register_ids", [])},
        "evaluates": {(studies[norm(s["name"])], slug) for s in truth["studies"]
                      for slug in s.get("evaluates", [])},
    }


def score(path: Path, truth: dict[str, Any]) -> dict[str, Any]:
    want = facts_of_truth(truth)
    try:
        got = facts_of_graph(path)
    except RmpGraphError as exc:
        return {"error": str(exc)}
    return {
        "product": got["product"] == want["product"],
        "concern_f1": f1(got["concerns"], want["concerns"]),
        "study_f1": f1(got["studies"], want["studies"]),
        "link_f1": f1(got["links"], want["links"]),
        "additional_f1": f1(got["additional"], want["additional"]),
        "milestones": (len(got["milestones"] & want["milestones"]),
                       len(want["milestones"])),
        # facts the rendering states and the document lacks (a concern under a
        # wrong category counts, warned of as a guess or not)
        "wrong": sum(len(got[k] - want[k]) for k in
                     ("concerns", "studies", "links", "additional", "milestones")),
        "issues": got["issues"],
    }
