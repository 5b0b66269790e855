"""Benchmark: time against input size (issue 18, item 4).

Repeating LEMTRADA's text N times makes a document N times as long with the same
graph shape, so any stage whose cost grows faster than its input shows up as a ratio
above N. Cases, each `python -m rmpgraph ...` in a fresh process, repeated and
reported as medians:

- build of LEMTRADA x1, x40 and the largest multiple under the 20 MB input limit;
- `link ema` on LEMTRADA's graph with one 5 MB literal (a span's quoted text), read
  from Turtle and from N-Triples.

Targets: x40 <= 25x the time of x1 (same run); the largest input < 120 s; link ema
with the 5 MB literal < 5 s.

With `--baseline-rev REV` every case also runs on a baseline: the working tree's
package with the files of `--baseline-files` taken from REV (default: the serializer
and RDF reader before they were made linear), so both sides share every other change
in the tree. Baseline runs stop at `--baseline-timeout`; their Turtle outputs are
compared byte for byte with the current ones.

Usage: python bench/bench_scale.py [--repeats 3] [--baseline-rev REV]
       [--workdir DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchlib import machine  # noqa: E402

from rmpgraph.parse.read import MAX_INPUT_BYTES  # noqa: E402

LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
LITERAL_BYTES = 5_000_000
BASELINE_FILES = ("rmpgraph/serialize.py", "rmpgraph/rdfio.py")


@dataclass
class Case:
    name: str
    slug: str  # output file names
    argv: list[str]  # rmpgraph arguments; {out} is replaced by the output path
    input_bytes: int
    times: dict[str, list[float | None]] = field(default_factory=dict)


def _write_inputs(work: Path) -> list[Case]:
    text = LEMTRADA.read_text(encoding="utf-8")
    largest = MAX_INPUT_BYTES // len(text.encode("utf-8"))
    cases = []
    for n in (1, 40, largest):
        path = work / f"lemtrada-x{n}.txt"
        path.write_text(text * n, encoding="utf-8")
        cases.append(Case(f"build x{n}", f"x{n}", ["build", str(path), "-o", "{out}"],
                          path.stat().st_size))
    for ext in ("ttl", "nt"):
        path = work / f"literal5mb.{ext}"
        cases.append(Case(f"link ema, 5 MB literal (.{ext})", f"ema-{ext}",
                          ["link", "ema", str(path), "-o", "{out}"], 0))
    _big_literal_graph(text, [work / "literal5mb.ttl", work / "literal5mb.nt"])
    for case in cases[-2:]:
        case.input_bytes = Path(case.argv[2]).stat().st_size
    return cases


def _big_literal_graph(text: str, paths: list[Path]) -> None:
    """LEMTRADA's graph with its first quoted span replaced by 5 MB of text (in a
    child process so that this one stays small)."""
    code = (
        "import sys\n"
        "from rdflib import Literal\n"
        "from rdflib.namespace import PROV\n"
        "from rmpgraph.graph.pipeline import build\n"
        "from rmpgraph.graph.serialize import write_graph\n"
        f"g = build({str(LEMTRADA)!r})\n"
        "t = open(sys.argv[1], encoding='utf-8').read()\n"
        f"big = (t * ({LITERAL_BYTES} // len(t) + 1))[:{LITERAL_BYTES}]\n"
        "span = sorted(g.subjects(PROV.value, None))[0]\n"
        "g.set((span, PROV.value, Literal(big)))\n"
        "for p in sys.argv[2:]:\n"
        "    write_graph(g, p)\n")
    subprocess.run([sys.executable, "-c", code, str(LEMTRADA), *map(str, paths)],
                   check=True, cwd=ROOT)


def _baseline_tree(rev: str, files: list[str], work: Path) -> Path:
    """The working tree's package with `files` as they were at `rev`."""
    base = work / "baseline"
    shutil.copytree(ROOT / "rmpgraph", base / "rmpgraph",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for rel in files:
        blob = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=ROOT, check=True,
                              capture_output=True).stdout
        (base / rel).write_bytes(blob)
    return base


def _run(argv: list[str], out: Path, env: dict[str, str], timeout: float
         ) -> float | None:
    """Wall time of one CLI run in a fresh interpreter; None when it timed out.

    Runs from the output's directory: `python -m` puts the working directory first
    on sys.path, which from the repository root would shadow the baseline package.
    """
    args = [a.replace("{out}", str(out)) for a in argv]
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "rmpgraph", *args], env=env,
                            cwd=out.parent, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"rmpgraph {' '.join(args)} failed: {err.decode()[-500:]}")
    return elapsed


def _median(values: list[float | None]) -> float | None:
    done = [v for v in values if v is not None]
    return statistics.median(done) if done and len(done) == len(values) else None


def _fmt(values: list[float | None], timeout: float) -> str:
    if not values:
        return "–"
    med = _median(values)
    if med is None:
        return f"> {timeout:.0f} s (timed out)"
    return f"{med:.2f} s (n={len(values)})"


def measure(cases: list[Case], work: Path, repeats: int, baseline: Path | None,
            baseline_timeout: float) -> dict[str, bool]:
    """Run every case `repeats` times, current and baseline interleaved; returns
    case name -> baseline output identical to the current one."""
    envs = {"current": dict(os.environ, RMPGRAPH_ROOT=str(ROOT),
                            PYTHONPATH=str(ROOT))}
    if baseline is not None:
        envs["baseline"] = dict(envs["current"], PYTHONPATH=str(baseline))
    for case in cases:
        case.times = {side: [] for side in envs}
    for r in range(repeats):
        for case in cases:
            for side, env in envs.items():
                past = case.times[side]
                if side == "baseline" and (None in past or r >= 1 and
                                           (past[0] or 0) > baseline_timeout / 3):
                    continue  # one slow baseline run says enough
                out = work / f"{side}-{case.slug}.ttl"
                limit = baseline_timeout if side == "baseline" else 3600
                past.append(_run(case.argv, out, env, limit))
                print(f"  {case.name} [{side}] run {r + 1}: {past[-1]}", flush=True)
    same: dict[str, bool] = {}
    for case in cases:
        cur, old = (work / f"{side}-{case.slug}.ttl" for side in ("current",
                                                                   "baseline"))
        if baseline is not None and None not in case.times["baseline"]:
            same[case.name] = cur.read_bytes() == old.read_bytes()
    return same


def report(cases: list[Case], same: dict[str, bool], args: argparse.Namespace,
           command: str) -> str:
    cur = {c.name: _median(c.times["current"]) for c in cases}
    one, forty, largest = cases[0], cases[1], cases[2]
    has_base = args.baseline_rev is not None
    lines = [
        "## Time against input size: LEMTRADA repeated, 5 MB literals (#18 item 4)",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        f"- each case is `python -m rmpgraph ...` in a fresh process, wall time, "
        f"median of {args.repeats} runs (runs of all cases interleaved)",
    ]
    if has_base:
        lines.append(f"- baseline: this tree with {', '.join(args.baseline_files)} "
                     f"from `{args.baseline_rev}`, same run, stopped at "
                     f"{args.baseline_timeout:.0f} s")
    lines += ["", "| case | input | now | baseline | output bytes |",
              "|---|---|---|---|---|"]
    for c in cases:
        base = _fmt(c.times.get("baseline", []), args.baseline_timeout)
        ident = ("identical" if same.get(c.name) else "differ"
                 ) if c.name in same else "–"
        lines.append(f"| {c.name} | {c.input_bytes / 1e6:.2f} MB | "
                     f"{_fmt(c.times['current'], 3600)} | {base} | {ident} |")
    ratio = (cur[forty.name] or 0) / (cur[one.name] or 1)
    checks = [
        (f"{forty.name} / {one.name} <= 25", f"{ratio:.1f}x", ratio <= 25),
        (f"{largest.name} ({largest.input_bytes / 1e6:.1f} MB) < 120 s",
         f"{cur[largest.name] or 0:.1f} s", (cur[largest.name] or 1e9) < 120),
    ]
    for c in cases[3:]:
        checks.append((f"{c.name} < 5 s", f"{cur[c.name] or 0:.2f} s",
                       (cur[c.name] or 1e9) < 5))
    lines += ["", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {'met' if ok else '**not met**'} |"
              for t, m, ok in checks]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline-rev", help="git revision of the baseline files")
    ap.add_argument("--baseline-files", nargs="+", default=list(BASELINE_FILES))
    ap.add_argument("--baseline-timeout", type=float, default=300.0)
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--out", type=Path, help="also write the Markdown here")
    args = ap.parse_args()
    command = "python bench/bench_scale.py " + " ".join(sys.argv[1:])
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="bench-scale-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    cases = _write_inputs(work)
    base = (_baseline_tree(args.baseline_rev, args.baseline_files, work)
            if args.baseline_rev else None)
    same = measure(cases, work, args.repeats, base, args.baseline_timeout)
    text = report(cases, same, args, command.strip())
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
