"""Every output the CLI writes is the same bytes under two PYTHONHASHSEED values.

Set and dict iteration order changes with the hash seed (and identity hashes with
memory layout), so anything that reaches an output without being sorted shows up
here. One subprocess per seed runs the whole command list through the real CLI entry
point (`rmpgraph.cli.main`), each command's stdout, stderr and exit status kept
next to the files it wrote; the two output trees must be identical. The commands run
from the output directory with relative output paths, so messages that name an
output file are comparable too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = str(ROOT / "data" / "rmp" / "lemtrada.txt")
FIXTURES = ROOT / "tests" / "fixtures"
KALVESTRA = str(FIXTURES / "rmp" / "kalvestra.txt")  # has SHACL findings
CORVANTA = str(FIXTURES / "rmp" / "corvanta.txt")
DRAVELIN = str(FIXTURES / "rmp" / "dravelin.txt")
MEDDRA = str(FIXTURES / "meddra")
AS_OF = "2026-11-25"
SEEDS = ("1", "4242")

#: (name, argv): every command that writes an output, in every output format.
COMMANDS: list[tuple[str, list[str]]] = [
    *[(f"build-{ext}", ["build", LEMTRADA, "-o", f"lemtrada.{ext}"])
      for ext in ("ttl", "nt", "jsonld", "trig", "nq")],
    ("build-two-trig", ["build", LEMTRADA, CORVANTA, "-o", "two.trig"]),
    ("build-stdout", ["build", KALVESTRA]),
    ("build-explain", ["build", KALVESTRA, "--explain", "-o", "kalvestra.ttl"]),
    ("build-linked", ["build", LEMTRADA, "--meddra", MEDDRA, "--sssom",
                      "build.sssom.tsv", "--ema", "-o", "lemtrada-linked.ttl"]),
    *[(f"validate-{fmt}", ["validate", KALVESTRA, "-f", fmt])
      for fmt in ("text", "json", "turtle")],
    *[(f"query-{fmt}", ["query", "run", "concern-measures", LEMTRADA, "-f", fmt])
      for fmt in ("table", "csv", "tsv", "json", "markdown")],
    ("query-overdue", ["query", "run", "overdue-milestones", "-p", f"as_of={AS_OF}",
                       LEMTRADA, KALVESTRA, "-f", "csv", "-o", "overdue.csv"]),
    # ORDER BY: without it SPARQL defines no row order (rdflib's follows its store)
    ("sparql-json", ["sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
                     CORVANTA,
                     "-f", "json", "-o", "all.json"]),
    ("report", ["report", LEMTRADA, KALVESTRA, "-o", "report.html",
                "--as-of", AS_OF]),
    ("docs", ["docs", "-o", "docs", "--as-of", AS_OF]),
    *[(f"diff-{fmt}", ["diff", CORVANTA, DRAVELIN, "-f", fmt])
      for fmt in ("text", "json", "turtle")],
    ("diff-versions", ["diff", LEMTRADA, KALVESTRA, "-f", "json", "-o", "diff.json"]),
    ("link-ema-ttl", ["link", "ema", LEMTRADA, "-o", "ema.ttl"]),
    ("link-ema-jsonld", ["link", "ema", KALVESTRA, "-o", "ema.jsonld"]),
    ("link-meddra", ["link", "meddra", "--meddra", MEDDRA, LEMTRADA,
                     "-o", "meddra.ttl", "--sssom", "meddra.sssom.tsv"]),
    ("link-meddra-lexical", ["link", "meddra", "--meddra", MEDDRA, "--no-curated",
                             LEMTRADA, "-o", "meddra-lexical.nt"]),
]

#: Runs in the subprocess: each command through the CLI, its streams to files.
#: click's standalone mode turns an EOFError or KeyboardInterrupt into "Aborted!"
#: and drops the traceback (a run of this test failed so once: `docs` read pyLODE's
#: half-written pickle cache, see present.docs), so the driver runs the group with
#: standalone_mode=False, does what standalone mode would, and keeps such a
#: traceback in `{name}.abort` for the test to show.
DRIVER = """
import contextlib, json, sys, traceback
import click
from rmpgraph.cli import cli
commands = json.loads(sys.argv[1])
for name, argv in commands:
    with open(f"{name}.stdout", "w", encoding="utf-8") as out, \\
         open(f"{name}.stderr", "w", encoding="utf-8") as err, \\
         contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args=argv, prog_name="rmpgraph", standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
        except click.exceptions.Abort as exc:
            with open(f"{name}.abort", "w", encoding="utf-8") as fh:
                fh.write("".join(traceback.format_exception(exc.__cause__ or exc)))
            code = 1
    with open(f"{name}.exit", "w", encoding="utf-8") as fh:
        fh.write(str(code))
"""


def _run_all(seed: str, out: Path) -> subprocess.CompletedProcess[str]:
    out.mkdir()
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-c", DRIVER, json.dumps(COMMANDS)],
                          cwd=out, env=env, capture_output=True, text=True,
                          timeout=600)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_cli_output_is_byte_identical_across_hash_seeds(tmp_path: Path
                                                               ) -> None:
    dirs = [tmp_path / f"seed{seed}" for seed in SEEDS]
    with ThreadPoolExecutor(len(SEEDS)) as pool:
        procs = list(pool.map(_run_all, SEEDS, dirs))
    for proc in procs:
        assert proc.returncode == 0, proc.stderr[-2000:]
    first, second = (_tree(d) for d in dirs)
    aborted = {k: v.decode("utf-8", "replace") for tree in (first, second)
               for k, v in tree.items() if k.endswith(".abort")}
    assert not aborted, aborted
    for name, _argv in COMMANDS:  # the commands really ran and wrote something
        assert first[f"{name}.exit"] in (b"0", b"1"), (
            name, first.get(f"{name}.stderr", b"")[-500:])
    outputs = [k for k in first if not k.endswith((".stdout", ".stderr", ".exit"))]
    assert {"docs/ontology.html", "report.html", "lemtrada.nq", "ema.ttl",
            "meddra.sssom.tsv"} <= set(outputs)
    assert sorted(first) == sorted(second)
    differing = [k for k in first if first[k] != second[k]]
    assert not differing, differing


@pytest.mark.parametrize("text,expected", [
    ("SELECT * WHERE { ?s ?p ?o }", ["s", "p", "o"]),
    ("SELECT DISTINCT * WHERE { ?concern rdfs:label ?name . ?rmp rmp:x ?concern }",
     ["concern", "name", "rmp"]),
    ("SELECT ?o ?s WHERE { ?s ?p ?o }", ["o", "s"]),  # explicit: as written
])  # fmt: skip
def test_select_star_columns_in_order_of_appearance(text: str,
                                                    expected: list[str]) -> None:
    from rmpgraph.queries.sparqltext import check_request, projection

    prefixes = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                "PREFIX rmp: <https://w3id.org/rmpgraph/ontology#> ")
    full = prefixes + text
    assert projection(full, check_request(full).algebra) == expected


def test_select_star_header_is_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    """rdflib orders `SELECT *` columns by a set; the header must not follow the
    interpreter's hash seed (it printed s,p,o or p,s,o from one run to the next)."""
    ttl = tmp_path / "t.ttl"
    ttl.write_text("<http://ex/a> <http://ex/b> <http://ex/c> .\n", encoding="utf-8")
    heads = set()
    for seed in ("1", "2", "3", "4"):
        proc = subprocess.run(
            [sys.executable, "-m", "rmpgraph", "sparql",
             "SELECT * WHERE { ?subject ?predicate ?object }", str(ttl), "-f", "csv"],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        heads.add(proc.stdout.splitlines()[0])
    assert heads == {"subject,predicate,object"}
