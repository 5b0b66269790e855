"""The check stage's survivors of mutation testing (issue 19, MUTATION.md "check"),
each pinned by hand:

- the category classes come from the ontology's own definitions, computed afresh
  (the disk cache hid a broken computation: its key is the ontology, not the code);
- a finding names the path of the property it is about;
- the human report heads each RMP with its product and file, the DataFrame has the
  first source line as `line`, and the JSON-LD report reads back as the report graph.

Expected values come from ontology/rmp.ttl (l.103-130: the three category classes,
each `rmp:SafetyConcern ⊓ rmp:concernCategory hasValue …`) and from the hand-written
tests/shapes/mini-rmp.ttl (LEMTRADA, file lemtrada.txt, a source defect on l.539).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from rmpgraph.check.infer import compute_entailments
from rmpgraph.check.validate import ValidationReport, validate
from rmpgraph.graph.namespaces import RMP

MINI = Path(__file__).resolve().parent / "shapes" / "mini-rmp.ttl"
CAT = "https://w3id.org/rmpgraph/vocab/concern-category/"


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    return validate(Graph().parse(MINI), severity="info")


def test_category_classes_computed_from_the_ontology() -> None:
    value_classes = compute_entailments().value_classes  # no cache involved
    expected = {
        RMP.ImportantIdentifiedRisk: CAT + "important-identified-risk",
        RMP.ImportantPotentialRisk: CAT + "important-potential-risk",
        RMP.MissingInformation: CAT + "missing-information",
    }
    for cls, value in expected.items():
        assert value_classes[cls] == (RMP.SafetyConcern, RMP.concernCategory,
                                      URIRef(value))


def test_a_finding_names_its_path(report: ValidationReport) -> None:
    defect = [f for f in report.results if f.shape.endswith("SourceDefectShape-text")]
    assert [(f.path, f.source_lines) for f in defect] == [("rmp:text", ((539, 539),))]


def test_human_report_heads_each_rmp_with_product_and_file(
        report: ValidationReport) -> None:
    text = report.render("human")
    assert "LEMTRADA (lemtrada.txt)" in text
    assert "no file" not in text and "no product" not in text


def test_dataframe_line_is_the_first_source_line(report: ValidationReport) -> None:
    pytest.importorskip("pandas")
    frame = report.to_dataframe()
    row = frame[frame["shape"] == "rmpsh:SourceDefectShape-text"].iloc[0]
    assert (int(row["line"]), row["lines"], row["file"]) == (539, "539-539",
                                                             "lemtrada.txt")


def test_jsonld_report_reads_back_as_the_report_graph(report: ValidationReport) -> None:
    text = report.render("json-ld")
    back = Graph().parse(data=text, format="json-ld")
    assert isomorphic(back, report.graph)
    # the compact form declares the standard prefixes
    context = json.loads(text)["@context"]
    assert {k: context[k] for k in ("sh", "rdfs", "dcterms")} == {
        "sh": "http://www.w3.org/ns/shacl#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "dcterms": "http://purl.org/dc/terms/"}


def test_two_rmps_in_one_graph_each_get_their_findings() -> None:
    """A second RMP written like the first (every 'lemtrada' renamed): validation
    reports the source defect of l.539 once for each product, whether it runs
    once over both or once per plan."""
    text = MINI.read_text(encoding="utf-8")
    other = text.replace("lemtrada", "othermab").replace("LEMTRADA", "OTHERMAB")
    graph = Graph().parse(data=text, format="turtle")
    graph.parse(data=other, format="turtle")
    found = validate(graph, severity="info").results
    defects = sorted((f.product, f.file, f.source_lines) for f in found
                     if f.shape.endswith("SourceDefectShape-text"))
    assert defects == [("LEMTRADA", "lemtrada.txt", ((539, 539),)),
                       ("OTHERMAB", "othermab.txt", ((539, 539),))]
    # one pySHACL run per RMP (split_by_plan) finds the same, as documented
    assert validate(graph, severity="info", per_plan=True).results == found
