"""The store as a notebook or a pipeline uses it: load, remove, list, check, push.

`rmpgraph.Store` (an open `RmpStore`) is the fast path for a process that owns the
store. These functions take a store *directory* instead, and read it the way the
command line does: `list_graphs`, `check_store` and `push` run every read in a
memory-limited read-only child (`rmpgraph.store.storeguard`), so they work during
someone else's load, never create a store, and a damaged store is an error rather
than an exhausted machine. Only `load` creates a store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rmpgraph.errors import InputError, UsageError, WrongTypeError
from rmpgraph.store.embedded import DEFAULT_STORE
from rmpgraph.store.storedocs import Entry
from rmpgraph.store.storeload import LoadOutcome, LoadStoppedError

__all__ = ["load", "remove", "list_graphs", "check_store", "StoreCheck", "push",
           "read_versions", "check_version", "DEFAULT_STORE", "LoadOutcome",
           "LoadStoppedError", "Entry"]

Progress = Callable[..., None]


def _dir(store: str | Path) -> Path:
    if not isinstance(store, (str, Path)):
        raise WrongTypeError("store: expected a store directory path, got "
                             f"{type(store).__name__} (an open rmpgraph.Store has "
                             "its own methods)")
    return Path(store)


def check_version(number: str | None, day: str | date | None, documents: int = 1,
                  where: str = "") -> None:
    """Refuse a malformed version number or date before anything is opened.

    Raises:
        UsageError: the number is not like 8 or 8.2, the date not YYYY-MM-DD, or
            a version was given for more than one document.
    """
    if number is not None and not re.fullmatch(r"\d+(\.\d+)*", str(number)):
        raise UsageError(f"{where}--rmp-version {number!r}: expected a version "
                         "number such as 8 or 8.2")
    if day is not None and not isinstance(day, date):
        try:
            ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and date.fromisoformat(day)
        except (TypeError, ValueError):
            ok = None
        if not ok:
            raise UsageError(f"{where}--rmp-date {day!r}: expected a date as "
                             "YYYY-MM-DD")
    if (number or day) and documents != 1:
        raise UsageError("--rmp-version/--rmp-date name one document's version; "
                         f"give one document, not {documents}")


def read_versions(path: str | Path) -> dict[str, tuple[str | None, str | None]]:
    """File name -> (version, date) from a versions file: lines
    `FILE-NAME<TAB>N.N[<TAB>YYYY-MM-DD]`, `#` comments; every value checked."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read versions file ({type(exc).__name__})",
                         path=path) from None
    out: dict[str, tuple[str | None, str | None]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        cells = line.split("\t")
        if not line.strip() or line.startswith("#"):
            continue
        if len(cells) not in (2, 3) or not cells[0].strip():
            raise InputError("expected FILE-NAME<TAB>VERSION[<TAB>YYYY-MM-DD]",
                             path=path, line=n)
        number, day = cells[1].strip(), (cells[2].strip() if len(cells) == 3 else "")
        check_version(number, day or None, 1, f"{path}:{n}: ")
        out[cells[0].strip()] = (number, day or None)
    return out


def load(inputs: Sequence[str | Path], store: str | Path = DEFAULT_STORE, *,
         jobs: int = 1, keep_going: bool = False, rmp_version: str | None = None,
         rmp_date: str | date | None = None,
         versions: dict[str, tuple[str | None, str | None]] | None = None,
         progress: Progress | None = None) -> list[LoadOutcome]:
    """Add RMP summaries (text, PDF, Word) or one-RMP RDF files to the store,
    creating it if needed. Documents already there (same content hash) are
    skipped; consecutive versions of a product are linked (prov:wasRevisionOf).

    Args:
        versions: file name -> (version, date), e.g. from `read_versions`, for
            documents that do not state theirs; or `rmp_version`/`rmp_date` for a
            single document.
        keep_going: load the others when one document cannot be used (its outcome
            says "failed"); otherwise the first such document stops the load.

    Returns:
        One `LoadOutcome` per document (`status`, `triples`, `graph`, `path`,
        `error`).

    Raises:
        LoadStoppedError: a document could not be used and `keep_going` is off;
            `.outcomes` (done) and `.not_attempted` say how far it got.
    """
    from rmpgraph.api.documents import as_paths
    from rmpgraph.store.embedded import RmpStore

    paths = [str(p) for p in as_paths(list(inputs), "inputs")]
    date_text = rmp_date.isoformat() if isinstance(rmp_date, date) else rmp_date
    check_version(rmp_version, date_text, len(paths))
    if versions and (rmp_version or rmp_date):
        raise UsageError("give versions or rmp_version/rmp_date, not both")
    with RmpStore(_dir(store)) as opened:
        outcomes: list[LoadOutcome] = opened.load(
            paths, jobs=jobs, progress=progress or (lambda *_: None),
            keep_going=keep_going, rmp_version=rmp_version, rmp_date=date_text,
            versions=versions)
    return outcomes


def remove(targets: Iterable[str], store: str | Path = DEFAULT_STORE) -> list[Entry]:
    """Remove RMPs by product name or slug, product/RMP IRI, or graph IRI; returns
    the catalogue entries removed. A missing store is an error, never created."""
    from rmpgraph.store.embedded import RmpStore

    removed: list[Entry] = []
    with RmpStore(_dir(store), create=False) as opened:
        for target in targets:
            removed += opened.remove(target)
    return removed


def list_graphs(store: str | Path = DEFAULT_STORE, *,
                include_vocabularies: bool = False) -> list[Entry]:
    """What the store holds, one catalogue `Entry` per graph (product label, file
    name, triples, sha256, load time, graph IRI); the ontology and vocabulary
    graphs only when asked."""
    from rmpgraph.store.storeguard import GuardedStore

    entries: list[Entry] = GuardedStore(_dir(store)).list()
    return [e for e in entries if include_vocabularies or e.kind == "rmp"]


@dataclass(frozen=True)
class StoreCheck:
    """`check_store`'s answer: one line per graph whose quad count differs from
    the count recorded at load (empty when sound), and the totals."""

    findings: list[str]
    graphs: int
    quads: int

    def __bool__(self) -> bool:
        """True when sound, so `if rmpgraph.api.check_store(p): ...` reads well."""
        return not self.findings


def check_store(store: str | Path = DEFAULT_STORE) -> StoreCheck:
    """Compare each graph's quad count with the catalogue's (a store damaged by a
    full disk or a copied-in file shows here before a query gives wrong rows)."""
    from rmpgraph.store.storeguard import GuardedStore

    findings, graphs, quads = GuardedStore(_dir(store)).check()
    return StoreCheck(list(findings), graphs, quads)


def push(store: str | Path, endpoint: str, targets: Sequence[str] = (), *,
         graph_store: str | None = None, default_graph: bool = False,
         progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Copy RMP graphs (all, or the given products/graphs) to a SPARQL endpoint by
    the Graph Store Protocol, with the ontology and vocabulary graphs so stored
    queries answer the same remotely. `progress(done, total)` is called after
    each graph. Returns the graph IRIs sent.

    Raises:
        UsageError: a target names no RMP in the store (checked before anything
            is sent) or `endpoint` is not an http(s) URL.
        InputError: no store at `store`, or the endpoint refuses a graph.
    """
    from rmpgraph.store.endpoint import Endpoint
    from rmpgraph.store.storeguard import GuardedStore
    from rmpgraph.store.storepush import graphs_to_push

    if not isinstance(endpoint, str) or not endpoint.startswith(("http://",
                                                                  "https://")):
        raise UsageError(f"endpoint must be an http:// or https:// URL, got "
                         f"{endpoint!r}")
    guarded = GuardedStore(_dir(store))
    remote = Endpoint(endpoint, graph_store=graph_store)
    graphs = graphs_to_push(guarded.list(), list(targets))  # refuses unknown first
    for done, g in enumerate(graphs, 1):
        remote.put_graph(None if default_graph else g, guarded.graph_quads(g))
        if progress:
            progress(done, len(graphs))
    return [str(g) for g in graphs]
