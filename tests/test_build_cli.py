"""The `build` command through a subprocess, determinism, accounting and OWL RL
consistency of the LEMTRADA graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import owlrl
from rdflib import Graph
from rdflib.namespace import OWL, RDF

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"


def run(
    *args: str, seed: str = "0", cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run(
        [sys.executable, "-m", "rmpgraph", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_help_on_every_subcommand() -> None:
    top = run("--help")
    assert top.returncode == 0
    commands = [
        line.split()[0]
        for line in top.stdout.split("Commands:")[1].splitlines()
        if line.strip()
    ]
    assert "build" in commands
    summaries = {line.split()[0]: " ".join(line.split()[1:])
                 for line in top.stdout.split("Commands:")[1].splitlines()
                 if line.strip()}
    for name in commands:
        sub = run(name, "--help")
        assert sub.returncode == 0, name
        # each command's help names its usage and opens with what the list says
        assert sub.stdout.startswith(f"Usage: rmpgraph {name} "), name
        first = summaries[name].rstrip(".").removesuffix("...").strip()
        assert first[:25] in " ".join(sub.stdout.split()), name


# Byte identity across PYTHONHASHSEED values, for build and every other output the
# CLI writes: tests/test_determinism.py.


def test_build_is_independent_of_line_endings(tmp_path: Path) -> None:
    crlf = tmp_path / "lemtrada.txt"
    crlf.write_bytes(LEMTRADA.read_bytes().replace(b"\n", b"\r\n"))
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    assert run("build", str(LEMTRADA), "-o", str(a)).returncode == 0
    assert run("build", str(crlf), "-o", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_explain_accounts_for_every_line() -> None:
    proc = run("build", str(LEMTRADA), "-o", os.devnull + ".ttl", "--explain")
    assert "0 lines not understood" in proc.stderr
    # what remains unaccounted is template boilerplate (intro, Part II preamble,
    # II.A definitions, the EPAR pointer)
    assert "lines boilerplate" in proc.stderr
    assert "Important risks of LEMTRADA are risks that need special" in proc.stderr


def test_bad_extension_is_a_one_line_error(tmp_path: Path) -> None:
    proc = run("build", str(LEMTRADA), "-o", str(tmp_path / "x.docx"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr


def test_failed_build_keeps_existing_output(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    out.write_text("previous\n")
    bad = tmp_path / "novel.txt"
    bad.write_text("It was a dark and stormy night.\nThe end.\n")
    proc = run("build", str(bad), "-o", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert out.read_text() == "previous\n"


def test_owlrl_closure_is_consistent(lemtrada_graph: Graph) -> None:
    from rmpgraph.graph.ontology import load_ontology

    g = Graph()
    for t in load_ontology():
        g.add(t)
    for t in lemtrada_graph:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.subjects(RDF.type, OWL.Nothing)) == []
    clashes = [t for t in g.triples((None, OWL.differentFrom, None)) if t[0] == t[2]]
    assert clashes == []


def test_build_links_meddra_in_one_go(tmp_path: Path) -> None:
    from rdflib.namespace import SKOS

    out, sssom = tmp_path / "l.ttl", tmp_path / "l.sssom.tsv"
    proc = run("build", str(LEMTRADA), "--meddra", str(ROOT / "tests/fixtures/meddra"),
               "--sssom", str(sssom), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    g = Graph().parse(out)
    matched = {s for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch,
                           SKOS.narrowMatch) for s in g.subjects(p, None)}
    # 23 concerns; the 3 population-type missing-information items stay unmapped
    assert len(matched) == 20
    assert sssom.read_text().startswith("#")


def test_trig_output_uses_the_rmp_named_graph(tmp_path: Path) -> None:
    from rdflib import Dataset

    out = tmp_path / "l.trig"
    assert run("build", str(LEMTRADA), "-o", str(out)).returncode == 0
    ds = Dataset().parse(out, format="trig")
    names = {str(c.identifier) for c in ds.contexts() if len(c)}
    assert any(n.startswith("https://w3id.org/rmpgraph/graph/lemtrada/") for n in names)


def test_commands_run_offline() -> None:
    """Any network use inside a command without --endpoint/--allow-service is a
    one-line error, not a request (the guard is in cli.common.handle_errors)."""
    import socket

    import click
    from click.testing import CliRunner

    from rmpgraph.cli.common import handle_errors

    @click.command()
    @handle_errors
    def fetch() -> None:
        socket.create_connection(("192.0.2.1", 80), timeout=1)

    result = CliRunner().invoke(fetch, [])
    assert result.exit_code == 2
    assert "network access" in result.output and "refused" in result.output
