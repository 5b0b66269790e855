"""Scope parameters that name nothing: an error, not an empty answer.

Every stored query takes `product`, `rmp` and `version` (queries/README.md,
"Scope"). A misspelt product IRI or a version the product never had matches no
row, and an empty table reads as a finding ("no overdue milestones"), so before a
query runs its bound scope values are looked up in the source with one request
(`queries/scope/check.rq`), bound exactly like the query's own parameters (typed
terms, never pasted into text). Only when something is missing do the listing
requests run, to say what the source does hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from rmpgraph.errors import UsageError
from rmpgraph.paths import QUERIES_DIR

__all__ = ["SCOPE_PARAMS", "ScopeMissError", "check_scope", "check_text", "explain",
           "found", "holds", "owner", "owner_guess", "scope_bindings"]

#: the scope parameters whose values must name something, with their term types
SCOPE_PARAMS = {"product": "iri", "rmp": "iri", "version": "string"}
SCOPE_DIR = QUERIES_DIR / "scope"
#: how many products / RMP versions a message lists before "N in all"
_SHOWN = 4

#: runs a request with typed bindings and returns a `stored.Outcome`
Runner = Callable[..., Any]


def _text(name: str) -> tuple[str, Path]:
    path = SCOPE_DIR / f"{name}.rq"
    return path.read_text(encoding="utf-8"), path


def scope_bindings(params: Any, bindings: Mapping[str, Identifier]
                   ) -> dict[str, Identifier]:
    """The bound scope values of a query whose parameters (`params`, the stored
    query's `Param`s) declare them with the scope's types; a user's own query
    using the names for something else is not checked."""
    declared = {p.name: p.type for p in params}
    return {name: bindings[name] for name, kind in SCOPE_PARAMS.items()
            if declared.get(name) == kind and name in bindings}


def owner_guess(params: Any, bindings: Mapping[str, Identifier]) -> URIRef | None:
    """The product of an `rmp` given without `product`, read from the RMP IRI's
    form (`owner`), for a query that declares both (`params`); None otherwise.

    Why: many stored queries start a branch or sub-SELECT from `?_product`, which
    Oxigraph then evaluates for every product before the version filter applies
    (version-changes given only `rmp` on 1,000 RMPs: over 30 s, against 59 ms
    with its product; BENCHMARKS.md). An RMP belongs to exactly one product
    (shape RMP-I-01), so binding that product too leaves the rows as they are.
    It is a guess: the caller binds it only after the scope check (`holds`) has
    found that this product states this RMP, and runs the query as given
    otherwise.
    """
    declared = {p.name: p.type for p in params}
    if declared.get("product") != "iri" or declared.get("rmp") != "iri":
        return None
    rmp = bindings.get("rmp")
    if rmp is None or "product" in bindings:
        return None
    return owner(rmp)


def _true(row: Mapping[str, Identifier], key: str) -> bool:
    value = row.get(key)
    return isinstance(value, Literal) and value.toPython() is True


def _listing(items: list[str], what: str) -> str:
    if not items:
        return f"it holds no {what}"
    shown = ", ".join(items[:_SHOWN])
    more = f", … {len(items)} in all" if len(items) > _SHOWN else ""
    return f"{what}: {shown}{more}"


def _products(run: Runner) -> list[str]:
    text, path = _text("products")
    return [str(row["product"]) for row in run(text, {}, path=path).rows]


def _rmps(run: Runner, product: Identifier | None) -> list[tuple[str, str]]:
    text, path = _text("rmps")
    bound = {} if product is None else {"product": product}
    return [(str(row["rmp"]), str(row.get("version", "")))
            for row in run(text, bound, path=path).rows]


def check_text() -> tuple[str, Path]:
    """The one request that looks every bound scope value up (`check.rq`)."""
    return _text("check")


def found(row: Mapping[str, Identifier], names: Iterable[str]) -> bool:
    """Whether the check's row says every bound value (`names`) names something;
    the flags of unbound ones are not asked (`version_found` with no version
    bound is false for a source that states no version number)."""
    return all(_true(row, flag) for name in names for flag in _FLAGS[name])


#: the check's flags that concern each scope parameter
_FLAGS = {"product": ("product_found",), "rmp": ("rmp_found", "rmp_of_product"),
          "version": ("version_found",)}


class ScopeMissError(UsageError):
    """The check's row when a bound scope value names nothing; a store that runs
    the check in the same child as the query raises it, `explain` says what."""

    def __init__(self, row: Mapping[str, Identifier]) -> None:
        super().__init__("a scope parameter (product, rmp, version) names nothing "
                         "in the source")
        self.row = dict(row)


def check_scope(run: Runner, bindings: Mapping[str, Identifier], where: str) -> None:
    """Raise a one-line UsageError when a bound `product`, `rmp` or `version`
    names nothing in the source `run` queries (`where` names it in messages).

    `bindings` are the scope values only (`scope_bindings`); nothing is asked when
    there are none.
    """
    if not bindings:
        return
    row = _check_row(run, bindings)
    if not found(row, bindings):
        explain(run, row, bindings, where)


def holds(run: Runner, bindings: Mapping[str, Identifier]) -> bool:
    """Whether every bound scope value names something (`check_scope` without
    the error: for a guessed product, `owner_guess`)."""
    return found(_check_row(run, bindings), bindings)


def _check_row(run: Runner, bindings: Mapping[str, Identifier]
               ) -> Mapping[str, Identifier]:
    text, path = check_text()
    rows = run(text, dict(bindings), path=path).rows
    return rows[0] if rows else {}


def explain(run: Runner, row: Mapping[str, Identifier],
            bindings: Mapping[str, Identifier], where: str) -> None:
    """Raise the UsageError for the first bound value the check's `row` did not
    find, listing what the source holds instead (a few more requests, on the
    error path only)."""
    product = bindings.get("product")
    if product is not None and not _true(row, "product_found"):
        raise UsageError(f"product {str(product)!r}: no such product in {where} "
                         f"({_listing(_products(run), 'products')})")
    rmp = bindings.get("rmp")
    if rmp is not None and not _true(row, "rmp_found"):
        holder = product if product is not None else owner(rmp)
        known = [iri for iri, _ in _rmps(run, holder)]
        if not known and product is None:
            holder, known = None, [iri for iri, _ in _rmps(run, None)]
        raise UsageError(f"rmp {str(rmp)!r}: no such RMP version in {where} ("
                         + _listing(known, "RMP versions" + _of(holder)) + ")")
    if rmp is not None and not _true(row, "rmp_of_product"):
        raise UsageError(f"rmp {str(rmp)!r}: not an RMP version of product "
                         f"{str(product)!r} in {where}")
    version = bindings.get("version")
    if version is not None and not _true(row, "version_found"):
        numbers = sorted({v for _, v in _rmps(run, product) if v})
        listed = _listing(numbers, "versions") if numbers else \
            "none states a version number"
        raise UsageError(f"version {str(version)!r}: no RMP{_of(product)} in "
                         f"{where} states this version number ({listed})")
    raise UsageError(f"the scope parameters name nothing in {where}")


def owner(rmp: Identifier) -> URIRef | None:
    """The product an RMP version IRI belongs to by its form (`.../{p}/rmp/{sha}`,
    docs/MODEL.md); None for another form. A guess, for messages and
    `owner_guess`: the data may say otherwise."""
    head, sep, _ = str(rmp).rpartition("/rmp/")
    return URIRef(head) if sep and head else None


def _of(product: Identifier | None) -> str:
    return "" if product is None else f" of product {str(product)!r}"
