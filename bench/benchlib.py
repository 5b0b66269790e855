"""Pieces shared by the benchmark scripts: the corpus generator, the machine line,
and timing one stored query on a store in a child process."""

from __future__ import annotations

import importlib.util
import multiprocessing
import multiprocessing.queues
import os
import platform
import queue
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rmpgraph.store import RmpStore  # noqa: E402

__all__ = ["make_corpus_module", "machine", "percentile", "time_query"]


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
             "rows": rows, "runs": count})


def time_query(store_dir: Path, text: str, repeat: int, budget: float,
               timeout: float) -> dict:
    """p50/p95 (ms) of one query in a child process (it holds the store lock),
    killed after `timeout` seconds: {"p50_ms", "p95_ms", "rows", "runs"} or
    {"timeout_s"}."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    proc = ctx.Process(target=_worker, args=(store_dir, text, repeat, budget, out))
    proc.start()
    try:
        return out.get(timeout=timeout)
    except queue.Empty:
        return {"timeout_s": timeout}
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
