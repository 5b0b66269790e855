"""An RMP version given without its product (`rmp=` alone), before and after the
API binds that product too (`rmpgraph.queries.scope.owner_guess`), on the
1,000-RMP store of `bench/`.

    python bench/bench_owner.py --store S [--products 3] [--repeat 5] [--out FILE]

Both texts of each stored query that takes `product` and `rmp` run in the same
run, each in a child process (`benchlib.time_query`): `given`, bound as the API
bound it before (only `rmp`), and `guessed`, bound as it binds it now (`rmp` and
its product). The RMPs are the latest of products picked as bench_issue16 picks
them (sizes spread); the query's own parameters come from the same product. The
two answers are compared (sorted rows) wherever both finished. The scope check,
which both run before the query, is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_issue16 import _answer, pick, runnable, values_for  # noqa: E402
from benchlib import in_child, machine, time_query  # noqa: E402
from render_issue16 import ms  # noqa: E402

from rmpgraph.queries.stored import load_queries  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--products", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    command = "python bench/bench_owner.py " + shlex.join(
        sys.argv[1:] if argv is None else argv)
    products, common = pick(args.store, args.products)
    load = os.getloadavg()
    results: dict[str, Any] = {}
    diffs = []
    for name, query in sorted(load_queries().items()):
        if not {p.name for p in query.params} >= {"product", "rmp"}:
            continue
        if name == "provenance":
            continue  # its concern must be one of that version's: bench_issue16
        entry = results[name] = {}
        for product in products:
            values = values_for(query, None, common, product)
            given = runnable(query, {**values, "rmp": product["rmp"]})
            guessed = runnable(query, {**values, "rmp": product["rmp"],
                                       "product": product["product"]})
            if given is None or guessed is None:
                continue
            cells = {}
            for kind, text in (("given", given), ("guessed", guessed)):
                cells[kind] = time_query(args.store, text, args.repeat,
                                         budget=args.budget, timeout=args.timeout)
            if all("p50_ms" in c for c in cells.values()):
                answers = [in_child(_answer, (args.store, t), args.timeout)
                           for t in (given, guessed)]
                if answers[0] != answers[1]:
                    diffs.append(f"{name} at {product['name']}")
            entry[product["name"]] = cells
        print(f"  {name:40s} " + "  ".join(
            f"{who}: {_ms(c['given'])} -> {_ms(c['guessed'])}"
            for who, c in entry.items()), flush=True)
    for d in diffs:
        print("  DIFFERENT ANSWER: " + d, flush=True)
    args.out.write_text(json.dumps({
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
        "command": command, "load_before": load, "load_after": os.getloadavg(),
        "products": products, "results": results, "different_answers": diffs},
        indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


def _ms(cell: dict[str, Any]) -> str:
    if "timeout_s" in cell:
        return f">{cell['timeout_s']:.0f} s"
    value = cell["p50_ms"]
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms"


def render(path: Path) -> str:
    """A Markdown table of a run: per query, the largest and median p50 over
    the products, given then guessed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    lines = ["| query | `rmp` alone (before) | with its product (now) |",
             "|---|---|---|"]
    for name, entry in data["results"].items():
        cols = []
        for kind in ("given", "guessed"):
            cells = [c[kind] for c in entry.values()]
            if any("timeout_s" in c for c in cells):
                cols.append(f">{max(c.get('timeout_s', 0) for c in cells):.0f} s")
                continue
            p50s = [c["p50_ms"] for c in cells]
            cols.append(f"{ms(max(p50s))} (median {ms(statistics.median(p50s))})")
        lines.append(f"| {name} | {cols[0]} | {cols[1]} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["render"]:
        print(render(Path(sys.argv[2])))
    else:
        main()
