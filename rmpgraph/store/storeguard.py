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
pickled results back; its cost is an interpreter start plus imports, measured in
BENCHMARKS.md ("Store query guard").

The limit is the child's address space after start-up plus a budget, 4 GiB by
default, or `RMPGRAPH_STORE_MEMORY_MIB` MiB (a setting for large corpora).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from rmpgraph.errors import InputError, RmpGraphError
from rmpgraph.store import storefiles

__all__ = ["GuardedStore", "MEMORY_ENV", "DEFAULT_BUDGET_MIB"]

MEMORY_ENV = "RMPGRAPH_STORE_MEMORY_MIB"
DEFAULT_BUDGET_MIB = 4096


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

    def _run(self, op: str, arg: str = "") -> Any:
        cmd = [sys.executable, "-m", "rmpgraph.store.storeguard", op, str(self.path),
               str(self.budget)]
        proc = subprocess.run(cmd, input=arg.encode("utf-8"), capture_output=True,
                              check=False)
        if proc.returncode == 0 and proc.stdout:
            status, value = pickle.loads(proc.stdout)
            if status == "error":
                raise value
            return value
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        memory = (proc.returncode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV)
                  or any("memory allocation" in line or "MemoryError" in line
                         or "bad_alloc" in line for line in err))
        if memory:
            raise InputError(
                f"store at {self.path}: the {op} ran out of memory (limit "
                f"{self.budget} MiB, {MEMORY_ENV}); if the store is damaged, "
                f"`rmpgraph check-store --store {self.path}` says where")
        last = err[-1] if err else f"exit status {proc.returncode}"
        raise InputError(f"store at {self.path}: the {op} failed ({last[:200]})")

    def query(self, text: str) -> Any:
        """Rows, a bool or an rdflib Graph, as `RmpStore.query`."""
        result = self._run("query", text)
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


def _child(op: str, path: str, budget_mib: int, arg: str) -> Any:
    import pyoxigraph as ox

    from rmpgraph.store.embedded import CATALOGUE_GRAPH, RmpStore

    store = RmpStore(path, read_only=True)
    _limit(budget_mib)
    if op == "query":
        result = store.query(arg)
        if not isinstance(result, (bool, list)):
            return result.serialize(format="nt", encoding="utf-8")
        return result
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


def _main() -> None:
    op, path, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
    arg = sys.stdin.buffer.read().decode("utf-8")
    try:
        out: tuple[str, Any] = ("ok", _child(op, path, budget, arg))
    except RmpGraphError as exc:
        out = ("error", exc)
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        sys.exit(3)
    sys.stdout.buffer.write(pickle.dumps(out))


if __name__ == "__main__":
    _main()
