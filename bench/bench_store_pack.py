"""What a compressed copy of a store would weigh and cost (issue 16, store size).

    python bench/bench_store_pack.py --store S --work D [--repeat 5] [--out F]

The store's table files hold their blocks uncompressed although its options ask
for LZ4 from the third level: Oxigraph (which exposes no RocksDB option) sets
`level_compaction_dynamic_level_bytes`, and with it a column family smaller than
`max_bytes_for_level_base` (512 MiB) lives in the last level, which takes the
compression of the second entry of `compression_per_level`, none. Oxigraph's bulk
loader writes its files with the database's `compression` (LZ4) instead, so a copy
made by `Store.bulk_extend` is compressed until a compaction rewrites its files.

This makes that copy of `--store` in `--work` (every quad, default graph
included), reports both sizes and how many bytes of table files each compression
holds (read from each file's properties), and times the same queries on both, one
store after the other in each round so a busy machine slows both alike: stored
queries scoped to the product with the most concerns among those with an older
version (so version-changes has rows), and two over the whole
corpus. Answers are compared row for row.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402
from benchlib import machine  # noqa: E402

from rmpgraph.queries.stored import bind_for_engine, bind_params, load_queries  # noqa: E402
from rmpgraph.store.embedded import _checked  # noqa: E402
from rmpgraph.store.storedocs import solution_rows  # noqa: E402

SCOPED = ("concerns", "concern-measures", "study-coverage", "overdue-milestones",
          "version-changes", "risk-category-disagreement")
CORPUS = ("concern-measures", "overdue-milestones")
_BIGGEST = """PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>
SELECT ?product (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?product rmp:hasRiskManagementPlan ?rmp . ?rmp rmp:hasSafetyConcern ?c .
  ?rmp <http://www.w3.org/ns/prov#wasRevisionOf> ?older .
  FILTER NOT EXISTS { ?later <http://www.w3.org/ns/prov#wasRevisionOf> ?rmp } }
GROUP BY ?product ORDER BY DESC(?n) STR(?product) LIMIT 1"""
_RMPS = """PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>
SELECT (COUNT(DISTINCT ?rmp) AS ?n) WHERE { ?rmp a rmp:RiskManagementPlan }"""


def du(path: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(path)], check=True,
                              capture_output=True, text=True).stdout.split()[0])


def compression(path: Path) -> dict[str, int]:
    """Bytes of table files by the compression their properties name."""
    out: dict[str, int] = {}
    for sst in sorted(path.glob("*.sst")):
        data = sst.read_bytes()
        kind = ("NoCompression" if b"NoCompression" in data
                else "LZ4" if b"LZ4" in data else "other")
        out[kind] = out.get(kind, 0) + len(data)
    return out


def pack(source: Path, target: Path) -> float:
    """Seconds to copy every quad of `source` into a new store at `target`."""
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    old = ox.Store.read_only(str(source))
    new = ox.Store(str(target))
    new.bulk_extend(old.quads_for_pattern(None, None, None, None))
    new.flush()
    del new, old
    return time.perf_counter() - start


def texts(product: str) -> dict[str, str]:
    queries = load_queries()
    out = {}
    for name in SCOPED:
        query = queries[name]
        out[f"{name} (product)"] = _checked(bind_for_engine(
            query.text, bind_params(query, {"product": product})))
    for name in CORPUS:
        query = queries[name]
        out[f"{name} (corpus)"] = _checked(bind_for_engine(
            query.text, bind_params(query, {})))
    return out


def rows(store: ox.Store, text: str) -> list[str]:
    result = store.query(text, use_default_graph_as_union=True)
    return sorted(json.dumps({k: str(v) for k, v in sorted(r.items())})
                  for r in solution_rows(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    packed = args.work / "packed"
    args.work.mkdir(parents=True, exist_ok=True)
    seconds = pack(args.store, packed)
    stores = {"as loaded": ox.Store.read_only(str(args.store)),
              "packed": ox.Store.read_only(str(packed))}
    first = stores["as loaded"]
    union = {"use_default_graph_as_union": True}
    rmps = int(next(iter(first.query(_RMPS, **union)))["n"].value)
    product = next(iter(first.query(_BIGGEST, **union)))
    report: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "command": "python " + " ".join(sys.argv),
        "rmps": rmps, "product": product["product"].value, "pack_s": seconds,
        "bytes": {k: du(p) for k, p in (("as loaded", args.store), ("packed", packed))},
        "compression": {k: compression(p) for k, p in (("as loaded", args.store),
                                                        ("packed", packed))},
        "queries": {}}
    for label, text in texts(product["product"].value).items():
        answers = {k: rows(s, text) for k, s in stores.items()}  # and a warm-up
        times: dict[str, list[float]] = {k: [] for k in stores}
        for _ in range(args.repeat):
            for k, s in stores.items():
                start = time.perf_counter()
                result = s.query(text, **union)
                for _row in solution_rows(result):
                    pass
                times[k].append((time.perf_counter() - start) * 1000)
        report["queries"][label] = {
            "rows": len(answers["as loaded"]),
            "same": answers["as loaded"] == answers["packed"],
            **{k: statistics.median(v) for k, v in times.items()}}
        print(label, report["queries"][label], flush=True)
    for k, size in report["bytes"].items():
        print(f"{k}: {size / 1e6:.1f} MB, {size / 1e6 / rmps:.3f} MB per RMP, "
              f"{report['compression'][k]}")
    print(f"packed in {seconds:.1f} s; {rmps} RMPs; product {report['product']}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
