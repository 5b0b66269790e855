"""Query stage: stored SPARQL queries, their parameters and result formats.

In: a query name or SPARQL text, typed parameters, a graph. Out: rows, a boolean or
a graph (`stored.Outcome`), written as CSV, TSV, JSON, XML or a text table
(`results`). `sparqltext` is the security boundary shared by every engine: it
refuses updates, FROM and SERVICE on exactly the text an engine will run.
May import: `rmpgraph.check`, `rmpgraph.graph`, `rmpgraph.parse`, shared helpers.
"""

from rmpgraph.queries.sparqltext import check_request
from rmpgraph.queries.stored import (
    Outcome,
    Param,
    StoredQuery,
    bind_params,
    execute,
    get_query,
    load_queries,
    load_query,
    run,
    run_stored,
)

__all__ = ["Outcome", "Param", "StoredQuery", "bind_params", "check_request",
           "execute", "get_query", "load_queries", "load_query", "run", "run_stored"]
