"""Time to first byte and peak memory of a store query, streamed against whole.

    .venv/bin/python bench/bench_stream.py --n 150 --runs 5 --workdir /tmp/bench-stream
    .venv/bin/python bench/bench_stream.py --store DIR --query concern-measures

Streamed is the CLI as shipped: `rmpgraph query run QUERY --store S -f csv`, where
the store's child process writes rows to a pipe as Oxigraph produces them and the
CLI copies them out (`rmpgraph/store/storeguard.py`). Whole is the path every
result took before (and files, graphs and endpoints still take): the child
pickles all rows back, the CLI renders them into one string, then writes it; run
here as the same few calls from a fresh interpreter (`WHOLE` below). Both write to
a pipe this script reads; each run is one fresh process tree, the two modes
interleaved so they share the machine's load. Reported per mode, median of the
runs: time to the first byte, total time, peak RSS of the process tree (summed,
sampled every 20 ms) and of its largest process (getrusage, exact); and that the
two outputs are the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from benchlib import RssSampler, machine, make_corpus_module, maxrss_mib  # noqa: E402

ROOT = HERE.parent
WHOLE = ("import sys\n"
         "from rmpgraph.api.querying import query\n"
         "from rmpgraph.cli.common import write_text\n"
         "write_text(None, query(sys.argv[1], sys.argv[2]).serialize(sys.argv[3]))\n")


#: an answer with many rows and no ORDER BY (every triple of the store), where
#: the engine can hand over solutions as it finds them
EVERY_TRIPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def command(mode: str, query: str, store: Path, fmt: str) -> list[str]:
    if mode == "streamed":
        from rmpgraph.api.querying import is_query_name

        run = ["query", "run", query] if is_query_name(query) else ["sparql", query]
        return [sys.executable, "-m", "rmpgraph", *run, "--store", str(store), "-f",
                fmt]
    return [sys.executable, "-c", WHOLE, query, str(store), fmt]


def measure(mode: str, query: str, store: Path, fmt: str) -> dict[str, object]:
    """One run in this (fresh) process: getrusage(RUSAGE_CHILDREN) is its alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(command(mode, query, store, fmt), cwd=ROOT,
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None
    digest = hashlib.sha256()
    size = 0
    first = None
    with RssSampler(proc.pid, interval=0.02) as sampled:
        while chunk := proc.stdout.read1(1 << 16):
            if first is None:
                first = time.perf_counter() - start
            digest.update(chunk)
            size += len(chunk)
        code = proc.wait()
    total = time.perf_counter() - start
    if code:
        raise SystemExit(f"{mode} run failed with exit status {code}")
    return {"mode": mode, "ttfb_s": first, "total_s": total, "bytes": size,
            "sha256": digest.hexdigest(), "tree_peak_mib": sampled.peak_mib,
            "largest_process_mib": maxrss_mib(resource.RUSAGE_CHILDREN)}


def one_run(mode: str, query: str, store: Path, fmt: str) -> dict[str, object]:
    proc = subprocess.run([sys.executable, __file__, "--measure", mode, "--query",
                           query, "--store", str(store), "--format", fmt],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def build_store(n: int, workdir: Path) -> Path:
    corpus, store = workdir / "corpus", workdir / "store"
    if store.exists():
        return store
    shutil.rmtree(corpus, ignore_errors=True)
    make_corpus_module().write_corpus(n, corpus)
    docs = sorted(corpus.glob("*.txt"))
    versions = corpus / "versions.tsv"
    extra = ["--versions", str(versions)] if versions.exists() else []
    subprocess.run([sys.executable, "-m", "rmpgraph", "load", "--store", str(store),
                    "--jobs", "2", "-q", *extra, *map(str, docs)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    return store


def rmps(store: Path) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "rmpgraph", "sparql", "SELECT (COUNT(DISTINCT ?r) AS "
         "?n) WHERE { ?p rmp:hasRiskManagementPlan ?r }", "--store", str(store), "-f",
         "csv"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return int(out.splitlines()[1])


def report(runs: list[dict[str, object]], args: argparse.Namespace, store: Path,
           loads: list[float]) -> str:
    def med(query: str, mode: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs  # type: ignore[arg-type]
                                 if r["mode"] == mode and r["query"] == query)

    rows = []
    for query in args.query:
        mine = [r for r in runs if r["query"] == query]
        same = "yes" if len({r["sha256"] for r in mine}) == 1 else "NO"
        size = int(mine[0]["bytes"])  # type: ignore[call-overload]
        name = f"`{query}`" if query != EVERY_TRIPLE else "every triple (ad hoc)"
        rows += [f"| {name} | {mode} | {med(query, mode, 'ttfb_s'):.2f} s | "
                 f"{med(query, mode, 'total_s'):.2f} s | "
                 f"{med(query, mode, 'tree_peak_mib'):.0f} MiB | "
                 f"{med(query, mode, 'largest_process_mib'):.0f} MiB | "
                 f"{size / 2**20:.1f} MiB, same: {same} |"
                 for mode in ("whole", "streamed")]
    return "\n".join([
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}; load average {min(loads):.1f}–{max(loads):.1f} "
        "during the runs (shared with other sessions)",
        f"- store: {rmps(store)} RMPs; format {args.format}; every triple (ad hoc) "
        f"is `rmpgraph sparql '{EVERY_TRIPLE}'`",
        f"- command: `.venv/bin/python bench/bench_stream.py "
        f"{' '.join(sys.argv[1:])}` (median of {args.runs} runs per mode)",
        "",
        "| query | mode | time to first byte | total | peak RSS, process tree | "
        "peak RSS, largest process | output, both modes the same bytes |",
        "|---|---|---|---|---|---|---|",
        *rows, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (else --n)")
    parser.add_argument("--n", type=int, default=150, help="RMPs to generate")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-stream"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", action="append",
                        help="a stored query's name or SPARQL (repeatable; default "
                             "concern-measures and every triple)")
    parser.add_argument("--format", default="csv")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.query[0], args.store,
                                 args.format)))
        return
    args.query = args.query or ["concern-measures", EVERY_TRIPLE]
    if args.runs < 3:
        parser.error("--runs: at least 3 (the report gives medians)")
    store = args.store or build_store(args.n, args.workdir)
    runs, loads = [], []
    for query in args.query:
        for n in range(args.runs):
            for mode in ("whole", "streamed") if n % 2 == 0 else ("streamed", "whole"):
                loads.append(os.getloadavg()[0])
                runs.append({"query": query,
                             **one_run(mode, query, store, args.format)})
                print(json.dumps(runs[-1]), file=sys.stderr)
    print(report(runs, args, store, loads))


if __name__ == "__main__":
    main()
