"""Benchmark `rmpgraph validate`: cold CLI on LEMTRADA, and rmpgraph vs naive pySHACL.

Run from the repository root:

    /work/venv/bin/python bench/bench_validate.py [--repeat N] [--output FILE]

1. Cold CLI: `python -m rmpgraph validate data/rmp/lemtrada.txt --format json` in a
   fresh process (text in, report out), with the ontology-table cache warm (the normal
   case) and with an empty cache directory (first run after an ontology change).
2. In one process, on the same data: `rmpgraph.check.validate.validate(data)` against
   `pyshacl.validate(data + vocabularies, shacl_graph=shapes, ont_graph=ontology,
   inference="owlrl")`, on LEMTRADA (1 RMP) and on three renamed copies of it
   (3 RMPs; also one pySHACL run per RMP, `per_plan=True`). All must agree on the
   findings.
3. The issue-6 ratio at small N (`--corpus-sizes 10,30`; `bench/make_corpus.py`
   documents, not copies): the sum of rmpgraph's per-document `validate()` times (one
   process) against one naive pySHACL+owlrl run over the union of the N documents, as
   bench/run.py --naive-at does at N=100 with two processes. The trend of the ratio
   with N shows where N=100 lands without spending minutes on the naive run there.
   `--only-corpus` skips parts 1 and 2.
Timings are wall-clock medians; the machine's load average is printed with them
because other jobs on a shared machine inflate wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchlib import make_corpus_module
from rdflib import Graph, URIRef
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
CLI = [sys.executable, "-m", "rmpgraph", "validate", str(LEMTRADA), "--format", "json"]


def machine() -> str:
    mem_kb = next(int(line.split()[1]) for line in
                  Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return (f"{platform.machine()}, nproc {os.cpu_count()}, RAM "
            f"{mem_kb / 1024 / 1024:.1f} GiB, Python {platform.python_version()}")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cold_cli(repeat: int, cache_dir: str | None) -> list[tuple[float, float]]:
    env = dict(os.environ)
    times: list[tuple[float, float]] = []
    for _ in range(repeat):
        if cache_dir is not None:
            with tempfile.TemporaryDirectory() as empty:
                env["RMPGRAPH_CACHE_DIR"] = empty
                times.append(_run(env))
        else:
            env.pop("RMPGRAPH_CACHE_DIR", None)
            times.append(_run(env))
    return times


def _run(env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU user+sys) seconds of one CLI process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(CLI, capture_output=True, cwd=ROOT, env=env, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"CLI failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed, cpu


def copies(graph: Graph, n: int) -> Graph:
    """n RMPs: LEMTRADA under n product IRIs (lemtrada, lemtrada-2, ...)."""
    base = "https://w3id.org/rmpgraph/id/lemtrada"
    out = Graph()
    for i in range(n):
        def rename(node, i=i):  # type: ignore[no-untyped-def]
            if i and isinstance(node, URIRef) and str(node).startswith(base):
                return URIRef(f"{base}-{i + 1}{str(node)[len(base):]}")
            return node
        for s, p, o in graph:
            out.add((rename(s), p, rename(o)))
    return out


def keys_of_report(report: Graph) -> set[tuple[str, str, str]]:
    return {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)),
             str(report.value(r, SH.resultSeverity)))
            for r in report.objects(None, SH.result)}


def compare(data: Graph, repeat: int) -> dict[str, object]:
    import pyshacl

    from rmpgraph.check.validate import load_shapes, validate
    from rmpgraph.graph.ontology import load_ontology

    ours, naive, split = [], [], []
    report = None
    for _ in range(repeat):
        start = time.perf_counter()
        report = validate(data, severity="info")
        ours.append(time.perf_counter() - start)
    for _ in range(max(1, repeat // 2)):
        start = time.perf_counter()
        per_plan = validate(data, severity="info", per_plan=True)
        split.append(time.perf_counter() - start)
    assert per_plan.results == report.results
    mixed = Graph()
    mixed += data
    mixed += load_ontology()  # the SKOS schemes: rule 8 looks QRD concepts up
    naive_report = None
    for _ in range(max(1, repeat // 2)):
        start = time.perf_counter()
        _, naive_report, _ = pyshacl.validate(
            mixed, shacl_graph=load_shapes(), ont_graph=load_ontology(),
            inference="owlrl", allow_warnings=True, allow_infos=True)
        naive.append(time.perf_counter() - start)
    assert report is not None and naive_report is not None
    ours_keys = {(f.focus, "https://w3id.org/rmpgraph/shapes#" + f.shape.split(":")[1],
                  "http://www.w3.org/ns/shacl#" + f.severity.capitalize())
                 for f in report.results}
    return {"triples": len(data), "ours": ours, "naive": naive, "split": split,
            "same_findings": ours_keys == keys_of_report(naive_report),
            "findings": len(ours_keys)}


def corpus_ratio(n: int, workdir: Path) -> dict[str, object]:
    """Per-document validation of n corpus documents vs naive pySHACL on their union."""
    import pyshacl

    from rmpgraph import build
    from rmpgraph.check.validate import load_shapes, validate
    from rmpgraph.graph.ontology import load_ontology

    paths = make_corpus_module().write_corpus(n, workdir / f"corpus-{n}")
    graphs = [build(p) for p in paths]
    validate(graphs[0])  # warm the process caches, as a worker would be
    ours_keys: set[tuple[str, str, str]] = set()
    start = time.perf_counter()
    for graph in graphs:
        for f in validate(graph, severity="info").results:
            ours_keys.add((f.focus, "https://w3id.org/rmpgraph/shapes#"
                           + f.shape.split(":")[1],
                           "http://www.w3.org/ns/shacl#" + f.severity.capitalize()))
    ours = time.perf_counter() - start
    union = Graph()
    for graph in graphs:
        union += graph
    mixed = Graph()
    mixed += union
    mixed += load_ontology()
    start = time.perf_counter()
    _, naive_report, _ = pyshacl.validate(
        mixed, shacl_graph=load_shapes(), ont_graph=load_ontology(),
        inference="owlrl", allow_warnings=True, allow_infos=True)
    naive = time.perf_counter() - start
    return {"n": n, "triples": len(union), "ours": ours, "naive": naive,
            "same_findings": ours_keys == keys_of_report(naive_report),
            "findings": len(ours_keys)}


def _sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--corpus-sizes", type=_sizes, default=[10, 30],
                        help="N for the naive ratio on make_corpus documents "
                             "(comma-separated; 100 takes minutes)")
    parser.add_argument("--only-corpus", action="store_true",
                        help="skip the cold CLI and LEMTRADA comparisons")
    args = parser.parse_args()
    lines = [f"Date: {date.today().isoformat()}; machine: {machine()}",
             f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}", ""]
    if not args.only_corpus:
        lines += lemtrada_parts(args.repeat)
    with tempfile.TemporaryDirectory() as workdir:
        for n in args.corpus_sizes:
            r = corpus_ratio(n, Path(workdir))
            ours, naive = r["ours"], r["naive"]
            assert isinstance(ours, float) and isinstance(naive, float)
            lines += [f"Corpus N={n} ({r['triples']} triples, load {load()}):",
                      f"  rmpgraph validate() per document, one process: {ours:.2f} s "
                      f"({ours / n * 1000:.0f} ms per document)",
                      f"  naive pyshacl inference='owlrl' over the union: "
                      f"{naive:.2f} s",
                      f"  ratio naive / rmpgraph: {naive / ours:.1f}x; same findings: "
                      f"{r['same_findings']} ({r['findings']} findings)", ""]
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


def lemtrada_parts(repeat: int) -> list[str]:
    """Parts 1 and 2: cold CLI on LEMTRADA, then in-process rmpgraph vs naive."""
    lines: list[str] = []

    warm = cold_cli(repeat, cache_dir=None)
    empty = cold_cli(max(1, repeat // 2), cache_dir="empty")
    def summary(runs: list[tuple[float, float]]) -> str:
        wall = [w for w, _ in runs]
        cpu = [c for _, c in runs]
        return (f"wall median {statistics.median(wall):.2f} s (min {min(wall):.2f}), "
                f"CPU median {statistics.median(cpu):.2f} s, {len(runs)} runs")

    lines += [f"Cold CLI, LEMTRADA text -> JSON report (load {load()}):",
              f"  ontology-table cache warm: {summary(warm)}",
              f"  empty cache (first run):   {summary(empty)}", ""]

    from rmpgraph import build

    lemtrada = build(LEMTRADA)
    for label, data in (("LEMTRADA, 1 RMP", lemtrada),
                        ("3 RMPs (LEMTRADA x3)", copies(lemtrada, 3))):
        r = compare(data, repeat)
        ours, naive = r["ours"], r["naive"]
        assert isinstance(ours, list) and isinstance(naive, list)
        ratio = statistics.median(naive) / statistics.median(ours[1:] or ours)
        lines += [f"In-process, {label}, {r['triples']} triples (load {load()}):",
                  f"  rmpgraph validate(): first call {ours[0]:.2f} s, then median "
                  f"{statistics.median(ours[1:] or ours):.2f} s",
                  f"  rmpgraph validate(per_plan=True): median "
                  f"{statistics.median(r['split']):.2f} s",  # type: ignore[arg-type]
                  f"  naive pyshacl inference='owlrl': median "
                  f"{statistics.median(naive):.2f} s over {len(naive)} runs",
                  f"  ratio naive / rmpgraph: {ratio:.1f}x; same findings: "
                  f"{r['same_findings']} ({r['findings']} findings)", ""]
    return lines


if __name__ == "__main__":
    main()
