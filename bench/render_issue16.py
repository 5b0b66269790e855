"""Markdown tables of a `bench_issue16.py` result: `render_issue16.py RESULT.json`.

Per stored query: p50 scoped to each chosen product (median over the products,
and the largest with its product) and over the whole corpus, for this checkout's
query texts and each earlier commit's; cohort queries over the whole corpus;
concern-measures complete and with LIMIT 100. Targets of issue 16: scoped p50 <
20 ms, cohort < 1 s, concern-measures < 3 s complete and < 100 ms for 100 rows.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

SCOPED_MS, COHORT_MS, CM_MS, CM_LIMIT_MS = 20.0, 1000.0, 3000.0, 100.0


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 1000 else f"{value / 1000:,.2f} s"


def run_cell(r: dict[str, Any] | None) -> str:
    if r is None:
        return "–"
    if "timeout_s" in r:
        return f"> {r['timeout_s']:.0f} s (stopped)"
    runs = f", {r['runs']} runs" if r.get("runs", 5) < 5 else ""
    return f"{ms(r['p50_ms'])} ({r['rows']:,} rows{runs})"


def scoped(entry: dict[str, Any] | None) -> tuple[str, float | None]:
    """'median (max, product)' over the products, and the max (None: stopped)."""
    if not entry or not entry.get("scoped"):
        return "–", None
    runs = entry["scoped"]
    done = [r for r in runs if "p50_ms" in r]
    if len(done) < len(runs):
        return f"> {runs[-1]['timeout_s']:.0f} s (stopped at {runs[-1]['who']})", None
    worst = max(done, key=lambda r: r["p50_ms"])
    mid = statistics.median(r["p50_ms"] for r in done)
    few = min(r.get("runs", 5) for r in done)
    runs = f"; {few} runs" if few < 5 else ""
    return (f"{ms(mid)} (max {ms(worst['p50_ms'])}, {worst['who']}{runs})",
            worst["p50_ms"])


def same(entry: dict[str, Any] | None) -> str:
    """The cell of an earlier commit whose text is this checkout's (not run twice)."""
    return "same text" if entry and entry.get("same_text_as") else ""


def render(data: dict[str, Any]) -> str:
    res = data["results"]
    now = res["now"]
    revs = [v for v in res if v != "now"]
    out = []
    stored = sorted(n for n in now if not n.startswith("cohort/") and " " not in n)
    out += ["| stored query | scoped, now: median of products (max) | scoped, "
            + " | scoped, ".join(revs) + " | whole corpus, now (rows) | whole corpus, "
            + " | whole corpus, ".join(revs) + " | scoped < 20 ms |",
            "|---|---|" + "---|" * len(revs) + "---|" + "---|" * len(revs) + "---|"]
    for name in stored:
        text, worst = scoped(now[name])
        cells = [text] + [same(res[v].get(name)) or scoped(res[v].get(name))[0]
                          for v in revs]
        cells += [run_cell(now[name]["corpus"])]
        cells += [same(res[v].get(name)) or run_cell(res[v][name]["corpus"])
                  if name in res[v] else "–" for v in revs]
        met = "–" if not now[name]["scoped"] else (
            "met" if worst is not None and worst < SCOPED_MS else "**not met**")
        out.append(f"| {name} | " + " | ".join(cells) + f" | {met} |")
    out += ["", "| cohort query (whole corpus) | now (rows) | "
            + " | ".join(revs) + " | < 1 s |",
            "|---|---|" + "---|" * len(revs) + "---|"]
    for name in sorted(n for n in now if n.startswith("cohort/")):
        r = now[name]["corpus"]
        fast = r is not None and "p50_ms" in r and r["p50_ms"] < COHORT_MS
        met = "met" if fast else "**not met**"
        cells = [run_cell(r)] + [same(res[v].get(name))
                                 or run_cell(res[v][name]["corpus"])
                                 if name in res[v] else "–" for v in revs]
        out.append(f"| {name} | " + " | ".join(cells) + f" | {met} |")
    out += ["", "| concern-measures, whole corpus | now (rows) | " + " | ".join(revs)
            + " | target |", "|---|---|" + "---|" * len(revs) + "---|"]
    for name, target in (("concern-measures", CM_MS),
                         ("concern-measures LIMIT 100", CM_LIMIT_MS)):
        r = now.get(name, {}).get("corpus")
        met = "met" if r and "p50_ms" in r and r["p50_ms"] < target else "**not met**"
        cells = [run_cell(r)] + [run_cell(res[v].get(name, {}).get("corpus"))
                                 for v in revs]
        out.append(f"| {name} | " + " | ".join(cells) + f" | < {ms(target)}: {met} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
