"""Parameter values with a newline, a backslash or quotes are bound as RDF terms the
same way on every backend (issue 18, case 7): the file backend and the store give
the same answer and no syntax error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "rmpgraph", *args], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("st") / "store"
    assert _cli("load", "--store", str(where), str(LEMTRADA)).returncode == 0
    return where


@pytest.mark.parametrize("value", ["infusion", "infusion\nrate", "a\\b", 'say "x"',
                                   "' } SERVICE <http://x/> { '"])
def test_store_and_file_agree_on_any_value(store: Path, value: str) -> None:
    args = ["query", "run", "risk-factor-search", "-p", f"term={value}", "-f", "csv"]
    on_file = _cli(*args, str(LEMTRADA))
    on_store = _cli(*args, "--store", str(store))
    assert on_file.returncode == 0, on_file.stderr
    assert on_store.returncode == 0, on_store.stderr
    assert sorted(on_file.stdout.splitlines()) == sorted(on_store.stdout.splitlines())
    if value == "infusion":
        assert len(on_file.stdout.splitlines()) > 1  # the test can see rows


def test_escape_in_a_value_is_refused_on_the_store(store: Path) -> None:
    """A value with a backslash-u sequence would be an escape to rdflib and text to
    Oxigraph: one line, exit 2, instead of a misleading syntax error."""
    run = _cli("query", "run", "risk-factor-search", "-p", "term=\\u0041",
               "--store", str(store))
    assert run.returncode == 2 and "\\u escape" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
