"""The Python API of rmpgraph: what a notebook and the command line both call.

In: paths of RMP summaries (PDF, Word .docx, text) or RDF files, rdflib graphs, an
`rmpgraph.Store`, a store directory or a SPARQL endpoint URL. Out: `RmpDocument`,
`ValidationReport`, `QueryResult` (rows, typed DataFrames, W3C result text),
`VersionDiff`, `LinkResult`. May import: every stage below (`present`, `store`,
`queries`, `link`, `check`, `graph`, `parse`) and the shared helpers; only `cli`
imports this package.

    import rmpgraph

    doc = rmpgraph.build(rmpgraph.examples.lemtrada())   # RmpDocument
    doc.product, doc.rmp, len(doc.issues)
    report = rmpgraph.validate(doc)                        # .conforms, .results
    res = rmpgraph.query("concerns-without-additional-rmm", doc)
    res.to_dataframe()                                     # labels, dates, ints
    rmpgraph.query("SELECT ?c WHERE { ?c a rmp:SafetyConcern }", doc, limit=5)
    with rmpgraph.Store("store-dir") as store:
        store.load(["a.pdf", "b.docx"])
        rmpgraph.query("overdue-milestones", store, {"as_of": "2026-11-25"})
    rmpgraph.api.list_graphs("store-dir")    # guarded reads of a store directory

Every failure is an `RmpGraphError` (a `UsageError` for a wrong call, with
`WrongTypeError` for a value of the wrong type; an `InputError` for an unusable
file or store) whose message names what was expected; no rdflib or pyoxigraph
exception escapes.
"""

from __future__ import annotations

from rmpgraph.api import examples
from rmpgraph.api.cohort import cohort
from rmpgraph.api.documents import BuiltFile, Issue, RmpDocument, build
from rmpgraph.api.operations import (
    DIFF_FORMATS,
    SEVERITIES,
    VALIDATION_ALIASES,
    VALIDATION_FORMATS,
    VersionDiff,
    diff,
    export_shapes,
    link_ema,
    link_meddra,
    link_summary,
    validate,
    write_docs,
    write_report,
    write_sssom,
)
from rmpgraph.api.querying import get_query, list_queries, prefixes, query
from rmpgraph.api.results import QueryResult
from rmpgraph.api.storeops import (
    Entry,
    LoadOutcome,
    LoadStoppedError,
    StoreCheck,
    check_store,
    list_graphs,
    load,
    push,
    read_versions,
    remove,
)
from rmpgraph.check.validate import ValidationReport
from rmpgraph.errors import (
    InputError,
    MissingDependencyError,
    RmpGraphError,
    UsageError,
    WrongTypeError,
)
from rmpgraph.store.embedded import RmpStore as Store

__all__ = ["build", "validate", "query", "list_queries", "get_query", "prefixes",
           "diff", "cohort", "link_meddra", "link_ema", "link_summary", "write_sssom",
           "write_report", "write_docs", "examples", "Store", "RmpDocument",
           "BuiltFile", "Issue", "QueryResult", "ValidationReport",
           "VersionDiff", "RmpGraphError", "InputError", "UsageError",
           "WrongTypeError", "MissingDependencyError", "load", "remove",
           "list_graphs", "check_store", "push", "read_versions", "StoreCheck",
           "LoadOutcome", "LoadStoppedError", "Entry", "export_shapes",
           "VALIDATION_FORMATS", "VALIDATION_ALIASES", "SEVERITIES",
           "DIFF_FORMATS"]
