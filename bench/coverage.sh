#!/usr/bin/env bash
# Line coverage of rmpgraph, the `rmpgraph ...` subprocesses the CLI tests start
# included ([tool.coverage.run] patch = ["subprocess"] in pyproject.toml).
#
#   bench/coverage.sh                      # the whole suite (about 6 min on 1 core)
#   bench/coverage.sh tests/test_validate_cli.py tests/test_build_cli.py
#
# Data files go to $COVERAGE_DIR (default: a new temporary directory), never into
# the shared tree; the last line printed is the total.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${COVERAGE_DIR:-$(mktemp -d /tmp/rmpgraph-coverage.XXXXXX)}
export COVERAGE_FILE="$dir/.coverage"
cd "$root"
py=.venv/bin/python
$py -m coverage erase
status=0
$py -m coverage run -m pytest -q -p no:cacheprovider "${@:-tests}" || status=$?
$py -m coverage combine -q
$py -m coverage report > "$dir/report.txt"
echo "report: $dir/report.txt"
grep "^TOTAL" "$dir/report.txt"
exit $status
