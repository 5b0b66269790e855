"""Bad input through the real command line: `rmpgraph build BAD -o out.ttl`.

Every case runs in a fresh interpreter, as a user would, and must end with one
`rmpgraph: error: FILE[:LINE]: ...` line, exit code 2, no traceback, no output file
touched and no temporary file left behind. Damaged-but-usable summaries (truncated,
duplicated table) must instead build what is certain and warn with FILE:LINE.
Inputs are written here, in tmp_path, from data/rmp/lemtrada.txt or small fixtures;
nothing big is committed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF
from rdflib import Graph, Literal, URIRef

REPO = Path(__file__).resolve().parent.parent
BAD = REPO / "tests" / "fixtures" / "bad"
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"
RMP = "https://w3id.org/rmpgraph/ontology#"
PREVIOUS = b"# output of an earlier, successful run\n"

# Runs the CLI and reports the child's own peak RSS (kB) on the pipe fd given as
# argv[1]. VmHWM, not getrusage: on Linux ru_maxrss survives fork+exec, so a child
# would report the (bigger) pytest parent's peak and every comparison would pass.
_MEASURED_MAIN = """
import os, sys
fd = int(sys.argv.pop(1))
def peak():
    with open("/proc/self/status") as fh:
        return next(line.split()[1] for line in fh if line.startswith("VmHWM"))
if sys.argv[1] == "--read-whole":  # control: what reading the file costs
    data = open(sys.argv[2], "rb").read()
    os.write(fd, peak().encode())
    sys.exit(0)
from rmpgraph.cli import main
try:
    main(sys.argv[1:])
finally:
    os.write(fd, peak().encode())
"""

def _build(*args: str, measure: bool = False, command: str = "build"
           ) -> tuple[subprocess.CompletedProcess[str], int | None]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if not measure:
        proc = subprocess.run([sys.executable, "-m", "rmpgraph", command, *args],
                              cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=300)
        return proc, None
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.run([sys.executable, "-c", _MEASURED_MAIN, str(write_end),
                               command, *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300,
                              pass_fds=(write_end,))
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        return proc, int(fh.read() or b"0")


def _lemtrada_lines() -> list[str]:
    return LEMTRADA.read_text(encoding="utf-8").split("\n")


# --- each case writes its input and returns (path, expected line or None, message) ---

def _empty(tmp: Path) -> tuple[Path, int | None, str]:
    path = tmp / "empty.txt"
    path.write_bytes(b"")
    return path, None, "file is empty"


def _png(tmp: Path) -> tuple[Path, int | None, str]:
    path = tmp / "figure.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path, None, "binary file (PNG image)"


def _nul(tmp: Path) -> tuple[Path, int | None, str]:
    path = tmp / "nul.txt"
    path.write_bytes(b"Summary of risk management plan\n\nII.A \x00\x00\x00\x00 list\n")
    return path, 3, "binary file (NUL byte)"


def _huge(tmp: Path) -> tuple[Path, int | None, str]:
    path = tmp / "huge.txt"
    chunk = LEMTRADA.read_bytes()
    with path.open("wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    return path, None, "above the input limit of 20,971,520 bytes"


def _long_line(tmp: Path) -> tuple[Path, int | None, str]:
    lines = _lemtrada_lines()
    lines[40] = "x" * (1024 * 1024)
    path = tmp / "long-line.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, 41, "line is 1,048,576 characters long"


def _scanned_pdf(tmp: Path) -> tuple[Path, int | None, str]:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(20, 20, 170, 240, style="F")
    path = tmp / "scanned.pdf"
    pdf.output(str(path))
    return path, None, "no text layer (scanned PDF?)"


def _polish(tmp: Path) -> tuple[Path, int | None, str]:
    path = tmp / "cp1250.txt"
    path.write_bytes("Summary\n\nRyzyko zaka\u017ce\u0144 u pacjent\u00f3w\n"
                     .encode("cp1250"))
    return path, 3, "not UTF-8"


def _copy(name: str) -> Callable[[Path], tuple[Path, int | None, str]]:
    def case(tmp: Path) -> tuple[Path, int | None, str]:
        path = tmp / name
        path.write_bytes((BAD / name).read_bytes())
        return path, 1, "not an RMP Part VI summary"
    return case


CASES = {
    "empty": _empty, "png": _png, "nul-bytes": _nul, "50-mb": _huge,
    "1-mb-line": _long_line, "scanned-pdf": _scanned_pdf, "cp1250": _polish,
    "smpc": _copy("smpc-zelvatrin.txt"), "novel": _copy("novel.txt"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_unusable_input_is_one_line_exit_2_and_output_kept(tmp_path: Path,
                                                           case: str) -> None:
    path, line, message = CASES[case](tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "out.ttl"
    out.write_bytes(PREVIOUS)

    proc, _ = _build(str(path), "-o", str(out))

    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr  # exactly one line
    where = f"{path}:{line}: " if line else f"{path}: "
    assert proc.stderr.startswith(f"rmpgraph: error: {where}"), proc.stderr
    assert message in proc.stderr
    assert out.read_bytes() == PREVIOUS  # byte-identical
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.ttl"]  # no temp left


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_huge_input_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Peak RSS refusing 50 MB stays within a few MB of refusing an empty file."""
    empty, _, _ = _empty(tmp_path)
    huge, _, _ = _huge(tmp_path)
    _, baseline = _build(str(empty), measure=True)
    proc, peak = _build(str(huge), measure=True)
    _, control = _build(str(huge), measure=True, command="--read-whole")
    assert proc.returncode == 2 and baseline and peak and control
    assert control > 50 * 1024  # kB: the probe does see a whole-file read
    assert peak - baseline < 10 * 1024


# --- damaged but usable: graph of what is certain, warnings with FILE:LINE ---------

def _concern_labels(graph: Graph) -> set[str]:
    return {str(label) for rmp, concern in graph.subject_objects(
                URIRef(RMP + "hasSafetyConcern"))
            for label in graph.objects(concern, URIRef(
                "http://www.w3.org/2000/01/rdf-schema#label"))}


def _issue_lines(graph: Graph) -> set[int]:
    return {int(line) for issue in graph.subjects(
                URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                URIRef(RMP + "ParseIssue"))
            for line in graph.objects(issue, URIRef(RMP + "line"))
            if isinstance(line, Literal)}


def test_summary_truncated_mid_table_warns_and_keeps_what_is_certain(
        tmp_path: Path) -> None:
    lines = _lemtrada_lines()
    table_1 = next(i for i, text in enumerate(lines) if text.startswith("Table 1 -"))
    cut = table_1 + 30  # inside Table 1 (II.A), 30 lines after its caption
    kept = lines[:cut]
    path = tmp_path / "truncated.txt"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = tmp_path / "out.ttl"

    proc, _ = _build(str(path), "-o", str(out))

    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    warnings = [ln for ln in proc.stderr.splitlines() if "warning" in ln]
    assert any(re.match(rf"rmpgraph: warning: {re.escape(str(path))}:{cut + 1}: .*"
                        "truncated", ln) for ln in warnings), proc.stderr
    graph = Graph().parse(out)
    labels = _concern_labels(graph)
    kept_text = {text.strip() for text in kept}
    assert labels and labels <= kept_text  # nothing invented beyond the cut
    assert cut + 1 in _issue_lines(graph)  # SHACL-visible, not only on stderr


def _with_duplicated_table(tmp_path: Path) -> tuple[Path, int, str]:
    """LEMTRADA with its Table 3 (II.B, stroke) pasted a second time after itself."""
    lines = _lemtrada_lines()
    start = next(i for i, t in enumerate(lines) if t.startswith("Table 3 -"))
    end = next(i for i, t in enumerate(lines) if t.strip().startswith("Table 4 -"))
    duplicated = lines[:end] + lines[start:end] + lines[end:]
    path = tmp_path / "duplicated.txt"
    path.write_text("\n".join(duplicated), encoding="utf-8")
    heading = next(i for i in range(end, 2 * end - start)
                   if duplicated[i].startswith("Important identified risk: Stroke"))
    return path, heading + 1, end + 1


def test_duplicated_table_is_named_and_not_double_counted(tmp_path: Path) -> None:
    path, heading_line, _ = _with_duplicated_table(tmp_path)
    out, ref = tmp_path / "dup.ttl", tmp_path / "ref.ttl"
    proc, _ = _build(str(path), "-o", str(out))
    reference, _ = _build(str(LEMTRADA), "-o", str(ref))
    assert proc.returncode == 0 and reference.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.search(rf"rmpgraph: warning: {re.escape(str(path))}:{heading_line}: "
                     r"second II\.B table for 'Stroke", proc.stderr), proc.stderr
    graph = Graph().parse(out)
    assert _concern_labels(graph) == _concern_labels(Graph().parse(ref))
    assert heading_line in _issue_lines(graph)


def test_duplicated_table_gives_one_warning_not_a_flood(tmp_path: Path) -> None:
    path, _, _ = _with_duplicated_table(tmp_path)
    proc, _ = _build(str(path), "-o", str(tmp_path / "dup.ttl"))
    warnings = [ln for ln in proc.stderr.splitlines() if "warning" in ln]
    assert 1 <= len(warnings) <= 2, "\n".join(warnings[:5])
