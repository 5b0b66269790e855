"""Store reads under a memory limit: a query on a damaged store must fail, not
eat the machine.

A store whose data files are corrupted can make Oxigraph allocate without bound
(issue 18: 0.5 GB/s until the kernel killed it at 24 GB; plain pyoxigraph does
the same). The CLI's store reads (`query`/`sparql`/`validate --store`, `list`,
`check-store`, `push`) therefore run in a child process with an address-space
limit (RLIMIT_AS), and the parent turns the child's death into one line.

Why a child process and not the alternatives:
- `setrlimit` in the CLI process itself would make *any* later allocation fail
  (rdflib, pySHACL, rendering), and Rust aborts the whole process on a failed
  allocation, so the error could not even be printed;
- a watchdog thread on RSS cannot interrupt a query running inside Rust: it could
  only kill its own process, which is no better than the OOM killer;
- `fork()` without `exec` would share RocksDB state (locks, thread pools) of any
  store the parent opened, which is unsafe; a fresh interpreter is not.
The child opens the store read-only (no lock: it works during a load) and sends
pickled results back, or for `stream` writes a SELECT's rows in the output format
to its stdout as Oxigraph produces them (the parent copies them through; errors
come pickled on stderr), so a big answer is never held whole by either process
(BENCHMARKS.md, "Streamed store results"); its cost is an interpreter start plus
imports, measured in BENCHMARKS.md ("Store query guard").

The limit is the child's address space after start-up plus a budget, 4 GiB by
default, or `RMPGRAPH_STORE_MEMORY_MIB` MiB (a setting for large corpora).
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from rmpgraph.errors import InputError, RmpGraphError
from rmpgraph.queries.scope import ScopeMissError
from rmpgraph.store import storefiles

__all__ = ["GuardedStore", "MEMORY_ENV", "DEFAULT_BUDGET_MIB"]

MEMORY_ENV = "RMPGRAPH_STORE_MEMORY_MIB"
DEFAULT_BUDGET_MIB = 4096
#: a streaming child's exit status for an error it pickled to stderr after this
#: mark (its stdout carries the results themselves)
_STREAM_ERROR = 4
_ERROR_MARK = b"\n--rmpgraph-error--\n"


def _budget_mib() -> int:
    value = os.environ.get(MEMORY_ENV, "")
    try:
        return max(64, int(value)) if value else DEFAULT_BUDGET_MIB
    except ValueError:
        raise InputError(f"{MEMORY_ENV}={value!r} is not a number of MiB") from None


class GuardedStore:
    """The reading half of `RmpStore`, each call run in a memory-limited child."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        state, reason = storefiles.inspect(self.path)
        if state is storefiles.State.DAMAGED:
            raise storefiles.damaged(self.path, reason)
        if state in (storefiles.State.ABSENT, storefiles.State.EMPTY):
            raise storefiles.no_store(self.path)
        if state is not storefiles.State.STORE:
            raise storefiles.refuse(self.path, state)
        self.budget = _budget_mib()

    def _command(self, op: str) -> list[str]:
        return [sys.executable, "-m", "rmpgraph.store.storeguard", op, str(self.path),
                str(self.budget)]

    def _run(self, op: str, arg: str = "") -> Any:
        proc = subprocess.run(self._command(op), input=arg.encode("utf-8"),
                              capture_output=True, check=False)
        if proc.returncode == 0 and proc.stdout:
            status, value = pickle.loads(proc.stdout)
            if status == "error":
                raise value
            if status == "scope":
                raise ScopeMissError(value)
            return value
        raise self._failure("query" if op == "checked" else op, proc.returncode,
                            proc.stderr)

    def _failure(self, op: str, code: int, stderr: bytes) -> RmpGraphError:
        """The child's death (or its pickled error, for a stream) as one line."""
        if code == _STREAM_ERROR and _ERROR_MARK in stderr:
            status, value = pickle.loads(stderr.split(_ERROR_MARK, 1)[1])
            if status == "error" and isinstance(value, RmpGraphError):
                return value
            if status == "scope":
                return ScopeMissError(value)
        err = stderr.decode("utf-8", "replace").strip().splitlines()
        memory = (code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV)
                  or any("memory allocation" in line or "MemoryError" in line
                         or "bad_alloc" in line for line in err))
        if memory:
            return InputError(
                f"store at {self.path}: the {op} ran out of memory (limit "
                f"{self.budget} MiB, {MEMORY_ENV}); if the store is damaged, "
                f"`rmpgraph check-store --store {self.path}` says where")
        last = err[-1] if err else f"exit status {code}"
        return InputError(f"store at {self.path}: the {op} failed ({last[:200]})")

    def stream(self, text: str, variables: list[str], fmt: str, sink: BinaryIO, *,
               limit: int | None = None, offset: int | None = None,
               check: tuple[str, list[str]] | None = None,
               pages: str | None = None) -> None:
        """Run a SELECT and copy its results, written by the child in `fmt` as
        Oxigraph produces the solutions (`results.write_rows`), to `sink` as they
        arrive: neither process holds the whole answer. What reached `sink` before
        an error is incomplete; the caller discards it (temp file). `pages`: the
        query's header key (`queries.paging`); with a limit, the rows are taken
        product by product."""
        request = json.dumps({"text": text, "variables": variables, "format": fmt,
                              "limit": limit, "offset": offset, "check": check,
                              "pages": pages}).encode("utf-8")
        with tempfile.TemporaryFile() as errors:
            proc = subprocess.Popen(self._command("stream"), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=errors)
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(request)
                proc.stdin.close()
                while chunk := proc.stdout.read1(1 << 16):
                    sink.write(chunk)
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            finally:
                proc.stdout.close()
            code = proc.wait()
            if code:
                errors.seek(0)
                raise self._failure("query", code, errors.read())

    def query(self, text: str, *, check: tuple[str, list[str]] | None = None) -> Any:
        """Rows, a bool or an rdflib Graph, as `RmpStore.query`. `check`, bound
        `queries/scope/check.rq` text and the names of the values it looks up,
        runs first in the same child: when a scope value names nothing,
        `queries.scope.ScopeMissError` and no query."""
        if check is None:
            result = self._run("query", text)
        else:
            result = self._run("checked", json.dumps({"check": check, "text": text}))
        if isinstance(result, bytes):  # CONSTRUCT/DESCRIBE come as N-Triples
            from rmpgraph.graph.rdfio import parse_ntriples

            return parse_ntriples(result.decode("utf-8"))  # linear, unlike rdflib's
        return result

    def list(self) -> Any:
        return self._run("list")

    def check(self) -> Any:
        return self._run("check")

    def graph_quads(self, iri: str) -> bytes:
        data: bytes = self._run("graph_quads", iri)
        return data

    def to_rdflib(self) -> Any:
        """The union of the RMP, ontology and vocabulary graphs, as `RmpStore`."""
        import pyoxigraph as ox

        from rmpgraph.store.storedocs import rdflib_graph

        data = self._run("dump")
        return rdflib_graph(ox.parse(data, format=ox.RdfFormat.N_QUADS))


# ------------------------------------------------------------------ the child


def _limit(budget_mib: int) -> None:
    import resource

    with open("/proc/self/statm", encoding="ascii") as f:
        pages = int(f.read().split()[0])
    limit = pages * os.sysconf("SC_PAGE_SIZE") + (budget_mib << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class _Scope:
    """A scope check's row that found something missing (sent as "scope")."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row


def _scope_row(store: Any, check: list[Any]) -> dict[str, Any] | None:
    """The scope check's row when it did not find every bound value, else None
    (`check`: the bound text and the names of the values it looks up)."""
    from rmpgraph.queries.scope import found

    rows = store.query(check[0])
    row = rows[0] if rows else {}
    return None if found(row, check[1]) else row


def _child_query(store: Any, text: str) -> Any:
    result = store.query(text)
    if not isinstance(result, (bool, list)):
        return result.serialize(format="nt", encoding="utf-8")
    return result


def _child(op: str, path: str, budget_mib: int, arg: str) -> Any:
    import pyoxigraph as ox

    from rmpgraph.store.embedded import CATALOGUE_GRAPH, RmpStore

    store = RmpStore(path, read_only=True)
    _limit(budget_mib)
    if op == "query":
        return _child_query(store, arg)
    if op == "checked":  # the scope check, then (if it found all) the query
        request = json.loads(arg)
        row = _scope_row(store, request["check"])
        if row is not None:
            return _Scope(row)
        return _child_query(store, request["text"])
    if op == "list":
        return store.list()
    if op == "check":
        from rmpgraph.store.storecheck import check

        return check(store)
    if op == "graph_quads":
        return store.graph_quads(arg)
    if op == "dump":
        with store._failing():
            quads = [q for q in store._store if q.graph_name.value != CATALOGUE_GRAPH]
            return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    raise ValueError(op)


def _stream(path: str, budget_mib: int, arg: str) -> None:
    """The child's half of `GuardedStore.stream`: solutions to rows to stdout."""
    import pyoxigraph as ox

    from rmpgraph.errors import UsageError
    from rmpgraph.queries.paging import pages
    from rmpgraph.queries.results import write_rows
    from rmpgraph.queries.sparqltext import runnable_text
    from rmpgraph.store.embedded import RmpStore
    from rmpgraph.store.storedocs import solution_rows

    request = json.loads(arg)
    text = runnable_text(request["text"])
    store = RmpStore(path, read_only=True)
    _limit(budget_mib)
    if request.get("check"):
        row = _scope_row(store, request["check"])
        if row is not None:
            sys.stderr.buffer.write(_ERROR_MARK + pickle.dumps(("scope", row)))
            sys.exit(_STREAM_ERROR)
    start = request["offset"] or 0
    stop = None if request["limit"] is None else start + request["limit"]
    # the columns the caller names (rdflib's reading of the projection, as for
    # results that are not streamed: `SELECT *` orders them its way)
    names = request["variables"]

    def select(query: str) -> Iterator[dict[str, Any]]:
        solutions = store._store.query(query, use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise UsageError("only SELECT results are streamed")
        return solution_rows(solutions)

    # as `RmpStore.query`: RocksDB errors are the damaged-store line; what the
    # engine says of the query (as rmpgraph.api.sources says it for a live store)
    with store._failing():
        try:
            # a first page needs only the first products' rows (`queries.paging`)
            rows = pages(select, text, stop) if request.get("pages") and stop else None
            write_rows(request["format"], names,
                       itertools.islice(rows or select(text), start, stop),
                       sys.stdout.buffer)
        except (SyntaxError, ValueError, TypeError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise UsageError(f"{path} could not run the query: {first[:300]}"
                             ) from None
    sys.stdout.buffer.flush()


def _main() -> None:
    op, path, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
    arg = sys.stdin.buffer.read().decode("utf-8")
    if op == "stream":
        try:
            _stream(path, budget, arg)
        except RmpGraphError as exc:
            sys.stderr.buffer.write(_ERROR_MARK + pickle.dumps(("error", exc)))
            sys.exit(_STREAM_ERROR)
        except MemoryError:
            sys.stderr.write("MemoryError\n")
            sys.exit(3)
        return
    try:
        value = _child(op, path, budget, arg)
        out: tuple[str, Any] = ("scope", value.row) if isinstance(value, _Scope) \
            else ("ok", value)
    except RmpGraphError as exc:
        out = ("error", exc)
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        sys.exit(3)
    sys.stdout.buffer.write(pickle.dumps(out))


if __name__ == "__main__":
    _main()
