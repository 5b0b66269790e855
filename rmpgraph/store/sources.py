"""Where queries and validation read from: files, the embedded store, or an endpoint.

The same stored query or shape must give the same answer whichever backend holds
the data, so the commands talk to one small interface and the three backends differ
only in how a request is executed. Parameters are bound as typed terms in every case:
rdflib's initBindings for files, a checked VALUES block for Oxigraph and endpoints.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from rdflib import Graph
from rdflib.term import Identifier

from rmpgraph.errors import UsageError
from rmpgraph.queries.plans import corpus_plan
from rmpgraph.queries.sparqltext import projection, runnable_text
from rmpgraph.queries.stored import Outcome, bind_for_engine, check_request, execute

__all__ = ["Source", "FileSource", "StoreSource", "EndpointSource", "open_source"]


class Source(Protocol):
    def outcome(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        allow_service: bool = False,
        path: str | Path | None = None,
    ) -> Outcome: ...

    def graph(self) -> Graph: ...


def _as_outcome(
    text: str, result: list[dict[str, Identifier]] | bool | Graph
) -> Outcome:
    if isinstance(result, bool):
        return Outcome(kind="ask", boolean=result)
    if isinstance(result, Graph):
        return Outcome(kind="graph", graph=result)
    algebra = check_request(text, allow_service=True).algebra
    variables = tuple(projection(text, algebra))
    return Outcome(kind="select", variables=variables, rows=tuple(result))


@dataclass
class FileSource:
    """RMP texts, PDFs or RDF files, built/parsed into one rdflib graph."""

    inputs: Sequence[str]

    def __post_init__(self) -> None:
        from rmpgraph.graph.inputs import (
            load_graph,  # local: building pulls in the whole pipeline
        )

        self._graph = load_graph(self.inputs)

    def outcome(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        allow_service: bool = False,
        path: str | Path | None = None,
    ) -> Outcome:
        return execute(
            text, self._graph, bindings, allow_service=allow_service, path=path
        )

    def graph(self) -> Graph:
        return self._graph


class _Remote(ABC):
    """Shared by the store and endpoints: backends that run SPARQL text themselves."""

    @abstractmethod
    def _query(self, text: str) -> Any:
        """Run checked, fully bound SPARQL text; rows, a bool or a Graph."""

    def outcome(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        allow_service: bool = False,
        path: str | Path | None = None,
        scope: Mapping[str, Identifier] | None = None,
    ) -> Outcome:
        """`scope`: bound scope values to look up first (`queries.scope`); when
        one names nothing, `ScopeMissError` and the query does not run."""
        bound = self.bound_text(text, bindings, allow_service=allow_service, path=path)
        check = self._check(scope)
        if check is None:
            return _as_outcome(bound, self._query(bound))
        return _as_outcome(bound, self._checked_query(check, bound))

    def _check(self, scope: Mapping[str, Identifier] | None
               ) -> tuple[str, list[str]] | None:
        """The bound scope check and the names of the values it looks up."""
        if not scope:
            return None
        from rmpgraph.queries.scope import check_text

        text, path = check_text()
        return self.bound_text(text, scope, path=path), sorted(scope)

    def _checked_query(self, check: tuple[str, list[str]], text: str) -> Any:
        """The scope check then the query; one request each unless the backend
        can send both at once (the store folder: one child process)."""
        from rmpgraph.queries.scope import ScopeMissError, found

        rows = self._query(check[0])
        row = rows[0] if rows else {}
        if not found(row, check[1]):
            raise ScopeMissError(row)
        return self._query(text)

    def bound_text(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        allow_service: bool = False,
        path: str | Path | None = None,
    ) -> str:
        """The checked text with its parameters bound, as the engine will run it."""
        if allow_service:
            raise UsageError(
                "--allow-service is only supported on files; the store "
                "and endpoints never forward SERVICE requests"
            )
        text = runnable_text(self._engine_text(text, bindings or {}, path), path=path)
        for name, term in (bindings or {}).items():
            # written into the text, "\u0041" would be read as an escape by one
            # engine and as text by another; refuse rather than guess
            if re.search(r"\\[uU][0-9A-Fa-f]{4}", str(term)):
                raise UsageError(f"parameter {name}: a value containing a \\u "
                                 "escape can be used on files only, not on a store "
                                 "or endpoint")
        return bind_for_engine(text, dict(bindings or {}))

    def _engine_text(self, text: str, bindings: Mapping[str, Identifier],
                     path: str | Path | None) -> str:
        """The text this engine runs for `text` (a stored query's at `path`):
        the same, unless an engine has a plan of its own."""
        return text


class StoreSource(_Remote):
    """The embedded Oxigraph store (`rmpgraph load`), union of its graphs.

    Read through `storeguard`: each request runs in a child process that opens
    the store read-only (so it works during a load) under a memory limit (so a
    damaged store gives an error, not an exhausted machine). A path without a
    store is refused before anything is opened, so nothing is ever created.
    """

    def __init__(self, path: str | Path) -> None:
        from rmpgraph.store.storeguard import GuardedStore

        self._store = GuardedStore(path)

    def _engine_text(self, text: str, bindings: Mapping[str, Identifier],
                     path: str | Path | None) -> str:
        """A shipped query asked over the whole corpus runs its plan for this
        store where it has one (`queries.plans`)."""
        plan = corpus_plan(path, bindings)
        return text if plan is None else plan

    def _query(self, text: str) -> Any:
        return self._store.query(text)

    def _checked_query(self, check: tuple[str, list[str]], text: str) -> Any:
        return self._store.query(text, check=check)

    def graph(self) -> Graph:
        return self._store.to_rdflib()

    def stream(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None,
        fmt: str,
        sink: BinaryIO,
        *,
        limit: int | None = None,
        offset: int | None = None,
        path: str | Path | None = None,
        scope: Mapping[str, Identifier] | None = None,
        pages: str | None = None,
    ) -> bool:
        """Write a SELECT's results to `sink` in `fmt` as the store produces them
        (`storeguard.GuardedStore.stream`), byte for byte what `outcome` then
        `results.render` give. False, and nothing written, when the request is
        not a SELECT or `fmt` is not a streamed format: the caller renders.
        `pages`: the stored query's header key, taken when the request leaves
        that parameter unbound (`queries.paging`)."""
        from rmpgraph.queries.results import STREAM_FORMATS

        if fmt not in STREAM_FORMATS:
            return False
        bound = self.bound_text(text, bindings, path=path)
        algebra = check_request(bound, allow_service=True).algebra
        if algebra.name != "SelectQuery":
            return False
        variables = projection(bound, algebra)
        if pages is not None and bindings and pages in bindings:
            pages = None
        self._store.stream(bound, variables, fmt, sink, limit=limit, offset=offset,
                           check=self._check(scope), pages=pages)
        return True


class EndpointSource(_Remote):
    """A SPARQL 1.1 Protocol endpoint (Oxigraph server, Fuseki, GraphDB)."""

    def __init__(self, url: str) -> None:
        from rmpgraph.store.endpoint import Endpoint

        self._endpoint = Endpoint(url)

    def _query(self, text: str) -> Any:
        return self._endpoint.query(text)

    def graph(self) -> Graph:
        result = self._endpoint.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert isinstance(result, Graph)
        return result


def open_source(
    inputs: Sequence[str], store: str | None = None, endpoint: str | None = None
) -> Source:
    """Exactly one of: input files, a store path, an endpoint URL."""
    given = [bool(inputs), bool(store), bool(endpoint)]
    if sum(given) != 1:
        raise UsageError(
            "give INPUT files, or --store PATH, or --endpoint URL (exactly one)"
        )
    if store:
        return StoreSource(store)
    if endpoint:
        return EndpointSource(endpoint)
    return FileSource(list(inputs))
