"""Store size and load time before and after issue 16 (one copy of every triple).

    python bench/bench_store_size.py --base COMMIT [--n 200] [--runs 3] [--workdir D]

Two code trees run side by side in one run: `before` is `git archive COMMIT` (the
store that also wrote every triple into `graph/union`), `after` is the same tree
with this checkout's store files laid over it (`rmpgraph/store/*`, the load
command), so the graph builder, the queries and everything else are identical and
only the store differs. Each run loads the same realistic corpus
(`make_corpus.py`) with `rmpgraph load --jobs 2` into a fresh directory; runs of
the two trees alternate so a busy machine slows both alike. Then every stored
query (the base tree's, parameters at their examples) runs on both stores and
their answers are compared row for row.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from benchlib import machine, make_corpus_module  # noqa: E402

#: what issue 16 changed in the store; the rest of the tree stays the base's
OURS = ["rmpgraph/store/embedded.py", "rmpgraph/store/storedocs.py",
        "rmpgraph/store/storeload.py", "rmpgraph/store/storecheck.py",
        "rmpgraph/store/storeguard.py", "rmpgraph/store/storeversions.py",
        "rmpgraph/store/storepush.py", "rmpgraph/store/storedisk.py",
        "rmpgraph/cli/store.py"]

_ANSWERS = """
import json, sys
from rmpgraph.store.embedded import RmpStore, stored_query_texts
out = {}
with RmpStore(sys.argv[1], read_only=True) as store:
    for name, text in stored_query_texts().items():
        rows = store.query(text)
        out[name] = sorted(json.dumps({k: str(v) for k, v in sorted(r.items())})
                           for r in rows)
json.dump(out, sys.stdout)
"""


def tree(base: str, where: Path, overlay: bool) -> Path:
    """The base commit's files, with this checkout's store files over them."""
    where.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", base], cwd=REPO, check=True,
                             capture_output=True).stdout
    tar = where / "tree.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(where, filter="data")
    tar.unlink()
    if overlay:
        for rel in OURS:
            shutil.copy2(REPO / rel, where / rel)
    return where


def run(code: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, *args], cwd=code, env=env, text=True,
                          capture_output=True, check=False)


def disk_bytes(store: Path) -> dict[str, int]:
    """Bytes of the store's files (as `ls` counts), as allocated (as `du`), and of
    the sorted data files alone: RocksDB leaves its last write-ahead log behind on
    close (replayed and dropped at the next open), which small stores are mostly."""
    files = [p for p in store.rglob("*") if p.is_file()]
    return {"bytes": sum(p.stat().st_size for p in files),
            "du_bytes": sum(p.stat().st_blocks * 512 for p in files),
            "sst_bytes": sum(p.stat().st_size for p in files if p.suffix == ".sst")}


def load(code: Path, store: Path, docs: list[Path]) -> float:
    check = run(code, "-c", "import rmpgraph.store.embedded as m; print(m.__file__)")
    assert check.stdout.startswith(str(code)), check.stdout + check.stderr
    start = time.monotonic()
    proc = run(code, "-m", "rmpgraph", "load", "--store", str(store), "--jobs", "2",
               "-q", *map(str, docs))
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="commit of the old store")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-store-size"))
    args = parser.parse_args()
    work: Path = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    docs = make_corpus_module().write_corpus(args.n, work / "corpus")
    trees = {"before": tree(args.base, work / "before", overlay=False),
             "after": tree(args.base, work / "after", overlay=True)}
    results: dict[str, dict[str, list[float]]] = {
        k: {"load_s": [], "bytes": [], "du_bytes": [], "sst_bytes": []} for k in trees}
    for i in range(args.runs):
        for name, code in trees.items():
            store = work / f"store-{name}-{i}"
            results[name]["load_s"].append(load(code, store, docs))
            for metric, value in disk_bytes(store).items():
                results[name][metric].append(value)
            print(name, i, {m: v[-1] for m, v in results[name].items()}, flush=True)
    answers = {}
    for name, code in trees.items():
        proc = run(code, "-c", _ANSWERS, str(work / f"store-{name}-0"))
        assert proc.returncode == 0, proc.stderr[-2000:]
        answers[name] = json.loads(proc.stdout)
    same = sorted(q for q in answers["before"] if answers["before"][q]
                  == answers["after"].get(q))
    differ = sorted(set(answers["before"]) - set(same))
    products = len({json.loads((work / "corpus" / "manifest.json").read_text())[
        d.name]["product"] for d in docs})
    print(json.dumps({
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "n": args.n, "products": products, "runs": args.runs,
        "base": args.base,
        "median": {k: {m: statistics.median(v) for m, v in r.items()}
                   for k, r in results.items()},
        "all": results, "queries_same": len(same), "queries_differ": differ,
        "rows": {q: len(answers["after"][q]) for q in same},
    }, indent=1))


if __name__ == "__main__":
    main()
