"""Benchmark: the cost of version-scoped graphs and shared measures (issue 15).

Builds the same documents with today's package and with a baseline revision (the
model before issue 15: product-level IRIs, one measure node per mention), each in
a fresh process, and reports median build time and triple count per document.
Target: build time within 10% and triples within 15% of the baseline.

The baseline is the whole package at `--baseline-rev`, unpacked with `git archive`
into a temporary directory and run from there with the same interpreter, so both
sides share the machine, the libraries and the run.

Usage: python bench/bench_versions.py [--repeats 5] [--baseline-rev 3d105ab~1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from benchlib import machine  # noqa: E402

DOCS = [ROOT / "data" / "rmp" / "lemtrada.txt",
        ROOT / "tests" / "fixtures" / "docs" / "halvoren.docx",
        ROOT / "tests" / "fixtures" / "docs" / "ostravel.pdf"]

# One build in a fresh interpreter: time of build() alone (imports excluded, they
# are the same on both sides) and the triple count.
CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from rmpgraph.graph.pipeline import build
start = time.perf_counter()
g = build(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "triples": len(g)}))
"""


def _unpack(rev: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _run(root: Path, doc: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), str(doc)],
                         check=True, capture_output=True, text=True,
                         env={"RMPGRAPH_ROOT": str(root), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--baseline-rev", default="3d105ab~1")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = _unpack(args.baseline_rev, Path(tmp))
        print(f"# bench_versions {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine()}")
        print(f"# python bench/bench_versions.py --repeats {args.repeats} "
              f"--baseline-rev {args.baseline_rev}")
        print("| document | baseline s | now s | ratio | baseline triples | "
              "now triples | ratio |")
        print("|---|---|---|---|---|---|---|")
        for doc in DOCS:
            runs: dict[str, list[dict[str, float]]] = {"base": [], "now": []}
            for _ in range(args.repeats):  # interleaved: both sides see the same load
                runs["base"].append(_run(base, doc))
                runs["now"].append(_run(ROOT, doc))
            t = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
            n = {k: v[0]["triples"] for k, v in runs.items()}
            print(f"| {doc.name} | {t['base']:.3f} | {t['now']:.3f} | "
                  f"{t['now'] / t['base']:.2f} | {n['base']:.0f} | {n['now']:.0f} | "
                  f"{n['now'] / n['base']:.2f} |")


if __name__ == "__main__":
    main()
