"""Bad input to a query is one line and exit 2, with nothing printed (issue 16,
"Bad input"): a `product`, `rmp` or `version` the source does not hold, an unknown
parameter, an `as_of` that is not a date, a `--limit`/`--offset` that is not a
count. The same scope errors on every backend: a store folder (checked in the
query's own child process), the files (an rdflib graph) and an endpoint.

The store holds LEMTRADA (its text states no version number) and CORVANTA loaded
as version 5.1 (`--rmp-version`, the truth these tests know); instance IRIs are
read from the store by label, never written here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from test_endpoint import oxigraph_server  # noqa: F401 - the fixture

import rmpgraph
from rmpgraph.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
CORVANTA = ROOT / "tests" / "fixtures" / "rmp" / "corvanta.txt"
PRODUCTS = """SELECT ?product ?rmp WHERE {
  ?product rmp:hasRiskManagementPlan ?rmp ; rdfs:label ?label
  FILTER (STR(?label) = "%s") }"""


def cli(*args: str, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rmpgraph", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("scope") / "s")
    for args in (["-q", str(LEMTRADA)],
                 ["-q", "--rmp-version", "5.1", "--rmp-date", "2024-03-01",
                  str(CORVANTA)]):
        proc = cli("load", "--store", path, *args)
        assert proc.returncode == 0, proc.stderr
    return path


def _iris(source: object, label: str) -> tuple[str, str]:
    """(product IRI, RMP IRI) of the product labelled `label`."""
    rows = rmpgraph.query(PRODUCTS % label, source).rows
    assert len(rows) == 1, rows
    return str(rows[0]["product"]), str(rows[0]["rmp"])


def _one_line_error(proc: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert proc.returncode == 2, (proc.stdout[-500:], proc.stderr)
    assert proc.stdout == ""  # no rows, not even a header
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("rmpgraph: error: ")
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


# ---------------------------------------------------------------- the store


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_misspelt_product_on_the_store(store: str, fmt: str) -> None:
    product, _ = _iris(store, "LEMTRADA")
    wrong = product + "x"
    line = _one_line_error(
        cli("query", "run", "concerns", "--store", store, "-p",
            f"product={wrong}", "-f", fmt),
        f"product '{wrong}'", "no such product", f"store {store}")
    # what the store does hold, so the user can pick
    corvanta, _ = _iris(store, "CORVANTA")
    assert product in line and corvanta in line


def test_unknown_rmp_lists_that_products_versions(store: str) -> None:
    product, rmp = _iris(store, "LEMTRADA")
    wrong = rmp + "0"
    line = _one_line_error(
        cli("query", "run", "concern-measures", "--store", store, "-p",
            f"rmp={wrong}", "-f", "csv"),
        f"rmp '{wrong}'", "no such RMP version")
    assert rmp in line and product in line


def test_rmp_of_another_product(store: str) -> None:
    product, _ = _iris(store, "LEMTRADA")
    _, other = _iris(store, "CORVANTA")
    _one_line_error(
        cli("query", "run", "concerns", "--store", store, "-p",
            f"product={product}", "-p", f"rmp={other}", "-f", "json"),
        f"rmp '{other}'", "not an RMP version of product", product)


def test_version_the_product_does_not_have(store: str) -> None:
    product, _ = _iris(store, "LEMTRADA")
    _one_line_error(
        cli("query", "run", "concerns", "--store", store, "-p",
            f"product={product}", "-p", "version=5.1", "-f", "csv"),
        "version '5.1'", product, "none states a version number")
    _one_line_error(
        cli("query", "run", "concerns", "--store", store, "-p", "version=5.2",
            "-f", "csv"),
        "version '5.2'", "versions: 5.1")


def test_values_the_store_holds_still_answer(store: str) -> None:
    product, rmp = _iris(store, "CORVANTA")
    for params in ([f"product={product}"], [f"rmp={rmp}"], ["version=5.1"],
                   [f"product={product}", "version=5.1", f"rmp={rmp}"]):
        args = [a for p in params for a in ("-p", p)]
        proc = cli("query", "run", "concerns", "--store", store, *args, "-f", "csv")
        assert proc.returncode == 0, proc.stderr
        rows = proc.stdout.splitlines()[1:]
        assert rows and all(line.startswith("CORVANTA,") for line in rows)


def test_cohort_product_and_rmp(store: str) -> None:
    _one_line_error(cli("cohort", "--store", store, "--product", "LEMTRDA"),
                    "product '", "lemtrda", "no such product")
    _, rmp = _iris(store, "LEMTRADA")
    _one_line_error(cli("cohort", "--store", store, "--rmp", rmp + "0", "-f", "csv"),
                    f"rmp '{rmp}0'", "no such RMP version")
    proc = cli("cohort", "--store", store, "--product", "LEMTRADA", "-f", "csv")
    assert proc.returncode == 0, proc.stderr


# ------------------------------------------------- files, graphs, endpoints


def test_scope_errors_on_files_and_graphs(lemtrada_graph: Graph) -> None:
    product, rmp = _iris(lemtrada_graph, "LEMTRADA")
    with pytest.raises(UsageError, match="no such product in the graph"):
        rmpgraph.query("concerns", lemtrada_graph, {"product": product + "x"})
    with pytest.raises(UsageError, match="no such RMP version"):
        rmpgraph.query("concerns", lemtrada_graph, {"rmp": rmp + "0"})
    with pytest.raises(UsageError, match="none states a version number"):
        rmpgraph.query("concerns", lemtrada_graph, {"version": "1.0"})
    assert rmpgraph.query("concerns", lemtrada_graph, {"product": product})
    line = _one_line_error(
        cli("query", "run", "overdue-milestones", str(LEMTRADA), "-p",
            f"product={product}x"), "no such product in")
    assert str(LEMTRADA) in line


@pytest.mark.server
def test_scope_errors_on_an_endpoint(oxigraph_server: str,  # noqa: F811
                                     lemtrada_graph: Graph) -> None:
    from rmpgraph.store.endpoint import Endpoint

    Endpoint(oxigraph_server).put_graph(
        None, lemtrada_graph.serialize(format="nt").encode("utf-8"))
    product, _ = _iris(oxigraph_server, "LEMTRADA")
    with pytest.raises(UsageError, match=f"no such product in endpoint "
                                         f"{oxigraph_server}"):
        rmpgraph.query("concerns", oxigraph_server, {"product": product + "x"})
    assert rmpgraph.query("concerns", oxigraph_server, {"product": product})


# ------------------------------------------------------- the other bad input


@pytest.mark.parametrize(("args", "parts"), [
    (["query", "run", "concerns", "-p", "produkt=x"],
     ["no parameter 'produkt'", "product"]),
    (["query", "run", "overdue-milestones", "-p", "as_of=2026-02-30"],
     ["'as_of'", "expected a date", "2026-02-30"]),
    (["query", "run", "overdue-milestones", "-p", "as_of=soon"],
     ["'as_of'", "expected a date"]),
    (["query", "run", "overdue-milestones", "-p", "as-of=2026-1-31"],
     ["'as_of'", "expected a date", "2026-1-31"]),
    (["query", "run", "overdue-milestones", "-p", "as_of=2026-01-31", "-p",
      "as-of=2026-02-01"], ["'as_of' given twice"]),
    (["query", "run", "concerns", "--limit", "0"], ["--limit", "positive", "'0'"]),
    (["query", "run", "concerns", "--limit", "-3"], ["--limit", "'-3'"]),
    (["query", "run", "concerns", "--limit", "ten"], ["--limit", "'ten'"]),
    (["query", "run", "concerns", "--offset", "-1"], ["--offset", "'-1'"]),
    (["query", "run", "concerns", "--offset", "1.5"], ["--offset", "'1.5'"]),
    (["sparql", "SELECT * WHERE { ?s ?p ?o }", "--limit", "0"], ["--limit"]),
    (["cohort", "--as-of", "31/01/2026"], ["'as_of'", "expected a date"]),
])  # fmt: skip
def test_bad_input_is_one_line(store: str, args: list[str], parts: list[str]) -> None:
    _one_line_error(cli(*args, "--store", store), *parts)
