"""Stored SPARQL queries: binding their parameters and running them (their files
and headers: `catalog`).

Parameters are the variables `?_<name>`. They are bound as typed RDF terms, never
pasted into the text: through rdflib's `initBindings`, or for other engines through a
VALUES block built from the terms' serialisations and checked by re-parsing
(`sparqltext.values_query`). Requests that would change data, fetch remote graphs or
call remote services are refused before anything runs (`sparqltext.check_request`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Identifier

from rmpgraph.errors import UsageError, WrongTypeError
from rmpgraph.graph.derive import SHARED_TERMS, with_shared_concerns
from rmpgraph.queries.catalog import (
    PARAM_TYPES,
    QUERY_FOLDERS,
    Param,
    StoredQuery,
    convert_value,
    get_query,
    load_queries,
    load_query,
)
from rmpgraph.queries.sparqltext import (
    bind_for_engine,
    check_request,
    constant_query,
    iris,
    projection,
    values_query,
)

__all__ = ["PARAM_TYPES", "Param", "StoredQuery", "Outcome", "load_queries",
           "get_query", "bind_params", "check_request", "execute", "run",
           "run_stored", "values_query", "constant_query", "bind_for_engine",
           "load_query", "QUERY_FOLDERS"]


@dataclass(frozen=True)
class Outcome:
    """What a request returned: rows for SELECT, `boolean` for ASK, `graph` else."""

    kind: str  # "select" | "ask" | "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[dict[str, Identifier], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


# ----------------------------------------------------------------------- parameters


def bind_params(query: StoredQuery, values: Mapping[str, Any] | None = None, *,
                today: date | None = None) -> dict[str, Identifier]:
    """Typed terms for the query's parameters (by name), defaults filled in.

    Optional parameters without a value (default null) are left out, i.e. unbound.
    """
    values = dict(values or {})
    for name in values:
        query.param(name)  # raises on unknown names
    today = today or date.today()
    bound: dict[str, Identifier] = {}
    for param in query.params:
        if param.name in values and values[param.name] is not None:
            bound[param.name] = convert_value(param, values[param.name], today=today)
        elif param.required:
            raise UsageError(f"query {query.name!r} needs parameter {param.name!r} "
                             f"({param.type}: {param.description})")
        elif param.default is not None:
            bound[param.name] = convert_value(param, param.default, today=today)
    return bound


# ------------------------------------------------------------------------ execution


def _outcome(result: Any, text: str, algebra: Any) -> Outcome:
    if result.type == "ASK":
        return Outcome(kind="ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Outcome(kind="graph", graph=result.graph)
    names = [str(v) for v in result.vars]
    rows = tuple({n: t for n, t in zip(names, row, strict=True) if t is not None}
                 for row in result)
    order = [n for n in projection(text, algebra) if n in names]  # SELECT *: fixed
    return Outcome(kind="select", rows=rows,
                   variables=(*order, *(n for n in names if n not in order)))


def execute(text: str, graph: Graph, bindings: Mapping[str, Identifier] | None = None,
            *, allow_service: bool = False, path: str | Path | None = None) -> Outcome:
    """Check then run a request on `graph` with rdflib; bindings by parameter name."""
    if not isinstance(graph, Graph):  # a store, an endpoint, a path: the API's job
        raise WrongTypeError(
            f"expected an rdflib Graph, got {type(graph).__name__}; for a store, an "
            "endpoint or files use rmpgraph.query(name, source, params)")
    parsed = check_request(text, allow_service=allow_service, path=path)
    if iris(parsed.algebra) & SHARED_TERMS:  # a store keeps them; here: derive now
        graph = with_shared_concerns(graph)
    init = {"_" + name: term for name, term in (bindings or {}).items()}
    try:
        result = graph.query(parsed, initBindings=init)
        return _outcome(result, text, parsed.algebra)
    except UsageError:
        raise
    except Exception as exc:  # evaluation errors surface as plain exceptions
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"query failed: {first}", path=path) from None


def run_stored(name: str, graph: Graph, params: Mapping[str, Any] | None = None, *,
               today: date | None = None, allow_service: bool = False,
               directory: str | Path | None = None) -> Outcome:
    """Run a stored query by name with CLI-style or Python parameter values."""
    query = get_query(name, directory)
    bindings = bind_params(query, params, today=today)
    return execute(query.text, graph, bindings, allow_service=allow_service,
                   path=query.path)


def run(name: str, graph: Graph, **params: Any) -> list[dict[str, Identifier]]:
    """Rows of a stored SELECT query (unbound variables are left out of a row).

    Parameters named like Python keywords are passed as `**{"from": ...}`; the
    documented API, `rmpgraph.query(name, source, params)`, takes a dict and any
    source (files, graph, store, endpoint).
    """
    return list(run_stored(name, graph, params).rows)
