"""Benchmark build, load, validation and stored-query latency over N synthetic RMPs.

    python bench/run.py [--sizes 1,10,100,1000] [--out FILE] [--workdir DIR]

Each N runs in its own child process (`--one N`) so its peak RSS is its own. Within
it: the corpus is generated (not timed), parsed in 2 processes (documents are
independent) that each write their document's N-Quads to a file in the workdir,
loaded from those files into a fresh Oxigraph store one transaction per document,
validated per document in 2 processes that each read their file
(`rmpgraph.check.validate.validate`), then every stored query in queries/*.rq runs
`--repeat` times on the store for p50/p95 latency. No stage holds the whole corpus
in memory, so the pipeline's peak RSS is what streaming the stages costs.

Memory is reported per role: the pipeline (main process and its worker pools,
build through validation: each one's own peak from getrusage, and their summed RSS
sampled every 0.1 s), the naive pySHACL child and the query-latency children on
their own. A second child per N (`--cli N`) times what a user runs,
`rmpgraph load --store DIR --jobs 2 --quiet corpus/*.txt`, with its peak RSS.
Results go to a Markdown file with date, machine and the exact command.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import multiprocessing.queues
import resource
import shlex
import shutil
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

from benchlib import (  # noqa: E402
    RssSampler,
    in_child,
    machine,
    make_corpus_module,
    maxrss_mib,
    time_query,
)
from rdflib import Graph  # noqa: E402

from rmpgraph.store.embedded import (  # noqa: E402
    CATALOGUE_GRAPH,
    Entry,
    Prepared,
    RmpStore,
    prepare,
    stored_query_texts,
)
from rmpgraph.store.storedocs import rdflib_graph  # noqa: E402

JOBS = 2


def _build_one(out_dir: Path, path: Path) -> tuple[Path, Entry]:
    """Parse one document and leave its N-Quads on disk; only the small catalogue
    entry travels back to the main process."""
    doc = prepare(path)
    target = out_dir / f"{path.stem}.nq"
    target.write_bytes(doc.nquads)
    return target, doc.entry


def _document_graph(nquads: Path) -> Graph:
    """The document's own triples from its N-Quads file (catalogue entry left out).

    Oxigraph parses, rdflib holds: rdflib's own N-Quads parser took 52 ms of a
    document's 117 ms (parse + validate) on corpus-100, Oxigraph's 13 ms.
    """
    import pyoxigraph as ox

    return rdflib_graph(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS),
                        skip=(CATALOGUE_GRAPH,))


def _validate_one(nquads: Path) -> tuple[bool, int]:
    """Validate one document's graph, read from its N-Quads file."""
    from rmpgraph.check.validate import validate

    report = validate(_document_graph(nquads))
    return report.conforms, len(report.results)


def _naive_worker(files: list[Path], out: multiprocessing.queues.Queue) -> None:
    """The baseline the issue names: pySHACL with owlrl inference over the union."""
    import pyshacl

    from rmpgraph.check.validate import load_shapes
    from rmpgraph.graph.ontology import load_ontology

    union = Graph()
    for f in files:
        for triple in _document_graph(f):
            union.add(triple)
    shapes, ontology = load_shapes(), load_ontology()
    t = time.perf_counter()
    pyshacl.validate(union, shacl_graph=shapes, ont_graph=ontology,
                     inference="owlrl", allow_warnings=True)
    out.put((time.perf_counter() - t, maxrss_mib()))


def _naive(files: list[Path], timeout: float) -> dict:
    result = in_child(_naive_worker, (files,), timeout)
    if result is None:
        return {"naive_timeout_s": timeout}
    seconds, rss = result
    return {"naive_validate_s": seconds, "naive_peak_rss_mib": rss}


def run_one(n: int, workdir: Path, repeat: int, timeout: float,
            naive_at: set[int] = frozenset(), naive_timeout: float = 1800) -> dict:
    corpus = workdir / f"corpus-{n}"
    paths = make_corpus_module().write_corpus(n, corpus)
    built_dir = workdir / f"nquads-{n}"
    shutil.rmtree(built_dir, ignore_errors=True)
    built_dir.mkdir(parents=True)
    result: dict = {"n": n}

    with RssSampler() as pipeline:
        t = time.perf_counter()
        with ProcessPoolExecutor(JOBS) as pool:
            built = list(pool.map(functools.partial(_build_one, built_dir), paths,
                                  chunksize=4))
        result["build_s"] = time.perf_counter() - t
        result["triples"] = sum(entry.triples for _, entry in built)

        store_dir = workdir / f"store-{n}"
        t = time.perf_counter()
        with RmpStore(store_dir) as store:
            store.ensure_ontology()
            for nquads, entry in built:
                store.write(Prepared(entry, nquads.read_bytes()))
            store.optimize()  # as `RmpStore.load` does after a large load
        result["load_s"] = time.perf_counter() - t

        files = [nquads for nquads, _ in built]
        t = time.perf_counter()
        with ProcessPoolExecutor(JOBS) as pool:
            outcomes = list(pool.map(_validate_one, files))
        result["validate_s"] = time.perf_counter() - t
        result["conforming"] = sum(ok for ok, _ in outcomes)
    # every worker has been joined: RUSAGE_CHILDREN now covers exactly the pools
    result["peak_rss_main_mib"] = maxrss_mib(resource.RUSAGE_SELF)
    result["peak_rss_worker_mib"] = maxrss_mib(resource.RUSAGE_CHILDREN)
    # a sample can miss a short peak, but the sum is never below one process's
    result["peak_rss_mib"] = max(pipeline.peak_mib, result["peak_rss_main_mib"],
                                 result["peak_rss_worker_mib"])
    if n in naive_at:
        result |= _naive(files, naive_timeout)

    latencies = {name: time_query(store_dir, text, repeat, timeout / 4, timeout)
                 for name, text in stored_query_texts().items()}
    result["queries"] = latencies
    result["peak_rss_query_mib"] = max(
        (q["peak_rss_mib"] for q in latencies.values() if "peak_rss_mib" in q),
        default=None)
    return result


def _rmpgraph() -> list[str]:
    script = Path(sys.executable).parent / "rmpgraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rmpgraph"]


def run_cli(n: int, workdir: Path, jobs: int = JOBS) -> dict:
    """Wall time and memory of `rmpgraph load` over the corpus `--one` wrote.

    Run from a fresh process, so RUSAGE_CHILDREN is that command's alone (the
    largest of it and its parsing processes)."""
    corpus = sorted((workdir / f"corpus-{n}").glob("*.txt"))
    store_dir = workdir / f"cli-store-{n}"
    shutil.rmtree(store_dir, ignore_errors=True)
    command = [*_rmpgraph(), "load", "--store", str(store_dir), "--jobs", str(jobs),
               "--quiet", *map(str, corpus)]
    t = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    with RssSampler(proc.pid) as sampled:
        code = proc.wait()
    wall = time.perf_counter() - t
    if code:
        raise subprocess.CalledProcessError(code, command[:4])
    largest = maxrss_mib(resource.RUSAGE_CHILDREN)
    return {"cli_load_s": wall, "cli_peak_rss_mib": max(sampled.peak_mib, largest),
            "cli_peak_rss_process_mib": largest, "cli_jobs": jobs}


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
    out += ["| N | triples | build | load | validate | total | peak RSS: pipeline "
            "(sampled sum) | main process | largest worker |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        total = r["build_s"] + r["load_s"] + (r["validate_s"] or 0)
        r["total_s"] = total
        out.append(f"| {r['n']} | {r['triples']:,} | {_fmt(r['build_s'])} | "
                   f"{_fmt(r['load_s'])} | {_fmt(r['validate_s'])} | {total:.2f} s | "
                   f"{r['peak_rss_mib']:.0f} MiB | {r['peak_rss_main_mib']:.0f} MiB | "
                   f"{r['peak_rss_worker_mib']:.0f} MiB |")
    out += ["", "Pipeline: build, load and validation (main process and its worker "
            "pools). Sampled sum: RSS of all of them together every 0.1 s (pages "
            "shared after fork counted in each); main process and largest worker: "
            "each one's own peak (getrusage). Query-latency children, one per "
            "stored query, peak at "
            + ", ".join(f"N={r['n']} {r['peak_rss_query_mib']:.0f} MiB"
                        for r in results if r.get("peak_rss_query_mib"))
            + " (largest); not part of the pipeline."]
    if any("cli_load_s" in r for r in results):
        jobs = next(r["cli_jobs"] for r in results if "cli_jobs" in r)
        out += ["", f"What a user runs: `rmpgraph load --store DIR --jobs {jobs} "
                "--quiet corpus/*.txt` (parse and load, one process tree, fresh "
                "store), wall time and peak RSS (sampled sum of the command and "
                "its parsing processes; largest single process).", "",
                "| N | wall | peak RSS (sum) | largest process |", "|---|---|---|---|"]
        out += [f"| {r['n']} | {r['cli_load_s']:.2f} s | "
                f"{r['cli_peak_rss_mib']:.0f} MiB | "
                f"{r['cli_peak_rss_process_mib']:.0f} MiB |"
                for r in results if "cli_load_s" in r]
    by_n = {r["n"]: r for r in results}
    if 100 in by_n and 1000 in by_n:
        a, b = by_n[100], by_n[1000]
        out += ["", "Growth 1000/100 (linear = 10, target <= 11): "
                + ", ".join(f"{k} {b[k] / a[k]:.1f}x" for k in
                            ("build_s", "load_s", "validate_s", "total_s",
                             "cli_load_s")
                            if a.get(k) and b.get(k))]
    for r in results:
        if r.get("naive_validate_s") and r.get("validate_s"):
            out += ["", f"Naive `pyshacl.validate(union, inference='owlrl')` at "
                    f"N={r['n']}: {r['naive_validate_s']:.1f} s, "
                    f"{r['naive_validate_s'] / r['validate_s']:.1f}x the per-document "
                    "validation (target >= 20x); its child process peaked at "
                    f"{r['naive_peak_rss_mib']:.0f} MiB"]
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
    parser.add_argument("--cli-jobs", type=int, default=JOBS,
                        help="--jobs for the timed `rmpgraph load` (0: skip it)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cli", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        result = run_one(args.one, args.workdir, args.repeat, args.timeout,
                         _sizes(args.naive_at), args.naive_timeout)
        args.json.write_text(json.dumps(result))
        return
    if args.cli is not None:
        args.json.write_text(json.dumps(run_cli(args.cli, args.workdir,
                                                args.cli_jobs)))
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
            if args.cli_jobs > 0:
                subprocess.run([sys.executable, __file__, "--cli", str(n),
                                "--workdir", tmp, "--json", str(out),
                                "--cli-jobs", str(args.cli_jobs)], check=True)
                results[-1] |= json.loads(out.read_text())
            print(f"N={n}: " + json.dumps({k: v for k, v in results[-1].items()
                                           if k != "queries"}), flush=True)
    text = render(results, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1))
    print(text)


if __name__ == "__main__":
    main()
