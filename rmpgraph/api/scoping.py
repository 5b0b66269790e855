"""The scope of a stored query run through the API: its `product`, `rmp` and
`version` checked against the source (`rmpgraph.queries.scope`), and an `rmp`
given without its product answered with that product bound too.

Kept apart from `querying` so each reads in one sitting; `cohort` uses the same
checks for its several queries with one scope.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, TypeVar

__all__ = ["UnownedError", "attempts", "check_scope_in", "checked_scope", "run_scoped",
           "scope_terms", "scoped", "source_name"]

T = TypeVar("T")


def run_scoped(prepared: Any, backend: Any,
               run: Callable[[Any, dict[str, Any] | None], T]) -> T:
    """`run(request, scope)` under the scope check (`scoped`), first with the
    product an `rmp` given alone belongs to bound too (`attempts`), then, if the
    check refuses that guess, as given."""
    for attempt in attempts(prepared):
        try:
            with scoped(attempt, backend) as scope:
                return run(attempt, scope)
        except UnownedError:
            continue
    raise AssertionError("the last attempt binds no guess")  # pragma: no cover


@contextlib.contextmanager
def scoped(prepared: Any, backend: Any) -> Iterator[dict[str, Any] | None]:
    """A stored query's `product`, `rmp` or `version` that names nothing in the
    source is an error (`queries.scope`), asked once per run: before the query, or
    by a store folder in the same child process as the query (the values to look
    up are yielded for the query's request; otherwise None)."""
    from rmpgraph.queries.scope import (
        ScopeMissError,
        check_scope,
        explain,
        holds,
        scope_bindings,
    )

    bound = {} if prepared.stored is None else \
        scope_bindings(prepared.stored.params, prepared.bindings)
    where = source_name(backend) if bound else ""
    if not bound or not getattr(backend, "checks_scope", False):
        if prepared.guessed and not holds(backend.outcome, bound):
            raise UnownedError
        if not prepared.guessed:
            check_scope(backend.outcome, bound, where)
        yield None
        return
    try:
        yield bound
    except ScopeMissError as miss:
        if prepared.guessed:
            raise UnownedError from None
        explain(backend.outcome, miss.row, bound, where)


class UnownedError(Exception):
    """The product read from an RMP IRI's form does not state that RMP."""


def attempts(prepared: Any) -> Iterator[Any]:
    """The request with `product` bound to the given RMP's product when it can be
    guessed (`scope.owner_guess`: the same rows, far faster), then as given; the
    second runs only when the scope check refused the guess (`UnownedError`)."""
    from rmpgraph.queries.scope import owner_guess

    guess = None if prepared.stored is None else \
        owner_guess(prepared.stored.params, prepared.bindings)
    if guess is not None:
        yield replace(prepared, guessed=True,
                      bindings={**prepared.bindings, "product": guess})
    yield prepared


def scope_terms(queries: Iterable[Any], params: Mapping[str, Any]
                ) -> dict[str, Any]:
    """Check `params` as each stored query's parameters (those it declares), before
    any source is opened, and return the scope values (`product`, `rmp`,
    `version`) among them as typed terms, for `check_scope_in`. For commands that
    run several stored queries with one scope (`rmpgraph cohort`)."""
    from rmpgraph.queries.scope import scope_bindings
    from rmpgraph.queries.stored import bind_params

    scope: dict[str, Any] = {}
    for stored in queries:
        declared = {p.name for p in stored.params}
        bound = bind_params(stored, {k: v for k, v in params.items()
                                     if k in declared and v is not None})
        scope.update(scope_bindings(stored.params, bound))
    return scope


def checked_scope(source: Any, scope: Mapping[str, Any]) -> dict[str, Any]:
    """`scope` (`scope_terms`) checked in `source` (a value that names nothing: a
    one-line UsageError, `check_scope_in`), with the product of an `rmp` given
    without one when the source confirms it (`scope.owner_guess`), for commands
    that bind one scope to several queries. One request: a confirmed guess has
    found every other value too."""
    from rmpgraph.queries.scope import holds, owner

    guess = owner(scope["rmp"]) if "rmp" in scope and "product" not in scope \
        else None
    if guess is not None and holds(source.outcome, {**scope, "product": guess}):
        return {**scope, "product": guess}
    check_scope_in(source, scope)
    return dict(scope)


def check_scope_in(source: Any, scope: Mapping[str, Any]) -> None:
    """A scope value (`scope_terms`) that names nothing in `source` (an opened
    `open_query_source`) is a one-line UsageError; one request, none if empty."""
    from rmpgraph.queries.scope import check_scope

    if scope:
        check_scope(source.outcome, scope, source_name(source))


def source_name(backend: Any) -> str:
    """The source as messages name it: `store PATH`, `endpoint URL`, the files."""
    kind = getattr(backend, "kind", None)
    name = backend.describe()
    return f"{kind} {name}" if kind else name
