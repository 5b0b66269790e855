"""Benchmark: stored queries vs. the same questions reading the derived facts.

The derived facts (docs/MODEL.md "Derived facts") replace a sub-select or MINUS
over measures and studies by two triple patterns. This script rewrites the shipped
query text in a temporary folder (the shipped files are untouched), runs both on
the store (Oxigraph) and, with --files N, on N corpus documents built into one
rdflib graph, checks that the answers are identical and prints the medians.

Usage: python bench/bench_derived.py STORE [--repeat 5] [--files N --corpus DIR]
       (STORE from `python bench/make_corpus.py 220 DIR` and
       `rmpgraph load --store STORE DIR/*.txt`)

Measured 2026-12-04 on the shared 2-core machine (other jobs running), 220-RMP
realistic corpus (make_corpus.py default seed), `--repeat 5 --files 30`, p50 in
seconds, stored / derived: on the Oxigraph store routine-only-concerns 0.51 / 0.85,
additional-measure-share 0.12 / 0.07, concerns-without-additional-pv 1.38 / 1.48
(no speed-up worth a rewrite: Oxigraph's hash joins already compute the
sub-selects once); on rdflib, 30 RMPs (82k triples), routine-only-concerns
1.97 / 0.52 (3.8x), additional-measure-share 0.43 / 0.33,
concerns-without-additional-pv 2.95 / 10.74 (rdflib joins the boolean pattern
badly). Identical answers in every case.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import rmpgraph

ROOT = Path(__file__).resolve().parent.parent
COHORT = ROOT / "queries" / "cohort"

#: query name, its folder (None: shipped top level), the text replaced, the new text
REWRITES: list[tuple[str, Path | None, str, str]] = [
    ("routine-only-concerns", COHORT, """  OPTIONAL {
    SELECT DISTINCT ?concern (1 AS ?additional)
    WHERE {
      ?measure rmp:addressesConcern ?concern ;
               a rmp:AdditionalRiskMinimisationMeasure .
    }
  }
  BIND (1 - COALESCE(?additional, 0) AS ?routine_only)""",
     """  ?concern rmp:hasDerivedFacts ?facts .
  ?facts rmp:hasAdditionalMeasure ?additional .
  BIND (IF(?additional, 0, 1) AS ?routine_only)"""),
    ("additional-measure-share", COHORT, """      ?rmp rmp:hasMeasure ?measure .
      ?measure a rmp:AdditionalRiskMinimisationMeasure .""",
     """      ?rmp rmp:hasSafetyConcern/rmp:hasDerivedFacts/rmp:hasAdditionalMeasure
           true ."""),
    ("concerns-without-additional-pv", None, """  MINUS {
    ?activity rmp:addressesConcern ?concern ;
              a ?activityClass .
    VALUES ?activityClass { rmp:Study rmp:PharmacovigilanceActivity }
  }""",
     """  ?concern rmp:hasDerivedFacts ?facts .
  ?facts rmp:hasAdditionalPharmacovigilance false ."""),
]


def _variants(folder: Path) -> None:
    for name, where, old, new in REWRITES:
        text = ((where or ROOT / "queries") / f"{name}.rq").read_text(encoding="utf-8")
        if old not in text:
            raise SystemExit(f"{name}.rq changed: update REWRITES in {__file__}")
        (folder / f"{name}-derived.rq").write_text(text.replace(old, new),
                                                   encoding="utf-8")


def _rows(result: Any) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in result)


def _compare(source: Any, variants: Path, repeat: int, what: str) -> None:
    for name, where, _, _ in REWRITES:
        medians, answers = [], []
        for qname, qdir in ((name, where), (f"{name}-derived", variants)):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                result = rmpgraph.query(qname, source, queries_dir=qdir)
                times.append(time.perf_counter() - start)
            medians.append(statistics.median(times))
            answers.append(_rows(result))
        print(f"| {what} | {name} | {len(answers[0])} | {medians[0]:.3f} | "
              f"{medians[1]:.3f} | {medians[0] / medians[1]:.1f} | "
              f"{answers[0] == answers[1]} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--files", type=int, default=0,
                        help="also on the first N documents of --corpus (rdflib)")
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    print("| engine | question | rows | stored p50 (s) | derived p50 (s) | speed-up "
          "| same answers |")
    print("|---|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        variants = Path(tmp)
        _variants(variants)
        with rmpgraph.Store(args.store, read_only=True, create=False) as store:
            _compare(store, variants, args.repeat, "Oxigraph store")
        if args.files and args.corpus:
            paths = sorted(args.corpus.glob("rmp-*.txt"))[:args.files]
            doc = rmpgraph.build([str(p) for p in paths])
            _compare(doc, variants, args.repeat, f"rdflib, {len(paths)} RMPs")


if __name__ == "__main__":
    main()
