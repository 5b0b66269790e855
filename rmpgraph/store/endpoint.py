"""Remote SPARQL endpoints: SPARQL 1.1 Protocol for queries, Graph Store Protocol
for pushing graphs.

Standard protocols only, so the same commands work against Oxigraph server, Apache
Jena Fuseki, GraphDB or any conformant store when one machine is no longer enough.
Queries go through SPARQLWrapper (the SPARQL 1.1 Protocol client; rdflib's
SPARQLConnector has no timeout and hides the server's error), answers are read by
rdflib's SPARQL results parser. Kept on urllib: the Graph Store Protocol PUT/POST,
which neither library speaks. Credentials come from the environment only
(`RMPGRAPH_ENDPOINT_TOKEN` for a bearer token, else `RMPGRAPH_ENDPOINT_USER` and
`RMPGRAPH_ENDPOINT_PASSWORD` for basic auth): a command line ends up in shell
history and `ps`, and every error message is scrubbed of them before it is raised.
"""

from __future__ import annotations

import ast
import base64
import math
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO

from rdflib import Graph
from rdflib.term import Identifier

from rmpgraph.errors import InputError, UsageError
from rmpgraph.graph.rdfio import parse_ntriples
from rmpgraph.queries.sparqltext import runnable_text
from rmpgraph.queries.stored import check_request

__all__ = ["Endpoint", "EndpointError", "auth_headers", "graph_store_url"]

TOKEN_ENV = "RMPGRAPH_ENDPOINT_TOKEN"
USER_ENV = "RMPGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "RMPGRAPH_ENDPOINT_PASSWORD"
_SELECT_ACCEPT = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples"
#: known query-path -> graph-store-path pairs (Oxigraph server, Fuseki)
_GSP_PATHS = {"/query": "/store", "/sparql": "/data"}
_TIMEOUT = 120.0


class EndpointError(InputError):
    """The endpoint refused or failed a request (message free of credentials)."""


def auth_headers(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Authorization header from the environment, or none."""
    env = os.environ if env is None else env
    token = env.get(TOKEN_ENV)
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = env.get(USER_ENV)
    if user:
        pair = f"{user}:{env.get(PASSWORD_ENV, '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


def _secrets(env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    found = [env.get(k, "") for k in (TOKEN_ENV, PASSWORD_ENV)]
    found += [v.removeprefix("Bearer ").removeprefix("Basic ")
              for v in auth_headers(env).values()]
    return [s for s in found if s]


def _check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError("endpoint must be an http:// or https:// URL")
    if parts.username or parts.password:
        raise UsageError("credentials in the endpoint URL are refused; set "
                         f"{USER_ENV}/{PASSWORD_ENV} or {TOKEN_ENV} instead")
    return url


def graph_store_url(query_url: str) -> str:
    """Graph Store Protocol URL next to a query URL, for servers whose layout is known.

    Oxigraph serves `/query` and `/store`; Fuseki `/<ds>/sparql` and `/<ds>/data`.
    """
    parts = urllib.parse.urlsplit(query_url)
    for q, g in _GSP_PATHS.items():
        if parts.path.endswith(q):
            path = parts.path[: -len(q)] + g
            return urllib.parse.urlunsplit(parts._replace(path=path, query=""))
    raise UsageError("cannot tell the Graph Store Protocol URL of this endpoint; "
                     "pass it with --graph-store")


# SPARQLWrapper raises one exception class per status and keeps the answer only in
# its message ("...\n\nResponse:\nb'...'"); the status and first line are wanted
_WRAPPER_STATUS = {"QueryBadFormed": (400, "Bad Request"),
                   "Unauthorized": (401, "Unauthorized"),
                   "EndPointNotFound": (404, "Not Found"),
                   "URITooLong": (414, "URI Too Long"),
                   "EndPointInternalError": (500, "Internal Server Error")}
_RESPONSE = re.compile(r"Response:\n(b(?:'.*'|\".*\"))\s*$", re.S)


def _wrapper_body(exc: Exception) -> str:
    found = _RESPONSE.search(str(exc))
    if not found:
        return ""
    try:
        raw = ast.literal_eval(found.group(1))
    except (ValueError, SyntaxError):
        return ""
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


@dataclass
class Endpoint:
    """A SPARQL 1.1 endpoint; `graph_store` defaults to the known sibling URL."""

    query_url: str
    graph_store: str | None = None
    timeout: float = _TIMEOUT
    headers: dict[str, str] = field(default_factory=auth_headers, repr=False)

    def __post_init__(self) -> None:
        _check_url(self.query_url)
        if self.graph_store is not None:
            _check_url(self.graph_store)

    def _send(self, request: urllib.request.Request) -> bytes:
        for k, v in self.headers.items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
            detail = body[0][:200] if body else ""
            raise self._error(f"{request.get_method()} {request.full_url}: HTTP "
                              f"{exc.code} {exc.reason}"
                              + (f": {detail}" if detail else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise self._error(f"{request.get_method()} {request.full_url}: "
                              f"{reason}") from None

    def _error(self, message: str) -> EndpointError:
        for secret in _secrets() + [v.split(" ", 1)[-1] for v in self.headers.values()]:
            message = message.replace(secret, "***")
        return EndpointError(message)

    def query(self, sparql: str) -> list[dict[str, Identifier]] | bool | Graph:
        """Run a read-only query; same result shapes as `RmpStore.query`."""
        from rdflib.query import Result

        sparql = runnable_text(sparql)  # the server runs exactly the checked text
        parsed = check_request(sparql)
        is_graph = parsed.algebra.name in ("ConstructQuery", "DescribeQuery")
        body = self._protocol_query(sparql, parsed.algebra.name,
                                    _GRAPH_ACCEPT if is_graph else _SELECT_ACCEPT)
        if is_graph:
            # rdflib's own N-Triples reader is quadratic in a long literal
            return parse_ntriples(body.decode("utf-8"))
        try:
            result = Result.parse(BytesIO(body), format="json")
        except Exception:  # rdflib's parsers raise plain errors of many kinds
            raise self._error(f"{self.query_url}: answer is not SPARQL JSON") from None
        if result.type == "ASK":
            return bool(result.askAnswer)
        names = [str(v) for v in result.vars or []]
        return [{n: t for n, t in zip(names, row, strict=True) if t is not None}
                for row in result]

    def _protocol_query(self, sparql: str, form: str, accept: str) -> bytes:
        """POST the query as `application/sparql-query` with SPARQLWrapper.

        The query form comes from rdflib's parse (`form`): SPARQLWrapper guesses
        it with a regular expression, which takes a comment mentioning DELETE or
        INSERT for an update and sends the query to the update endpoint.
        """
        from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.query_url)
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
        client.setOnlyConneg(True)  # no format=/output= parameters in the URL
        client.setTimeout(max(1, math.ceil(self.timeout)))
        client.setQuery(sparql)
        client.queryType = form.removesuffix("Query").upper()
        for key, value in {**self.headers, "Accept": accept}.items():
            client.addCustomHttpHeader(key, value)
        where = f"POST {self.query_url}"
        try:
            with client.query().response as response:
                return bytes(response.read())
        except SPARQLWrapperException as exc:
            code, reason = _WRAPPER_STATUS.get(type(exc).__name__, (0, "error"))
            lines = _wrapper_body(exc).strip().splitlines()
            detail = f": {lines[0][:200]}" if lines else ""
            raise self._error(f"{where}: HTTP {code} {reason}{detail}") from None
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
            detail = f": {body[0][:200]}" if body else ""
            raise self._error(f"{where}: HTTP {exc.code} {exc.reason}{detail}") \
                from None
        except (urllib.error.URLError, OSError) as exc:
            raise self._error(f"{where}: {getattr(exc, 'reason', exc)}") from None

    def put_graph(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Replace one graph (named, or the default graph when None) with N-Triples."""
        base = self.graph_store or graph_store_url(self.query_url)
        target = "default" if graph_iri is None else "graph=" + urllib.parse.quote(
            graph_iri, safe="")
        request = urllib.request.Request(
            f"{base}?{target}", data=ntriples, method="PUT" if graph_iri else "POST",
            headers={"Content-Type": "application/n-triples"})
        self._send(request)
