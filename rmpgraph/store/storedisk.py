"""The store's files on disk: the layouts before issue 16, and left-over logs.

Both are housekeeping on a store `storefiles` has already judged sound, done
through Oxigraph itself, never by touching files.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox

from rmpgraph.graph.namespaces import GRAPH
from rmpgraph.store import storefiles, storeshared

__all__ = ["OLD_UNION_GRAPH", "migrate", "drop_logs"]

#: the copy of every RMP, ontology and vocabulary triple that stores written
#: before issue 16 kept, for a union default graph with set semantics
OLD_UNION_GRAPH = str(GRAPH["union"])
_OLD = ox.NamedNode(OLD_UNION_GRAPH)


def migrate(store: ox.Store, path: Path, read_only: bool) -> ox.Store:
    """The store in today's layout: without `graph/union` (dropped once; the named
    graphs hold all of it, so nothing is lost, and its files merged so the space is
    given back) and with `graph/shared-concerns` (computed once, `storeshared`;
    again, with the version links, after a load or removal killed half-way).

    A reader cannot write, so it opens the store for writing for this once and
    reopens read-only; if a load holds the store, that load migrated it already
    when it opened it.
    """
    union, shared = store.contains_named_graph(_OLD), not storeshared.computed(store)
    if not (union or shared):
        return store
    if not read_only:
        _update(store, union, shared)
        return store
    del store
    gc.collect()
    try:
        writer = ox.Store(str(path))
    except (OSError, RuntimeError) as exc:
        if not storefiles.is_lock_error(exc):
            raise
    else:
        _update(writer, union, shared)
        writer.flush()
        del writer
        gc.collect()
    return ox.Store.read_only(str(path))


def _update(store: ox.Store, union: bool, shared: bool) -> None:
    if union:
        store.remove_graph(_OLD)
        store.optimize()
    if shared:  # never computed, another rule, or a load killed half-way
        storeshared.rederive(store)


def drop_logs(path: Path) -> None:
    """Let RocksDB delete the write-ahead logs a writer leaves when it closes.

    Their data is in the sorted files already (`close` flushed), but RocksDB only
    deletes them when it next opens the directory for writing: 57 MB of a
    238 MB store after loading 200 RMPs. Opening and closing once more does
    that (0.13 s). Skipped when another process holds the store.

    Also deletes RocksDB's old diagnostic logs (`LOG.old.*`, about 136 KB each):
    every writable opening keeps the last one, up to 1,000 of them, so a store
    loaded one file per command grows by 137 MB of text nobody reads (the
    1,000-RMP bench store held 999 of them). The current `LOG` stays.
    """
    try:
        writer = ox.Store(str(path))
    except (OSError, RuntimeError) as exc:
        if storefiles.is_lock_error(exc):
            return
        raise
    writer.flush()
    del writer
    gc.collect()
    for old in path.glob("LOG.old.*"):
        old.unlink(missing_ok=True)
