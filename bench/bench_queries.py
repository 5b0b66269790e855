"""p50/p95 latency of every stored query on an Oxigraph store of N synthetic RMPs.

    python bench/bench_queries.py 100 [1000 ...] [--workdir DIR] [--repeat 20]
        [--budget 20] [--only NAME,...] [--out FILE]

For each N the corpus is written with `bench/make_corpus.py` and loaded into a fresh
`RmpStore` under `--workdir` (default a temporary directory). With a
`--workdir`, `store-N` is reused when it already exists, because a 1,000-RMP store
takes minutes to build and the queries do not change it. Every stored query in
queries/*.rq gets its parameters bound by `rmpgraph.queries.stored.bind_params` (header
example, else default) and bound as the store binds them (`bind_for_engine`).
Each query runs in a child process (stopped after `--timeout` seconds): once to
warm up, then `--repeat` times for the percentiles (fewer when one run exceeds
`--budget` / repeat seconds, so one slow query cannot eat the whole run).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchlib import machine, make_corpus_module, time_query  # noqa: E402

from rmpgraph.store.embedded import RmpStore, stored_query_texts  # noqa: E402

TARGET_MS = 50.0


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
    paths = make_corpus_module().write_corpus(n, workdir / f"corpus-{n}")
    t = time.perf_counter()
    with RmpStore(store_dir) as store:
        store.load(paths, jobs=os.cpu_count() or 1)
    done.touch()
    return store_dir, time.perf_counter() - t


def time_queries(store_dir: Path, texts: dict[str, str], repeat: int,
                 budget: float, timeout: float) -> dict[str, dict]:
    results = {}
    for name, text in texts.items():
        r = results[name] = time_query(store_dir, text, repeat, budget, timeout)
        line = (f"> {timeout:.0f} s (stopped)" if "timeout_s" in r else
                f"p50 {r['p50_ms']:9.1f} ms  p95 {r['p95_ms']:9.1f} ms  "
                f"rows {r['rows']}")
        print(f"  {name:34s} {line}", flush=True)
    return results


def render(by_n: dict[int, dict[str, dict]], command: str,
           triples: dict[int, int]) -> str:
    sizes = sorted(by_n)
    out = ["# Benchmarks: stored query latency on the Oxigraph store", "",
           f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
           f"- machine: {machine()}", f"- command: `{command}`",
           "- corpus: `bench/make_corpus.py N` (default seed); store: "
           "`rmpgraph.store.embedded.RmpStore`, queries over the union of graphs",
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
            elif "timeout_s" in r:
                cells.append(f"> {r['timeout_s']:.0f} s (stopped)")
            else:
                cells.append(f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ({r['rows']})")
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
