"""A document whose sections repeat is reported, never read as one long last section
(issue 18, cases 4 and 5): LEMTRADA with its II.C block twice, and LEMTRADA x5."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rdflib import Graph

from rmpgraph.graph.namespaces import RMP

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"


def _build(path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "rmpgraph", "build", str(path), "-o",
                           str(out), "--explain"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_repeated_ii_c_is_a_finding_and_swallows_nothing(tmp_path: Path) -> None:
    text = LEMTRADA.read_text(encoding="utf-8")
    block = text[text.index("II.C Post-authori"):]
    doc = tmp_path / "twice.txt"
    doc.write_text(text + "\n" + block, encoding="utf-8")
    out = tmp_path / "twice.ttl"
    run = _build(doc, out)
    assert run.returncode == 0, run.stderr
    for heading in ("II.C Post-authorization development plan",
                    "II.C.1 Studies which are conditions",
                    "II.C.2 Other studies"):
        assert any(heading in ln and "appears 2 times" in ln
                   for ln in run.stderr.splitlines()), heading
    assert "0 lines not understood" in run.stderr
    g = Graph().parse(out)
    expansions = [str(o) for o in g.objects(None, RMP.expansion)
                  if "Summary of Product" in str(o)]
    assert expansions and not [t for t in expansions if "II.C" in t]  # no heading
    # the facts are the document's once: 23 concerns, 4 studies
    assert "23 safety concerns" in run.stderr and "4 studies" in run.stderr


def test_document_repeated_five_times_says_so(tmp_path: Path) -> None:
    doc = tmp_path / "x5.txt"
    doc.write_text(LEMTRADA.read_text(encoding="utf-8") * 5, encoding="utf-8")
    run = _build(doc, tmp_path / "x5.ttl")
    assert run.returncode == 0, run.stderr
    assert "section 'II.A List of important risks and missing information' appears " \
           "5 times" in run.stderr
    assert "23 safety concerns" in run.stderr
