"""Benchmark build, load, validation and stored-query latency over N synthetic RMPs.

    python bench/run.py [--sizes 1,10,100,1000] [--out FILE] [--workdir DIR]

Each N runs in its own child process (`--one N`) so its peak RSS is its own. Within
it: the corpus is generated (not timed), parsed in 2 processes (documents are
independent), written into a fresh Oxigraph store one transaction per document,
validated per document in 2 processes (`rmpgraph.validate.validate`, when that
module exists), then every stored query in queries/*.rq runs `--repeat` times on the
store for p50/p95 latency. Results go to a Markdown file with date, machine and the
exact command.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import multiprocessing.queues
import queue
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchlib import machine, make_corpus_module, time_query  # noqa: E402

from rmpgraph.store import Prepared, RmpStore, prepare, stored_query_texts  # noqa: E402

JOBS = 2


def _validate_one(nquads: bytes) -> tuple[bool, int]:
    """Validate one document's graph (its N-Quads minus the catalogue entry)."""
    from rdflib import Dataset, Graph

    from rmpgraph.store import CATALOGUE_GRAPH
    from rmpgraph.validate import validate

    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    graph = Graph()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if str(g) != CATALOGUE_GRAPH:
            graph.add((s, p, o))
    report = validate(graph)
    return report.conforms, len(report.results)


def _naive_worker(nquads: list[bytes], out: multiprocessing.queues.Queue) -> None:
    """The baseline the issue names: pySHACL with owlrl inference over the union."""
    import pyshacl
    from rdflib import Dataset, Graph

    from rmpgraph.ontology import load_ontology
    from rmpgraph.validate import load_shapes

    union = Graph()
    for data in nquads:
        ds = Dataset()
        ds.parse(data=data, format="nquads")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            union.add((s, p, o))
    shapes, ontology = load_shapes(), load_ontology()
    t = time.perf_counter()
    pyshacl.validate(union, shacl_graph=shapes, ont_graph=ontology,
                     inference="owlrl", allow_warnings=True)
    out.put(time.perf_counter() - t)


def _naive(prepared: list[Prepared], timeout: float) -> dict:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    proc = ctx.Process(target=_naive_worker, args=([p.nquads for p in prepared], out))
    proc.start()
    try:
        return {"naive_validate_s": out.get(timeout=timeout)}
    except queue.Empty:
        return {"naive_timeout_s": timeout}
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


def run_one(n: int, workdir: Path, repeat: int, timeout: float,
            naive_at: set[int] = frozenset(), naive_timeout: float = 1800) -> dict:
    corpus = workdir / f"corpus-{n}"
    paths = make_corpus_module().write_corpus(n, corpus)
    result: dict = {"n": n}

    t = time.perf_counter()
    with ProcessPoolExecutor(JOBS) as pool:
        prepared: list[Prepared] = list(pool.map(prepare, paths, chunksize=4))
    result["build_s"] = time.perf_counter() - t
    result["triples"] = sum(p.entry.triples for p in prepared)

    store_dir = workdir / f"store-{n}"
    t = time.perf_counter()
    with RmpStore(store_dir) as store:
        store.ensure_ontology()
        for doc in prepared:
            store.write(doc)
    result["load_s"] = time.perf_counter() - t

    if importlib.util.find_spec("rmpgraph.validate") is not None:
        t = time.perf_counter()
        with ProcessPoolExecutor(JOBS) as pool:
            outcomes = list(pool.map(_validate_one, [p.nquads for p in prepared]))
        result["validate_s"] = time.perf_counter() - t
        result["conforming"] = sum(ok for ok, _ in outcomes)
        if n in naive_at:
            result |= _naive(prepared, naive_timeout)
    else:
        result["validate_s"] = None

    latencies = {name: time_query(store_dir, text, repeat, timeout / 4, timeout)
                 for name, text in stored_query_texts().items()}
    result["queries"] = latencies
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_rss_mib"] = max(self_kb, child_kb) / 1024
    result["peak_rss_main_mib"] = self_kb / 1024
    return result


def _fmt(x: float | None, unit: str = "s") -> str:
    return "skipped" if x is None else f"{x:.2f} {unit}"


def _cell(q: dict) -> str:
    if "timeout_s" in q:
        return f"> {q['timeout_s']:.0f} s (timed out)"
    return f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f} ({q['rows']})"


def render(results: list[dict], command: str) -> str:
    out = ["# Benchmarks: store, corpus, queries", "",
           f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
           f"- machine: {machine()}", f"- command: `{command}`",
           f"- parsing and validation use {JOBS} processes; load is one Oxigraph "
           "transaction per document", ""]
    out += ["| N | triples | build | load | validate | total | peak RSS |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        total = r["build_s"] + r["load_s"] + (r["validate_s"] or 0)
        r["total_s"] = total
        out.append(f"| {r['n']} | {r['triples']:,} | {_fmt(r['build_s'])} | "
                   f"{_fmt(r['load_s'])} | {_fmt(r['validate_s'])} | {total:.2f} s | "
                   f"{r['peak_rss_mib']:.0f} MiB |")
    if any(r["validate_s"] is None for r in results):
        out += ["", "Validation skipped: `rmpgraph.validate` is not importable."]
    by_n = {r["n"]: r for r in results}
    if 100 in by_n and 1000 in by_n:
        a, b = by_n[100], by_n[1000]
        out += ["", "Growth 1000/100 (linear = 10, target <= 11): "
                + ", ".join(f"{k} {b[k] / a[k]:.1f}x" for k in
                            ("build_s", "load_s", "validate_s", "total_s")
                            if a.get(k) and b.get(k))]
    for r in results:
        if r.get("naive_validate_s") and r.get("validate_s"):
            out += ["", f"Naive `pyshacl.validate(union, inference='owlrl')` at "
                    f"N={r['n']}: {r['naive_validate_s']:.1f} s, "
                    f"{r['naive_validate_s'] / r['validate_s']:.1f}x the per-document "
                    "validation (target >= 20x)"]
        elif r.get("naive_timeout_s") and r.get("validate_s"):
            out += ["", f"Naive `pyshacl.validate(union, inference='owlrl')` at "
                    f"N={r['n']}: stopped after {r['naive_timeout_s']:.0f} s, so at "
                    f"least {r['naive_timeout_s'] / r['validate_s']:.1f}x the "
                    "per-document validation (target >= 20x)"]
    names = sorted(results[0]["queries"])
    out += ["", "## Stored query latency on the store (p50 / p95 ms, rows)", "",
            "| query | " + " | ".join(f"N={r['n']}" for r in results) + " |",
            "|---|" + "---|" * len(results)]
    for name in names:
        cells = [_cell(r["queries"][name]) for r in results]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def _sizes(text: str) -> set[int]:
    return {int(x) for x in text.split(",") if x.strip()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--out", type=Path,
                        default=Path("/work/notes/benchmarks-store.md"))
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds allowed per stored query (all its runs)")
    parser.add_argument("--naive-at", default="",
                        help="sizes at which to also time naive pySHACL+owlrl "
                        "over the union (e.g. 100)")
    parser.add_argument("--naive-timeout", type=float, default=1800.0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        result = run_one(args.one, args.workdir, args.repeat, args.timeout,
                         _sizes(args.naive_at), args.naive_timeout)
        args.json.write_text(json.dumps(result))
        return
    command = "python " + " ".join(shlex.quote(a) for a in sys.argv)
    results = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for n in sorted(_sizes(args.sizes)):
            out = Path(tmp) / f"result-{n}.json"
            subprocess.run([sys.executable, __file__, "--one", str(n), "--workdir",
                            tmp, "--json", str(out), "--repeat", str(args.repeat),
                            "--timeout", str(args.timeout), "--naive-at",
                            args.naive_at, "--naive-timeout",
                            str(args.naive_timeout)],
                           check=True)
            results.append(json.loads(out.read_text()))
            print(f"N={n}: " + json.dumps({k: v for k, v in results[-1].items()
                                           if k != "queries"}), flush=True)
    text = render(results, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1))
    print(text)


if __name__ == "__main__":
    main()
