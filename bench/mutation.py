"""Mutation score of the SHACL shapes and the stored queries (issue 19).

    python bench/mutation.py [--only shapes|queries] [--minutes M] [--limit N] [--list]
    python bench/mutation.py --mutmut WORKDIR/results.txt ...  (after bench/mutmut.sh)

Tests that pass whatever a shape or query says protect nothing, so each small,
plausible mistake (a count changed, a constraint or FILTER dropped, a comparison,
severity or negation flipped, an OPTIONAL emptied, a constant changed) is made one
at a time in a scratch copy of the tree (others edit the real one) and the tests of
that file run, fastest first, stopping at the first failure: a failure kills it.
A query's tests are those whose id names it; a shape file's, all shape tests.
Mutants in bench/mutation_equivalent.toml (with the reason) are not scored. The
score and survivors replace the generated blocks of MUTATION.md, keeping the rest.
Verdicts go to a journal (bench/out/) as they come: a rerun resumes, and mutants run
in a fixed shuffled order, so a run cut short by --minutes is a sample of all files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from benchlib import machine  # noqa: E402
from mutation_ops import Mutant, all_mutants  # noqa: E402

EQUIVALENT = ROOT / "bench" / "mutation_equivalent.toml"
SKIP = {".venv", ".git", "mutants", "__pycache__", ".pytest_cache", ".hypothesis",
        ".ruff_cache", "node_modules"}
BEGIN, END = "<!-- mutation.py: begin -->", "<!-- mutation.py: end -->"
MM_BEGIN, MM_END = "<!-- mutmut: begin -->", "<!-- mutmut: end -->"
KILLED = {"killed", "timeout", "segfault"}  # mutmut verdicts a test caught
NOT_RUN = {"not checked", "skipped"}
SHAPE_TESTS = ["tests/test_targeted_shapes.py", "tests/test_targeted_meddra_shapes.py",
               "tests/test_targeted_study_shapes.py", "tests/test_link_shapes.py",
               "tests/test_shapes.py", "tests/test_validate_checked.py"]
# shape tests that need no LEMTRADA build: run first, so most mutants die fast
FAST_SHAPE_TESTS = ("test_targeted_shapes.py", "test_targeted_meddra_shapes.py",
                    "test_targeted_study_shapes.py", "test_link_shapes.py",
                    "::test_hand_written_fixture_conforms",
                    "::test_shapes_pass_meta_shacl",
                    "::test_every_rule_shape_is_documented_and_named",
                    "::test_sparql_constraints_use_the_declared_prefixes")
# (test_versions_queries.py varies the scope parameters every query shares)
QUERY_TESTS = [t for t in ("tests/test_query_columns.py",
                           "tests/test_query_additional_pv.py",
                           "tests/test_query_alert_card.py",
                           "tests/test_targeted_queries.py",
                           "tests/test_query_scope.py", "tests/test_queries.py",
                           "tests/test_queries_lemtrada.py",
                           "tests/test_versions_queries.py", "tests/test_query_cli.py",
                           "tests/test_shared_concerns.py", "tests/test_derived.py",
                           "tests/test_cohort_queries.py",
                           "tests/test_query_plans.py")
               if (ROOT / t).exists()]


# ------------------------------------------------------------------ running


def scratch_copy(dest: Path) -> Path:
    """The working tree (uncommitted work included) without caches and the venv."""
    return Path(shutil.copytree(ROOT, dest, ignore=lambda d, names: SKIP & set(names)))


def _env(copy: Path) -> dict[str, str]:
    """The copy's package first on the path; nothing from the caller's shell."""
    return {"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin", "HOME": str(copy),
            "PYTHONHASHSEED": "0", "LANG": "C.UTF-8"}


def pytest(copy: Path, args: list[str], timeout: float,
           first: bool = True) -> tuple[int, float, str]:
    """pytest's exit code in the copy (124 on timeout), the seconds it took and
    its summary lines (`first`: stop at the first failure)."""
    env = _env(copy)
    cmd = [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider",
           "-p", "no:randomly", *(["-x"] if first else []), *args]
    start = time.monotonic()
    try:
        done = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True,
                              timeout=timeout)
        rc, tail = done.returncode, "\n".join(
            ln for ln in done.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))
            or " passed" in ln or " failed" in ln)
    except subprocess.TimeoutExpired:
        rc, tail = 124, "timeout"
    return rc, time.monotonic() - start, tail


def collect(copy: Path, files: list[str]) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "--collect-only",
                          "-p", "no:cacheprovider", *files], cwd=copy, env=_env(copy),
                         capture_output=True, text=True).stdout
    return [ln for ln in out.splitlines() if "::" in ln]


def select(m: Mutant, ids: dict[str, list[str]]) -> list[str]:
    """The tests to run for a mutant: a query's by name, a shape's all of them."""
    if m.stage == "shapes":
        fast = [t for t in ids["shapes"] if any(f in t for f in FAST_SHAPE_TESTS)]
        return fast + [t for t in ids["shapes"] if t not in fast]
    name = Path(m.path).stem
    keys = (name, name.replace("-", "_"))
    chosen = [t for t in ids["queries"] if any(k in t for k in keys)]
    return chosen or QUERY_TESTS


def _key(m: Mutant) -> str:
    """Journal key: the id and the mutated text, so an edited file is run again."""
    return m.ident + " " + hashlib.sha256(m.text.encode()).hexdigest()[:16]


def load_journal(path: Path) -> dict[str, tuple[str, float]]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {d["key"]: (d["verdict"], d["seconds"]) for d in map(json.loads, lines)}


def run(mutants: list[Mutant], copy: Path, broken: set[str], journal: Path,
        deadline: float, retry: bool | str) -> dict[str, tuple[str, float]]:
    """Verdict and seconds per mutant id, from the journal or run now, until the
    deadline (`retry`: the journal's survivors run again; "only": nothing else).
    Tests that fail on the unmutated tree (work in progress elsewhere) are left out
    and added to `broken`."""
    ids = {"queries": collect(copy, QUERY_TESTS), "shapes": collect(copy, SHAPE_TESTS)}
    done = {k: v for k, v in load_journal(journal).items()
            if not (retry and v[0] in ("survived", "no tests"))}
    results = {m.ident: done[_key(m)] for m in mutants if _key(m) in done}
    baseline: dict[tuple[str, ...], float] = {}
    eq = equivalents()  # not scored, so not worth a rerun
    retried = {k for k, v in load_journal(journal).items()
               if v[0] in ("survived", "no tests") and k.rsplit(" ", 1)[0] not in eq}
    for n, m in enumerate(mutants, 1):
        if m.ident in results or (retry == "only" and _key(m) not in retried):
            continue
        if time.monotonic() > deadline:
            break
        tests = [t for t in select(m, ids) if t not in broken]
        key = tuple(tests)
        if key not in baseline:  # the unmutated tree must pass the same tests
            rc, took, tail = pytest(copy, tests, timeout=1800, first=False)
            failing = {ln.split(" ", 1)[1].split(" - ")[0] for ln in tail.splitlines()
                       if ln.startswith(("FAILED ", "ERROR "))}
            if rc != 0 and failing:
                broken |= failing
                tests = [t for t in tests if t not in broken]
                key = tuple(tests)
                rc, took, tail = pytest(copy, tests, timeout=1800, first=False)
            if rc != 0:
                sys.exit(f"tests fail without a mutant (exit {rc}): {' '.join(tests)}"
                         f"\n{tail}")
            baseline[key] = took
        target = copy / m.path
        original = target.read_text(encoding="utf-8")
        target.write_text(m.text, encoding="utf-8")
        try:
            rc, took, _ = pytest(copy, tests, timeout=10 * baseline[key] + 30)
        finally:
            target.write_text(original, encoding="utf-8")
        verdict = {0: "survived", 5: "no tests", 124: "timeout"}.get(rc, "killed")
        results[m.ident] = (verdict, took)
        with journal.open("a", encoding="utf-8") as fh:  # one line per mutant
            fh.write(json.dumps({"key": _key(m), "verdict": verdict,
                                 "seconds": round(took, 1)}) + "\n")
        print(f"[{n}/{len(mutants)}] {verdict:8} {took:6.1f}s {m.ident}",
              file=sys.stderr, flush=True)
    return results


def wilson(killed: int, n: int, z: float = 1.96) -> str:
    """95% Wilson interval of a score measured on a random sample of n mutants
    (a run cut short, a mutmut SAMPLE): the range the whole population's score
    lies in, 19 times in 20."""
    if not n:
        return "-"
    p = killed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{100 * max(0.0, centre - half):.1f}-{100 * min(1.0, centre + half):.1f}%"


def equivalents() -> dict[str, str]:
    text = EQUIVALENT.read_text(encoding="utf-8") if EQUIVALENT.exists() else ""
    return {e["mutant"]: e["reason"] for e in tomllib.loads(text).get("equivalent", [])}


def report(mutants: list[Mutant], results: dict[str, tuple[str, float]],
           command: str, seconds: float, broken: set[str]) -> str:
    eq = equivalents()
    out = [BEGIN, "", "## Shapes and stored queries (generated by bench/mutation.py)",
           "", f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
           f"- machine: {machine()}", f"- command: `{command}`",
           f"- wall time: {seconds / 60:.1f} min", "",
           "| stage | killed | run (equivalents excluded) | score | 95% CI (sample) | "
           "equivalent | not run |", "|---|---|---|---|---|---|---|"]
    for stage in ("shapes", "queries"):
        mine = [m for m in mutants if m.stage == stage and m.ident in results]
        unrun = sum(m.stage == stage and m.ident not in results for m in mutants)
        if not mine:
            continue
        counted = [m for m in mine if m.ident not in eq]
        killed = sum(results[m.ident][0] in ("killed", "timeout") for m in counted)
        score = f"{100 * killed / len(counted):.1f}%" if counted else "-"
        ci = wilson(killed, len(counted)) if unrun else "all run"
        out.append(f"| {stage} | {killed} | {len(counted)} | {score} | {ci} | "
                   f"{len(mine) - len(counted)} | {unrun} |")
    out += ["", "Survivors (a test should have failed; file:line:operator, the line "
            "before the change):", ""]
    survivors = [m for m in mutants if m.ident in results and m.ident not in eq
                 and results[m.ident][0] in ("survived", "no tests")]
    out += [f"- `{m.ident}` — `{m.before[:90]}`" for m in survivors] or ["- none"]
    out += ["", "Equivalent mutants (excluded; bench/mutation_equivalent.toml):", ""]
    out += [f"- `{m.ident}` — {eq[m.ident]}" for m in mutants
            if m.ident in eq and m.ident in results] or ["- none"]
    out += ["", "Tests left out because they failed before any mutation (work in "
            "progress elsewhere):", ""]
    out += [f"- `{t}`" for t in sorted(broken)] or ["- none"]
    out += ["", END]
    return "\n".join(out)


def mutmut_report(runs: list[Path]) -> str:
    """The mutmut block: `mutmut results --all true` of each run counted per stage
    and module (a later run's verdict on a mutant replaces an earlier one's)."""
    verdict: dict[str, str] = {}
    meta: list[str] = []
    for results in runs:
        for line in results.read_text(encoding="utf-8").splitlines():
            name, sep, said = line.strip().rpartition(": ")
            if sep and name.startswith("rmpgraph."):
                verdict[name] = said
        info = results.with_name("run.txt")
        meta += info.read_text(encoding="utf-8").splitlines() if info.exists() else []
    eq = equivalents()  # mutmut names listed there are not scored
    modules: dict[str, list[tuple[str, str]]] = {}
    for name, said in verdict.items():
        if name in eq:
            continue
        modules.setdefault(".".join(name.split(".")[1:3]), []).append((name, said))
    out = [MM_BEGIN, "", "## Python stages (mutmut, summarised by bench/mutation.py)",
           "", *[f"- {m}" for m in meta], f"- machine: {machine()}", "",
           "| stage.module | killed | total run | score | 95% CI (sample) | not run |",
           "|---|---|---|---|---|---|"]
    survivors: list[str] = []
    stages: dict[str, list[int]] = {}  # stage -> [killed, run, not run]
    for module, items in sorted(modules.items()):
        ran = [(n, v) for n, v in items if v not in NOT_RUN]
        killed = sum(v in KILLED for _, v in ran)
        total = stages.setdefault(module.split(".")[0], [0, 0, 0])
        total[:] = [total[0] + killed, total[1] + len(ran),
                    total[2] + len(items) - len(ran)]
        survivors += [f"- `{n}`: {v}" for n, v in ran if v not in KILLED]
        score = f"{100 * killed / len(ran):.1f}%" if ran else "-"
        ci = wilson(killed, len(ran)) if len(items) > len(ran) else "all run"
        out.append(f"| {module} | {killed} | {len(ran)} | {score} | {ci} | "
                   f"{len(items) - len(ran)} |")
    # a stage's score over the mutants run (a random SAMPLE, or whole modules)
    for stage, (killed, ran_n, unrun) in sorted(stages.items()):
        if ran_n:
            ci = wilson(killed, ran_n) if unrun else "all run"
            out.append(f"| **{stage}** | {killed} | {ran_n} | "
                       f"{100 * killed / ran_n:.1f}% | {ci} | {unrun} |")
    out += ["", f"Survivors ({len(survivors)}; `mutmut show NAME` in the run's tree):",
            "", *survivors[:60]]
    if len(survivors) > 60:
        out.append(f"- ... and {len(survivors) - 60} more (results.txt of the runs)")
    out += ["", "Equivalent mutants (excluded; bench/mutation_equivalent.toml):", ""]
    out += [f"- `{n}` — {eq[n]}" for n in sorted(verdict) if n in eq] or ["- none"]
    return "\n".join([*out, "", MM_END])


def write_report(out: Path, block: str, begin: str = BEGIN, end: str = END) -> None:
    """Replace the generated block, keep the rest; temp file and rename."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        top = old.rstrip() + "\n\n" if old else "# Mutation testing\n\n"
        new = top + block + "\n"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=("shapes", "queries"))
    ap.add_argument("--limit", type=int, help="first N mutants only (a smoke run)")
    ap.add_argument("--file", action="append", default=[], metavar="PATH",
                    help="only the mutants of this file (repeatable), e.g. after "
                    "rewriting one query")
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--out", type=Path, default=ROOT / "MUTATION.md")
    ap.add_argument("--journal", type=Path, default=ROOT / "bench" / "out" /
                    "mutation-journal.jsonl", help="verdicts so far; a rerun resumes")
    ap.add_argument("--minutes", type=float, default=float("inf"),
                    help="start no mutant after this long; report what ran")
    ap.add_argument("--retry-survivors", action="store_true",
                    help="run the journal's survivors again (after new tests)")
    ap.add_argument("--survivors-only", action="store_true",
                    help="run the journal's survivors again and no other mutant")
    ap.add_argument("--mutmut", type=Path, metavar="RESULTS", nargs="+",
                    help="only summarise bench/mutmut.sh runs (their results.txt)")
    args = ap.parse_args()
    if args.mutmut:
        write_report(args.out, mutmut_report(args.mutmut), MM_BEGIN, MM_END)
        return
    # a stable shuffle, so a run cut short by --minutes is a sample of every file
    mutants = sorted((m for m in all_mutants(args.only) if not args.file
                      or m.ident.split(":", 1)[0] in args.file),
                     key=lambda m: hashlib.sha256(m.ident.encode()).hexdigest()
                     )[:args.limit]
    if args.list:
        for m in mutants:
            print(f"{m.ident}\t{m.before}")
        print(f"{len(mutants)} mutants", file=sys.stderr)
        return
    start = time.monotonic()
    # a kill ends the run through SystemExit, so the scratch copy is removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.journal.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rmpgraph-mutation-") as tmp:
        copy = scratch_copy(Path(tmp) / "tree")
        broken: set[str] = set()
        retry = "only" if args.survivors_only else args.retry_survivors
        results = run(mutants, copy, broken, args.journal, start + 60 * args.minutes,
                      retry)
    command = "python bench/mutation.py " + " ".join(shlex.quote(a)
                                                      for a in sys.argv[1:])
    write_report(args.out, report(mutants, results, command.strip(),
                                  time.monotonic() - start, broken))


if __name__ == "__main__":
    main()
