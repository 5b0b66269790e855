"""Documents as quads: what `RmpStore` writes, built where it can run in parallel.

An input (RMP text, PDF or one-RMP RDF file) becomes a `Prepared` document: N-Quads of
its named graph plus its catalogue entry, as plain bytes so it crosses process
boundaries cheaply. Blank nodes are salted with the document hash here, so two
documents never share one once they sit in the same database.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox  # private: oxrdflib exports none
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, VOID, XSD
from rdflib.term import Identifier

from rmpgraph.errors import InputError, RmpGraphError, UsageError
from rmpgraph.graph.namespaces import GRAPH, ID, RMP
from rmpgraph.paths import ONTOLOGY_DIR, VOCAB_DIR

__all__ = ["ONTOLOGY_GRAPH", "VOCAB_GRAPH", "CATALOGUE_GRAPH", "Entry", "Prepared",
           "graph_iri", "to_rdflib_term", "rdflib_graph", "rdflib_result",
           "solution_rows", "prepare", "prepare_all", "Given", "source_hash",
           "knowledge_graph", "serialise", "now", "die_with_parent"]

ONTOLOGY_GRAPH = str(GRAPH["ontology"])
VOCAB_GRAPH = str(GRAPH["vocab"])
CATALOGUE_GRAPH = str(GRAPH["catalogue"])
_RMP_IRI = re.compile(re.escape(str(ID))
                      + r"(?P<p>[a-z0-9-]+)/rmp/(?P<h>[0-9a-f]{12})$")
#: documents parsed ahead of the writer, per parsing process
_AHEAD = 4
_XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class Entry:
    """One loaded named graph as recorded in the catalogue."""

    graph: str
    kind: str  # "rmp", "ontology" or "vocab"
    sha256: str
    file_name: str
    product: str | None
    product_label: str | None
    rmp: str | None
    triples: int
    loaded_at: str
    #: the RMP's `rmp:versionNumber` / `rmp:versionDate` where its graph states them
    version: str | None = None
    version_date: str | None = None


@dataclass(frozen=True)
class Prepared:
    """A document ready to write: N-Quads of its graph plus its catalogue entry.

    Plain bytes so it crosses process boundaries cheaply (parsing runs in a pool).
    """

    entry: Entry
    nquads: bytes


def graph_iri(rmp_iri: str) -> tuple[str, str, str]:
    """(graph IRI, product slug, sha12) of an RMP IRI `id/<p>/rmp/<h>`."""
    m = _RMP_IRI.match(rmp_iri)
    if not m:
        raise InputError(f"RMP IRI {rmp_iri} does not follow id/<product>/rmp/<sha12>")
    return f"{GRAPH}{m['p']}/{m['h']}", m["p"], m["h"]


# ------------------------------------------------------------------ term conversion
# oxrdflib's converters do the mapping; two things it lacks stay here: salting
# blank nodes per document, and giving plain literals back without xsd:string.


def _ox_term(term: Identifier, salt: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, BNode):
        # blank nodes are document-local: salt them so two documents never share one
        return ox.BlankNode(salt + re.sub(r"[^A-Za-z0-9]", "", str(term)))
    try:
        return to_ox(term)  # type: ignore[return-value]
    except ValueError:
        raise InputError(f"unsupported RDF term {term!r}") from None


@functools.lru_cache(maxsize=1 << 16)
def to_rdflib_term(term: object) -> Identifier:
    """rdflib term for an Oxigraph term, matching what rdflib's own parsers produce.

    oxrdflib gives every plain literal the datatype xsd:string, but rdflib treats
    "x" and "x"^^xsd:string as different terms, so those come back without a
    datatype and answers compare equal with rdflib's. Cached: answers repeat the
    same labels and IRIs, and building an rdflib Literal costs more than the
    Oxigraph lookup that produced it.
    """
    if isinstance(term, ox.Literal) and not term.language \
            and term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    try:
        out = from_ox(term)  # type: ignore[arg-type]
    except ValueError:
        raise UsageError(f"unsupported term in result: {term!r}") from None
    if not isinstance(out, Identifier):  # an RDF-star triple
        raise UsageError(f"unsupported term in result: {term!r}")
    return out


def rdflib_graph(quads: Iterable[ox.Quad], *, skip: Container[str] = ()) -> Graph:
    """One rdflib Graph of the triples of `quads`, leaving out graphs named in `skip`
    (Oxigraph parses and reads far faster than rdflib; rdflib holds for pySHACL)."""
    graph = Graph()
    for q in quads:
        if q.graph_name.value not in skip:
            graph.add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate),
                       to_rdflib_term(q.object)))
    return graph


def solution_rows(solutions: ox.QuerySolutions) -> Iterator[dict[str, Identifier]]:
    """Oxigraph's solutions as rdflib rows, unbound variables left out, one at a
    time (a streamed answer is never held whole)."""
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        # a solution iterates its values in the order of `variables` (None where
        # unbound): reading them by name looked each one up and took about half as
        # long as the conversion itself
        yield {n: to_rdflib_term(t) for n, t in zip(names, solution, strict=True)
               if t is not None}


def rdflib_result(result: object) -> list[dict[str, Identifier]] | bool | Graph:
    """An Oxigraph query result as rdflib values: rows (unbound variables left
    out), a bool, or a Graph (what `RmpStore.query` promises)."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        return list(solution_rows(result))
    graph = Graph()
    for t in result:  # type: ignore[attr-defined]
        graph.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate),
                   to_rdflib_term(t.object)))
    return graph


def _quads(graph: Graph, graph_name: str, salt: str) -> Iterator[ox.Quad]:
    g = ox.NamedNode(graph_name)
    for s, p, o in graph:
        yield ox.Quad(_ox_term(s, salt), _ox_term(p, salt), _ox_term(o, salt), g)


def _catalogue_graph(entry: Entry) -> Graph:
    cat = Graph()
    node = URIRef(entry.graph)
    cat.add((node, RDF.type, VOID.Dataset))
    cat.add((node, DCTERMS.type, Literal(entry.kind)))
    cat.add((node, DCTERMS.identifier, Literal(entry.sha256)))
    cat.add((node, DCTERMS.source, Literal(entry.file_name)))
    cat.add((node, VOID.triples, Literal(entry.triples, datatype=XSD.integer)))
    cat.add((node, PROV.generatedAtTime, Literal(entry.loaded_at,
                                                 datatype=XSD.dateTime)))
    if entry.rmp:
        cat.add((node, FOAF.primaryTopic, URIRef(entry.rmp)))
    if entry.product:
        cat.add((node, DCTERMS.subject, URIRef(entry.product)))
    if entry.product_label:
        cat.add((node, RDFS.label, Literal(entry.product_label)))
    return cat


def now() -> str:
    """Load time, to the microsecond: documents loaded one after another keep the
    order they were given in (the last tie-break between versions)."""
    return datetime.now(UTC).isoformat()


def serialise(graph: Graph, entry: Entry, salt: str) -> Prepared:
    quads = list(_quads(graph, entry.graph, salt))
    quads += _quads(_catalogue_graph(entry), CATALOGUE_GRAPH, salt)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return Prepared(entry, data)


# ---------------------------------------------------------------------- preparing


def _describe(graph: Graph, path: Path, sha256: str | None) -> Entry:
    rmps = sorted(str(r) for r in graph.subjects(RDF.type, RMP.RiskManagementPlan))
    if len(rmps) != 1:
        raise InputError(f"expected exactly one RMP in the graph, found {len(rmps)}; "
                         "load one RMP per file", path=path)
    rmp = URIRef(rmps[0])
    g_iri, _, _ = graph_iri(rmps[0])
    if sha256 is None:
        sha256 = next((str(o) for src in graph.objects(rmp, PROV.wasDerivedFrom)
                       for o in graph.objects(src, RMP.sha256)), None)
        if sha256 is None:
            raise InputError("the RMP's source document has no rmp:sha256", path=path)
    product = graph.value(rmp, RMP.forProduct) or next(
        graph.subjects(RMP.hasRiskManagementPlan, rmp), None)
    label = graph.value(product, RDFS.label) if product is not None else None
    number = min((str(v) for v in graph.objects(rmp, RMP.versionNumber)), default=None)
    date = min((str(v) for v in graph.objects(rmp, RMP.versionDate)), default=None)
    return Entry(graph=g_iri, kind="rmp", sha256=sha256, file_name=path.name,
                 product=str(product) if product is not None else None,
                 product_label=str(label) if label is not None else None,
                 rmp=rmps[0], triples=len(graph), loaded_at=now(),
                 version=number, version_date=date)


def source_hash(path: str | Path) -> str:
    """Content hash that identifies a document, computed without parsing it.

    For RMP texts and PDFs it is the SHA-256 of the decoded text (the `{h}` of the
    IRIs), so the same summary re-encoded or re-extracted is still recognised.
    RDF inputs carry it as `rmp:sha256`, which needs a parse (see `prepare`).
    """
    from rmpgraph.parse.read import read_source

    return read_source(path).sha256


#: (version number, version date) given for a document, e.g. by `load --rmp-version`
Given = tuple[str | None, str | None]


def prepare(path: str | Path, given: Given = (None, None)) -> Prepared:
    """Build (or parse) one input into a `Prepared` document. Safe in a subprocess.

    `given` is the version number and date the user stated for the document; the
    graph builder records them (an RDF input states its own).
    """
    from rmpgraph.graph.pipeline import build_source
    from rmpgraph.graph.rdfio import is_rdf_path, parse_rdf
    from rmpgraph.parse.read import read_source

    p = Path(path)
    if is_rdf_path(p):
        if given != (None, None):
            raise UsageError("--rmp-version/--rmp-date apply to documents; an RDF "
                             "file states its own version", path=p)
        graph, sha = parse_rdf(p), None
    else:
        source = read_source(p)
        graph = build_source(source, rmp_version=given[0], rmp_date=given[1]).graph
        sha = source.sha256
    entry = _describe(graph, p, sha)
    return serialise(graph, entry, entry.sha256[:12])


def knowledge_graph(kind: str) -> tuple[Graph, str, str]:
    files = ([ONTOLOGY_DIR / "rmp.ttl"] if kind == "ontology"
             else sorted(VOCAB_DIR.glob("*.ttl")))
    digest = hashlib.sha256()
    graph = Graph()
    for f in files:
        data = f.read_bytes()
        digest.update(f.name.encode() + b"\0" + data)
        try:
            graph.parse(data=data, format="turtle")
        except Exception as exc:  # rdflib raises parser-specific types
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise InputError(f"not valid Turtle: {first}", path=f) from None
    return graph, digest.hexdigest(), ",".join(f.name for f in files)


def _prepare_or_error(path: Path, given: Given) -> Prepared | RmpGraphError:
    """`prepare`, with a document's own error returned rather than raised, so one
    bad document does not end the pool and the loader can report it in order."""
    try:
        return prepare(path, given)
    except RmpGraphError as exc:
        return exc


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when the loader that started it dies.

    A killed `load -j 2` otherwise left its workers parsing on (~78 MB each). On
    Linux the kernel does it (prctl PR_SET_PDEATHSIG), which covers SIGKILL of
    the loader; everywhere a daemon thread also polls the parent's pid every
    half second, which covers platforms without prctl and the window before the
    prctl call took effect.
    """
    import os
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def prepare_all(paths: list[Path], jobs: int,
                given: list[Given] | None = None) -> Iterator[Prepared | RmpGraphError]:
    """Prepared documents (or their errors) in input order, at most `_AHEAD` per
    job in flight.

    Parsing outruns writing, so an unbounded `pool.map` would pile every finished
    document up in this process (a 1,000-document load held them all). Closing
    the generator early cancels what is queued and stops the workers.
    """
    givens = given or [(None, None)] * len(paths)
    if jobs <= 1 or len(paths) < 2:
        yield from map(_prepare_or_error, paths, givens)
        return
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork: the workers are this process's children, so they can watch it
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        pending: deque[Future[Prepared | RmpGraphError]] = deque()
        queued = iter(zip(paths, givens, strict=True))
        for path, one in queued:
            pending.append(pool.submit(_prepare_or_error, path, one))
            if len(pending) >= jobs * _AHEAD:
                break
        while pending:
            doc = pending.popleft().result()
            nxt = next(queued, None)
            if nxt is not None:
                pending.append(pool.submit(_prepare_or_error, *nxt))
            yield doc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
