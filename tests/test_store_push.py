"""`rmpgraph push` sends nothing when a target names nothing in the store.

A local listener records every request it gets, so "nothing pushed" is observed
on the wire; the same listener receiving the graphs of a valid push shows it
would have seen them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from gsprecorder import recording

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"


@pytest.fixture
def listener() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    with recording() as found:
        yield found


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("push") / "store"
    proc = _cli("load", "-q", "--store", str(where), str(LEMTRADA))
    assert proc.returncode == 0, proc.stderr
    return where


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rmpgraph", *args],
                          capture_output=True, text=True, timeout=300, cwd=REPO)


@pytest.mark.parametrize("targets", [("NOSUCH",), ("LEMTRADA", "NOSUCH"),
                                     ("lemtrada.tx",)])
def test_unknown_target_pushes_nothing(store: Path, listener: tuple[str, list[
        tuple[str, str]]], targets: tuple[str, ...]) -> None:
    url, seen = listener
    proc = _cli("push", *targets, "--store", str(store), "--endpoint", url)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    bad = next(t for t in targets if t != "LEMTRADA")
    assert f"'{bad}'" in proc.stderr and "nothing was pushed" in proc.stderr
    assert seen == []


@pytest.mark.parametrize("target", ["LEMTRADA", "lemtrada", "lemtrada.txt"])
def test_known_target_pushes_ontology_vocabulary_and_its_graph(
        store: Path, listener: tuple[str, list[tuple[str, str]]],
        target: str) -> None:
    url, seen = listener
    proc = _cli("push", target, "--store", str(store), "--endpoint", url)
    assert proc.returncode == 0, proc.stderr
    graphs = sorted(unquote(path.split("?graph=", 1)[1]) for _, path in seen)
    base = "https://w3id.org/rmpgraph/graph/"
    assert len(graphs) == 3
    assert re.fullmatch(re.escape(base) + "lemtrada/[0-9a-f]{12}", graphs[0])
    assert graphs[1:] == [base + "ontology", base + "vocab"]
    assert {method for method, _ in seen} == {"PUT"}
