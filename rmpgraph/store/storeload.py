"""Loading many documents into a store: bad documents, order, parallel parsing.

`RmpStore.load` delegates here. What a load of a corpus needs besides writing:
- a bad document (empty, scanned, not an RMP) must not leave the user guessing
  what is in the store: the load either stops there and says what was loaded and
  what was not (`LoadStoppedError`), or, with `keep_going`, records it as "failed" and
  goes on (a thousand PDFs should not be held up by one scanned image);
- parsing runs in worker processes that must die with the loader: a killed
  `load -j 2` left its workers running (~78 MB each, issue 18). See
  `storedocs.die_with_parent`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rmpgraph.errors import InputError, RmpGraphError
from rmpgraph.store.storedocs import Given, Prepared, prepare_all, source_hash

if TYPE_CHECKING:
    from rmpgraph.store.embedded import RmpStore

__all__ = ["LoadOutcome", "LoadStoppedError", "load"]


@dataclass(frozen=True)
class LoadOutcome:
    path: str
    graph: str
    status: str  # "loaded", "skipped" (already there by content hash) or "failed"
    triples: int
    error: str | None = None  # for "failed": the one-line reason


class LoadStoppedError(InputError):
    """A document could not be loaded and the load stopped there.

    Carries what happened to every input so the CLI can say what is in the store
    and what is not (the documents before the bad one stay loaded).
    """

    def __init__(self, cause: RmpGraphError, outcomes: list[LoadOutcome],
                 not_attempted: list[str]) -> None:
        super().__init__(cause.message, path=cause.path, line=cause.line)
        self.outcomes = outcomes
        self.not_attempted = not_attempted


def load(store: RmpStore, paths: list[Path], *, jobs: int,
         progress: Callable[[LoadOutcome], None] | None,
         keep_going: bool,
         given: Given | Mapping[str, Given] = (None, None)) -> list[LoadOutcome]:
    """Write `paths` into `store` in input order; see the module docstring.

    Texts are recognised by content hash before they are parsed, so re-running a
    load over a whole directory only parses what is new. With `jobs` > 1 the
    parsing runs in that many processes; writes stay in this process, one
    transaction per document. `given` (version number, date) applies to every
    document, or maps file names to theirs; a document already in the store
    under another version is refused.
    """
    def given_for(path: Path) -> Given:
        if isinstance(given, Mapping):
            return given.get(path.name, (None, None))
        return given

    from rmpgraph.graph.rdfio import is_rdf_path
    from rmpgraph.store.storeversions import check_reload

    known: dict[int, LoadOutcome | RmpGraphError] = {}
    todo: list[Path] = []
    for i, path in enumerate(paths):
        try:
            sha = None if is_rdf_path(path) else source_hash(path)
            entry = None if sha is None else store._entry_by_hash(sha)
            if entry is not None:
                with store._failing():
                    check_reload(store._store, entry.sha256, *given_for(path),
                                 path.name)
        except RmpGraphError as exc:
            known[i] = exc
            continue
        if entry is not None:
            known[i] = LoadOutcome(str(path), entry.graph, "skipped", entry.triples)
        else:
            todo.append(path)
    prepared = prepare_all(todo, jobs, [given_for(p) for p in todo])
    outcomes: list[LoadOutcome] = []
    try:
        for i, path in enumerate(paths):
            item: LoadOutcome | RmpGraphError | Prepared | None = known.get(i)
            if item is None:
                item = next(prepared)
            if isinstance(item, RmpGraphError):
                if not keep_going:
                    rest = [str(p) for p in paths[i + 1:]]
                    raise LoadStoppedError(item, outcomes, rest)
                item = LoadOutcome(str(path), "", "failed", 0, str(item))
            elif isinstance(item, Prepared):
                try:
                    status = "loaded" if store.write(item) else "skipped"
                except RmpGraphError as exc:  # a version conflict: nothing written
                    if not keep_going:
                        rest = [str(p) for p in paths[i + 1:]]
                        raise LoadStoppedError(exc, outcomes, rest) from None
                    outcomes.append(LoadOutcome(str(path), "", "failed", 0, str(exc)))
                    if progress:
                        progress(outcomes[-1])
                    continue
                item = LoadOutcome(str(path), item.entry.graph, status,
                                   item.entry.triples)
            outcomes.append(item)
            if progress:
                progress(item)
    finally:
        prepared.close()  # shuts the worker pool down when the load stops early
    return outcomes
