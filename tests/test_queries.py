"""Stored queries as a library: headers, parameters, refusals, engines, injection.

Every stored query must parse, declare exactly the `?_param` variables it uses, and
give identical rows on rdflib (initBindings) and Oxigraph (VALUES block), on a store
of several versions and products (tests/fixtures/versions: three LORTAVEX versions and
CORVANTA, with MedDRA links) and on LEMTRADA. Golden answers on LEMTRADA live in
test_queries_lemtrada.py, on the version store in test_versions_queries.py.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fixturemods import fixture_module
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql.parser import parseQuery

from rmpgraph.errors import InputError, UsageError
from rmpgraph.graph.derive import shared_concerns
from rmpgraph.graph.namespaces import PREFIXES, RMP
from rmpgraph.queries import stored as queries

stores = fixture_module("versions/stores.py")
SCOPE = {"product", "rmp", "version", "versions"}
ISSUE_QUERIES = [
    "concerns", "concern-measures", "concerns-without-additional-rmm",
    "concerns-without-additional-pv", "material-coverage", "study-coverage",
    "concerns-by-study-count", "overdue-milestones", "upcoming-milestones",
    "label-coverage", "concerns-not-in-smpc-4-4", "missing-information-plan",
    "evidence-sources", "risk-factor-search", "provenance",
    "products-sharing-concern", "rmp-summary",
    # issue 15
    "version-changes", "concerns-addressed-by-measure", "alert-card-by-meddra",
    "risk-category-disagreement", "measures-without-effectiveness-study",
    "late-at-sign-off",
]  # fmt: skip
INJECTIONS = [
    '") } DROP ALL #',
    '"; DELETE WHERE {?s ?p ?o}',
    "'} } INSERT DATA { <urn:x> <urn:y> <urn:z> } #",
    'x"""\n} DROP ALL',
    "\\\" } #",
    "?_term",
]
ALL = sorted(queries.load_queries())


@pytest.fixture(scope="module")
def mini() -> Graph:
    return stores.versions_graph()


def _example_params(query: queries.StoredQuery) -> dict[str, str]:
    """The examples of the query's own required parameters and those with a default;
    optional ones stay unbound and the scope keeps its defaults (latest version of
    each product), which test_versions_queries.py varies."""
    return {p.name: p.example for p in query.params
            if p.example is not None and p.name not in SCOPE
            and (p.required or p.default is not None)}


def _ox_term(term: object) -> object:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    if dt == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(dt))


def _derived(store: ox.Store, *, graph: ox.NamedNode | None = None) -> ox.Store:
    """Add what a store derives over all its RMPs (the shared concerns, as
    `RmpStore` keeps them in a graph of their own)."""
    target = graph or ox.DefaultGraph()
    store.extend([ox.Quad(t.subject, t.predicate, t.object, target)
                  for t in shared_concerns(store)])
    return store


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES)
    return _derived(store)


def _twice(graph: Graph) -> ox.Store:
    """Every triple in two named graphs: a store's union default graph gives such
    a triple twice, as it gives a product's label once per version graph."""
    store = ox.Store()
    for name in ("urn:x-test:a", "urn:x-test:b"):
        store.load(graph.serialize(format="nt").encode("utf-8"),
                   format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    return _derived(store, graph=ox.NamedNode("urn:x-test:shared"))


def _oxigraph_rows(store: ox.Store, query: queries.StoredQuery,
                   params: dict[str, str], *, union: bool = False,
                   bind: Any = queries.values_query) -> list[dict[str, object]]:
    text = bind(query.text, queries.bind_params(query, params))
    result = store.query(text, use_default_graph_as_union=union)
    names = [v.value for v in result.variables]
    return [{n: _ox_term(s[n]) for n in names if s[n] is not None} for s in result]


# ----------------------------------------------------------------- every query file


def test_issue_queries_are_all_stored() -> None:
    assert set(ISSUE_QUERIES) <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_query_file_is_well_formed(name: str) -> None:
    query = queries.get_query(name)
    parseQuery(query.text)  # rdflib's SPARQL 1.1 parser, header lines are comments
    assert query.title and query.description
    for prefix, iri in re.findall(r"^PREFIX\s+(\w*):\s*<([^>]*)>", query.text, re.M):
        if prefix in PREFIXES:
            assert PREFIXES[prefix] == iri, prefix
    used = set(re.findall(r"\?(_[a-z][a-z0-9_]*)", query.text))
    assert used == {p.variable for p in query.params}
    for param in query.params:
        assert param.example is not None, f"{name}: {param.name} has no example"
    queries.bind_params(query, {p.name: p.example for p in query.params})
    if query.example:
        assert query.example.startswith(f"rmpgraph query run {name}")


@pytest.mark.parametrize("name", ISSUE_QUERIES)
def test_issue_query_is_portable_and_ordered(name: str) -> None:
    query = queries.get_query(name)
    body = "\n".join(line for line in query.text.split("\n")
                     if not line.lstrip().startswith("#"))
    assert not re.search(r"\b(SAMPLE|GROUP_CONCAT|SERVICE)\b", body, re.I)
    select = re.search(r"SELECT(.*?)WHERE", body, re.S | re.I)
    order = re.search(r"ORDER BY(.*)$", body, re.S | re.I)
    assert select and order
    selected = set(re.findall(r"(?:AS\s+)?\?(\w+)\)?", select.group(1)))
    selected -= set(re.findall(r"\(\w+\(DISTINCT \?(\w+)\)", select.group(1)))
    assert selected <= set(re.findall(r"\?(\w+)", order.group(1)))


@pytest.mark.parametrize("name", ALL)
def test_rdflib_and_oxigraph_agree_on_fixture(mini: Graph, name: str) -> None:
    query = queries.get_query(name)
    params = _example_params(query)
    expected = queries.run(name, mini, **params)
    assert _oxigraph_rows(_store(mini), query, params) == expected
    assert _oxigraph_rows(_twice(mini), query, params, union=True) == expected


@pytest.mark.parametrize("scope", ["rmp", "version", "all"])
@pytest.mark.parametrize("name", ALL)
def test_rdflib_and_oxigraph_agree_on_a_scope(mini: Graph, name: str,
                                              scope: str) -> None:
    """rmp=, version= and versions=all reach the scope's nested group and the
    sub-SELECTs that start from a parameter: rdflib through initBindings, Oxigraph
    through constants, as stores and endpoints bind them (`bind_for_engine`; a
    VALUES block reaches only the top-level group, queries/README.md)."""
    query = queries.get_query(name)
    older = str(stores.rmp_of(mini, "LORTAVEX", "2.0"))
    params = {**_example_params(query), **{
        "rmp": {"rmp": older}, "version": {"version": "2.0"},
        "all": {"versions": "all"}}[scope]}
    expected = queries.run(name, mini, **params)
    assert _oxigraph_rows(_store(mini), query, params,
                          bind=queries.bind_for_engine) == expected


@pytest.mark.parametrize("name", ALL)
def test_rdflib_and_oxigraph_agree_on_lemtrada(lemtrada_graph: Graph,
                                               name: str) -> None:
    query = queries.get_query(name)
    params = _example_params(query)
    expected = queries.run(name, lemtrada_graph, **params)
    assert _oxigraph_rows(_store(lemtrada_graph), query, params) == expected


def _with_inferred(graph: Graph) -> Graph:
    """Add what an RDFS/OWL reasoner would: superclasses, inverse properties."""
    out = Graph()
    for triple in graph:
        out.add(triple)
    for s, o in graph.subject_objects(RMP.concernCategory):
        cls = {"important-identified-risk": RMP.ImportantIdentifiedRisk,
               "important-potential-risk": RMP.ImportantPotentialRisk,
               "missing-information": RMP.MissingInformation}[str(o).rsplit("/", 1)[1]]
        if (s, RDF.type, RMP.SafetyConcern) in graph:
            out.add((s, RDF.type, cls))
    for s in graph.subjects(RDF.type, RMP.Study):
        out.add((s, RDF.type, RMP.PharmacovigilanceActivity))
    for s, o in graph.subject_objects(RMP.addressesConcern):
        out.add((o, RMP.isAddressedBy, s))
    for s, o in graph.subject_objects(RMP.hasRiskManagementPlan):
        out.add((o, RMP.forProduct, s))
    return out


@pytest.mark.parametrize("name", ISSUE_QUERIES)
def test_inferred_triples_change_nothing(mini: Graph, name: str) -> None:
    params = _example_params(queries.get_query(name))
    assert queries.run(name, _with_inferred(mini), **params) == \
        queries.run(name, mini, **params)


# --------------------------------------------------------------------- parameters


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_is_just_a_string(mini: Graph, value: str) -> None:
    before = len(mini)
    assert queries.run("risk-factor-search", mini, term=value) == []
    assert queries.run("provenance", mini, concern=value) == []
    assert len(mini) == before
    store = _store(mini)
    held = len(store)
    query = queries.get_query("risk-factor-search")
    assert _oxigraph_rows(store, query, {"term": value}) == []
    assert len(store) == held
    text = queries.values_query(query.text, {"term": Literal(value)})
    assert text.count("VALUES (?_term)") == 1


def test_parameters_are_typed_terms() -> None:
    query = queries.get_query("overdue-milestones")
    latest = {"versions": Literal("latest")}  # the scope's default; others unbound
    bound = queries.bind_params(query, {"as_of": "2026-11-25"})
    assert bound == {"as_of": Literal(date(2026, 11, 25))} | latest
    assert queries.bind_params(query, {}, today=date(2030, 1, 2)) == {
        "as_of": Literal(date(2030, 1, 2))} | latest
    assert queries.bind_params(query, {"as_of": date(2026, 1, 1)})["as_of"] == \
        Literal(date(2026, 1, 1))
    upcoming = queries.get_query("upcoming-milestones")
    assert set(queries.bind_params(upcoming, {"from": "2025-01-01"})) == {"from",
                                                                        "versions"}
    scoped = queries.bind_params(query, {"product": "https://w3id.org/rmpgraph/id/x",
                                         "version": "3.0"})
    assert scoped["product"] == URIRef("https://w3id.org/rmpgraph/id/x")
    assert scoped["version"] == Literal("3.0")


@pytest.mark.parametrize(("name", "params", "message"), [
    ("no-such-query", {}, "unknown query"),
    ("overdue-milestones", {"asof": "2026-01-01"}, "no parameter 'asof'"),
    ("overdue-milestones", {"as_of": "yesterday"}, "expected a date"),
    ("overdue-milestones", {"as_of": "2026-13-01"}, "expected a date"),
    ("overdue-milestones", {"as_of": 20261125}, "expected a date"),
    ("risk-factor-search", {}, "needs parameter 'term'"),
    ("risk-factor-search", {"term": 3}, "expected text"),
    ("concerns", {"product": "lemtrada"}, "expected an absolute IRI"),
    ("concerns", {"product": "https://w3id.org/rmpgraph/id/a b"},
     "expected an absolute IRI"),
    # a value read from a file keeps its newline; `$` alone let it through
    ("concerns", {"product": "https://w3id.org/rmpgraph/id/lemtrada\n"},
     "expected an absolute IRI"),
])  # fmt: skip
def test_bad_calls_are_usage_errors(mini: Graph, name: str, params: dict[str, object],
                                    message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        queries.run(name, mini, **params)
    assert info.value.exit_code == 2


def test_upcoming_without_upper_bound(mini: Graph) -> None:
    rows = queries.run("upcoming-milestones", mini, **{"from": "2026-01-01"})
    # LORTAVEX 3.0 and CORVANTA: calendar milestones ending from 2026 on, by start;
    # LORTAVEX's "within 12 months after end of data collection" has no date
    assert [(str(r["product"]), str(r["due_text"])) for r in rows] == [
        ("CORVANTA", "March 2026"),
        ("LORTAVEX", "31 December 2026"),
        ("CORVANTA", "Q4 2027"),
        ("LORTAVEX", "Q4 2027"),
        ("CORVANTA", "December 2029"),
        ("CORVANTA", "2030"),
    ]


# -------------------------------------------------------------------- refusals


@pytest.mark.parametrize("text", [
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DROP ALL",
    "LOAD <http://example.org/data.ttl>",
])  # fmt: skip
def test_updates_are_refused(mini: Graph, text: str) -> None:
    before = len(mini)
    with pytest.raises(UsageError, match="update requests are refused"):
        queries.execute(text, mini)
    assert len(mini) == before


def test_service_needs_permission() -> None:
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    with pytest.raises(UsageError, match="SERVICE"):
        queries.check_request(text)
    queries.check_request(text, allow_service=True)  # parsed only, never executed
    nested = ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://e.org/q> "
              "{ ?s ?p ?o } } }")
    with pytest.raises(UsageError, match="SERVICE"):
        queries.check_request(nested)


def test_keywords_in_strings_and_comments_are_not_clauses(mini: Graph) -> None:
    text = ('# SERVICE <http://x> DELETE\nSELECT ?s WHERE { ?s ?p "SERVICE <http://x> '
            '{ DROP ALL }" }')
    assert queries.execute(text, mini).rows == ()


def test_from_clauses_are_refused(mini: Graph) -> None:
    with pytest.raises(UsageError, match="FROM"):
        queries.execute("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
                        mini)


def test_syntax_errors_name_the_line(mini: Graph) -> None:
    with pytest.raises(UsageError, match="SPARQL syntax error") as info:
        queries.execute("SELECT ?s\nWHERE { ?s ?p }", mini)
    assert info.value.line == 2


# ------------------------------------------------------------------ broken headers


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_BODY = "SELECT ?s WHERE { ?s ?p ?o }\n"


@pytest.mark.parametrize(("header", "message"), [
    ("", r"no '#\+ ' header"),
    ("#+ summary: [unclosed\n#+ description: d\n", "not valid YAML"),
    ("#+ description: only\n", "no 'summary'"),
    ("#+ summary: s\n", "no 'description'"),
    ("#+ summary: s\n#+ description: d\n#+ endpoint: http://x\n", "unknown keys"),
    ("#+ summary: s\n#+ description: d\n#+ params:\n#+   x: {type: float, "
     "description: d}\n", "type must be one of"),
    ("#+ summary: s\n#+ description: d\n#+ params:\n#+   x: {type: date, "
     "description: d, default: soon}\n", "default of parameter"),
    ("#+ summary: s\n#+ description: d\n#+ params:\n#+   x: {type: string, "
     "description: d}\n", "not used in the query"),
])  # fmt: skip
def test_broken_headers_are_errors(tmp_path: Path, header: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        queries.load_query(_write(tmp_path, header + GOOD_BODY))
    assert info.value.exit_code == 2 and info.value.path


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    text = "#+ summary: s\n#+ description: d\n#+ tags: [a, b\n" + GOOD_BODY
    with pytest.raises(InputError) as info:
        queries.load_query(_write(tmp_path, text))
    assert info.value.line is not None and info.value.line >= 3


def test_undeclared_parameter_variable(tmp_path: Path) -> None:
    text = ("#+ summary: s\n#+ description: d\n"
            "SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?_x) }\n")
    with pytest.raises(InputError, match=r"undeclared parameter variables: \?_x"):
        queries.load_query(_write(tmp_path, text))


# ------------------------------------------------------------- fixture-only facts


def test_products_share_by_meddra_link_then_name(mini: Graph) -> None:
    rows = queries.run("products-sharing-concern", mini)
    keys = {str(r["key"]): {str(x["product"]) for x in rows if x["key"] == r["key"]}
            for r in rows}
    # stores.MEDDRA_LINKS: both products' Neutropenia closeMatch one PT; the serious
    # infections are coded to one PT too, but CORVANTA's by broadMatch, not a key
    assert keys[stores.MEDDRA + "10029354"] == {"LORTAVEX", "CORVANTA"}
    assert stores.MEDDRA + "10021789" not in keys
    assert {str(r["concern_label"]) for r in rows
            if str(r["key"]) == stores.MEDDRA + "10029354"} == {"Neutropenia"}


def test_material_coverage_without_checklist(mini: Graph) -> None:
    rows = queries.run("material-coverage", mini, product=str(
        URIRef("https://w3id.org/rmpgraph/id/lortavex")))
    # LORTAVEX names no HCP checklist, so nothing is "not in the checklist"
    assert rows and not any(r["not_in_checklist"].toPython() for r in rows)
    assert {(str(r["material_kind"]).rsplit("/", 1)[1], str(r["concern_label"]))
            for r in rows} == {
        ("hcp-guide", "Hepatotoxicity (liver injury)"),
        ("hcp-guide", "Serious infections"),
        ("patient-alert-card", "Serious infections"),
        ("patient-guide", "Embryo-foetal toxicity"),
    }
