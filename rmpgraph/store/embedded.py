"""Persistent store: many RMPs on disk in an embedded Oxigraph database.

rdflib's in-memory SPARQL is ~100x slower than Oxigraph on grouped queries and holds
every triple as Python objects, so a corpus of a thousand RMPs lives here instead.

Layout (all named graphs, queried as their union):
- one graph per RMP version, `graph/<product-slug>/<sha12>`, the same `{p}` and `{h}`
  as the RMP IRI `id/<p>/rmp/<h>`, so re-publishing a changed summary adds a version
  rather than overwriting the previous one;
- `graph/ontology` and `graph/vocab` for `ontology/rmp.ttl` and the SKOS schemes;
- `graph/catalogue`: one VoID description per loaded graph (content hash, file name,
  product, triple count, load time), written in the document's transaction so it
  can never disagree with it.
- `graph/versions`: `prov:wasRevisionOf` between consecutive versions of each
  product, kept by the store (`storeversions`), so queries can find the latest.
- `graph/shared-concerns`: the concerns two or more products share, with their
  product counts, kept by the store (`storeshared`) for products-sharing-concern.

Each triple is stored once. Queries use Oxigraph's union of all graphs as their
default graph (`use_default_graph_as_union`), which is a multiset in Oxigraph 0.5
(oxigraph/oxigraph#1919): a triple two versions of a product share matches twice.
Every stored query is SELECT DISTINCT or counts DISTINCT, so its answers equal
rdflib's over the merged graphs; an ad hoc query that counts rows without
DISTINCT sees such triples once per graph (see `query`). Stores written before
this layout also held a copy of every triple in `graph/union` (1.50 MB of data
files per RMP instead of 0.91 on the realistic 200-RMP corpus, BENCHMARKS.md);
opening such a store drops that graph once (`storedisk`).

Turning inputs into those quads (in parallel processes) is `storedocs`'s part.

Crash safety comes from writing each document, with its catalogue entry, through one
`Store.extend` call, which Oxigraph commits as a single transaction: a process
killed while loading leaves all of the document or none of it. Damage from outside
(a lost `CURRENT`, a corrupted data file) is found before anything is written:
`storefiles` judges the directory, readers open it read-only, and RocksDB errors
at run time become one "store at X is damaged" line instead of a traceback.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, PROV, RDFS, VOID
from rdflib.term import Identifier

from rmpgraph.errors import InputError, UsageError
from rmpgraph.graph.namespaces import ID
from rmpgraph.store import storedisk, storefiles, storeshared, storeversions
from rmpgraph.store.storedocs import (
    CATALOGUE_GRAPH,
    ONTOLOGY_GRAPH,
    VOCAB_GRAPH,
    Entry,
    Given,
    Prepared,
    graph_iri,
    knowledge_graph,
    now,
    prepare,
    rdflib_graph,
    rdflib_result,
    serialise,
    to_rdflib_term,
)
from rmpgraph.store.storeload import LoadOutcome, LoadStoppedError
from rmpgraph.store.storeshared import SHARED_GRAPH
from rmpgraph.store.storeversions import VERSIONS_GRAPH

__all__ = ["DEFAULT_STORE", "ONTOLOGY_GRAPH", "VOCAB_GRAPH", "CATALOGUE_GRAPH",
           "VERSIONS_GRAPH", "SHARED_GRAPH", "STORE_GRAPHS", "Entry", "Prepared",
           "LoadOutcome", "LoadStoppedError", "RmpStore", "prepare", "graph_iri",
           "to_rdflib_term", "stored_query_texts"]

F = TypeVar("F", bound=Callable[..., Any])
#: graphs the store computes over all its RMPs (no catalogue entry of their own)
STORE_GRAPHS = (VERSIONS_GRAPH, SHARED_GRAPH)
DEFAULT_STORE = Path(".rmpgraph") / "store"
#: quads written between two memtable flushes. Oxigraph keeps writes in RocksDB
#: memtables (128 MiB per column family, 12 families) until they fill: without a
#: flush a 300-document load held ~570 MiB more there and each insert slowed as the
#: tables grew (16 -> 39 us/quad); flushing every 50k quads keeps both flat.
_FLUSH_EVERY = 50_000


def _guarded(method: F) -> F:
    """Run a reading method under `RmpStore._failing` (errors of a damaged store)."""

    @functools.wraps(method)
    def wrapper(self: RmpStore, *args: Any, **kwargs: Any) -> Any:
        with self._failing():
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


# -------------------------------------------------------------------------- store


class RmpStore:
    """An Oxigraph database directory holding RMP graphs, ontology and catalogue.

    Oxigraph locks the directory: a second process opening the same store gets an
    `InputError` rather than a corrupted database.
    """

    def __init__(self, path: str | Path = DEFAULT_STORE, *, read_only: bool = False,
                 create: bool = True) -> None:
        """Open the store at `path`.

        `read_only` opens without the directory lock (RocksDB's read-only mode), so
        readers work while a load runs and see the store as it was when opened.
        `create` lets an absent or empty directory become a new store; nothing
        ever creates a database in a directory holding other or damaged files.
        """
        self.path = Path(path)
        self.read_only = read_only
        self._store = self._open(create and not read_only)
        self._unflushed = 0
        self._flushes = 0
        self._migrate()

    def _open(self, create: bool) -> ox.Store:
        state, reason = storefiles.inspect(self.path)
        if state is storefiles.State.DAMAGED:
            raise storefiles.damaged(self.path, reason)
        if state in (storefiles.State.FOREIGN, storefiles.State.NOT_DIR):
            raise storefiles.refuse(self.path, state)
        if state is not storefiles.State.STORE:
            if not create:
                raise storefiles.no_store(self.path)
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                return ox.Store(str(self.path))
            except OSError as exc:
                raise InputError("cannot create store (" + storefiles.describe_failure(
                    exc) + ")", path=self.path) from None
        try:
            # read-only first: it writes nothing, so a damaged store stays as it is
            probe = ox.Store.read_only(str(self.path))
            if self.read_only:
                return probe
            del probe
            return ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:
            if storefiles.is_lock_error(exc):
                raise InputError("store is in use by another process (a load?); "
                                 "readers can use it meanwhile",
                                 path=self.path) from None
            raise storefiles.damaged(self.path, storefiles.describe_failure(exc)) \
                from None

    @contextmanager
    def _failing(self) -> Iterator[None]:
        """RocksDB errors at run time (a data file lost or corrupted, the directory
        deleted) become the one-line damaged-store error."""
        try:
            yield
        except (OSError, RuntimeError) as exc:
            raise storefiles.runtime_error(self.path, exc) from None

    def __enter__(self) -> RmpStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the directory lock (other processes may open it)."""
        if not self.read_only:
            with self._failing():
                self._store.flush()
        del self._store
        gc.collect()  # query iterators keep the database alive until collected
        if not self.read_only:
            with self._failing():
                storedisk.drop_logs(self.path)

    # ----------------------------------------------------------------- catalogue

    @_guarded
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
        e = prepared.entry
        if self._entry_by_hash(e.sha256, e.kind):
            if e.kind == "rmp":  # the same document: under another version?
                with self._failing():
                    storeversions.check_reload(self._store, e.sha256, e.version,
                                               e.version_date, e.file_name)
            return False
        quads = list(ox.parse(prepared.nquads, format=ox.RdfFormat.N_QUADS))
        with self._failing():
            storeversions.check_new(self._store, prepared.entry)
            self._store.extend(quads)
            self._unflushed += len(quads)
            if self._unflushed >= _FLUSH_EVERY:
                # committed data is already safe in the write-ahead log; this only
                # moves it from memory to sorted files (see _FLUSH_EVERY)
                self._store.flush()
                self._unflushed = 0
                self._flushes += 1
        return True

    def ensure_ontology(self) -> None:
        """(Re)load the ontology and vocabulary graphs when their files changed."""
        for kind, iri in (("ontology", ONTOLOGY_GRAPH), ("vocab", VOCAB_GRAPH)):
            graph, digest, names = knowledge_graph(kind)
            if self._entry_by_hash(digest, kind):
                continue
            self._remove_graph(iri)
            entry = Entry(graph=iri, kind=kind, sha256=digest, file_name=names,
                          product=None, product_label=None, rmp=None,
                          triples=len(graph), loaded_at=now())
            self.write(serialise(graph, entry, kind))

    def load(self, paths: Iterable[str | Path], *, jobs: int = 1,
             progress: Callable[[LoadOutcome], None] | None = None,
             keep_going: bool = False, rmp_version: str | None = None,
             rmp_date: str | None = None, versions: Mapping[str, Given] | None = None,
             ) -> list[LoadOutcome]:
        """Add documents (RMP texts, PDFs or one-RMP RDF files), skipping known ones;
        see `storeload.load` (bad documents, `keep_going`, parallel parsing,
        `rmp_version`/`rmp_date` for the documents, or `versions` by file name).
        The version links and shared concerns are recomputed afterwards, also when
        the load stopped half-way; a load killed before that leaves them marked
        stale, and the next opening recomputes them (`storeshared.invalidate`)."""
        from rmpgraph.store.storeload import load

        self._require_writable()
        self.ensure_ontology()
        flushes = self._flushes
        self._stale()
        try:
            outcomes = load(self, [Path(p) for p in paths], jobs=jobs,
                            progress=progress, keep_going=keep_going,
                            given=versions if versions is not None
                            else (rmp_version, rmp_date))
        finally:
            self._refresh()
        if self._flushes > flushes:  # small loads leave it to background compaction
            self.optimize()
        return outcomes

    def _require_writable(self) -> None:
        if self.read_only:
            raise UsageError("the store was opened read-only", path=self.path)

    def optimize(self) -> None:
        """Merge the database's sorted files (after a large load).

        Each flush leaves a small sorted file per index, and queries read them all
        until RocksDB merges them: merging once after a load of 1,000 RMPs took 8 s
        and halved query times (overdue-milestones 314 -> 153 ms).
        """
        with self._failing():
            self._store.optimize()

    def _remove_graph(self, iri: str) -> None:
        g, c = f"<{iri}>", f"<{CATALOGUE_GRAPH}>"
        # one update = one transaction: the graph and its catalogue entry go together
        self._require_writable()
        with self._failing():
            self._store.update(f"DROP SILENT GRAPH {g} ; "
                               f"DELETE WHERE {{ GRAPH {c} {{ {g} ?p ?o }} }}")

    def _migrate(self) -> None:
        """Bring a store written by an earlier rmpgraph to today's layout
        (`storedisk`)."""
        with self._failing():
            self._store = storedisk.migrate(self._store, self.path, self.read_only)

    def remove(self, target: str) -> list[Entry]:
        """Remove RMP graphs by graph IRI, RMP IRI, product IRI or product slug/name."""
        wanted = target.strip()
        hits = [e for e in self.list() if e.kind == "rmp" and wanted in (
            e.graph, e.rmp, e.product, e.product_label,
            (e.product or "").removeprefix(str(ID)))]
        if not hits:
            raise UsageError(f"nothing loaded matches {target!r} (see `rmpgraph list`)")
        self._require_writable()
        self._stale()
        for e in hits:
            self._remove_graph(e.graph)
        self._refresh()
        return hits

    def _stale(self) -> None:
        """Before a load or removal changes the RMPs: what `_refresh` derives is
        marked stale until it runs (`storeshared.invalidate`)."""
        with self._failing():
            storeshared.invalidate(self._store)

    def _refresh(self) -> None:
        """Recompute what the store derives from all its RMPs
        (`storeshared.rederive`)."""
        with self._failing():
            storeshared.rederive(self._store)

    # ------------------------------------------------------------------- reading

    @_guarded
    def query(self, sparql: str) -> list[dict[str, Identifier]] | bool | Graph:
        """Run a read-only query over the union of all graphs.

        SELECT gives rows (dicts of rdflib terms, unbound variables left out), ASK a
        bool, CONSTRUCT/DESCRIBE an rdflib Graph. Updates, FROM and SERVICE are
        refused exactly as for rdflib (same checker), then Oxigraph runs the text.
        The default graph is the union of every graph, the catalogue included;
        `GRAPH ?g` sees each of them. That union is a multiset (see the module
        docstring): SELECT DISTINCT, or COUNT(DISTINCT …), gives rdflib's answer.
        """
        sparql = _checked(sparql)
        return rdflib_result(self._store.query(sparql, use_default_graph_as_union=True))

    @_guarded
    def graph_quads(self, iri: str) -> bytes:
        """N-Triples of one named graph (what `push` sends)."""
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in
                   self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri))]
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)

    @_guarded
    def to_rdflib(self, *, catalogue: bool = False) -> Graph:
        """Union of the graphs as one rdflib Graph (for pySHACL and comparisons)."""
        return rdflib_graph(self._store, skip=() if catalogue else (CATALOGUE_GRAPH,))

    @_guarded
    def __len__(self) -> int:
        """Quads in the store (the loaded graphs from the catalogue's triple counts:
        counting every quad is a full scan)."""
        small = sum(1 for g in (CATALOGUE_GRAPH, *STORE_GRAPHS) for _ in
                    self._store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        return sum(e.triples for e in self.list()) + small


@functools.lru_cache(maxsize=256)
def _checked(sparql: str) -> str:
    """The text Oxigraph may run: escapes resolved, then checked (see
    `sparqltext.runnable_text`); Oxigraph must never see the original."""
    from rmpgraph.queries.sparqltext import runnable_text

    return runnable_text(sparql)


def stored_query_texts(directory: str | Path | None = None) -> dict[str, str]:
    """Every stored query as runnable text, parameters bound to their examples.

    For running the whole catalogue against a store or endpoint (tests, benchmarks):
    each parameter takes its header `example`, else its default, bound as any
    SPARQL engine can run it (`queries.bind_for_engine`).
    """
    from rmpgraph.queries.stored import bind_for_engine, bind_params, load_queries

    out = {}
    for name, query in sorted(load_queries(directory).items()):
        values = {p.name: p.example for p in query.params if p.example is not None}
        out[name] = bind_for_engine(query.text, bind_params(query, values))
    return out
