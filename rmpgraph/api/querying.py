"""`query()`: a stored query by name, or SPARQL text, over any source.

Ad hoc SPARQL gets the project's prefixes (`rmp:`, `rmpv:`, `id:`, `skos:`...) from
`ontology/context.jsonld`, the file that already names them for JSON-LD, so
`SELECT ?c WHERE { ?c a rmp:SafetyConcern }` runs as typed. LIMIT and OFFSET are
applied to the solutions after the engine returns them, never written into the
text, so they cannot change what the text means (and a stored query's ORDER BY
decides which rows they keep).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rdflib.query import Result

from rmpgraph.api.results import QueryResult
from rmpgraph.api.scoping import run_scoped
from rmpgraph.api.sources import open_query_source
from rmpgraph.errors import InputError, RmpGraphError, UsageError, WrongTypeError

__all__ = ["query", "write_query", "list_queries", "get_query", "prefixes",
           "with_prefixes", "query_dirs", "is_query_name"]

#: a stored query's name (`cohort/...` for a sub-folder); SPARQL text never matches,
#: since any query has a space or a brace
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]*$")


def is_query_name(text: str) -> bool:
    """Whether `text` names a stored query rather than being SPARQL."""
    return bool(_NAME.match(text.strip()))


@functools.lru_cache(maxsize=1)
def prefixes() -> dict[str, str]:
    """Prefix -> namespace IRI, as `ontology/context.jsonld` declares them."""
    from rmpgraph.paths import ONTOLOGY_DIR

    path = ONTOLOGY_DIR / "context.jsonld"
    try:
        context = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read the prefixes ({exc})", path=path) from None
    return {k: v for k, v in sorted(context.items()) if isinstance(v, str)
            and not k.startswith("@") and re.match(r"^[a-z][\w-]*$", k)
            and "://" in v and v[-1] in "#/"}


def with_prefixes(text: str) -> str:
    """`text` with the project's prefixes declared in front of it, one per line (on
    one line, rdflib reads the `#` of `ontology#` as a comment start when SERVICE
    follows). A query's own PREFIX of the same name comes later and wins (SPARQL
    1.1 lets a prologue redeclare a prefix). `_user_lines` maps error lines back."""
    decls = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes().items())
    return decls + text


@contextlib.contextmanager
def _user_lines(added: int) -> Iterator[None]:
    """Line numbers in errors as the user wrote the query (without our prefixes)."""
    try:
        yield
    except RmpGraphError as exc:
        if exc.line is not None and added:
            exc.line = exc.line - added if exc.line > added else None
        raise


def query_dirs(queries_dir: str | Path | Sequence[str | Path] | None) -> list[Path]:
    """User query folders, checked (one folder or a list)."""
    if queries_dir is None:
        return []
    items = [queries_dir] if isinstance(queries_dir, (str, Path)) else queries_dir
    if not isinstance(items, Sequence) or not all(isinstance(d, (str, Path))
                                                  for d in items):
        raise WrongTypeError("queries_dir: expected a folder path or a list of them, "
                             f"got {type(queries_dir).__name__}")
    for d in items:
        if not Path(d).is_dir():
            raise InputError("query folder not found", path=d)
    return [Path(d) for d in items]


def list_queries(queries_dir: str | Path | Sequence[str | Path] | None = None
                 ) -> dict[str, Any]:
    """Every stored query (shipped, then the user's folders) by name, sorted:
    `StoredQuery` objects with `.title`, `.description`, `.params`, `.text`."""
    from rmpgraph.queries.stored import load_queries

    return load_queries(extra=query_dirs(queries_dir))


def get_query(name: str, queries_dir: str | Path | Sequence[str | Path] | None = None
              ) -> Any:
    """One stored query by name; an unknown name lists the known ones."""
    from rmpgraph.queries.stored import get_query as _get

    if not isinstance(name, str):
        raise WrongTypeError("query name: expected a string, got "
                             f"{type(name).__name__}")
    return _get(name, extra=query_dirs(queries_dir))


def _count(value: Any, what: str, least: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        expected = "a positive integer" if least else "a non-negative integer"
        raise UsageError(f"{what}: expected {expected}, got {value!r}")
    return value


def _check_params(stored: Any, params: Mapping[str, Any]) -> None:
    """Missing required parameters, said the way both callers give them."""
    for p in stored.params:
        if p.required and params.get(p.name) is None:
            example = p.example or {"date": "2026-01-31", "integer": "5",
                                    "iri": "https://w3id.org/rmpgraph/id/...",
                                    "string": "TEXT"}[p.type]
            raise UsageError(
                f"query {stored.name!r} needs parameter {p.name!r} ({p.type}: "
                f"{p.description}); give it as -p {p.name}={example} on the command "
                f"line, params={{{p.name!r}: ...}} in Python")


def query(name_or_sparql: str | Path, source: Any,
          params: Mapping[str, Any] | None = None, *,
          queries_dir: str | Path | Sequence[str | Path] | None = None,
          limit: int | None = None, offset: int | None = None,
          allow_service: bool = False) -> QueryResult:
    """Run a stored query (by name) or a SPARQL query (text) over `source`.

    Args:
        name_or_sparql: a stored query's name (`rmpgraph query list`), SPARQL
            text, or a `pathlib.Path` of a file holding SPARQL; the project's
            prefixes (rmp:, rmpv:, id:, skos:...) are declared for SPARQL.
        source: RMP summaries or RDF files (a path or a list), an `RmpDocument`, an
            rdflib Graph, an `rmpgraph.Store`, a store directory, or an http(s)
            SPARQL endpoint URL.
        params: stored-query parameters by name, as Python values or strings,
            e.g. `{"as_of": date(2026, 1, 31)}` or `{"from": "2026-01-01"}`.
        queries_dir: your own folder(s) of `.rq` files with `#+` headers, next to
            the shipped ones (a name both define is an error naming both files).
        limit: at most this many rows (a positive integer).
        offset: skip this many rows first (a non-negative integer).
        allow_service: permit SERVICE clauses (they query remote endpoints); files
            and graphs only.

    Returns:
        A `QueryResult` (`.rows`, `.to_dataframe()`, `.serialize(format)`).

    Raises:
        RmpGraphError: an unknown query or parameter, a bad value, a `product`,
            `rmp` or `version` the source does not hold (`queries/scope/`), a
            source of the wrong kind, a syntax error, or a refused request
            (updates, FROM).
    """
    prepared = _prepare(name_or_sparql, params, queries_dir, allow_service)
    lim, off = _count(limit, "limit", 1), _count(offset, "offset", 0)
    backend = open_query_source(source)
    return run_scoped(prepared, backend, lambda attempt, scope: _result(
        attempt, backend, lim, off, allow_service, scope))


def write_query(name_or_sparql: str | Path, source: Any, output: BinaryIO,
                params: Mapping[str, Any] | None = None, *, format: str = "csv",  # noqa: A002
                queries_dir: str | Path | Sequence[str | Path] | None = None,
                limit: int | None = None, offset: int | None = None,
                allow_service: bool = False, iris: bool = False) -> None:
    """Run a query as `query()` does and write its result to `output` (binary).

    On a store folder, a SELECT in csv, tsv, json or xml is streamed: rows are
    written as Oxigraph produces them, so the first bytes come before the last
    row is computed and no process holds the whole answer; the bytes are those
    `query(...).serialize(format)` gives. Everything else (files, graphs,
    endpoints; table and markdown, which need every row for widths and labels) is
    rendered whole. CONSTRUCT and DESCRIBE are written as Turtle. On an error
    after the first bytes, `output` holds a partial result: write to a temporary
    file and rename it once this returns.

    Raises:
        RmpGraphError: as `query()`.
    """
    prepared = _prepare(name_or_sparql, params, queries_dir, allow_service)
    lim, off = _count(limit, "limit", 1), _count(offset, "offset", 0)
    backend = open_query_source(source)
    stream = getattr(backend, "stream", None)

    def run(attempt: _Prepared, scope: dict[str, Any] | None) -> QueryResult | None:
        """The result to render, or None once the store has streamed it."""
        if stream is not None and not allow_service:
            with _user_lines(attempt.added):
                # a scope miss comes before the first byte is written
                if stream(attempt.text, attempt.bindings, format, output,
                          limit=lim, offset=off, path=attempt.where,
                          scope=scope, pages=attempt.pages):
                    return None
        return _result(attempt, backend, lim, off, allow_service, scope)

    result = run_scoped(prepared, backend, run)
    if result is None:
        return
    text = result.serialize("ttl") if result.kind == "graph" else \
        result.serialize(format, iris=iris)
    output.write(text.encode("utf-8"))


@dataclass(frozen=True)
class _Prepared:
    """A request ready for any source: text, typed bindings, where it came from."""

    text: str
    bindings: dict[str, Any]
    where: Path | None
    added: int  # lines of prefixes put in front of the user's SPARQL
    stored: Any  # the StoredQuery, or None for SPARQL text
    #: `product` was not given but read from the `rmp` IRI (`scope.owner_guess`)
    guessed: bool = False

    @property
    def pages(self) -> str | None:
        """The stored query's `pages` header key (`queries.paging`), else None."""
        return getattr(self.stored, "pages", None)


def _prepare(name_or_sparql: str | Path, params: Mapping[str, Any] | None,
             queries_dir: str | Path | Sequence[str | Path] | None,
             allow_service: bool) -> _Prepared:
    """Everything that can be checked before the source is opened: a typo must not
    wait for documents to be built."""
    where: Path | None = None
    if isinstance(name_or_sparql, Path):
        where = name_or_sparql
        try:
            name_or_sparql = where.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read query file ({exc})", path=where) from None
        if not name_or_sparql.strip():
            raise UsageError("query file is empty", path=where)
    elif not isinstance(name_or_sparql, str) or not name_or_sparql.strip():
        raise WrongTypeError("query: expected a stored query's name or SPARQL text, "
                             f"got {name_or_sparql!r}")
    if params is not None and not isinstance(params, Mapping):
        raise WrongTypeError("params: expected a mapping of parameter names to "
                             f"values, got {type(params).__name__}")
    from rmpgraph.queries.sparqltext import check_request
    from rmpgraph.queries.stored import bind_params

    if where is None and _NAME.match(name_or_sparql.strip()):
        stored = get_query(name_or_sparql.strip(), queries_dir)
        _check_params(stored, params or {})
        return _Prepared(text=stored.text, bindings=bind_params(stored, params),
                         where=stored.path, added=0, stored=stored)
    if params:
        raise UsageError("params apply to stored queries; write the values into "
                         "your SPARQL or save it as a .rq file with a #+ header")
    query_dirs(queries_dir)
    text = with_prefixes(name_or_sparql)
    added = len(prefixes())
    with _user_lines(added):
        check_request(text, allow_service=allow_service, path=where)
    return _Prepared(text=text, bindings={}, where=where, added=added, stored=None)


def _result(prepared: _Prepared, backend: Any, lim: int | None, off: int | None,
            allow_service: bool, scope: dict[str, Any] | None = None) -> QueryResult:
    """Run the request; LIMIT and OFFSET taken from the engine's solutions."""
    if lim is not None and prepared.pages and not allow_service:
        page = _page(prepared, backend, lim, off, scope)
        if page is not None:
            return page
    extra = {"scope": scope} if scope else {}
    with _user_lines(prepared.added):
        outcome = backend.outcome(prepared.text, prepared.bindings,
                                  allow_service=allow_service, path=prepared.where,
                                  **extra)
    if outcome.kind != "select" and (lim is not None or off is not None):
        raise UsageError("limit/offset apply to SELECT queries")
    rows = list(outcome.rows)
    if off or lim is not None:
        rows = rows[off or 0:(off or 0) + lim if lim is not None else None]
    return QueryResult(kind=outcome.kind, variables=tuple(outcome.variables),
                       rows=rows, boolean=outcome.boolean, graph=outcome.graph,
                       labeler=backend.labels)


def _page(prepared: _Prepared, backend: Any, lim: int, off: int | None,
          scope: dict[str, Any] | None) -> QueryResult | None:
    """A page of a query that pages by product, from a store: through its
    streamed path (`queries.paging`), as SPARQL JSON that rdflib reads back, so
    only the page's rows are computed and cross from the store's child process.
    None when the source does not stream (files, graphs, endpoints)."""
    stream = getattr(backend, "stream", None)
    if stream is None:
        return None
    buffer = io.BytesIO()
    if not stream(prepared.text, prepared.bindings, "json", buffer, limit=lim,
                  offset=off, path=prepared.where, scope=scope,
                  pages=prepared.pages):
        return None
    buffer.seek(0)
    parsed = Result.parse(buffer, format="json")
    names = tuple(str(v) for v in parsed.vars or ())
    return QueryResult(kind="select", variables=names,
                       rows=[{str(k): v for k, v in row.items()}
                             for row in parsed.bindings],
                       labeler=backend.labels)
