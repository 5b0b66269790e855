"""What `query()` and `validate()` read from: files, a graph, a store or an endpoint.

A notebook passes whatever it holds (a path, an `RmpDocument`, an rdflib Graph, an
open `rmpgraph.Store`, a store directory, an endpoint URL); each becomes one object
that runs a request with typed bindings and can hand over its whole graph. The
engines bind parameters their own way (rdflib's initBindings for graphs; the store
and endpoints through `rmpgraph.store.sources`, which checks the text they run), so
`rmpgraph.queries.run("q", RmpStore(...))`'s `initBindings` error cannot recur here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Identifier

from rmpgraph.errors import InputError, RmpGraphError, UsageError, WrongTypeError

__all__ = ["QuerySource", "open_query_source", "open_store", "open_endpoint",
           "EXPECTED_SOURCE"]

EXPECTED_SOURCE = ("a file path or a list of paths (RMP summaries or RDF files), an "
                   "RmpDocument, an rdflib Graph, an rmpgraph.Store, a store "
                   "directory or an http(s):// SPARQL endpoint URL")
#: IRIs per label lookup on an endpoint (one HTTP request each, kept well below
#: servers' request-size limits); a store takes them all in one request, which
#: matters most for a store folder, where each request is a child process
_ENDPOINT_BATCH = 500


class QuerySource(Protocol):
    """What the API needs from any backend."""

    def outcome(self, text: str, bindings: Mapping[str, Identifier] | None = None, *,
                allow_service: bool = False, path: str | Path | None = None) -> Any:
        """Run a checked request with typed bindings (`queries.stored.Outcome`)."""

    def graph(self) -> Graph:
        """Everything the source holds, as one rdflib graph (for validation)."""

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, str]:
        """rdfs:label of each IRI that has one, else its skos:prefLabel (the
        vocabularies' concepts have only that); the smallest, if several."""

    def describe(self) -> str:
        """The source as the user gave it, for messages."""


class _GraphSource:
    """An rdflib graph in memory: rdflib runs the request with initBindings."""

    def __init__(self, graph: Graph, name: str) -> None:
        self._graph = graph
        self._name = name

    def outcome(self, text: str, bindings: Mapping[str, Identifier] | None = None, *,
                allow_service: bool = False, path: str | Path | None = None) -> Any:
        from rmpgraph.queries.stored import execute

        return execute(text, self._graph, bindings, allow_service=allow_service,
                       path=path)

    def graph(self) -> Graph:
        return self._graph

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, str]:
        # the ontology and vocabularies are in a store's union but not in a built
        # document, so a graph gets the same labels a store would give
        out = {}
        rest = []
        for iri in iris:
            found = _graph_label(self._graph, iri)
            if found is None:
                rest.append(iri)
            else:
                out[iri] = found
        return {**_shipped_labels(rest), **out}

    def describe(self) -> str:
        return self._name


def _graph_label(graph: Graph, iri: URIRef) -> str | None:
    for prop in (RDFS.label, SKOS.prefLabel):
        found = sorted(str(o) for o in graph.objects(iri, prop))
        if found:
            return found[0]
    return None


def _shipped_labels(iris: Iterable[URIRef]) -> dict[URIRef, str]:
    """Labels of ontology terms and vocabulary concepts from the shipped files."""
    from rmpgraph.graph.ontology import load_ontology

    ontology = load_ontology()
    found = {iri: _graph_label(ontology, iri) for iri in iris}
    return {iri: label for iri, label in found.items() if label is not None}


def _label_query(iris: Sequence[URIRef]) -> str:
    # The IRIs come from the engine's own answer, not from the user, and the text
    # is checked again by the engine's guard before it runs (sparqltext).
    values = " ".join(iri.n3() for iri in iris)
    return (f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} {{ ?s <{RDFS.label}> ?l "
            f"}} UNION {{ ?s <{SKOS.prefLabel}> ?l FILTER NOT EXISTS {{ ?s "
            f"<{RDFS.label}> ?any }} }} }} ORDER BY ?s ?l")


def _valid_iris(iris: Iterable[URIRef]) -> list[URIRef]:
    out = []
    for iri in sorted(set(iris)):
        try:
            iri.n3()
        except Exception:  # rdflib refuses IRIs it cannot write; they get no label
            continue
        out.append(iri)
    return out


@contextlib.contextmanager
def _engine_errors(name: str, path: str | Path | None) -> Iterator[None]:
    """What an engine raises beyond the store layer's own errors (pyoxigraph's
    SyntaxError for a query rdflib accepted but Oxigraph does not, e.g. `SELECT *`
    with GROUP BY; its ValueError/TypeError on evaluation) as one UsageError."""
    try:
        yield
    except RmpGraphError:
        raise
    except (SyntaxError, ValueError, TypeError, RuntimeError, OSError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"{name} could not run the query: {first[:300]}",
                         path=path) from None


class _EngineSource:
    """The store or an endpoint: they run SPARQL text, bound and checked by
    `rmpgraph.store.sources` (the same code the CLI's --store/--endpoint use)."""

    def __init__(self, opener: Any, name: str, batch: int | None = None, *,
                 kind: str = "endpoint") -> None:
        self._opener = opener  # context manager factory -> store.sources backend
        self._name = name
        self._batch = batch
        #: "store" or "endpoint", for messages that name the source
        self.kind = kind
        #: whether `outcome(scope=...)` looks the scope values up in the same
        #: request as the query (a store folder: one child process, not two)
        self.checks_scope = False

    def outcome(self, text: str, bindings: Mapping[str, Identifier] | None = None, *,
                allow_service: bool = False, path: str | Path | None = None,
                scope: Mapping[str, Identifier] | None = None) -> Any:
        """`scope`: see `checks_scope`."""
        extra = {"scope": scope} if scope else {}
        with self._opener() as backend, _engine_errors(self._name, path):
            return backend.outcome(text, bindings, allow_service=allow_service,
                                   path=path, **extra)

    def graph(self) -> Graph:
        with self._opener() as backend, _engine_errors(self._name, None):
            return backend.graph()

    def stream(self, text: str, bindings: Mapping[str, Identifier] | None, fmt: str,
               sink: BinaryIO, *, limit: int | None = None, offset: int | None = None,
               path: str | Path | None = None,
               scope: Mapping[str, Identifier] | None = None,
               pages: str | None = None) -> bool:
        """Write a SELECT's results to `sink` as the engine produces them, when it
        can (a store folder: `StoreSource.stream`); False, nothing written, else.
        Not under `_engine_errors`: the child's errors come back as RmpGraphErrors,
        and an OSError here is the output's (disk full, pipe closed), not the
        engine's."""
        with self._opener() as backend:
            write = getattr(backend, "stream", None)
            if write is None:
                return False
            return bool(write(text, bindings, fmt, sink, limit=limit, offset=offset,
                              path=path, scope=scope, pages=pages))

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, str]:
        todo = _valid_iris(iris)
        out: dict[URIRef, str] = {}
        with self._opener() as backend:
            step = self._batch or max(len(todo), 1)
            for start in range(0, len(todo), step):
                rows = backend.outcome(_label_query(todo[start:start + step]))
                for row in rows.rows:
                    out.setdefault(URIRef(str(row["s"])), str(row["l"]))
        # an endpoint given only RMP graphs lacks the vocabularies a store holds
        return {**_shipped_labels(i for i in todo if i not in out), **out}

    def describe(self) -> str:
        return self._name


def _engine(query: Any, graph: Any) -> Any:
    """A `store.sources` backend over an engine object the caller holds (an open
    `RmpStore`, a configured `Endpoint`): `query(text)` runs checked, bound text."""
    from rmpgraph.store.sources import _Remote

    class _Held(_Remote):
        def _query(self, text: str) -> Any:
            return query(text)

        def graph(self) -> Graph:
            return graph()

    return _Held()


def _live_store(store: Any) -> Any:
    """A backend over an `RmpStore` this process already holds open."""
    return _engine(store.query, store.to_rdflib)


def _closed(store: Any) -> bool:
    return not hasattr(store, "_store")  # `RmpStore.close()` drops the handle


def _held_store(store: Any) -> Any:
    """The caller's open store; once they close it (`with` ended), a read-only
    reopening at its path, so `result.to_dataframe()` after the block still finds
    the labels."""

    @contextlib.contextmanager
    def opener() -> Iterator[Any]:
        if not _closed(store):
            yield _live_store(store)
            return
        from rmpgraph.store.embedded import RmpStore

        with RmpStore(store.path, read_only=True, create=False) as again:
            yield _live_store(again)

    return opener


def open_store(path: str | Path) -> QuerySource:
    """A store directory as a source. Each request runs in a child process that
    opens the store read-only under a memory limit (`rmpgraph.store.storeguard`):
    it works during a load, never creates a store, and a damaged store gives an
    error instead of exhausting the machine. An open `rmpgraph.Store` is faster
    for many small queries (no process per request)."""
    from rmpgraph.store.sources import StoreSource

    backend = StoreSource(path)  # refuses a missing, empty or damaged store now
    source = _EngineSource(lambda: contextlib.nullcontext(backend), str(path),
                           kind="store")
    source.checks_scope = True
    return source


def open_endpoint(url: str) -> QuerySource:
    """An http(s) SPARQL 1.1 endpoint as a source (credentials from the
    environment, see `rmpgraph.store.endpoint`)."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise UsageError(f"endpoint must be an http:// or https:// URL, got {url!r}")
    return _endpoint(url)


def _endpoint(url_or_endpoint: Any) -> Any:
    from rmpgraph.store.sources import EndpointSource

    if isinstance(url_or_endpoint, str):
        backend = EndpointSource(url_or_endpoint)
        name = url_or_endpoint
    else:  # an rmpgraph.store.endpoint.Endpoint the caller configured
        endpoint = url_or_endpoint

        def everything() -> Graph:
            return endpoint.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

        backend = _engine(endpoint.query, everything)
        name = endpoint.query_url
    return _EngineSource(lambda: contextlib.nullcontext(backend), name,
                         _ENDPOINT_BATCH)


def open_query_source(source: Any) -> QuerySource:
    """The backend for `source` (see `EXPECTED_SOURCE`).

    Raises:
        WrongTypeError: `source` is none of the accepted kinds.
        InputError: a path that does not exist.
    """
    from rmpgraph.api.documents import RmpDocument, as_paths, build

    if isinstance(source, (_GraphSource, _EngineSource)):
        return source
    if isinstance(source, RmpDocument):
        return _GraphSource(source.graph, "the RmpDocument")
    if isinstance(source, Graph):
        return _GraphSource(source, "the graph")
    kind = type(source)
    if kind.__module__ == "rmpgraph.store.embedded" and kind.__name__ == "RmpStore":
        if _closed(source):
            raise UsageError("the store is closed; open it again with "
                             "rmpgraph.Store(path)", path=source.path)
        return _EngineSource(_held_store(source), str(source.path), kind="store")
    if kind.__module__ == "rmpgraph.store.endpoint" and kind.__name__ == "Endpoint":
        return _endpoint(source)
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return _endpoint(source)
    if isinstance(source, (str, Path)) and Path(source).is_dir():
        return open_store(source)
    try:
        paths = as_paths(source, "source")
    except WrongTypeError:
        raise WrongTypeError(f"source: expected {EXPECTED_SOURCE}; got "
                             f"{type(source).__name__}") from None
    for p in paths:
        if not p.exists():
            raise InputError("no such file or store directory", path=p)
    doc = build(paths)
    name = ", ".join(str(p) for p in paths)
    return _GraphSource(doc.graph, name)
