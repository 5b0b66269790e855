"""Why the store binds parameters by rewriting (`sparqltext.bind_for_engine`) and not
with pyoxigraph's `Store.query(substitutions=...)` (issue 17 asked for the latter).

Oxigraph implements RDF-dev SEP-0007, which substitutes only variables of the
top-level projection; the stored queries use their `?_param` variables in patterns
and filters without projecting them. When a pyoxigraph release lifts the limit,
the first test fails, and the store should bind with substitutions.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from rmpgraph.queries.sparqltext import variables
from rmpgraph.queries.stored import check_request, load_queries

P = ox.NamedNode("https://example.org/p")


def _store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/a"), P, ox.Literal("x")))
    return store


def test_substitutions_reach_only_projected_variables() -> None:
    store = _store()
    value = {ox.Variable("o"): ox.Literal("x")}
    projected = list(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }",
                                 substitutions=value))
    assert len(projected) == 1
    with pytest.raises(RuntimeError, match="projection"):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", substitutions=value)


def test_stored_queries_do_not_project_their_parameters() -> None:
    """So the limit above applies to them: at least one parameter of a stored query
    is used without being projected."""
    hidden = []
    for name, query in load_queries().items():
        algebra = check_request(query.text, allow_service=True).algebra
        projected = {str(v) for v in algebra.get("PV") or []}
        used = variables(algebra)
        hidden += [(name, p.name) for p in query.params
                   if f"_{p.name}" in used and f"_{p.name}" not in projected]
    assert ("risk-factor-search", "term") in hidden
