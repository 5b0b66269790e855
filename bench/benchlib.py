"""Pieces shared by the benchmark scripts: the corpus generator, the machine line,
timing one stored query on a store in a child process, and memory measurement."""

from __future__ import annotations

import importlib.util
import multiprocessing
import multiprocessing.queues
import os
import platform
import queue
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rmpgraph.store.embedded import RmpStore  # noqa: E402

__all__ = ["make_corpus_module", "machine", "percentile", "time_query", "maxrss_mib",
           "RssSampler", "in_child"]


def make_corpus_module() -> ModuleType:
    """bench/make_corpus.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_corpus",
                                                  HERE / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores (nproc), {mem:.1f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def maxrss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS in MiB of this process (RUSAGE_SELF) or of the largest finished,
    waited-for descendant (RUSAGE_CHILDREN): a maximum over processes, not a sum."""
    return resource.getrusage(who).ru_maxrss / 1024


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # the process ended between listing and reading
    return 0


def _descendants(root: int) -> list[int]:
    parent: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii",
                      errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parent.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += parent.get(pid, [])
    return out


class RssSampler:
    """Peak of the summed RSS of a process (default: this one) and all its
    descendants, sampled. Pages shared after a fork count in every process that
    maps them, so the sum is an upper bound of what the machine spends.

    getrusage gives each process's own exact peak but never what a pool of
    processes holds together; this samples the sum every `interval` seconds
    (Linux /proc), so a peak shorter than that may be missed.
    """

    def __init__(self, pid: int | None = None, interval: float = 0.1) -> None:
        self.pid = os.getpid() if pid is None else pid
        self.interval = interval
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total = sum(_rss_kib(pid) for pid in _descendants(self.pid))
        self.peak_mib = max(self.peak_mib, total / 1024)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _worker(store_dir: Path, text: str, repeat: int, budget: float,
            out: multiprocessing.queues.Queue) -> None:
    with RmpStore(store_dir) as store:
        t = time.perf_counter()
        answer = store.query(text)  # warm-up: parse check cached, pages in memory
        first = time.perf_counter() - t
        rows = len(answer) if isinstance(answer, list) else 1
        # fewer repeats for slow queries, so one bad query cannot eat the run
        count = max(3, min(repeat, int(budget / max(first, 1e-6))))
        times = []
        for _ in range(count):
            t = time.perf_counter()
            store.query(text)
            times.append((time.perf_counter() - t) * 1000)
    out.put({"p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95),
             "rows": rows, "runs": count, "peak_rss_mib": maxrss_mib()})


def time_query(store_dir: Path, text: str, repeat: int, budget: float,
               timeout: float) -> dict:
    """p50/p95 (ms) of one query in a child process (it holds the store lock),
    killed after `timeout` seconds: {"p50_ms", "p95_ms", "rows", "runs",
    "peak_rss_mib"} (the child's own peak) or {"timeout_s"}."""
    result = in_child(_worker, (store_dir, text, repeat, budget), timeout)
    return {"timeout_s": timeout} if result is None else result


def in_child(target: Callable[..., None], args: tuple[Any, ...],
             timeout: float) -> Any:
    """What `target(*args, queue)` puts on the queue, run in a child process that
    is killed after `timeout` seconds (then None): a slow measurement cannot stall
    the run, and the child's memory is its own.

    Spawned, not forked: a fork copies the parent's locks but not its threads, and a
    parent that has opened a store has RocksDB's background threads; a child forked
    while one of them held a lock waited on it for ever (every child of a run
    "timed out", holding the store's lock; seen twice on issue 16's bench)."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, out))
    proc.start()
    try:
        return out.get(timeout=timeout)
    except queue.Empty:
        return None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
