"""p50/p95 latency of every stored query on an Oxigraph store of N synthetic RMPs.

    python bench/bench_queries.py 100 [1000 ...] [--workdir DIR] [--repeat 20]
        [--budget 20] [--only NAME,...] [--out FILE]

For each N the corpus is written with `bench/make_corpus.py` and loaded into a fresh
`rmpgraph.store.RmpStore` under `--workdir` (default a temporary directory). With a
`--workdir`, `store-N` is reused when it already exists, because a 1,000-RMP store
takes minutes to build and the queries do not change it. Every stored query in
queries/*.rq gets its parameters bound by `rmpgraph.queries.bind_params` (header
example, else default) as a VALUES block, exactly as the store tests run them.
Each query runs in a child process (stopped after `--timeout` seconds): once to
warm up, then `--repeat` times for the percentiles (fewer when one run exceeds
`--budget` / repeat seconds, so one slow query cannot eat the whole run).
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import multiprocessing.queues
import os
import platform
import queue
import shlex
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rmpgraph.store import RmpStore, stored_query_texts  # noqa: E402

TARGET_MS = 50.0


def _make_corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_corpus",
                                                  HERE / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def query_texts(only: set[str] | None = None) -> dict[str, str]:
    """Runnable text of each stored query, parameters bound as the store binds them."""
    return {name: text for name, text in stored_query_texts().items()
            if not only or name in only}


def ensure_store(n: int, workdir: Path) -> tuple[Path, float | None]:
    """The store for N (built unless a complete one is already there)."""
    store_dir = workdir / f"store-{n}"
    done = store_dir / ".complete"
    if done.exists():
        return store_dir, None
    paths = _make_corpus().write_corpus(n, workdir / f"corpus-{n}")
    t = time.perf_counter()
    with RmpStore(store_dir) as store:
        store.load(paths, jobs=os.cpu_count() or 1)
    done.touch()
    return store_dir, time.perf_counter() - t


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _worker(store_dir: Path, text: str, repeat: int, budget: float,
            out: multiprocessing.queues.Queue) -> None:
    with RmpStore(store_dir) as store:
        t = time.perf_counter()
        answer = store.query(text)  # warm-up
        first = time.perf_counter() - t
        rows = len(answer) if isinstance(answer, list) else 1
        count = max(3, min(repeat, int(budget / max(first, 1e-6))))
        times = []
        for _ in range(count):
            t = time.perf_counter()
            store.query(text)
            times.append((time.perf_counter() - t) * 1000)
    out.put({"p50": statistics.median(times), "p95": _percentile(times, 0.95),
             "rows": rows, "runs": count})


def time_query(store_dir: Path, text: str, repeat: int, budget: float,
               timeout: float) -> dict:
    """p50/p95 in a child process (it holds the store lock), killed on timeout."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    proc = ctx.Process(target=_worker, args=(store_dir, text, repeat, budget, out))
    proc.start()
    try:
        return out.get(timeout=timeout)
    except queue.Empty:
        return {"timeout": timeout}
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


def time_queries(store_dir: Path, texts: dict[str, str], repeat: int,
                 budget: float, timeout: float) -> dict[str, dict]:
    results = {}
    for name, text in texts.items():
        r = results[name] = time_query(store_dir, text, repeat, budget, timeout)
        line = (f"> {timeout:.0f} s (stopped)" if "timeout" in r else
                f"p50 {r['p50']:9.1f} ms  p95 {r['p95']:9.1f} ms  rows {r['rows']}")
        print(f"  {name:34s} {line}", flush=True)
    return results


def _machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores (nproc), {mem:.1f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def render(by_n: dict[int, dict[str, dict]], command: str,
           triples: dict[int, int]) -> str:
    sizes = sorted(by_n)
    out = ["# Benchmarks: stored query latency on the Oxigraph store", "",
           f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
           f"- machine: {_machine()}", f"- command: `{command}`",
           "- corpus: `bench/make_corpus.py N` (default seed); store: "
           "`rmpgraph.store.RmpStore`, queries over the union of graphs",
           "- cells: p50 / p95 ms (rows); target p50 < 50 ms at N = 1000", ""]
    out += ["| N | quads |", "|---|---|"]
    out += [f"| {n} | {triples[n]:,} |" for n in sizes]
    out += ["", "| query | " + " | ".join(f"N={n}" for n in sizes) + " |",
            "|---|" + "---|" * len(sizes)]
    names = sorted({q for r in by_n.values() for q in r})
    for name in names:
        cells = []
        for n in sizes:
            r = by_n[n].get(name)
            if r is None:
                cells.append("-")
            elif "timeout" in r:
                cells.append(f"> {r['timeout']:.0f} s (stopped)")
            else:
                cells.append(f"{r['p50']:.1f} / {r['p95']:.1f} ({r['rows']})")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--budget", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds before a query's run is stopped")
    parser.add_argument("--only", help="comma-separated query names")
    parser.add_argument("--out", type=Path,
                        default=Path("/work/notes/benchmarks-queries.md"))
    args = parser.parse_args(argv)
    command = "python bench/bench_queries.py " + shlex.join(
        sys.argv[1:] if argv is None else argv)
    only = set(args.only.split(",")) if args.only else None
    texts = query_texts(only)
    with tempfile.TemporaryDirectory(prefix="rmpgraph-qbench-") as tmp:
        workdir = args.workdir or Path(tmp)
        by_n, triples = {}, {}
        for n in args.sizes:
            store_dir, built = ensure_store(n, workdir)
            if built is not None:
                print(f"N={n}: store built in {built:.1f} s", flush=True)
            with RmpStore(store_dir) as store:
                triples[n] = len(store)
            print(f"N={n}: {triples[n]:,} quads", flush=True)
            by_n[n] = time_queries(store_dir, texts, args.repeat, args.budget,
                                   args.timeout)
    if args.out and not only:
        args.out.write_text(render(by_n, command, triples), encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
