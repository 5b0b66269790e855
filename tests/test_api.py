"""The Python API (`rmpgraph.api`, re-exported at the top level): what a notebook
user calls. Expected values come from the documents (LEMTRADA's II.A lists 17 + 3 +
3 concerns; the Ambrelta fixture's truth file) or from graphs written here by hand;
every wrong call must raise an RmpGraphError that says what was expected."""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import rmpgraph
from rmpgraph.errors import InputError, RmpGraphError, UsageError, WrongTypeError

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
AMBRELTA = ROOT / "tests" / "fixtures" / "docs" / "ambrelta.txt"
AMBRELTA_TRUTH = json.loads((AMBRELTA.with_suffix(".truth.json")).read_text("utf-8"))
CONCERNS = "SELECT ?c WHERE { ?c a rmp:SafetyConcern }"
RMP_IRI = re.compile(r"^https://w3id\.org/rmpgraph/id/lemtrada/rmp/[0-9a-f]{12}$")

# a graph written by hand: one column per datatype, a label on one IRI only
TYPED = """
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a rdfs:label "Alpha" ; ex:due "2026-03-15"^^xsd:date ; ex:n 3 ; ex:ok true ;
     ex:w 1.5 ; ex:note "first" .
ex:b ex:due "2025-12-01"^^xsd:date ; ex:n 7 ; ex:ok false ; ex:w 2.25 ;
     ex:note "second" .
ex:c ex:due "2027-01-31"^^xsd:date ; ex:ok true ; ex:w 0.5 .
"""
TYPED_QUERY = """PREFIX ex: <http://example.org/>
SELECT ?s ?due ?n ?ok ?w ?note WHERE {
  ?s ex:due ?due ; ex:ok ?ok ; ex:w ?w .
  OPTIONAL { ?s ex:n ?n } OPTIONAL { ?s ex:note ?note }
} ORDER BY ?s"""


@pytest.fixture(scope="module")
def lemtrada() -> rmpgraph.RmpDocument:
    return rmpgraph.build(LEMTRADA)


@pytest.fixture(scope="module")
def typed() -> Graph:
    return Graph().parse(data=TYPED, format="turtle")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "store"
    with rmpgraph.Store(path) as store:
        store.load([LEMTRADA, AMBRELTA])
    return path


# ------------------------------------------------------------------------- build


def test_build_one_summary(lemtrada: rmpgraph.RmpDocument) -> None:
    assert isinstance(lemtrada.graph, Graph)
    assert lemtrada.product == "LEMTRADA"
    assert RMP_IRI.match(str(lemtrada.rmp))
    assert lemtrada.issues == []  # every LEMTRADA line is understood
    found = rmpgraph.query(CONCERNS, lemtrada)
    assert len(found) == 17 + 3 + 3


def test_build_a_list_is_the_union(lemtrada: rmpgraph.RmpDocument) -> None:
    both = rmpgraph.build([LEMTRADA, str(AMBRELTA)])
    assert both.product == sorted(["LEMTRADA", AMBRELTA_TRUTH["product"]])
    assert isinstance(both.rmp, list) and len(both.rmp) == 2
    assert len(rmpgraph.query(CONCERNS, both)) == 23 + len(AMBRELTA_TRUTH["concerns"])
    assert [f.path for f in both.files] == [str(LEMTRADA), str(AMBRELTA)]


def test_build_reads_rdf_with_a_format_the_name_does_not_tell(
        tmp_path: Path, lemtrada: rmpgraph.RmpDocument) -> None:
    odd = tmp_path / "lemtrada.data"
    odd.write_text(lemtrada.serialize("nt"), encoding="utf-8")
    again = rmpgraph.build(odd, format="nt")
    assert len(again.graph) == len(lemtrada.graph)
    with pytest.raises(InputError, match="is text, not pdf"):
        rmpgraph.build(LEMTRADA, format="pdf")
    with pytest.raises(UsageError, match="unknown input format"):
        rmpgraph.build(LEMTRADA, format="excel")


def test_build_records_a_version_the_document_does_not_state() -> None:
    from rmpgraph.graph.namespaces import RMP

    doc = rmpgraph.build(LEMTRADA, rmp_version="8.2", rmp_date=date(2024, 5, 1))
    assert doc.graph.value(doc.rmp, RMP.versionNumber) == Literal("8.2")
    assert doc.graph.value(doc.rmp, RMP.versionDate).toPython() == date(2024, 5, 1)
    with pytest.raises(UsageError, match="one document"):
        rmpgraph.build([LEMTRADA, AMBRELTA], rmp_version="1.0")
    with pytest.raises(WrongTypeError, match="rmp_version: expected a string"):
        rmpgraph.build(LEMTRADA, rmp_version=8.2)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [5, None, [], [5], b"x.txt", {"a": 1}])
def test_build_wrong_types(bad: object) -> None:
    with pytest.raises(WrongTypeError, match="expected a file path") as err:
        rmpgraph.build(bad)  # type: ignore[arg-type]
    assert isinstance(err.value, TypeError)


def test_build_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        rmpgraph.build([LEMTRADA, tmp_path / "nope.pdf"])
    assert str(err.value) == f"{tmp_path / 'nope.pdf'}: no such file"


def test_serialize_rdfxml_reads_back(lemtrada: rmpgraph.RmpDocument) -> None:
    from rdflib.compare import isomorphic

    xml = lemtrada.serialize("xml")
    assert xml.startswith("<?xml")
    assert isomorphic(Graph().parse(data=xml, format="xml"), lemtrada.graph)


def test_examples_lemtrada_is_the_bundled_file() -> None:
    assert rmpgraph.examples.lemtrada() == LEMTRADA


# ------------------------------------------------------------------------- query


def test_every_kind_of_source_gives_the_same_rows(
        lemtrada: rmpgraph.RmpDocument, store_dir: Path) -> None:
    def labels(result: rmpgraph.QueryResult) -> set[str]:
        return {str(r["label"]) for r in result}

    q = "SELECT DISTINCT ?label WHERE { ?c a rmp:SafetyConcern ; rdfs:label ?label }"
    from_doc = labels(rmpgraph.query(q, lemtrada))
    assert len(from_doc) == 23
    assert labels(rmpgraph.query(q, lemtrada.graph)) == from_doc
    assert labels(rmpgraph.query(q, LEMTRADA)) == from_doc
    assert labels(rmpgraph.query(q, str(LEMTRADA))) == from_doc
    with rmpgraph.Store(store_dir, read_only=True, create=False) as store:
        in_store = labels(rmpgraph.query(q, store))
    assert from_doc < in_store
    assert len(in_store) == 23 + len(AMBRELTA_TRUTH["concerns"])
    assert labels(rmpgraph.query(q, store_dir)) == in_store  # a store folder


def test_dataframe_after_the_store_is_closed(store_dir: Path) -> None:
    """The usual notebook shape: query inside `with`, look at the frame after."""
    q = ("SELECT DISTINCT ?k WHERE { ?c a rmp:SafetyConcern ; rmp:concernCategory ?k }"
         " ORDER BY ?k")
    with rmpgraph.Store(store_dir, read_only=True, create=False) as store:
        result = rmpgraph.query(q, store)
    df = result.to_dataframe()
    assert list(df["k"]) == ["Important identified risk", "Important potential risk",
                             "Missing information"]


def test_what_oxigraph_refuses_is_an_rmpgraph_error(store_dir: Path) -> None:
    """rdflib parses `SELECT *` with GROUP BY, Oxigraph does not (SPARQL 1.1 18.2.1
    forbids it): pyoxigraph's SyntaxError must not escape."""
    with rmpgraph.Store(store_dir, read_only=True, create=False) as store:
        with pytest.raises(UsageError, match="could not run the query"):
            rmpgraph.query("SELECT * WHERE { ?s ?p ?o } GROUP BY ?s", store)


def test_stored_query_with_parameters_on_a_store(store_dir: Path) -> None:
    """What `rmpgraph.queries.run(name, RmpStore(...))` failed on (initBindings)."""
    with rmpgraph.Store(store_dir, read_only=True, create=False) as store:
        early = rmpgraph.query("upcoming-milestones", store, {"from": "1900-01-01"})
        late = rmpgraph.query("upcoming-milestones", store,
                              {"from": date(2999, 1, 1)})
    assert len(early) > 0 and len(late) == 0  # nothing is due after 2999


def test_limit_and_offset_slice_the_ordered_rows(typed: Graph) -> None:
    every = [str(r["s"]) for r in rmpgraph.query(TYPED_QUERY, typed)]
    assert every == ["http://example.org/a", "http://example.org/b",
                     "http://example.org/c"]
    part = rmpgraph.query(TYPED_QUERY, typed, limit=1, offset=1)
    assert [str(r["s"]) for r in part] == ["http://example.org/b"]
    assert len(rmpgraph.query(TYPED_QUERY, typed, offset=2)) == 1


@pytest.mark.parametrize(("limit", "offset"), [
    (0, None), (-1, None), (True, None), ("3", None), (None, -1), (None, 1.5)])
def test_limit_offset_must_be_counts(typed: Graph, limit: object,
                                     offset: object) -> None:
    with pytest.raises(UsageError, match="expected a (positive|non-negative) integer"):
        rmpgraph.query(TYPED_QUERY, typed, limit=limit, offset=offset)  # type: ignore[arg-type]


def test_dataframe_dtypes_follow_the_datatypes(typed: Graph) -> None:
    df = rmpgraph.query(TYPED_QUERY, typed).to_dataframe()
    assert list(df.columns) == ["s", "s_iri", "due", "n", "ok", "w", "note"]
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "s": "object", "s_iri": "object", "due": "datetime64[ns]", "n": "Int64",
        "ok": "bool", "w": "float64", "note": "object"}
    assert list(df["s"]) == ["Alpha", "http://example.org/b", "http://example.org/c"]
    assert list(df["s_iri"]) == ["http://example.org/a", "http://example.org/b",
                                 "http://example.org/c"]
    assert list(df["due"].dt.date) == [date(2026, 3, 15), date(2025, 12, 1),
                                       date(2027, 1, 31)]
    assert list(df["n"][:2]) == [3, 7] and df["n"].isna().tolist() == [False,
                                                                       False, True]
    assert list(df["ok"]) == [True, False, True]
    assert list(df["w"]) == [1.5, 2.25, 0.5]
    assert list(df["note"]) == ["first", "second", None]
    only_iris = rmpgraph.query(TYPED_QUERY, typed).to_dataframe(labels=False)
    assert "s_iri" not in only_iris and only_iris["s"][0] == "http://example.org/a"


def test_counts_without_gaps_are_int64(typed: Graph) -> None:
    q = ("PREFIX ex: <http://example.org/> SELECT (COUNT(?s) AS ?n) "
         "WHERE { ?s ex:due ?d }")
    df = rmpgraph.query(q, typed).to_dataframe()
    assert str(df["n"].dtype) == "int64" and df["n"][0] == 3


def test_labels_from_the_vocabularies(lemtrada: rmpgraph.RmpDocument) -> None:
    """A concern's category is a SKOS concept: its prefLabel stands in the column,
    the concept IRI beside it."""
    q = ("SELECT DISTINCT ?cat WHERE { ?c a rmp:SafetyConcern ; "
         "rmp:concernCategory ?cat } ORDER BY ?cat")
    df = rmpgraph.query(q, lemtrada).to_dataframe()
    assert list(df["cat"]) == ["Important identified risk",
                               "Important potential risk", "Missing information"]
    assert df["cat_iri"][0] == ("https://w3id.org/rmpgraph/vocab/concern-category/"
                                "important-identified-risk")


def test_dataframe_without_pandas(typed: Graph,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    result = rmpgraph.query(TYPED_QUERY, typed)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas -> ImportError
    with pytest.raises(rmpgraph.api.MissingDependencyError, match="rmpgraph.pandas"):
        result.to_dataframe()


def test_serialize_w3c_csv(typed: Graph) -> None:
    text = rmpgraph.query(TYPED_QUERY, typed, limit=1).serialize("csv")
    assert text.splitlines() == ["s,due,n,ok,w,note",
                                 "http://example.org/a,2026-03-15,3,true,1.5,first"]
    with pytest.raises(UsageError, match="unknown result format"):
        rmpgraph.query(TYPED_QUERY, typed).serialize("excel")


def test_ask_and_construct(typed: Graph) -> None:
    ask = rmpgraph.query("ASK { ?s rdfs:label 'Alpha' }", typed)
    assert ask.kind == "ask" and ask.boolean is True and bool(ask)
    built = rmpgraph.query("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }",
                           typed)
    assert built.kind == "graph" and built.graph is not None
    assert set(built.graph) == {(URIRef("http://example.org/a"),
                                 URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                                 Literal("Alpha"))}
    with pytest.raises(UsageError, match="SELECT"):
        built.to_dataframe()


def test_own_query_folder(tmp_path: Path, typed: Graph) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "labelled.rq").write_text(
        "#+ summary: Labelled things\n#+ description: Everything with a label.\n"
        "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }\n",
        encoding="utf-8")
    rows = rmpgraph.query("labelled", typed, queries_dir=mine).rows
    assert rows == [{"s": URIRef("http://example.org/a"), "l": Literal("Alpha")}]
    assert "labelled" in rmpgraph.list_queries(mine)
    with pytest.raises(UsageError, match="unknown query 'labelled'"):
        rmpgraph.query("labelled", typed)  # not without the folder
    shutil.copy(ROOT / "queries" / "concerns.rq", mine / "concerns.rq")
    with pytest.raises(InputError, match="query 'concerns' is also") as err:
        rmpgraph.query("labelled", typed, queries_dir=[mine])
    assert str(mine / "concerns.rq") in str(err.value)
    with pytest.raises(InputError, match="query folder not found"):
        rmpgraph.query("labelled", typed, queries_dir=tmp_path / "absent")


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda g: rmpgraph.query("no-such-query", g), UsageError, "unknown query"),
    (lambda g: rmpgraph.query("concerns", g, {"colour": "red"}), UsageError,
     "has no parameter 'colour'"),
    (lambda g: rmpgraph.query("risk-factor-search", g), UsageError,
     "give it as -p term="),
    (lambda g: rmpgraph.query("upcoming-milestones", g, {"from": "soon"}),
     UsageError, "expected a date"),
    (lambda g: rmpgraph.query("concerns", g, [("a", 1)]), WrongTypeError,
     "params: expected a mapping"),
    (lambda g: rmpgraph.query(42, g), WrongTypeError, "expected a stored query"),
    (lambda g: rmpgraph.query("SELECT ?s WHERE { ?s ?p }", g), UsageError,
     "SPARQL syntax error"),
    (lambda g: rmpgraph.query("DELETE WHERE { ?s ?p ?o }", g), UsageError,
     "update requests are refused"),
    (lambda g: rmpgraph.query("SELECT * WHERE { ?s rmp:nope ?o FILTER(?o > ) }", g),
     UsageError, "SPARQL"),
    (lambda g: rmpgraph.query("SELECT ?s WHERE { ?s ?p ?o }", g, {"x": 1}),
     UsageError, "params apply to stored queries"),
    (lambda g: rmpgraph.query(CONCERNS, 42), WrongTypeError,
     "source: expected a file path"),
    (lambda g: rmpgraph.query(CONCERNS, object()), WrongTypeError, "got object"),
    (lambda g: rmpgraph.query(CONCERNS, "/nonexistent/x.ttl"), InputError,
     "no such file or store directory"),
    (lambda g: rmpgraph.query(CONCERNS, "http://127.0.0.1:9/sparql"), InputError,
     "127.0.0.1:9"),
    (lambda g: rmpgraph.validate(42), WrongTypeError, "source: expected"),
    (lambda g: rmpgraph.validate(Graph()), InputError, "no RMP in the input"),
    (lambda g: rmpgraph.validate(g, shacl=42), WrongTypeError, "shacl"),
    (lambda g: rmpgraph.diff(g, 3.5), WrongTypeError, "source: expected"),
    (lambda g: rmpgraph.link_meddra(g, 7), WrongTypeError, "meddra_dir"),
    (lambda g: rmpgraph.link_meddra(g, "/nonexistent"), InputError,
     "MedDRA folder not found"),
])  # fmt: skip
def test_bad_calls_raise_rmpgraph_errors(typed: Graph, call: object,
                                         error: type[RmpGraphError],
                                         message: str) -> None:
    """One error class per mistake, never an rdflib, pyoxigraph or urllib one."""
    with pytest.raises(error, match=re.escape(message).replace(r"\ ", " ")):
        call(typed)  # type: ignore[operator]


def test_broken_rdf_and_closed_store(tmp_path: Path, store_dir: Path) -> None:
    broken = tmp_path / "broken.data"
    broken.write_text("@prefix x: <http://e/> .\nx:a x:b .\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid nt") as err:
        rmpgraph.build(broken, format="nt")
    assert err.value.path == str(broken)  # the user's file, not a temporary copy
    with pytest.raises(InputError, match="not valid turtle"):
        rmpgraph.query(CONCERNS, broken.rename(tmp_path / "broken.ttl"))
    store = rmpgraph.Store(store_dir, read_only=True, create=False)
    store.close()
    with pytest.raises(UsageError, match="the store is closed"):
        rmpgraph.query(CONCERNS, store)


def test_own_prefix_wins_over_the_predeclared(typed: Graph) -> None:
    q = ("PREFIX rmp: <http://example.org/> SELECT ?s WHERE { ?s rmp:n 7 }")
    assert [str(r["s"]) for r in rmpgraph.query(q, typed)] == ["http://example.org/b"]


def test_syntax_error_line_is_the_users(tmp_path: Path, typed: Graph) -> None:
    q = tmp_path / "q.rq"
    q.write_text("SELECT ?s\nWHERE { ?s ?p }\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        rmpgraph.query(q, typed)
    assert err.value.path == str(q) and err.value.line == 2


# ---------------------------------------------------------------- validate, diff


def test_validate_any_source(lemtrada: rmpgraph.RmpDocument) -> None:
    report = rmpgraph.validate(lemtrada)
    assert isinstance(report, rmpgraph.ValidationReport)
    assert isinstance(report.conforms, bool)
    assert rmpgraph.validate(lemtrada.graph).conforms == report.conforms
    assert len(rmpgraph.validate(lemtrada.graph).results) == len(report.results)


def test_validate_with_extra_shapes(lemtrada: rmpgraph.RmpDocument,
                                    tmp_path: Path) -> None:
    """A house rule of one's own: every product needs an rdfs:comment, which no
    summary gives, so LEMTRADA's product is the one violation it adds."""
    shapes = tmp_path / "house.ttl"
    shapes.write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rmp: <https://w3id.org/rmpgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/shapes#> .
ex:ProductCommentShape a sh:NodeShape ; sh:targetClass rmp:MedicinalProduct ;
  sh:property ex:ProductCommentShape-comment .
ex:ProductCommentShape-comment sh:path rdfs:comment ; sh:minCount 1 ;
  sh:severity sh:Violation ; sh:message "a product needs a comment [HOUSE-1]" .
""", encoding="utf-8")
    plain = rmpgraph.validate(lemtrada)
    house = rmpgraph.validate(lemtrada, shacl=[shapes])
    added = [f for f in house.results if f not in plain.results]
    assert [(f.severity, f.focus_label, f.product) for f in added] == [
        ("violation", "LEMTRADA", "LEMTRADA")]
    assert house.conforms is False


def test_diff_takes_documents_paths_and_graphs(
        lemtrada: rmpgraph.RmpDocument) -> None:
    same = rmpgraph.diff(lemtrada, LEMTRADA)
    assert not same and same.changes == []
    other = rmpgraph.diff(lemtrada.graph, AMBRELTA)
    assert other and "Acquired Haemophilia A" in other.render("text")


def test_import_is_cheap() -> None:
    """`import rmpgraph` must stay fast (< 0.3 s; 91 ms median measured, 52 ms of
    it the interpreter): it loads none of the heavy libraries until a name is used."""
    import subprocess

    code = ("import sys, rmpgraph; heavy = {'rdflib', 'pyoxigraph', 'pyshacl', "
            "'pandas', 'pdfplumber', 'docx'}; print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_internal_run_on_a_store_points_to_the_api(tmp_path: Path) -> None:
    """Issue 17: `rmpgraph.queries.run("concerns", RmpStore(...))` failed with an
    rdflib keyword error; it now says what it expects and where to go instead."""
    from rmpgraph.errors import WrongTypeError
    from rmpgraph.queries import stored
    from rmpgraph.store.embedded import RmpStore

    with RmpStore(tmp_path / "s") as store, pytest.raises(
            WrongTypeError, match=r"rmpgraph\.query\(name, source, params\)"):
        stored.run("concerns", store)  # type: ignore[arg-type]
