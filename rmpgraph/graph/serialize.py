"""Deterministic, atomic output of graphs.

Same graph -> same bytes: Turtle goes through rdflib's `longturtle` serializer after
sorting, N-Triples are sorted lines.

`longturtle`'s own `canon=True` round-trips the graph through N-Triples text and
rdflib's N-Triples parser, whose line reader re-scans its whole buffer every 2 kB:
quadratic in the length of a literal (a 5 MB quoted span took minutes). The same
canonical graph is built here without the text round trip (`_canonical`), so the
output is byte-identical and the time linear.

Files are written to a temporary sibling and renamed, so a failed run never leaves a
half-written output behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.nt import _nt_row

from rmpgraph.errors import UsageError
from rmpgraph.graph.namespaces import PREFIXES

__all__ = ["FORMATS", "format_for", "serialize", "write_graph", "atomic_write"]

FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"unknown output format {suffix or '(none)'}; expected one of "
            + ", ".join(sorted(FORMATS)),
            path=path,
        )
    return FORMATS[suffix]


def _bind(graph: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def _sorted_lines(data: str) -> str:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _canonical(graph: Graph) -> Graph:
    """The graph `longturtle`'s `canon=True` serialises, built in linear time.

    rdflib's canonize() renames blank nodes (`to_canonical_graph`), writes N-Triples,
    sorts the lines and parses them into a new graph. The serializer's output depends
    on that graph's insertion order (ties in its sorts), so it is reproduced: triples
    are added in the order of their sorted N-Triples rows, and literals are rebuilt
    from lexical form, language and datatype as the N-Triples parser builds them.
    """
    has_bnodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    source = to_canonical_graph(graph) if has_bnodes else graph
    rows = sorted(((_nt_row(t)[:-1], t) for t in source), key=itemgetter(0))
    out = Graph()
    for _row, (s, p, o) in rows:
        if isinstance(o, Literal):
            o = Literal(str(o), lang=o.language, datatype=o.datatype)
        out.add((s, p, o))
    out.namespace_manager = graph.namespace_manager
    return out


def serialize(graph: Graph, fmt: str, *, graph_iri: str | None = None) -> str:
    """Serialise `graph` to text in `fmt` deterministically."""
    _bind(graph)
    if fmt == "turtle":
        return _canonical(graph).serialize(format="longturtle")
    if fmt == "nt":
        return _sorted_lines(graph.serialize(format="nt"))
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        target = ds.graph(graph_iri) if graph_iri else ds.default_context
        for triple in graph:
            target.add(triple)
        _bind(ds)
        if fmt == "nquads":
            return _sorted_lines(ds.serialize(format="nquads"))
        return ds.serialize(format="trig")
    if fmt == "json-ld":
        from rmpgraph.graph.jsonld import (
            to_jsonld,  # local: only JSON-LD output needs the context
        )

        return (
            json.dumps(to_jsonld(graph), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n"
        )
    raise UsageError(f"unsupported format {fmt}")


def atomic_write(path: str | Path, writer: Callable[[Path], None]) -> None:
    """Call `writer(tmp)` then rename tmp over `path`; on error `path` is untouched."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        # mkstemp creates 0600; give the output the mode a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_graph(
    graph: Graph, path: str | Path, *, graph_iri: str | None = None
) -> None:
    """Write `graph` to `path`, format from the extension, atomically."""
    text = serialize(graph, format_for(path), graph_iri=graph_iri)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
