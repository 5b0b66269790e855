"""Benchmark: `rmpgraph.query(...).to_dataframe()` on a store (issue 17).

Target: a cohort question as a DataFrame in < 1.5 s on the 1,000-RMP store. The
store is opened once (`rmpgraph.Store`, read-only, as a notebook would hold it);
each question is run `--repeat` times and the medians of the query (engine +
rdflib terms) and of `to_dataframe()` (label look-up + typed columns) are reported,
with the rows and distinct IRIs the labels were looked up for.

Usage: python bench/bench_api.py STORE [--repeat 5] [--as-of 2026-11-25]
       (build STORE with `python bench/make_corpus.py 1000 DIR` and
       `rmpgraph load --store STORE DIR/*.txt`)

Measured 2026-12-04 on the shared 2-core machine (other jobs running), 1,000-RMP
realistic corpus (seed 20240101), `--repeat 5`, medians in seconds (query /
to_dataframe / total): the six cohort questions 0.03-0.87 / <= 0.006 / <= 0.87
(routine-only-concerns slowest); overdue-milestones (2,291 rows, 3,274 IRIs)
0.84 / 0.31 / 1.17; concerns-without-additional-rmm, a listing rather than a
cohort question (10,308 rows, 10,311 IRIs), 4.90 / 1.01 / 5.66.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rdflib import URIRef

import rmpgraph

ROOT = Path(__file__).resolve().parent.parent
COHORT = ROOT / "queries" / "cohort"


def _questions(as_of: str) -> list[tuple[str, dict[str, str], Path | None]]:
    cohort = [(p.stem, {}, COHORT) for p in sorted(COHORT.glob("*.rq"))]
    for i, (name, _, folder) in enumerate(cohort):
        query = rmpgraph.get_query(name, folder)
        if any(p.name == "as_of" for p in query.params):
            cohort[i] = (name, {"as_of": as_of}, folder)
    return [*cohort, ("concerns-without-additional-rmm", {}, None),
            ("overdue-milestones", {"as_of": as_of}, None)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="2026-11-25")
    args = parser.parse_args()
    print("| question | rows | IRIs labelled | query p50 (s) | to_dataframe p50 (s) "
          "| total p50 (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    with rmpgraph.Store(args.store, read_only=True, create=False) as store:
        for name, params, folder in _questions(args.as_of):
            q_times, df_times, totals = [], [], []
            rows = iris = 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = rmpgraph.query(name, store, params, queries_dir=folder)
                mid = time.perf_counter()
                frame = result.to_dataframe()
                end = time.perf_counter()
                q_times.append(mid - start)
                df_times.append(end - mid)
                totals.append(end - start)
                rows = len(frame)
                iris = len({t for r in result for t in r.values()
                            if isinstance(t, URIRef)})
            label = f"cohort/{name}" if folder else name
            print(f"| {label} | {rows} | {iris} | {statistics.median(q_times):.3f} | "
                  f"{statistics.median(df_times):.3f} | "
                  f"{statistics.median(totals):.3f} |")


if __name__ == "__main__":
    main()
