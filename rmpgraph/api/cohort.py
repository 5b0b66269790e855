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
from pathlib import Path
from typing import Any

from rmpgraph.api.results import QueryResult
from rmpgraph.api.sources import open_query_source
from rmpgraph.errors import UsageError, WrongTypeError

__all__ = ["cohort", "cohort_questions", "write_corpus_report", "COHORT_FOLDER"]

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
        RmpGraphError: a bad date, scope value or source (one line); a product,
            RMP or version the source does not hold.
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
    from rmpgraph.api.scoping import checked_scope, scope_terms
    from rmpgraph.queries.stored import bind_params

    def params_of(stored: Any) -> dict[str, Any]:
        declared = {p.name for p in stored.params}
        return {k: v for k, v in wanted.items() if k in declared and v is not None}

    # every value checked before the source is opened (a bad date must not wait
    # for documents to be built); then a product or RMP that names nothing in the
    # source is an error, not six empty tables
    scope = scope_terms(questions.values(), wanted)
    src = open_query_source(source)
    owned = checked_scope(src, scope)  # with an rmp's product: the same rows, faster
    if "product" in owned:
        wanted["product"] = str(owned["product"])
    results = {}
    for name, stored in questions.items():
        outcome = src.outcome(stored.text, bind_params(stored, params_of(stored)),
                              path=stored.path)
        results[name] = QueryResult(kind=outcome.kind,
                                    variables=tuple(outcome.variables),
                                    rows=list(outcome.rows), labeler=src.labels)
    return results


def _display(result: QueryResult) -> tuple[dict[str, str], ...]:
    """Rows as the page shows them: an IRI by its label (the vocabularies' labels
    when the data has none), a literal by its lexical form."""
    from rdflib import URIRef

    iris = {t for row in result.rows for t in row.values() if isinstance(t, URIRef)}
    labels = result.labeler(iris) if result.labeler and iris else {}
    return tuple({k: labels.get(v, str(v)) if isinstance(v, URIRef) else str(v)
                  for k, v in row.items()} for row in result.rows)


def write_corpus_report(source: Any, output: str | Path, *,
                        as_of: str | date | None = None,
                        product: str | None = None) -> None:
    """Write the corpus page (one chart and table per cohort question) to `output`.

    Args:
        source: as for `cohort` (usually a store directory).
        output: the HTML file, written atomically.
        as_of: reference date of milestone status (default today).
        product: only this product (name or IRI).
    """
    from rmpgraph.present.corpus import Question, write_corpus

    day = _day(as_of)
    results = cohort(source, as_of=day, product=product)
    questions = cohort_questions()
    page = [Question(name=name, title=questions[name].title,
                     description=questions[name].description,
                     columns=result.variables, rows=_display(result))
            for name, result in results.items()]
    where = source if isinstance(source, (str, Path)) else type(source).__name__
    write_corpus(output, page, as_of=day, source=str(where))


def _day(as_of: str | date | None) -> date:
    if as_of is None:
        return date.today()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of).strip())
    except ValueError:
        raise UsageError(f"as_of: expected a date YYYY-MM-DD, got {as_of!r}"
                         ) from None
