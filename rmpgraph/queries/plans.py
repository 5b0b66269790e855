"""Another text of a stored query for the embedded store over the whole corpus.

A stored query is one engine-neutral text. Where Oxigraph and rdflib want
different plans of the same question, the shipped `queries/plans/NAME.rq` holds
the one the store runs when no product is given: Oxigraph looks a join up row by
row but joins sub-`SELECT`s by hash, so over the whole corpus a text of one-pattern
sub-`SELECT`s is faster there (concern-measures 4.1 -> 2.7 s on 1,000 RMPs), while
rdflib joins sub-`SELECT`s by nested loops and is four times slower with it. Files
and endpoints run the stored text. With a product given (paging, reports, an
`rmp` whose product is bound) the stored text is already the fast one.

A plan takes the stored query's parameters and gives its rows
(tests/test_query_plans.py); only shipped queries have plans, so a user's query of
the same name (`--queries DIR`) is never swapped.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rmpgraph.paths import QUERIES_DIR

__all__ = ["PLANS_DIR", "corpus_plan"]

PLANS_DIR = QUERIES_DIR / "plans"


def corpus_plan(path: str | Path | None, bindings: Mapping[str, Any]) -> str | None:
    """The plan the store runs for the stored query at `path` with `bindings`
    (parameter name -> value), or None: the query is not a shipped one, it has no
    plan, or a product is given."""
    if path is None or bindings.get("product") is not None:
        return None
    path = Path(path)
    if path.resolve().parent != QUERIES_DIR.resolve():
        return None
    plan = PLANS_DIR / path.name
    return plan.read_text(encoding="utf-8") if plan.is_file() else None
