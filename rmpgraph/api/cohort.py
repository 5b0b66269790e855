"""`cohort()`: every corpus question of `queries/cohort/` over one source, at once.

The questions a pharmacoepidemiologist asks of hundreds of RMPs (share of products
with additional risk minimisation, routine-only concerns, tools, studies by
milestone status, concerns per RMP, shared MedDRA terms) are stored queries; this
runs all of them with one scope, so the command line, the corpus report page and a
notebook give the same answers. The source is opened once: files are built once,
not once per question.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rmpgraph.api.results import QueryResult
from rmpgraph.api.sources import open_query_source
from rmpgraph.errors import UsageError, WrongTypeError

__all__ = ["cohort", "cohort_questions", "COHORT_FOLDER"]

#: the sub-folder of `queries/` whose stored queries are the corpus questions
COHORT_FOLDER = "cohort"


def cohort_questions() -> dict[str, Any]:
    """The cohort queries (`StoredQuery`, with `.title`) by name (`cohort/...`,
    as `rmpgraph query run` names them), sorted. Read from the folder itself, so
    adding a `.rq` file there adds a question to the command and the page."""
    from rmpgraph.paths import QUERIES_DIR
    from rmpgraph.queries.stored import load_query

    folder = QUERIES_DIR / COHORT_FOLDER
    return {f"{COHORT_FOLDER}/{p.stem}": load_query(p)
            for p in sorted(folder.glob("*.rq"), key=lambda p: p.stem)}


def _product_iri(product: str) -> str:
    """A product given by IRI, or by name as its label reads ("LEMTRADA"): the
    product IRI is a pure function of the name (docs/MODEL.md)."""
    if product.startswith(("http://", "https://")):
        return product
    from rmpgraph.graph.iris import product_iri

    return str(product_iri(product))


def cohort(source: Any, *, as_of: str | date | None = None,
           product: str | None = None, rmp: str | None = None,
           version: str | None = None, versions: str | None = None,
           ) -> dict[str, QueryResult]:
    """Run every cohort question over `source` with one scope.

    Args:
        source: as for `rmpgraph.query` (files, an `RmpDocument`, a Graph, an
            `rmpgraph.Store`, a store directory or an endpoint URL).
        as_of: reference date of the milestone-status question (YYYY-MM-DD or a
            `date`; default today).
        product: only this product (its IRI, or its name as written, "LEMTRADA").
        rmp: only this RMP version (its IRI).
        version: only RMPs with this version number as stated ("3.0").
        versions: "latest" (default, the latest RMP of each product) or "all".

    Returns:
        Query name (`cohort/...`) -> `QueryResult`, in name order.

    Raises:
        RmpGraphError: a bad date, scope value or source (one line).
    """
    for name, value in (("product", product), ("rmp", rmp), ("version", version),
                        ("versions", versions)):
        if value is not None and not isinstance(value, str):
            raise WrongTypeError(f"{name}: expected a string, got "
                                 f"{type(value).__name__}")
    if versions is not None and versions not in ("latest", "all"):
        raise UsageError(f"versions: expected 'latest' or 'all', got {versions!r}")
    wanted: dict[str, Any] = {
        "as_of": as_of, "rmp": rmp, "version": version, "versions": versions,
        "product": _product_iri(product) if product is not None else None}
    questions = cohort_questions()
    # check every value before the source is opened: a bad date must not wait for
    # documents to be built
    from rmpgraph.queries.stored import bind_params

    def params_of(stored: Any) -> dict[str, Any]:
        declared = {p.name for p in stored.params}
        return {k: v for k, v in wanted.items() if k in declared and v is not None}

    for stored in questions.values():
        bind_params(stored, params_of(stored))
    src = open_query_source(source)
    results = {}
    for name, stored in questions.items():
        outcome = src.outcome(stored.text, bind_params(stored, params_of(stored)),
                              path=stored.path)
        results[name] = QueryResult(kind=outcome.kind,
                                    variables=tuple(outcome.variables),
                                    rows=list(outcome.rows), labeler=src.labels)
    return results
