"""The documented plain-pySHACL one-liner reports what `rmpgraph validate` does.

    rmpgraph validate --export-shapes rmp-shacl.ttl
    pyshacl -s rmp-shacl.ttl -w -f human out/x.ttl rmp-shacl.ttl

(README, "Validating with plain pySHACL"). Run here with `-f turtle` to read the
results; the oracle is rmpgraph's own JSON on the same built file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
PYSHACL = Path(sys.executable).with_name("pyshacl")


def _rmpgraph(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rmpgraph", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_one_liner_gives_rmpgraphs_results(tmp_path: Path) -> None:
    data, bundle = tmp_path / "lemtrada.ttl", tmp_path / "rmp-shacl.ttl"
    assert _rmpgraph("build", LEMTRADA, "-o", data).returncode == 0
    assert _rmpgraph("validate", "--export-shapes", bundle).returncode == 0
    plain = subprocess.run([str(PYSHACL), "-s", str(bundle), "-w", "-f", "turtle",
                            str(data), str(bundle)],
                           capture_output=True, text=True, timeout=300)
    assert plain.returncode == 0, plain.stderr  # conforms, warnings allowed (-w)
    report = Graph().parse(data=plain.stdout, format="turtle")
    theirs = {(str(report.value(r, SH.focusNode)),
               str(report.value(r, SH.resultMessage)))
              for r in report.objects(None, SH.result)}
    ours = json.loads(_rmpgraph("validate", data, "-f", "json").stdout)
    assert len(list(report.objects(None, SH.result))) == len(ours) > 0
    assert theirs == {(f["focus"], f["message"]) for f in ours}


def test_shapes_alone_are_not_enough(tmp_path: Path) -> None:
    """Why the bundle exists: with the shape files only, the QRD vocabulary is
    missing from the data and every label citation fails."""
    data, shapes = tmp_path / "lemtrada.ttl", tmp_path / "shapes.ttl"
    assert _rmpgraph("build", LEMTRADA, "-o", data).returncode == 0
    from rmpgraph.check.validate import load_shapes

    load_shapes().serialize(shapes, format="turtle")
    plain = subprocess.run([str(PYSHACL), "-s", str(shapes), "-w", "-f", "turtle",
                            str(data)], capture_output=True, text=True, timeout=300)
    report = Graph().parse(data=plain.stdout, format="turtle")
    ours = json.loads(_rmpgraph("validate", data, "-f", "json").stdout)
    failed = {str(report.value(r, SH.sourceShape)).rsplit("#", 1)[-1]
              for r in report.objects(None, SH.result)
              if report.value(r, SH.resultSeverity) == SH.Violation}
    assert "LabelCitationShape-citesLabelSection" in failed
    assert len(list(report.objects(None, SH.result))) > len(ours)


def test_export_refuses_inputs(tmp_path: Path) -> None:
    result = _rmpgraph("validate", LEMTRADA, "--export-shapes", tmp_path / "x.ttl")
    assert result.returncode == 2
    assert not (tmp_path / "x.ttl").exists()
