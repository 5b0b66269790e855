"""Compacted JSON-LD with the bundled context.

The context (`ontology/context.jsonld`) is embedded in the output rather than
referenced by IRI: a reader then needs no network and no document loader, whether
it is pyld, rdflib or a browser. rdflib does the compaction; we then sort `@graph`
by `@id` and every multi-valued property, so the same graph gives the same bytes
(none of the context's terms is an `@list`, so value order carries no meaning).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from rdflib import Graph

from rmpgraph.paths import ONTOLOGY_DIR

__all__ = ["CONTEXT_PATH", "load_context", "to_jsonld"]

CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"


@lru_cache(maxsize=1)
def _context_text() -> str:
    return CONTEXT_PATH.read_text(encoding="utf-8")


def load_context() -> dict[str, Any]:
    """The bundled `@context` object (a fresh copy each call, safe to mutate)."""
    return json.loads(_context_text())["@context"]


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _sorted_values(node: Any) -> Any:
    """Sort arrays recursively; keep object key order to json.dumps(sort_keys)."""
    if isinstance(node, dict):
        return {k: _sorted_values(v) for k, v in node.items()}
    if isinstance(node, list):
        return sorted((_sorted_values(v) for v in node), key=_sort_key)
    return node


def to_jsonld(graph: Graph) -> dict[str, Any]:
    """Compact `graph` against the bundled context; deterministic.

    Returns:
        A JSON-LD document `{"@context": {...}, "@graph": [...]}` whose nodes are
        sorted by `@id` (blank nodes last, by their compacted content).
    """
    context = load_context()
    data = json.loads(
        graph.serialize(format="json-ld", context=context, auto_compact=True)
    )
    if "@graph" in data:
        nodes = data["@graph"]
    else:  # a single node: rdflib inlines it next to the context
        nodes = [{k: v for k, v in data.items() if k != "@context"}] if data else []
        nodes = [n for n in nodes if n]
    nodes = [_sorted_values(n) for n in nodes]
    nodes.sort(key=lambda n: (str(n.get("@id", "~")), _sort_key(n)))
    return {"@context": context, "@graph": nodes}
