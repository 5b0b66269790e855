"""Benchmark: loading and linking a full-size MedDRA-layout distribution.

Each phase runs in a fresh Python process so its peak RSS (ru_maxrss) is its own.
Targets (issue 5): loading < 30 s and < 1 GiB. Results are appended to
/work/notes/benchmarks-meddra.md (or --notes FILE) with date, machine and command.

Usage: python bench/bench_meddra.py [DIR] [--notes FILE]
  DIR: a MedDRA ASCII distribution; default: generate the synthetic one
  (bench/make_meddra.py) into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = {
    "load": "load_meddra (dictionaries, hierarchy and primary-SOC checks)",
    "index": "load_meddra + matcher index (current PT/LLT names, 2 normal forms)",
    "link": "load + link the LEMTRADA graph (built beforehand, untimed): curated "
    "+ lexical, SKOS of the used terms",
    "emit-all": "load + SKOS graph of the whole release (--include-meddra all)",
}
LIMIT_S, LIMIT_KIB = 30.0, 1024 * 1024


def _phase(name: str, folder: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from rmpgraph.link import link_loaded, load_meddra, to_graph
    from rmpgraph.link.lexicon import load_lexicon
    from rmpgraph.link.match import TermIndex

    graph = None
    if name == "link":  # build the input outside the timed part
        import rmpgraph

        graph = rmpgraph.build(ROOT / "data" / "rmp" / "lemtrada.txt")
    start = time.perf_counter()
    meddra = load_meddra(folder)
    extra: dict[str, float] = {}
    if name == "index":
        TermIndex(meddra, load_lexicon())
    elif name == "link":
        result = link_loaded(graph, meddra)
        extra = {"concerns": result.counts()["concerns"], "triples": len(result.graph)}
    elif name == "emit-all":
        extra = {"triples": len(to_graph(meddra))}
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": round(seconds, 2), "maxrss_kib": rss, **extra}


def _machine() -> str:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs (nproc), {mem} RAM, {platform.machine()}, "
            f"Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?")
    parser.add_argument("--notes", type=Path,
                        default=Path("/work/notes/benchmarks-meddra.md"))
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase, args.dir)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir
        sizes = "user-supplied distribution"
        if folder is None:
            sys.path.insert(0, str(ROOT / "bench"))
            from make_meddra import generate

            folder = str(Path(tmp) / "MedAscii")
            sizes = "synthetic: " + ", ".join(
                f"{k} {v}" for k, v in generate(Path(folder)).items())
        rows = []
        for phase, what in PHASES.items():
            out = subprocess.run([sys.executable, __file__, folder, "--phase", phase],
                                 check=True, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            ok = r["seconds"] < LIMIT_S and r["maxrss_kib"] < LIMIT_KIB
            rows.append(f"| {phase} | {what} | {r['seconds']:.2f} | "
                        f"{r['maxrss_kib'] / 1024:.0f} | "
                        f"{r.get('triples', '')} | {'yes' if ok else 'NO'} |")
            print(rows[-1])
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = [f"\n## {stamp}\n", f"- machine: {_machine()}",
             f"- command: `{Path(sys.executable).name} bench/bench_meddra.py"
             f"{' ' + args.dir if args.dir else ''}` (from the repository root)",
             f"- data: {sizes}",
             "- targets: < 30 s and < 1 GiB peak RSS per phase (fresh process each)\n",
             "| phase | what | seconds | peak RSS MiB | triples | within target |",
             "|---|---|---|---|---|---|", *rows, ""]
    args.notes.parent.mkdir(parents=True, exist_ok=True)
    new = not args.notes.exists()
    with args.notes.open("a", encoding="utf-8") as f:
        if new:
            f.write("# MedDRA loading benchmarks (bench/bench_meddra.py)\n")
        f.write("\n".join(block))


if __name__ == "__main__":
    main()
