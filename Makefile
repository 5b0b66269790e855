# Developer tasks that are too slow for CI (issue 19). See MUTATION.md.

PY ?= .venv/bin/python
WORK ?= /tmp/rmpgraph-mutmut
MUTANTS ?= rmpgraph.parse.milestones.* rmpgraph.parse.reconcile.*

.PHONY: mutation mutmut coverage

# shapes and stored queries: score and survivors into MUTATION.md (about 1 h)
mutation:
	$(PY) bench/mutation.py

# Python stages with mutmut, on a sample of modules (MUTANTS: mutant-name globs)
mutmut:
	bench/mutmut.sh $(WORK) $(foreach m,$(MUTANTS),'$(m)')
	$(PY) bench/mutation.py --mutmut $(WORK)/results.txt

# line coverage, CLI subprocesses included; the last line is the total
coverage:
	bench/coverage.sh
