"""Versions of one product in a store: which RMP revises which, and conflicts.

A product's RMP is republished many times; each version is its own named graph
(`embedded`). Queries that want "the latest RMP of each product" need the versions
ordered, and that order is a fact about the store, not about any one document (a
document cannot know which later versions exist). So the store keeps it in one
graph of its own, `graph/versions`: `<newer rmp> prov:wasRevisionOf <older rmp>`
between consecutive versions of one product, recomputed after every load and
removal. The RMP with no newer version is the latest.

Order, oldest first: `graph.versions.order_key` (date, then version number part
by part), the same order as for files given together, with the load order (the
catalogue's load time, which follows the order files were given), file name and
graph IRI as tie-breaks, so the order is total and never random.

Refusals (raised before anything is written): a document already in the store
(same content hash) loaded again with another version number or date, and a
second document of a product claiming a version number another document of that
product already has.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, PROV

from rmpgraph.errors import InputError
from rmpgraph.graph.namespaces import GRAPH, RMP
from rmpgraph.graph.versions import consecutive
from rmpgraph.graph.versions import order_key as version_order
from rmpgraph.store.storedocs import CATALOGUE_GRAPH, Entry

__all__ = ["VERSIONS_GRAPH", "Version", "versions", "order_key", "revision_links",
           "refresh", "replace_graph", "check_new", "check_reload"]

VERSIONS_GRAPH = str(GRAPH["versions"])
_VERSIONS = ox.NamedNode(VERSIONS_GRAPH)
_REVISION = ox.NamedNode(str(PROV.wasRevisionOf))


@dataclass(frozen=True)
class Version:
    """One RMP graph as the ordering sees it."""

    graph: str
    rmp: str
    product: str | None
    number: str | None
    date: str | None  # ISO yyyy-mm-dd
    file_name: str
    loaded_at: str
    sha256: str


def order_key(v: Version) -> tuple[object, ...]:
    """Sort key, oldest first (see the module docstring)."""
    return version_order(v.date, v.number, v.loaded_at, v.file_name, v.graph)


def versions(raw: ox.Store, *, product: str | None = None,
             sha256: str | None = None) -> list[Version]:
    """Every RMP graph (or those of one product, or with one content hash) with its
    stated version number and date, read from the graph itself."""
    subs: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    # not ?product: it sits in an OPTIONAL, where a pre-bound value keeps every
    # graph that lacks a subject (each would then count as that product's version)
    if sha256 is not None:
        subs[ox.Variable("sha")] = ox.Literal(sha256)
    rows = raw.query(f"""SELECT ?g ?rmp ?product ?v ?d ?file ?at ?sha WHERE {{
          GRAPH <{CATALOGUE_GRAPH}> {{
            ?g <{DCTERMS.type}> "rmp" ; <{FOAF.primaryTopic}> ?rmp ;
               <{DCTERMS.source}> ?file ; <{PROV.generatedAtTime}> ?at ;
               <{DCTERMS.identifier}> ?sha .
            OPTIONAL {{ ?g <{DCTERMS.subject}> ?product }} }}
          OPTIONAL {{ GRAPH ?g {{ ?rmp <{RMP.versionNumber}> ?v }} }}
          OPTIONAL {{ GRAPH ?g {{ ?rmp <{RMP.versionDate}> ?d }} }} }}""",
                     substitutions=subs)
    found: dict[str, Version] = {}
    for r in rows:
        def val(name: str, row: ox.QuerySolution = r) -> str | None:
            term = row[name]
            return None if term is None else term.value
        v = Version(graph=r["g"].value, rmp=r["rmp"].value, product=val("product"),
                    number=val("v"), date=val("d"), file_name=r["file"].value,
                    loaded_at=r["at"].value, sha256=r["sha"].value)
        # two stated numbers (a faulty RDF input): keep the lowest, deterministically
        old = found.get(v.graph)
        if old is None or order_key(v) < order_key(old):
            found[v.graph] = v
    kept = [v for v in found.values() if product is None or v.product == product]
    return sorted(kept, key=lambda v: (v.product or "", order_key(v)))


def revision_links(all_versions: list[Version]) -> set[tuple[str, str]]:
    """(newer RMP, older RMP) for each pair of consecutive versions of a product."""
    return consecutive((v.product, v.rmp, order_key(v)) for v in all_versions
                       if v.product is not None)


def refresh(raw: ox.Store) -> None:
    """Make `graph/versions` hold exactly the links the store's RMPs call for
    (`replace_graph`: a load of documents already there writes nothing)."""
    replace_graph(raw, _VERSIONS, [
        ox.Triple(ox.NamedNode(a), _REVISION, ox.NamedNode(b))
        for a, b in sorted(revision_links(versions(raw)))])


def replace_graph(raw: ox.Store, graph: ox.NamedNode,
                  triples: list[ox.Triple]) -> None:
    """Make one of the graphs the store derives from all its RMPs hold exactly
    `triples`: one update (one transaction), and only when something changed."""
    held = {(q.subject, q.predicate, q.object)
            for q in raw.quads_for_pattern(None, None, None, graph)}
    if held == {(t.subject, t.predicate, t.object) for t in triples}:
        return
    text = " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    raw.update(f"DROP SILENT GRAPH {graph} ; "
               f"INSERT DATA {{ GRAPH {graph} {{ {text} }} }}")


def _name(v: Version) -> str:
    return f"{v.file_name} (graph {v.graph})"


def check_reload(raw: ox.Store, sha256: str, number: str | None, date: str | None,
                 file_name: str) -> None:
    """Refuse a document already in the store given another version or date."""
    for old in versions(raw, sha256=sha256):
        for what, given, held in (("version", number, old.number),
                                  ("date", date, old.date)):
            if given is not None and given != held:
                raise InputError(
                    f"{file_name} is already in the store as {_name(old)} with "
                    f"{what} {held or 'unknown'}, not {given}; remove it first "
                    f"(`rmpgraph remove {old.graph}`) to load it as {what} {given}")


def check_new(raw: ox.Store, entry: Entry) -> None:
    """Refuse a new document claiming a version number its product already has."""
    if entry.kind != "rmp" or entry.product is None or entry.version is None:
        return
    for old in versions(raw, product=entry.product):
        if old.number == entry.version and old.sha256 != entry.sha256:
            raise InputError(
                f"{entry.file_name} and {_name(old)} both claim version "
                f"{entry.version} of {entry.product_label or entry.product} with "
                "different content; load one of them with another --rmp-version")
