"""What a store would weigh on disk without some of its triples: the evidence
for issue 16's "store ≤ 0.8 MB per RMP" target, which the model as it is misses.

    python bench/bench_store_trim.py --store S --workdir W [--variant NAME ...]

Each variant copies the store's named graphs into a new store in `W`, one
`extend` per graph as `rmpgraph load` writes a document, leaving out the
variant's triples; then it compacts the copy (`optimize`), reopens it once for
writing so RocksDB drops its write-ahead logs (as `RmpStore.close` does),
deletes the old info logs, and counts the bytes of every file left. `as-is`
leaves nothing out, so it checks that the copy weighs what the store does.

Variants:
- `as-is`: every quad.
- `spans`: without each text span's `rdf:type rmp:TextSpan` (implied by the
  domain of `rmp:startLine`) and its `dcterms:isPartOf` (the RMP's one source
  document, also implied by the span's IRI, `{R}/source/L{a}-L{b}`).
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

RMP = "https://w3id.org/rmpgraph/ontology#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SPAN = ox.NamedNode(RMP + "TextSpan")
IS_PART_OF = ox.NamedNode("http://purl.org/dc/terms/isPartOf")
HAS_RMP = ox.NamedNode(RMP + "hasRiskManagementPlan")
VARIANTS = ("as-is", "spans")


def kept(quads: list[ox.Quad], variant: str) -> list[ox.Quad]:
    if variant == "as-is":
        return quads
    spans = {q.subject for q in quads if q.predicate == TYPE and q.object == SPAN}
    out = [q for q in quads
           if not (q.subject in spans and q.predicate in (TYPE, IS_PART_OF))]
    return out


def weigh(source: ox.Store, target: Path, variant: str) -> dict[str, float]:
    start = time.perf_counter()
    copy = ox.Store(str(target))
    count = 0
    for graph in sorted(source.named_graphs(), key=str):
        quads = kept(list(source.quads_for_pattern(None, None, None, graph)), variant)
        copy.extend(quads)
        count += len(quads)
    copy.flush()
    copy.optimize()
    del copy
    gc.collect()
    again = ox.Store(str(target))  # drops the write-ahead logs, as RmpStore.close
    again.flush()
    del again
    gc.collect()
    for old in target.glob("LOG.old.*"):
        old.unlink()
    size = sum(p.stat().st_size for p in target.iterdir() if p.is_file())
    return {"quads": count, "bytes": size, "seconds": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--variant", action="append", choices=VARIANTS)
    args = parser.parse_args()
    source = ox.Store.read_only(str(args.store))
    rmps = len({q.object for q in source.quads_for_pattern(None, HAS_RMP, None)})
    out = {"rmps": rmps}
    for variant in args.variant or VARIANTS:
        target = args.workdir / f"trim-{variant}"
        shutil.rmtree(target, ignore_errors=True)
        result = weigh(source, target, variant)
        shutil.rmtree(target)
        result["mb_per_rmp"] = result["bytes"] / rmps / 1e6
        result["quads_per_rmp"] = result["quads"] / rmps
        out[variant] = result
        print(json.dumps({variant: result}), flush=True)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
