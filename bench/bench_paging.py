"""First pages of the stored queries that page by product, on a store (issue 16).

For each query whose header says `pages: product`, the engine time of a page
(`--limit N --offset M`, no product given) two ways, in a child process holding the
store (`benchlib.in_child`): product by product as the store's child runs it
(`queries.paging.pages`: the products in label order, then one scoped query after
another until the page is full) and as the whole query with LIMIT/OFFSET appended
(what a page cost before). Both give their rows as rdflib terms, as the store's
child does; the run fails if they differ. Then the wall time of the command a user
types, `rmpgraph query run concern-measures --store S --limit 100`, at this tree
and at `--rev` (a git worktree, run with this tree's interpreter), p50 of
`--repeat` runs.

    python bench/bench_paging.py --store /tmp/q16b/store-1000 --rev 574c37b \
        --out /tmp/paging.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import in_child, machine  # noqa: E402

from rmpgraph.queries.paging import pages  # noqa: E402
from rmpgraph.queries.sparqltext import bind_for_engine, runnable_text  # noqa: E402
from rmpgraph.queries.stored import bind_params, load_queries  # noqa: E402


def _worker(store_dir: Path, text: str, offset: int, limit: int, repeat: int,
            out: Any) -> None:
    import pyoxigraph as ox

    from rmpgraph.store.storedocs import solution_rows

    store = ox.Store.read_only(str(store_dir))

    def select(query: str) -> Any:
        return solution_rows(store.query(query, use_default_graph_as_union=True))

    def paged() -> list[Any]:
        rows = pages(select, text, offset + limit)
        assert rows is not None, "the store's products cannot be paged"
        return list(itertools.islice(rows, offset, offset + limit))

    def whole() -> list[Any]:
        return list(select(f"{text}\nLIMIT {limit} OFFSET {offset}"))

    result: dict[str, Any] = {}
    answers = {}
    for name, run in (("paged", paged), ("whole", whole)):
        answers[name] = run()  # warm-up
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            run()
            times.append((time.perf_counter() - t) * 1000)
        result[name] = {"p50_ms": statistics.median(times), "runs": times,
                        "rows": len(answers[name])}
    result["same_rows"] = answers["paged"] == answers["whole"]
    out.put(result)


def engine(store_dir: Path, repeat: int, pages_at: list[tuple[int, int]],
           timeout: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, query in load_queries().items():
        if query.pages != "product":
            continue
        text = runnable_text(bind_for_engine(query.text, bind_params(query, {
            p.name: p.example for p in query.params
            if p.required and p.example is not None})))
        for offset, limit in pages_at:
            key = f"{name} --offset {offset} --limit {limit}"
            r = in_child(_worker, (store_dir, text, offset, limit, repeat), timeout)
            results[key] = r or {"timeout_s": timeout}
            if r:
                print(f"  {key:70s} paged {r['paged']['p50_ms']:8.1f} ms  whole "
                      f"{r['whole']['p50_ms']:8.1f} ms  rows {r['paged']['rows']}"
                      f"  same {r['same_rows']}", flush=True)
            else:
                print(f"  {key:70s} > {timeout} s", flush=True)
    return results


def cli(tree: Path, store_dir: Path, repeat: int) -> dict[str, Any]:
    """Wall time of the command at `tree` (its package imported from its folder)."""
    command = [sys.executable, "-m", "rmpgraph", "query", "run", "concern-measures",
               "--store", str(store_dir), "--limit", "100", "-f", "csv"]
    times, out = [], b""
    for _ in range(repeat + 1):
        t = time.perf_counter()
        proc = subprocess.run(command, cwd=tree, capture_output=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(tree)})
        times.append(time.perf_counter() - t)
        out = proc.stdout
    return {"p50_s": statistics.median(times[1:]), "runs_s": times[1:],
            "rows": out.count(b"\n") - 1, "sha": _sha(out)}


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rev", help="a commit whose CLI is timed too")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    load = os.getloadavg()
    results = {"engine": engine(args.store, args.repeat, [(0, 100), (1000, 100)],
                                args.timeout)}
    results["cli"] = {"now": cli(ROOT, args.store, args.repeat)}
    print(f"  CLI now: {results['cli']['now']}", flush=True)
    if args.rev:
        with tempfile.TemporaryDirectory(prefix="paging-") as tmp:
            tree = Path(tmp) / "tree"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach",
                            str(tree), args.rev], check=True, capture_output=True)
            try:
                results["cli"][args.rev] = cli(tree, args.store, args.repeat)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove",
                                "--force", str(tree)], check=True)
        print(f"  CLI {args.rev}: {results['cli'][args.rev]}", flush=True)
    args.out.write_text(json.dumps({
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
        "command": "python bench/bench_paging.py " + shlex.join(sys.argv[1:]),
        "load_before": load, "load_after": os.getloadavg(), "results": results},
        indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
