"""`rmpgraph query list|show|run` and `rmpgraph sparql`.

Each output format is read back with a standard reader (csv module, json, rdflib's
W3C result parsers) and compared with the Python API's rows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result as SparqlResult

from rmpgraph.cli.query import group, sparql
from rmpgraph.queries import stored as queries

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries" / "mini.ttl"
LEMTRADA = Path(__file__).resolve().parent.parent / "data" / "rmp" / "lemtrada.txt"


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(group, list(args), env=env)


def _sparql(*args: str) -> Result:
    return CliRunner().invoke(sparql, list(args))


@pytest.fixture(scope="module")
def expected() -> list[dict[str, object]]:
    return queries.run("concern-measures", Graph().parse(FIXTURE))


def test_list_names_every_query() -> None:
    result = _run("list")
    assert result.exit_code == 0
    names = [line.split("\t")[0] for line in result.output.splitlines()]
    assert names == sorted(queries.load_queries())
    assert ("overdue-milestones\tOverdue study milestones\t[as_of:date?, "
            "product:iri?, rmp:iri?, version:string?, versions:string?]") in \
        result.output.splitlines()


def test_show_prints_the_file() -> None:
    result = _run("show", "provenance")
    assert result.exit_code == 0
    assert result.output == queries.get_query("provenance").path.read_text("utf-8")


def test_csv_is_w3c_csv(expected: list[dict[str, object]]) -> None:
    result = _run("run", "concern-measures", "-f", "csv", str(FIXTURE))
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")
    assert text.count("\r\n") == len(expected) + 1
    rows = list(csv.reader(io.StringIO(text, newline="")))
    variables = rows[0]
    assert len(rows) - 1 == len(expected)
    for row, want in zip(rows[1:], expected, strict=True):
        assert row == [str(want.get(v, "")) for v in variables]
    parsed = SparqlResult.parse(io.StringIO(text), format="csv")
    assert len(list(parsed)) == len(expected)


def test_tsv_round_trips_terms(expected: list[dict[str, object]]) -> None:
    result = _run("run", "concern-measures", "--format", "tsv", str(FIXTURE))
    assert result.exit_code == 0, result.output
    parsed = SparqlResult.parse(io.StringIO(result.output), format="tsv")
    variables = [str(v) for v in parsed.vars]
    got = [{v: t for v, t in zip(variables, row, strict=True) if t is not None}
           for row in parsed]
    assert got == expected


def test_json_is_w3c_json(expected: list[dict[str, object]]) -> None:
    result = _run("run", "concern-measures", "-f", "json", str(FIXTURE))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) == {"head", "results"}
    assert len(doc["results"]["bindings"]) == len(expected)
    parsed = SparqlResult.parse(io.StringIO(result.output), format="json")
    got = [{str(v): t for v, t in zip(parsed.vars, row, strict=True) if t is not None}
           for row in parsed]
    assert got == expected
    position = doc["results"]["bindings"][0]["position"]
    assert position == {"type": "literal", "value": "1",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_markdown_table(expected: list[dict[str, object]]) -> None:
    result = _run("run", "concern-measures", "-f", "markdown", str(FIXTURE))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("| product | concern_position | concern |")
    assert set(lines[1]) <= {"|", "-"}
    assert len(lines) == 2 + len(expected)
    assert all(line.count(" | ") == lines[0].count(" | ") for line in lines[2:])


@pytest.mark.parametrize("width", [80, 100, 300])
def test_table_fits_the_terminal(width: int) -> None:
    """mini.ttl: 9 measure statements x label sections + DEMOMAB's one "None" row.
    Labels are shown, never cut; too many columns for the width: one per line."""
    result = _run("run", "concern-measures", str(FIXTURE),
                  env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[-1] == "(10 rows)"
    assert max(len(line) for line in lines) <= width
    assert "Serious infections" in result.output  # a label, whole
    assert "id:demomab/concern/infections" not in result.output  # not its IRI
    assert ("-[ row 1 ]" in result.output) == (width < 300)  # the table is 204 wide
    iris = _run("run", "concern-measures", "--iris", str(FIXTURE),
                env={"COLUMNS": str(width)})
    assert "id:demomab/concern/infections" in iris.output


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = _run("run", "concerns", "-f", "json", "-o", str(out), str(FIXTURE))
    assert result.exit_code == 0 and result.output == ""
    assert len(json.loads(out.read_text())["results"]["bindings"]) == 6


def test_run_on_rmp_text() -> None:
    result = _run("run", "overdue-milestones", "--param", "as_of=2026-11-25",
                  "-f", "csv", str(LEMTRADA))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
    assert sorted(r["study_label"] for r in rows) == ["Drug Utilization Study",
                                                      "Risk of mortality study"]
    assert {r["due_end"] for r in rows} == {"2024-09-30"}


@pytest.mark.parametrize(("args", "message"), [
    (["run", "nope", str(FIXTURE)], "unknown query 'nope'"),
    (["run", "overdue-milestones", "-p", "asof=2026-01-01", str(FIXTURE)],
     "no parameter 'asof'"),
    (["run", "overdue-milestones", "-p", "as_of=tomorrow", str(FIXTURE)],
     "expected a date"),
    (["run", "overdue-milestones", "-p", "as_of", str(FIXTURE)], "NAME=VALUE"),
    (["run", "risk-factor-search", str(FIXTURE)], "needs parameter 'term'"),
    (["show", "nope"], "unknown query"),
])  # fmt: skip
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_injection_through_the_cli() -> None:
    result = _run("run", "risk-factor-search", "-p", 'term=") } DROP ALL #',
                  "-f", "csv", str(FIXTURE))
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == []


# ---------------------------------------------------------------------- sparql


def test_sparql_select_and_file(tmp_path: Path) -> None:
    text = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?label WHERE { ?p <https://w3id.org/rmpgraph/ontology#"
            "hasRiskManagementPlan> ?r ; rdfs:label ?label } ORDER BY ?label")
    inline = _sparql(text, "-f", "csv", str(FIXTURE))
    assert inline.exit_code == 0, inline.output
    assert inline.stdout_bytes.split(b"\r\n") == [b"label", b"DEMOMAB", b"OTHERMAB",
                                                  b""]
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    from_file = _sparql("--file", str(path), "-f", "csv", str(FIXTURE))
    assert from_file.output == inline.output


def test_sparql_ask_and_construct() -> None:
    ask = _sparql("ASK { ?s ?p ?o }", "-f", "json", str(FIXTURE))
    assert json.loads(ask.output) == {"head": {}, "boolean": True}
    construct = _sparql("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }", str(FIXTURE))
    assert construct.exit_code == 0
    graph = Graph().parse(data=construct.output, format="turtle")
    assert (URIRef("https://w3id.org/rmpgraph/id/demomab"), None, None) in graph
    assert Literal("DEMOMAB") not in set(graph.objects())


@pytest.mark.parametrize(("args", "message"), [
    (["DELETE WHERE { ?s ?p ?o }", str(FIXTURE)], "update requests are refused"),
    (["DROP ALL", str(FIXTURE)], "update requests are refused"),
    (["SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }",
      str(FIXTURE)], "--allow-service"),
    (["SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", str(FIXTURE)],
     "FROM"),
    (["SELECT ?s WHERE { ?s ?p }", str(FIXTURE)], "SPARQL syntax error"),
    (["SELECT * WHERE { ?s ?p ?o }"], "at least one INPUT"),
    (["--file", "/nonexistent/q.rq", str(FIXTURE)], "cannot read query file"),
])  # fmt: skip
def test_sparql_refusals_exit_2(args: list[str], message: str) -> None:
    result = _sparql(*args)
    assert result.exit_code == 2
    assert message in result.output
