#!/usr/bin/env bash
# Mutation testing of the Python stages (parse, graph, check, queries) with mutmut 3,
# configured in pyproject.toml [tool.mutmut]. Not run in CI: the whole run takes
# hours on 2 cores, so name a sample of modules (mutmut's mutant-name globs).
#
#   ONLY="rmpgraph/parse/milestones.py rmpgraph/parse/reconcile.py" \
#       bench/mutmut.sh WORKDIR ['rmpgraph.parse.milestones.*' ...]
#   python bench/mutation.py --mutmut WORKDIR/results.txt   # scores into MUTATION.md
#
# ONLY (files) narrows the copy's only_mutate: generating every stage's mutants
# alone takes over 5 minutes; the globs choose which generated mutants run. TESTS
# (test files) replaces the test selection: mutmut needs it green before it starts.
# RECHECK="tests/a.py ..." runs a finished WORKDIR's survivors (and mutants no
# selected test reached) against those tests.
# SAMPLE=N (SEED=S, default 19) runs a random sample of N of the generated mutants
# (of those matching the globs, if any), so a stage's score has a known sample size.
# mutmut writes mutants/ where it runs and other people edit this tree, so it runs
# in WORKDIR/tree, a copy of the working tree (uncommitted work included).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:?usage: bench/mutmut.sh WORKDIR [MUTANT-GLOB ...]}
shift
if [ -n "${RECHECK:-}" ]; then
  # the survivors of a finished run against test files written since (RECHECK:
  # their paths), the way mutmut runs a mutant (MUTANT_UNDER_TEST in its tree);
  # verdicts in WORKDIR/recheck/results.txt, which a summary lists after the run's
  mkdir -p "$work/recheck"
  for t in $RECHECK; do cp "$root/$t" "$work/tree/mutants/$t"; done
  start=$(date +%s)
  # the tests must pass without a mutant, or every mutant would look killed
  (cd "$work/tree/mutants" && PYTHONPATH=. "$root/.venv/bin/python" -m pytest -q \
      -p no:cacheprovider -p no:randomly $RECHECK >/dev/null) \
      || { echo "RECHECK tests fail without a mutant" >&2; exit 2; }
  : > "$work/recheck/results.txt"
  for name in $(sed -n 's/^ *\(rmpgraph\.[^:]*\): \(survived\|no tests\)$/\1/p' \
                   "$work/results.txt"); do
    if (cd "$work/tree/mutants" && MUTANT_UNDER_TEST="$name" PYTHONPATH=. \
        timeout 600 "$root/.venv/bin/python" -m pytest -q -x -p no:cacheprovider \
        -p no:randomly $RECHECK >/dev/null 2>&1); then
      echo "    $name: survived" >> "$work/recheck/results.txt"
    else
      echo "    $name: killed" >> "$work/recheck/results.txt"
    fi
  done
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "command: RECHECK=\"$RECHECK\" bench/mutmut.sh $work (survivors of the run above)"
    echo "seconds: $(( $(date +%s) - start ))"
  } > "$work/recheck/run.txt"
  echo "$work/recheck/results.txt"
  exit 0
fi
mkdir -p "$work/tree"
tar -C "$root" --exclude=./.venv --exclude=./.git --exclude=./mutants \
    --exclude=__pycache__ --exclude=.pytest_cache --exclude=.hypothesis \
    --exclude=.ruff_cache -cf - . | tar -C "$work/tree" -xf -
cd "$work/tree"
if [ -n "${ONLY:-}" ]; then
  "$root/.venv/bin/python" - "$ONLY" <<'PY'
import re, sys
from pathlib import Path
p = Path("pyproject.toml")
only = ", ".join(f'"{f}"' for f in sys.argv[1].split())
p.write_text(re.sub(r"only_mutate = \[[^\]]*\]", f"only_mutate = [{only}]",
                    p.read_text(encoding="utf-8")), encoding="utf-8")
PY
fi
if [ -n "${TESTS:-}" ]; then
  "$root/.venv/bin/python" - "$TESTS" <<'PY'
import re, sys
from pathlib import Path
p = Path("pyproject.toml")
tests = ", ".join(f'"{f}"' for f in sys.argv[1].split())
p.write_text(re.sub(r"pytest_add_cli_args_test_selection = \[[^\]]*\]",
                    f"pytest_add_cli_args_test_selection = [{tests}]",
                    p.read_text(encoding="utf-8")), encoding="utf-8")
PY
fi
start=$(date +%s)
globs="$*"
if [ -n "${SAMPLE:-}" ]; then
  # a random sample of SAMPLE mutants (fixed SEED): generate them and collect the
  # tests' coverage (the run stops there, matching no mutant), then draw the names
  "$root/.venv/bin/mutmut" run --max-children "${JOBS:-1}" 'no-such-mutant' \
      > "$work/stats.log" 2>&1 || true
  # a red test in TESTS (or one needing a file also_copy lacks) stops the stats
  [ -f mutants/mutmut-stats.json ] \
      || { echo "mutmut collected no test stats: see $work/stats.log" >&2; exit 2; }
  mapfile -t names < <("$root/.venv/bin/python" - "$SAMPLE" "${SEED:-19}" "$@" <<'PY'
import fnmatch, json, random, sys
from pathlib import Path
size, seed, globs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
names = sorted(n for meta in Path("mutants").rglob("*.meta")
               for n in json.loads(meta.read_text())["exit_code_by_key"]
               if not globs or any(fnmatch.fnmatch(n, g) for g in globs))
print("\n".join(sorted(random.Random(seed).sample(names, min(size, len(names))))))
print(f"sampled {min(size, len(names))} of {len(names)} mutants (seed {seed})",
      file=sys.stderr)
PY
  )
  set -- "${names[@]}"
fi
"$root/.venv/bin/mutmut" run --max-children "${JOBS:-1}" "$@" || true
"$root/.venv/bin/mutmut" results --all true > "$work/results.txt"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "command: ONLY=\"${ONLY:-}\" TESTS=\"${TESTS:-}\" SAMPLE=${SAMPLE:-} SEED=${SEED:-} bench/mutmut.sh $work $globs"
  echo "seconds: $(( $(date +%s) - start ))"
} > "$work/run.txt"
echo "$work/results.txt"
