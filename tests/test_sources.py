"""Queries and validation read files, the embedded store or an endpoint alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
CORVANTA = ROOT / "tests" / "fixtures" / "rmp" / "corvanta.txt"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rmpgraph", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("store") / "s")
    proc = cli("load", "--store", path, "-q", str(LEMTRADA), str(CORVANTA))
    assert proc.returncode == 0, proc.stderr
    return path


def _bindings(proc: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["results"]["bindings"]


@pytest.mark.parametrize(
    "name,params",
    [
        ("concerns-without-additional-rmm", []),
        ("study-coverage", []),
        ("risk-factor-search", ["-p", "term=diabetes"]),
    ],
)
def test_store_answers_equal_file_answers(
    store: str, name: str, params: list[str]
) -> None:
    from_store = _bindings(
        cli("query", "run", name, *params, "-f", "json", "--store", store)
    )
    from_files = _bindings(
        cli("query", "run", name, *params, "-f", "json", str(LEMTRADA), str(CORVANTA))
    )
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
    assert sorted(from_store, key=key) == sorted(from_files, key=key)
    assert from_store


def test_sparql_on_the_store_counts_both_products(store: str) -> None:
    rows = _bindings(
        cli(
            "sparql",
            "-f",
            "json",
            "--store",
            store,
            "PREFIX rmp: <https://w3id.org/rmpgraph/ontology#> "
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?r "
            "rmp:hasSafetyConcern ?c }",
        )
    )
    # 23 LEMTRADA concerns (II.A) + 16 CORVANTA concerns (its expected.json)
    assert rows == [
        {
            "n": {
                "type": "literal",
                "value": "39",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            }
        }
    ]


def test_validate_the_store(store: str) -> None:
    proc = cli("validate", "--store", store, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    assert any("539" in str(f["source_lines"]) for f in findings)  # LEMTRADA's defect


def test_exactly_one_source(store: str) -> None:
    both = cli("query", "run", "concerns", "--store", store, str(LEMTRADA))
    neither = cli("query", "run", "concerns")
    for proc in (both, neither):
        assert proc.returncode == 2 and "exactly one" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_missing_store_is_a_clean_error(tmp_path: Path) -> None:
    proc = cli("validate", "--store", str(tmp_path / "nothing"))
    assert proc.returncode == 2 and "no store at" in proc.stderr


def test_constant_binding_only_touches_variable_tokens() -> None:
    from rdflib import Literal

    from rmpgraph.queries.sparqltext import constant_query

    text = ('SELECT ?s WHERE { ?s ?p ?o  # mention ?_term in a comment\n'
            '  FILTER (STR(?o) = STR(?_term) || STR(?o) = "?_term") }')
    bound = constant_query(text, {"term": Literal('") } DROP ALL #')})
    assert "# mention ?_term in a comment" in bound
    assert '"?_term"' in bound
    assert 'STR("\\") } DROP ALL #")' in bound


def test_bound_of_a_bound_parameter_is_true_and_others_stay() -> None:
    """The scope block's BOUND(?_rmp) takes a constant too: a VALUES block would
    not reach the nested groups where queries restrict early."""
    from rdflib import URIRef

    from rmpgraph.queries.sparqltext import constant_query

    text = ('SELECT ?s WHERE { ?s ?p ?o  # BOUND(?_x) in a comment\n'
            '  FILTER (IF(bound( ?_x ), ?o = ?_x, BOUND(?_y)) || "BOUND(?_x)" = ?s) }')
    bound = constant_query(text, {"x": URIRef("urn:x:a")})
    assert "FILTER (IF(true, ?o = <urn:x:a>, BOUND(?_y))" in bound
    assert "# BOUND(?_x) in a comment" in bound and '"BOUND(?_x)" = ?s' in bound


@pytest.mark.parametrize("evil", ['") } DROP ALL #', '"; DELETE WHERE {?s ?p ?o}'])
def test_injection_on_the_store_matches_nothing(store: str, evil: str) -> None:
    before = cli("list", "--store", store).stdout
    rows = _bindings(cli("query", "run", "risk-factor-search", "-p", f"term={evil}",
                         "-f", "json", "--store", store))
    assert rows == []
    assert cli("list", "--store", store).stdout == before


def test_a_parameter_in_the_projection_falls_back_to_values() -> None:
    import pytest as _pytest
    from rdflib import Literal

    from rmpgraph.errors import UsageError
    from rmpgraph.queries.sparqltext import constant_query

    with _pytest.raises(UsageError):
        constant_query("SELECT ?_x WHERE { ?s ?p ?_x }", {"x": Literal("a")})
