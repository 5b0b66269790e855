"""Persistent store: many RMPs on disk in an embedded Oxigraph database.

rdflib's in-memory SPARQL is ~100x slower than Oxigraph on grouped queries and holds
every triple as Python objects, so a corpus of a thousand RMPs lives here instead.

Layout (all named graphs, queried as their union):
- one graph per RMP version, `graph/<product-slug>/<sha12>`, the same `{p}` and `{h}`
  as the RMP IRI `id/<p>/rmp/<h>`, so re-publishing a changed summary adds a version
  rather than overwriting the previous one;
- `graph/ontology` and `graph/vocab` for `ontology/rmp.ttl` and the SKOS schemes;
- `graph/catalogue`: one VoID description per loaded graph (content hash, file name,
  product, triple count, load time). It lives in the store, not in a side file, so
  it is written in the same transaction as the document and can never disagree
  with it.
- `graph/union`: the RDF merge of the RMP, ontology and vocabulary graphs (not the
  catalogue), which queries use as their default graph. Oxigraph 0.5's
  `use_default_graph_as_union` is a multiset (oxigraph/oxigraph#1919, fixed after
  0.5): a triple held by two versions of a product matched twice, so joins through
  shared product and concern IRIs multiplied rows (x4.6 on the 1,000-RMP corpus,
  35 s instead of 1.5 s for missing-information-plan) and COUNTs disagreed with
  rdflib. Writing each triple into this graph too (a set, so re-inserting is a
  no-op) costs one more index entry per triple and gives set semantics.

Crash safety comes from writing each document, with its catalogue entry, through one
`Store.extend` call, which Oxigraph commits as a single transaction: a process
killed while loading leaves all of the document or none of it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, VOID, XSD
from rdflib.term import Identifier

from .errors import InputError, UsageError
from .namespaces import GRAPH, ID, RMP
from .paths import ONTOLOGY_DIR, VOCAB_DIR

__all__ = ["DEFAULT_STORE", "ONTOLOGY_GRAPH", "VOCAB_GRAPH", "CATALOGUE_GRAPH",
           "UNION_GRAPH",
           "Entry", "Prepared", "LoadOutcome", "RmpStore", "prepare", "graph_iri",
           "to_rdflib_term", "stored_query_texts"]

DEFAULT_STORE = Path(".rmpgraph") / "store"
ONTOLOGY_GRAPH = str(GRAPH["ontology"])
VOCAB_GRAPH = str(GRAPH["vocab"])
CATALOGUE_GRAPH = str(GRAPH["catalogue"])
UNION_GRAPH = str(GRAPH["union"])
_UNION = ox.NamedNode(UNION_GRAPH)
_RMP_IRI = re.compile(re.escape(str(ID))
                      + r"(?P<p>[a-z0-9-]+)/rmp/(?P<h>[0-9a-f]{12})$")
#: test hook: a file path; half-way through writing a document the loader creates
#: it and sleeps, so a crash test knows when to kill the process
_PAUSE_ENV = "RMPGRAPH_STORE_TEST_PAUSE"
#: quads written between two memtable flushes. Oxigraph keeps writes in RocksDB
#: memtables (128 MiB per column family, 12 families) until they fill: without a
#: flush a 300-document load held ~570 MiB more there and each insert slowed as the
#: tables grew (16 -> 39 us/quad); flushing every 50k quads keeps both flat.
_FLUSH_EVERY = 50_000
#: documents parsed ahead of the writer, per parsing process
_AHEAD = 4
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


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


@dataclass(frozen=True)
class Prepared:
    """A document ready to write: N-Quads of its graph plus its catalogue entry.

    Plain bytes so it crosses process boundaries cheaply (parsing runs in a pool).
    """

    entry: Entry
    nquads: bytes


@dataclass(frozen=True)
class LoadOutcome:
    path: str
    graph: str
    status: str  # "loaded" or "skipped" (already in the store by content hash)
    triples: int


def graph_iri(rmp_iri: str) -> tuple[str, str, str]:
    """(graph IRI, product slug, sha12) of an RMP IRI `id/<p>/rmp/<h>`."""
    m = _RMP_IRI.match(rmp_iri)
    if not m:
        raise InputError(f"RMP IRI {rmp_iri} does not follow id/<product>/rmp/<sha12>")
    return f"{GRAPH}{m['p']}/{m['h']}", m["p"], m["h"]


# ------------------------------------------------------------------ term conversion


def _ox_term(term: Identifier, salt: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        # blank nodes are document-local: salt them so two documents never share one
        return ox.BlankNode(salt + re.sub(r"[^A-Za-z0-9]", "", str(term)))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"unsupported RDF term {term!r}")


@functools.lru_cache(maxsize=1 << 16)
def to_rdflib_term(term: object) -> Identifier:
    """rdflib term for an Oxigraph term, matching what rdflib's own parsers produce.

    Plain literals come back without a datatype (rdflib treats "x" and
    "x"^^xsd:string as different terms) so answers compare equal with rdflib's.
    Cached: answers repeat the same labels and IRIs, and building an rdflib Literal
    costs more than the Oxigraph lookup that produced it.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise UsageError(f"unsupported term in result: {term!r}")


def _quads(graph: Graph, graph_name: str, salt: str) -> Iterator[ox.Quad]:
    g = ox.NamedNode(graph_name)
    for s, p, o in graph:
        yield ox.Quad(_ox_term(s, salt), _ox_term(p, salt), _ox_term(o, salt), g)


def _with_union(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads plus a copy of each RMP/ontology/vocabulary triple in `graph/union`."""
    out = []
    for q in quads:
        out.append(q)
        if q.graph_name.value != CATALOGUE_GRAPH:
            out.append(ox.Quad(q.subject, q.predicate, q.object, _UNION))
    return out


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


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _serialise(graph: Graph, entry: Entry, salt: str) -> Prepared:
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
    return Entry(graph=g_iri, kind="rmp", sha256=sha256, file_name=path.name,
                 product=str(product) if product is not None else None,
                 product_label=str(label) if label is not None else None,
                 rmp=rmps[0], triples=len(graph), loaded_at=_now())


def source_hash(path: str | Path) -> str:
    """Content hash that identifies a document, computed without parsing it.

    For RMP texts and PDFs it is the SHA-256 of the decoded text (the `{h}` of the
    IRIs), so the same summary re-encoded or re-extracted is still recognised.
    RDF inputs carry it as `rmp:sha256`, which needs a parse (see `prepare`).
    """
    from .read import read_source

    return read_source(path).sha256


def prepare(path: str | Path) -> Prepared:
    """Build (or parse) one input into a `Prepared` document. Safe in a subprocess."""
    from .pipeline import build_source
    from .rdfio import is_rdf_path, parse_rdf
    from .read import read_source

    p = Path(path)
    if is_rdf_path(p):
        graph, sha = parse_rdf(p), None
    else:
        source = read_source(p)
        graph, sha = build_source(source).graph, source.sha256
    entry = _describe(graph, p, sha)
    return _serialise(graph, entry, entry.sha256[:12])


def _knowledge_graph(kind: str) -> tuple[Graph, str, str]:
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


def _prepare_all(paths: list[Path], jobs: int) -> Iterator[Prepared]:
    """Prepared documents in input order, at most `_AHEAD` per job in flight.

    Parsing outruns writing, so an unbounded `pool.map` would pile every finished
    document up in this process (a 1,000-document load held them all).
    """
    if jobs <= 1 or len(paths) < 2:
        yield from map(prepare, paths)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[Prepared]] = deque()
        queued = iter(paths)
        for path in queued:
            pending.append(pool.submit(prepare, path))
            if len(pending) >= jobs * _AHEAD:
                break
        while pending:
            doc = pending.popleft().result()
            nxt = next(queued, None)
            if nxt is not None:
                pending.append(pool.submit(prepare, nxt))
            yield doc


# -------------------------------------------------------------------------- store


class RmpStore:
    """An Oxigraph database directory holding RMP graphs, ontology and catalogue.

    Oxigraph locks the directory: a second process opening the same store gets an
    `InputError` rather than a corrupted database.
    """

    def __init__(self, path: str | Path = DEFAULT_STORE) -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise InputError(f"cannot open store ({exc})", path=self.path) from None
        self._unflushed = 0
        self._ensure_union()

    def __enter__(self) -> RmpStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the directory lock (other processes may open it)."""
        self._store.flush()
        del self._store
        gc.collect()  # query iterators keep the database alive until collected

    # ----------------------------------------------------------------- catalogue

    def list(self, *, sha256: str | None = None) -> list[Entry]:
        """Everything loaded, or the entries with that content hash; sorted by
        kind, product and graph IRI."""
        subs = {} if sha256 is None else {ox.Variable("sha"): ox.Literal(sha256)}
        rows = self._store.query(
            f"""SELECT ?g ?kind ?sha ?file ?n ?at ?rmp ?product ?label
            FROM <{CATALOGUE_GRAPH}> WHERE {{
              ?g <{DCTERMS.identifier}> ?sha ; <{DCTERMS.type}> ?kind ;
                 <{DCTERMS.source}> ?file ; <{VOID.triples}> ?n ;
                 <{PROV.generatedAtTime}> ?at .
              OPTIONAL {{ ?g <{FOAF.primaryTopic}> ?rmp }}
              OPTIONAL {{ ?g <{DCTERMS.subject}> ?product }}
              OPTIONAL {{ ?g <{RDFS.label}> ?label }} }}""", substitutions=subs)
        out = []
        for r in rows:
            def val(name: str, row: ox.QuerySolution = r) -> str | None:
                term = row[name]
                return None if term is None else term.value
            out.append(Entry(graph=r["g"].value, kind=r["kind"].value,
                             sha256=r["sha"].value, file_name=r["file"].value,
                             product=val("product"), product_label=val("label"),
                             rmp=val("rmp"), triples=int(r["n"].value),
                             loaded_at=r["at"].value))
        return sorted(out, key=lambda e: (e.kind != "rmp", e.product or "", e.graph))

    def _entry_by_hash(self, sha256: str, kind: str = "rmp") -> Entry | None:
        # by hash in the query: a load of N documents must not list N entries N times
        return next((e for e in self.list(sha256=sha256) if e.kind == kind), None)

    # ------------------------------------------------------------------- writing

    def write(self, prepared: Prepared) -> bool:
        """Write one prepared document in one transaction; False if already there."""
        if self._entry_by_hash(prepared.entry.sha256, prepared.entry.kind):
            return False
        quads = _with_union(ox.parse(prepared.nquads, format=ox.RdfFormat.N_QUADS))
        self._store.extend(self._paced(quads))
        self._unflushed += len(quads)
        if self._unflushed >= _FLUSH_EVERY:
            # committed data is already safe in the write-ahead log; this only
            # moves it from memory to sorted files (see _FLUSH_EVERY)
            self._store.flush()
            self._unflushed = 0
        return True

    @staticmethod
    def _paced(quads: list[ox.Quad]) -> Iterator[ox.Quad]:
        flag = os.environ.get(_PAUSE_ENV)
        for i, quad in enumerate(quads):
            if flag and i == len(quads) // 2:
                Path(flag).touch()
                time.sleep(60)  # crash tests kill the process here
            yield quad

    def ensure_ontology(self) -> None:
        """(Re)load the ontology and vocabulary graphs when their files changed."""
        for kind, iri in (("ontology", ONTOLOGY_GRAPH), ("vocab", VOCAB_GRAPH)):
            graph, digest, names = _knowledge_graph(kind)
            if self._entry_by_hash(digest, kind):
                continue
            self._remove_graph(iri)
            entry = Entry(graph=iri, kind=kind, sha256=digest, file_name=names,
                          product=None, product_label=None, rmp=None,
                          triples=len(graph), loaded_at=_now())
            self.write(_serialise(graph, entry, kind))

    def load(self, paths: Iterable[str | Path], *, jobs: int = 1,
             progress: Callable[[LoadOutcome], None] | None = None
             ) -> list[LoadOutcome]:
        """Add documents (RMP texts, PDFs or one-RMP RDF files), skipping known ones.

        Texts are recognised by content hash before they are parsed, so re-running a
        load over a whole directory only parses what is new. With `jobs` > 1 the
        parsing runs in that many processes (documents are independent); writes
        stay in this process, one transaction per document, in input order.
        """
        from .rdfio import is_rdf_path

        self.ensure_ontology()
        todo: list[Path] = []
        known: dict[int, LoadOutcome] = {}
        paths = [Path(p) for p in paths]
        for i, path in enumerate(paths):
            entry = None if is_rdf_path(path) else self._entry_by_hash(
                source_hash(path))
            if entry is not None:
                known[i] = LoadOutcome(str(path), entry.graph, "skipped",
                                       entry.triples)
            else:
                todo.append(path)
        prepared = _prepare_all(todo, jobs)
        outcomes = []
        for i, path in enumerate(paths):
            outcome = known.get(i)
            if outcome is None:
                doc = next(prepared)
                status = "loaded" if self.write(doc) else "skipped"
                outcome = LoadOutcome(str(path), doc.entry.graph, status,
                                      doc.entry.triples)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes

    def _remove_graph(self, iri: str) -> None:
        g, c, u = f"<{iri}>", f"<{CATALOGUE_GRAPH}>", f"<{UNION_GRAPH}>"
        # one update = one transaction: the graph, its triples in the union graph
        # (those no other graph holds) and its catalogue entry go together
        self._store.update(
            f"DELETE {{ GRAPH {u} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
            f"FILTER (?h NOT IN ({g}, {u}, {c})) }} }} ; "
            f"DROP SILENT GRAPH {g} ; "
            f"DELETE WHERE {{ GRAPH {c} {{ {g} ?p ?o }} }}")

    def _ensure_union(self) -> None:
        """Fill `graph/union` in a store written before it existed (one update)."""
        if self._store.contains_named_graph(_UNION) or not any(
                True for _ in self._store.quads_for_pattern(
                    None, None, None, ox.NamedNode(CATALOGUE_GRAPH))):
            return
        u, c = f"<{UNION_GRAPH}>", f"<{CATALOGUE_GRAPH}>"
        self._store.update(f"INSERT {{ GRAPH {u} {{ ?s ?p ?o }} }} WHERE {{ "
                           f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({u}, {c})) }}")

    def remove(self, target: str) -> list[Entry]:
        """Remove RMP graphs by graph IRI, RMP IRI, product IRI or product slug/name."""
        wanted = target.strip()
        hits = [e for e in self.list() if e.kind == "rmp" and wanted in (
            e.graph, e.rmp, e.product, e.product_label,
            (e.product or "").removeprefix(str(ID)))]
        if not hits:
            raise UsageError(f"nothing loaded matches {target!r} (see `rmpgraph list`)")
        for e in hits:
            self._remove_graph(e.graph)
        return hits

    # ------------------------------------------------------------------- reading

    def query(self, sparql: str) -> list[dict[str, Identifier]] | bool | Graph:
        """Run a read-only query over the union of all graphs.

        SELECT gives rows (dicts of rdflib terms, unbound variables left out), ASK a
        bool, CONSTRUCT/DESCRIBE an rdflib Graph. Updates, FROM and SERVICE are
        refused exactly as for rdflib (same checker), then Oxigraph runs the text.
        The default graph is `graph/union`, a set as in rdflib (a triple two RMP
        versions share counts once); `GRAPH ?g` sees the RMP, ontology, vocabulary
        and catalogue graphs.
        """
        _checked(sparql)
        named = [g for g in self._store.named_graphs() if g != _UNION]
        result = self._store.query(sparql, default_graph=_UNION, named_graphs=named)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = []
            for sol in result:
                row = {}
                for n in names:
                    term = sol[n]
                    if term is not None:
                        row[n] = to_rdflib_term(term)
                rows.append(row)
            return rows
        graph = Graph()
        for t in result:
            graph.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate),
                       to_rdflib_term(t.object)))
        return graph

    def graph_quads(self, iri: str) -> bytes:
        """N-Triples of one named graph (what `push` sends)."""
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in
                   self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri))]
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)

    def to_rdflib(self, *, catalogue: bool = False) -> Graph:
        """Union of the graphs as one rdflib Graph (for pySHACL and comparisons)."""
        graph = Graph()
        for q in self._store:
            name = q.graph_name.value
            if name == UNION_GRAPH or (not catalogue and name == CATALOGUE_GRAPH):
                continue
            graph.add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate),
                       to_rdflib_term(q.object)))
        return graph

    def __len__(self) -> int:
        """Quads in the named graphs, not counting their copies in `graph/union`
        (from the catalogue's triple counts: counting the union is a full scan)."""
        catalogue = self._store.quads_for_pattern(None, None, None,
                                                  ox.NamedNode(CATALOGUE_GRAPH))
        return sum(e.triples for e in self.list()) + sum(1 for _ in catalogue)


@functools.lru_cache(maxsize=256)
def _checked(sparql: str) -> None:
    from .queries import check_request

    check_request(sparql)


def stored_query_texts(directory: str | Path | None = None) -> dict[str, str]:
    """Every stored query as runnable text, parameters bound to their examples.

    For running the whole catalogue against a store or endpoint (tests, benchmarks):
    each parameter takes its header `example`, else its default, bound as any
    SPARQL engine can run it (`queries.bind_for_engine`).
    """
    from .queries import bind_for_engine, bind_params, load_queries

    out = {}
    for name, query in sorted(load_queries(directory).items()):
        values = {p.name: p.example for p in query.params if p.example is not None}
        out[name] = bind_for_engine(query.text, bind_params(query, values))
    return out
