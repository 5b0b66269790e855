"""`rmpgraph link meddra` on the command line: outputs, counts, one-line errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from rmpgraph.cli.link import group
from rmpgraph.graph.namespaces import ID

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "meddra"
TEXT = str(ROOT / "data" / "rmp" / "lemtrada.txt")


def run(*args: str):
    return CliRunner().invoke(group, list(args))


def test_link_meddra_writes_graph_and_sssom(tmp_path: Path) -> None:
    out, tsv = tmp_path / "linked.ttl", tmp_path / "links.sssom.tsv"
    result = run("meddra", "--meddra", str(FIXTURE), TEXT, "-o", str(out),
                 "--sssom", str(tsv))
    assert result.exit_code == 0, result.output
    assert ("MedDRA 99.0: 23 concerns: 20 mapped, 3 unmapped, 0 for review; "
            "30 mappings") in result.output
    assert result.output.count("  unmapped: ") == 3
    g = Graph().parse(out)
    # the curated exactMatch is a closeMatch on the version-free concern in the
    # graph (exactMatch is transitive across products); SSSOM keeps exactMatch
    term = URIRef("http://purl.bioontology.org/ontology/MEDDRA/94000010")
    assert (ID["lemtrada/concern/thrombocytopenia"], SKOS.closeMatch, term) in g
    assert not set(g.triples((None, SKOS.exactMatch, None)))
    body = [line for line in tsv.read_text().splitlines()
            if line and not line.startswith("#")]
    assert any("thrombocytopenia" in line and "skos:exactMatch" in line
               for line in body)
    assert len(body) == 1 + 30 + 3  # header, mappings, NoTermFound rows


def test_link_meddra_lexical_only_lists_review(tmp_path: Path) -> None:
    result = run("meddra", "--meddra", str(FIXTURE), "--no-curated", TEXT, "-o",
                 str(tmp_path / "o.ttl"))
    assert result.exit_code == 0, result.output
    assert "3 for review" in result.output
    assert "  review: Dissection of the cervicocephalic arteries: " in result.output
    strict = run("meddra", "--meddra", str(FIXTURE), "--no-curated", "--strict",
                 TEXT, "-o", str(tmp_path / "o2.ttl"))
    assert strict.exit_code == 1 and (tmp_path / "o2.ttl").exists()
    curated = run("meddra", "--meddra", str(FIXTURE), "--strict", TEXT, "-o",
                  str(tmp_path / "o3.ttl"))
    assert curated.exit_code == 0, curated.output


def test_link_meddra_accepts_built_graphs(tmp_path: Path) -> None:
    built = tmp_path / "built.ttl"
    assert run("ema", TEXT, "-o", str(built)).exit_code == 0
    result = run("meddra", "--meddra", str(FIXTURE), str(built), "-o",
                 str(tmp_path / "o.nt"), "--include-meddra", "none")
    assert result.exit_code == 0, result.output
    assert "23 concerns" in result.output


def test_not_a_distribution_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("meddra", "--meddra", str(tmp_path), TEXT, "-o",
                 str(tmp_path / "o.ttl"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"rmpgraph: error: {tmp_path}: no llt.asc here: expected a MedDRA ASCII "
        "distribution (the MedAscii folder)"]
    assert not (tmp_path / "o.ttl").exists()


def test_bad_output_extension_fails_before_work(tmp_path: Path) -> None:
    result = run("meddra", "--meddra", str(FIXTURE), TEXT, "-o",
                 str(tmp_path / "o.txt"))
    assert result.exit_code == 2
    assert "unknown output format .txt" in result.output
