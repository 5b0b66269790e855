"""`rmpgraph validate` as a user runs it: a subprocess, exit codes, parseable output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from rmpgraph.graph.namespaces import RMP

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
JSON_KEYS = {"severity", "rule", "product", "file", "source_lines", "shape", "focus",
             "focus_label", "path", "message"}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "rmpgraph", "validate", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


@pytest.fixture(scope="module")
def lemtrada_json() -> subprocess.CompletedProcess[str]:
    return run(LEMTRADA, "--format", "json")


def test_text_input_conforms_with_warnings(
        lemtrada_json: subprocess.CompletedProcess[str]) -> None:
    assert lemtrada_json.returncode == 0, lemtrada_json.stderr
    findings = json.loads(lemtrada_json.stdout)
    assert findings and all(set(f) == JSON_KEYS for f in findings)
    assert "violation" not in {f["severity"] for f in findings}
    defect = [f for f in findings if f["shape"] == "rmpsh:SourceDefectShape-text"]
    assert [f["source_lines"] for f in defect] == [[[539, 539]]]
    # every finding says which RMP and file it comes from
    assert {(f["product"], f["file"]) for f in findings} == {("LEMTRADA",
                                                              "lemtrada.txt")}
    # the GVP rule id is the one the message ends with
    assert all(f["message"].endswith(f"[{f['rule']}]") for f in findings)
    assert {"RMP-HYG-01", "RMP-HYG-02", "RMP-HYG-03"} <= {f["rule"] for f in findings}


def test_json_is_stable(lemtrada_json: subprocess.CompletedProcess[str]) -> None:
    again = run(LEMTRADA, "--format", "json")
    assert again.stdout == lemtrada_json.stdout


def _counts(findings: list[dict[str, object]]) -> tuple[int, int]:
    return (sum(f["severity"] == "warning" for f in findings),
            sum(f["severity"] == "info" for f in findings))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def test_text_report_groups_by_concern_with_lines(
        lemtrada_json: subprocess.CompletedProcess[str]) -> None:
    warnings, infos = _counts(json.loads(lemtrada_json.stdout))
    result = run(LEMTRADA)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    passing = ", ".join([_plural(warnings, "warning")]
                        + ([_plural(infos, "info")] if infos else []))
    assert lines[0] == (f"conforms: yes (0 violations; {passing} not counted as "
                        "failures, use --fail-on warning to fail on them)")
    heading = lines.index("  Pulmonary alveolar haemorrhage")
    block = "\n".join(lines[heading:heading + 8])
    assert ("rmpsh:SourceDefectShape-text RMP-HYG-01 (LEMTRADA, lemtrada.txt, "
            "lines 539)") in block
    assert "[RMP-HYG-01]" in block
    assert run(LEMTRADA, "-f", "text").stdout == result.stdout  # the old name


def test_fail_on_warning_exits_1_and_says_so(
        lemtrada_json: subprocess.CompletedProcess[str]) -> None:
    warnings, infos = _counts(json.loads(lemtrada_json.stdout))
    result = run(LEMTRADA, "--fail-on", "warning")
    assert result.returncode == 1
    tail = (f"; {_plural(infos, 'info')} not counted as failures, use --fail-on info "
            "to fail on them") if infos else ""
    assert result.stdout.splitlines()[0] == (
        f"conforms: no (0 violations; {_plural(warnings, 'warning')}{tail})")


def test_output_file_and_json_ld(
        tmp_path: Path, lemtrada_json: subprocess.CompletedProcess[str]) -> None:
    out = tmp_path / "report.jsonld"
    result = run(LEMTRADA, "-f", "json-ld", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    report = Graph().parse(out, format="json-ld")
    results = list(report.objects(None, SH.result))
    assert len(results) == len(json.loads(lemtrada_json.stdout))
    from rdflib.namespace import DCTERMS
    assert {str(report.value(r, DCTERMS.source)) for r in results} == {"lemtrada.txt"}
    assert {str(report.value(r, DCTERMS.subject)) for r in results} == {"LEMTRADA"}
    assert run(LEMTRADA, "-f", "json-ld").stdout == out.read_text(encoding="utf-8")


def test_extra_shapes_are_checked(tmp_path: Path) -> None:
    """A user's rule: every concern needs a rdfs:comment (none has one)."""
    shapes = tmp_path / "mine.ttl"
    shapes.write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rmp: <https://w3id.org/rmpgraph/ontology#> .
<urn:x:CommentShape> a sh:NodeShape ; sh:targetClass rmp:ImportantPotentialRisk ;
  sh:property [ sh:path rdfs:comment ; sh:minCount 1 ;
                sh:message "needs a comment [RMP-USR-01]" ] .
""", encoding="utf-8")
    result = run(LEMTRADA, "--shacl", shapes, "-f", "json", "--severity", "violation")
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)
    # LEMTRADA II.A lists 3 important potential risks
    assert len(found) == 3
    assert {f["rule"] for f in found} == {"RMP-USR-01"}
    missing = run(LEMTRADA, "--shacl", tmp_path / "nope.ttl")
    assert missing.returncode == 2 and "nope.ttl" in missing.stderr


def test_severity_filter_hides_warnings_not_the_verdict() -> None:
    result = run(LEMTRADA, "--format", "json", "--severity", "violation")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_turtle_is_a_shacl_report(
        lemtrada_json: subprocess.CompletedProcess[str]) -> None:
    result = run(LEMTRADA, "--format", "turtle")
    assert result.returncode == 0, result.stderr
    report = Graph().parse(data=result.stdout, format="turtle")
    (root,) = report.subjects(SH.conforms, None)
    assert report.value(root, SH.conforms) == Literal(True)
    assert len(list(report.objects(root, SH.result))) == len(
        json.loads(lemtrada_json.stdout))


def test_built_graph_with_a_violation_exits_1(tmp_path: Path,
                                               lemtrada_graph: Graph) -> None:
    broken = Graph()
    broken += lemtrada_graph
    study = next(iter(broken.subjects(RMP.studyCategory, None)))
    broken.remove((study, RMP.studyCategory, None))
    path = tmp_path / "lemtrada.ttl"
    broken.serialize(path, format="turtle")
    result = run(path, "--format", "json", "--severity", "violation")
    assert result.returncode == 1, result.stderr
    (finding,) = json.loads(result.stdout)
    assert finding["shape"] == "rmpsh:StudyShape-studyCategory"
    assert finding["focus"] == str(study)
    assert finding["message"].endswith("[RMP-IIC-03]")


@pytest.mark.parametrize("content,name", [
    ("", "empty.txt"),
    ("@prefix : <x> . this is not turtle", "broken.ttl"),
])
def test_unusable_input_exits_2_with_one_line(tmp_path: Path, content: str,
                                               name: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run(path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr and "Traceback" not in result.stderr


def test_missing_file_exits_2() -> None:
    result = run(ROOT / "no-such-file.txt")
    assert result.returncode == 2
    assert "no-such-file.txt" in result.stderr


def test_bad_option_is_a_usage_error() -> None:
    assert run(LEMTRADA, "--format", "csv").returncode == 2


def test_several_files_each_finding_names_its_own() -> None:
    """LEMTRADA and KALVESTRA (a fixture with findings of its own) in one run."""
    kalvestra = ROOT / "tests" / "fixtures" / "rmp" / "kalvestra.txt"
    result = run(LEMTRADA, kalvestra, "-f", "json")
    assert result.returncode in (0, 1), result.stderr
    found = json.loads(result.stdout)
    pairs = {(f["product"], f["file"]) for f in found}
    assert ("LEMTRADA", "lemtrada.txt") in pairs
    assert {p for p in pairs if p[1] == "kalvestra.txt"}, pairs
    assert all(f["file"] in ("lemtrada.txt", "kalvestra.txt") for f in found)
    assert all(f["product"] for f in found)


def test_store_findings_name_product_and_file(tmp_path: Path) -> None:
    """From a store, where the RMPs no longer sit in files of their own."""
    kalvestra = ROOT / "tests" / "fixtures" / "rmp" / "kalvestra.txt"
    store = tmp_path / "store"
    loaded = subprocess.run([sys.executable, "-m", "rmpgraph", "load", "--store",
                             str(store), str(LEMTRADA), str(kalvestra)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert loaded.returncode == 0, loaded.stderr

    def keys(result: subprocess.CompletedProcess[str]) -> set[tuple[object, ...]]:
        return {(f["product"], f["file"], f["message"], str(f["source_lines"]))
                for f in json.loads(result.stdout)}

    from_store = keys(run("--store", store, "-f", "json"))
    assert {k[:2] for k in from_store} == {("LEMTRADA", "lemtrada.txt"),
                                           ("Kalvestra", "kalvestra.txt")}
    assert from_store == keys(run(LEMTRADA, kalvestra, "-f", "json"))
