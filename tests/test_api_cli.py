"""The command line over `rmpgraph.api` (issue 17): build -f and stdout, link to
stdout, sparql with the project's prefixes, --limit/--offset, --queries DIR, the
missing-parameter message and an example in every --help; and the rule that the
CLI modules reach the pipeline through the API only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph
from rdflib.compare import isomorphic

from rmpgraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
MINI = ROOT / "tests" / "fixtures" / "queries" / "mini.ttl"
MEDDRA = ROOT / "tests" / "fixtures" / "meddra"
#: every CLI module goes through rmpgraph.api (a new one is held to it unasked)
API_ONLY = sorted(p.name for p in (ROOT / "rmpgraph" / "cli").glob("*.py"))


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def lemtrada_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "lemtrada.ttl"
    assert invoke("build", LEMTRADA, "-o", out).exit_code == 0
    return out


@pytest.mark.parametrize("module", API_ONLY)
def test_cli_reaches_the_pipeline_through_the_api(module: str) -> None:
    tree = ast.parse((ROOT / "rmpgraph" / "cli" / module).read_text("utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
             and n.module} | {a.name for n in ast.walk(tree)
                              if isinstance(n, ast.Import) for a in n.names}
    ours = {n for n in names if n.split(".")[0] == "rmpgraph"}
    allowed = ("rmpgraph.api", "rmpgraph.cli", "rmpgraph.errors", "rmpgraph.netguard")
    assert {n for n in ours if n != "rmpgraph" and not n.startswith(allowed)} == set()


@pytest.mark.parametrize("fmt,parse_as", [
    ("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml"),
    ("trig", "trig"), ("nq", "nquads")])  # fmt: skip
def test_build_format_to_stdout(lemtrada_ttl: Path, fmt: str, parse_as: str) -> None:
    result = invoke("build", lemtrada_ttl, "-f", fmt)
    assert result.exit_code == 0, result.output
    if parse_as in ("trig", "nquads"):
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data=result.stdout, format=parse_as)
        got = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            got.add((s, p, o))
    else:
        got = Graph().parse(data=result.stdout, format=parse_as)
    assert isomorphic(got, Graph().parse(lemtrada_ttl))


def test_build_dash_is_stdout_and_xml_extension(lemtrada_ttl: Path,
                                                tmp_path: Path) -> None:
    dash = invoke("build", lemtrada_ttl, "-o", "-", "-f", "nt")
    assert dash.exit_code == 0 and not (Path.cwd() / "-").exists()
    assert dash.stdout.startswith("<https://w3id.org/rmpgraph/")
    out = tmp_path / "x.rdf"
    assert invoke("build", lemtrada_ttl, "-o", out).exit_code == 0
    assert out.read_text("utf-8").startswith("<?xml")
    # -f wins over the extension
    assert invoke("build", lemtrada_ttl, "-o", tmp_path / "y.ttl", "-f",
                  "nt").exit_code == 0
    assert (tmp_path / "y.ttl").read_text("utf-8").startswith("<https://")


def test_link_writes_to_stdout(lemtrada_ttl: Path, tmp_path: Path) -> None:
    sssom = tmp_path / "m.sssom.tsv"
    result = invoke("link", "meddra", "--meddra", MEDDRA, lemtrada_ttl, "-f", "nt",
                    "--sssom", sssom)
    assert result.exit_code == 0, result.output
    # the graph (with the fixture release's concepts) on stdout, the summary on
    # stderr, the SSSOM table in its file
    assert "<http://purl.bioontology.org/ontology/MEDDRA/" in result.stdout
    assert "MedDRA 99.0: 23 concerns" in result.stderr
    assert "23 concerns" not in result.stdout and sssom.is_file()
    Graph().parse(data=result.stdout, format="nt")
    ema = invoke("link", "ema", lemtrada_ttl)
    assert ema.exit_code == 0 and "linked:" in ema.stderr
    assert len(Graph().parse(data=ema.stdout, format="turtle")) > 0


def test_sparql_knows_the_project_prefixes(lemtrada_ttl: Path) -> None:
    result = invoke("sparql", "SELECT (COUNT(?c) AS ?n) WHERE { ?c a "
                    "rmp:SafetyConcern ; rmp:concernCategory ?k FILTER (STR(?k) = "
                    "CONCAT(STR(rmpv:), 'concern-category/missing-information')) }",
                    lemtrada_ttl, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "3"]  # LEMTRADA's II.A: 3


def test_limit_and_offset(lemtrada_ttl: Path) -> None:
    q = ("SELECT ?l WHERE { ?c a rmp:SafetyConcern ; rdfs:label ?l } ORDER BY ?l")
    every = invoke("sparql", q, lemtrada_ttl, "-f", "csv").stdout.splitlines()[1:]
    assert len(every) == 23
    part = invoke("sparql", q, lemtrada_ttl, "-f", "csv", "--limit", "2",
                  "--offset", "3")
    assert part.stdout.splitlines()[1:] == every[3:5]


@pytest.mark.parametrize("args", [["--limit", "x"], ["--limit", "0"],
                                  ["--offset", "-1"], ["--limit", "2.5"]])
def test_bad_limit_is_one_line(args: list[str]) -> None:
    result = invoke("query", "run", "concerns", MINI, *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(
        "rmpgraph: error: ")


def test_missing_parameter_shows_the_syntax() -> None:
    result = invoke("query", "run", "risk-factor-search", MINI)
    assert result.exit_code == 2
    assert "-p term=" in result.stderr and result.stderr.count("\n") == 1


def test_own_queries_folder(tmp_path: Path) -> None:
    (tmp_path / "labels.rq").write_text(
        "#+ summary: Every label\n#+ description: What has an rdfs:label.\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#"
        "label> ?l }\n", encoding="utf-8")
    listed = invoke("query", "list", "--queries", tmp_path)
    assert "labels\tEvery label" in listed.stdout.splitlines()
    without = invoke("query", "run", "labels", MINI)
    assert without.exit_code == 2 and "unknown query 'labels'" in without.stderr
    ran = invoke("query", "run", "labels", MINI, "--queries", tmp_path, "-f", "csv")
    assert ran.exit_code == 0, ran.output
    # counted by hand: 29 `rdfs:label` statements in mini.ttl (one per line)
    assert ran.stdout.splitlines() == ["n", "29"]


def _commands() -> list[list[str]]:
    """Every command and sub-command the CLI registers (a new one is held to it)."""
    import click

    from rmpgraph.cli import COMMANDS, cli

    out = []
    for name in sorted(COMMANDS):
        command = cli.get_command(click.Context(cli), name)
        out.append([name])
        if isinstance(command, click.Group):
            out += [[name, sub] for sub in sorted(command.commands)]
    return out


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_help_has_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    examples = result.stdout.split("Examples:\n", 1)[1].splitlines()
    assert examples and examples[0].strip().startswith("rmpgraph " + command[0])


def test_table_shows_labels_unless_iris(lemtrada_ttl: Path) -> None:
    q = ("SELECT ?k WHERE { ?c a rmp:SafetyConcern ; rmp:concernCategory ?k } "
         "GROUP BY ?k ORDER BY ?k")
    labels = invoke("sparql", q, lemtrada_ttl, "--limit", "1")
    assert labels.exit_code == 0 and "Important identified risk" in labels.stdout
    iris = invoke("sparql", q, lemtrada_ttl, "--limit", "1", "--iris")
    assert "rmpv:concern-category/important-identified-risk" in iris.stdout
    assert "Important identified risk" not in iris.stdout


def test_cli_format_choices_are_the_apis() -> None:
    """The option lists its choices without importing rdflib (for a fast --help);
    they must be the formats the API writes."""
    from rmpgraph.api.documents import GRAPH_FORMATS
    from rmpgraph.cli.common import _graph_formats

    assert _graph_formats() == list(GRAPH_FORMATS)


def test_build_states_a_version(tmp_path: Path) -> None:
    out = tmp_path / "x.nt"
    ok = invoke("build", LEMTRADA, "--rmp-version", "8.2", "--rmp-date", "2024-05-01",
                "-o", out)
    assert ok.exit_code == 0, ok.output
    text = out.read_text("utf-8")
    assert '#versionNumber> "8.2" .' in text
    assert '#versionDate> "2024-05-01"^^<http://www.w3.org/2001/XMLSchema#date> .' \
        in text
    two = invoke("build", LEMTRADA, MINI, "--rmp-version", "8.2")
    assert two.exit_code == 2 and "one document" in two.stderr


@pytest.mark.parametrize("command", [["query", "run", "concerns"],
                                     ["sparql", "ASK { ?s ?p ?o }"]])
def test_missing_store_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo" / "store"
    result = invoke(*command, "--store", missing)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert str(missing) in result.stderr and not (tmp_path / "typo").exists()
