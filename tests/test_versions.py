"""RMP versions (issue 15): version number and date, version-scoped nodes, shared
measures, one category representation.

Expected values are read off the documents by hand (the fixture texts' title lines
and running headers; LEMTRADA's II.B rows), never from the code's output.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from rmpgraph.check.validate import validate
from rmpgraph.errors import UsageError
from rmpgraph.graph.namespaces import RMP, vocab
from rmpgraph.graph.ontology import load_ontology
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import SourceText, read_source
from rmpgraph.parse.versions import find_version, state_version

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"

# read by hand from each fixture's title line, running header or Part I line
STATED_VERSION = {
    "ambrelta": "1.3",  # footer "AMB-RMP-EU v1.3 | EMA/688214/2025"
    "endravia": "3.0",  # header "... – Risk Management Plan version 3.0"
    "halvoren": "3.1",  # "RMP version to be assessed as part of this application: 3.1"
    "ostravel": "2.0",  # header "Ostravel (delanoxumab) RMP Part VI – version 2.0"
    "sorvelta": "2.0",  # "EU Risk Management Plan – Part VI, version 2.0"
    "velmoran": "3.0",  # "Velmoran (obiprazan) – EU-RMP version 3.0, Part VI"
    "pendrava": None, "quenzali": None, "tirelza": None, "tremivast": None,
}


def _source(text: str, name: str = "variant.txt") -> SourceText:
    return SourceText(path=name, text=text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(STATED_VERSION))
@pytest.mark.parametrize("ext", [".txt", ".docx"])
def test_version_number_as_the_document_states_it(name: str, ext: str) -> None:
    source = read_source(DOCS / f"{name}{ext}")
    assert find_version(source.lines, source.furniture).number == STATED_VERSION[name]


@pytest.mark.parametrize("name", ["ambrelta", "endravia"])
def test_version_in_a_pdf_running_header(name: str) -> None:
    """Both state it only in page headers/footers, which the PDF reader sets aside;
    endravia's VI.2.7 history also lists "Version: 1.0", which is not its version."""
    source = read_source(DOCS / f"{name}.pdf")
    assert find_version(source.lines, source.furniture).number == STATED_VERSION[name]


def test_lemtrada_states_no_version() -> None:
    source = read_source(LEMTRADA)
    found = find_version(source.lines, source.furniture)
    assert (found.number, found.date) == (None, None)


@pytest.mark.parametrize(("line", "expected"), [
    ("Date of final sign off: 12 March 2021", date(2021, 3, 12)),
    ("Date of final sign-off 2022-11-30", date(2022, 11, 30)),
    ("Final sign off date: 05/07/2023", date(2023, 7, 5)),
    ("RMP date: 1 February 2024", date(2024, 2, 1)),
    ("Date of final sign off: Q3 2021", None),  # not one day: not a date
])
def test_sign_off_date_forms(line: str, expected: date | None) -> None:
    assert find_version(["Part VI: Summary", line]).date == expected


def test_user_values_fill_what_the_document_leaves_out() -> None:
    found = find_version(["no version here"])
    given = state_version(found, number="8.2", day="2023-05-01")
    assert (given.number, given.number_source) == ("8.2", "user")
    assert (given.date, given.date_source) == (date(2023, 5, 1), "user")


@pytest.mark.parametrize(("number", "day", "message"), [
    ("8.2b", None, "--rmp-version: expected a version number"),
    (None, "01/05/2023", "--rmp-date: expected a date YYYY-MM-DD"),
    ("2.0", None, "contradicts the document, which states version 3.1"),
])
def test_bad_or_contradicting_user_values(number: str | None, day: str | None,
                                          message: str) -> None:
    found = find_version(
        ["RMP version to be assessed as part of this application: 3.1"])
    with pytest.raises(UsageError, match=re.escape(message)):
        state_version(found, number=number, day=day)


@pytest.fixture(scope="module")
def lemtrada_text() -> str:
    return read_source(LEMTRADA).text


@pytest.fixture(scope="module")
def versioned(lemtrada_text: str) -> Graph:
    return build_source(_source(lemtrada_text, "lemtrada.txt"), rmp_version="8.2",
                        rmp_date="2023-05-01").graph


def _rmp(g: Graph) -> URIRef:
    (rmp,) = set(g.subjects(RDF.type, RMP.RiskManagementPlan))
    return rmp  # type: ignore[return-value]


def test_the_graph_says_where_the_version_came_from(versioned: Graph) -> None:
    rmp = _rmp(versioned)
    assert versioned.value(rmp, RMP.versionNumber) == Literal("8.2")
    assert versioned.value(rmp, RMP.versionDate) == Literal(date(2023, 5, 1))
    assert versioned.value(rmp, RMP.versionNumberSource) == URIRef(
        vocab("value-source", "user"))


def test_every_statement_hangs_under_its_version(lemtrada_graph: Graph) -> None:
    """Concerns, studies, milestones, measures, notes: all under the RMP's IRI; only
    the product, its substance, procedures and the lineage nodes are outside."""
    rmp = str(_rmp(lemtrada_graph))
    outside = {s for s in lemtrada_graph.subjects()
               if isinstance(s, URIRef) and not str(s).startswith(rmp)}
    kinds = {c for s in outside for c in lemtrada_graph.objects(s, RDF.type)}
    assert kinds == {RMP.MedicinalProduct, RMP.ActiveSubstance,
                     RMP.RegulatoryProcedure, RMP.ConcernLineage, RMP.StudyLineage,
                     RMP.MeasureLineage}
    # LEMTRADA: 23 concerns, 4 studies (the summary's II.A list and II.C/II.B)
    assert len(set(lemtrada_graph.subjects(RDF.type, RMP.ConcernLineage))) == 23
    assert len(set(lemtrada_graph.subjects(RDF.type, RMP.StudyLineage))) == 4


# Measures LEMTRADA's II.B tables name (read from the "Routine/Additional risk
# minimisation measures" rows): the label sections cited, the treatment setting
# ("initiated and supervised by a neurologist"), and the four educational materials.
LEMTRADA_MEASURES = {
    "smpc-4-2", "smpc-4-3", "smpc-4-4", "smpc-4-7", "smpc-4-8", "smpc-5-1",
    "smpc-5-2", "pl-2", "pl-4", "treatment-setting",
    "hcp-guide", "hcp-checklist", "patient-guide", "patient-alert-card",
}


def test_one_node_per_measure(lemtrada_graph: Graph) -> None:
    rmp = _rmp(lemtrada_graph)
    keys = {str(m).rsplit("/", 1)[1]
            for m in lemtrada_graph.objects(rmp, RMP.hasMeasure)}
    assert keys == LEMTRADA_MEASURES


def _tables_naming(text: str, words: str) -> int:
    """II.B tables whose additional-RMM row names `words` (a naive scan)."""
    blocks = re.split(r"\n\s*Table \d+ - ", text)[1:]
    count = 0
    for block in blocks:
        m = re.search(r"Additional risk minimi[sz]ation measures(.*?)"
                      r"Additional\s+pharmacovigilance", block, re.S | re.I)
        if m and words in " ".join(m.group(1).split()).lower():
            count += 1
    return count


def test_patient_alert_card_is_one_node_for_all_its_concerns(
        lemtrada_graph: Graph, lemtrada_text: str) -> None:
    cards = [m for m in lemtrada_graph.objects(_rmp(lemtrada_graph), RMP.hasMeasure)
             if str(m).endswith("/measure/patient-alert-card")]
    assert len(cards) == 1
    addressed = set(lemtrada_graph.objects(cards[0], RMP.addressesConcern))
    assert len(addressed) == _tables_naming(lemtrada_text, "patient alert card") > 10


def test_statements_keep_the_wording_and_qualify_the_link(
        lemtrada_graph: Graph) -> None:
    g = lemtrada_graph
    statements = set(g.subjects(RDF.type, RMP.MeasureStatement))
    assert statements
    for st in statements:
        (concern,) = set(g.subjects(RMP.hasMeasureStatement, st))
        measures = set(g.objects(st, RMP.statesMeasure))
        assert measures and g.value(st, RMP.text) is not None
        for m in measures:
            assert (m, RMP.addressesConcern, concern) in g


def test_category_stated_once_classes_inferred(lemtrada_graph: Graph) -> None:
    g = lemtrada_graph
    assert not set(g.subjects(RDF.type, RMP.ImportantIdentifiedRisk))
    closure = Graph()
    closure += g
    closure += load_ontology()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    # LEMTRADA II.A: 17 important identified, 3 potential, 3 missing information
    for cls, n in ((RMP.ImportantIdentifiedRisk, 17), (RMP.ImportantPotentialRisk, 3),
                   (RMP.MissingInformation, 3)):
        assert len({s for s in closure.subjects(RDF.type, cls)
                    if (s, RDF.type, RMP.SafetyConcern) in g}) == n


def test_construct_gives_the_same_classes(lemtrada_graph: Graph) -> None:
    text = (ROOT / "queries" / "construct" / "concern-classes.rq").read_text("utf-8")
    derived = lemtrada_graph.query(text).graph
    assert len(set(derived.subjects(RDF.type, RMP.MissingInformation))) == 3
    assert len(set(derived.subjects(RDF.type, RMP.ImportantRisk))) == 20


def _recategorised(text: str) -> str:
    """Malignancies moved from important potential to important identified risk."""
    import sys
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "diff"))
    from variants import recategorised  # type: ignore[import-not-found]

    return recategorised(text)


def test_two_versions_with_a_changed_category_stay_consistent(
        lemtrada_graph: Graph, lemtrada_text: str) -> None:
    newer = build_source(_source(_recategorised(lemtrada_text))).graph
    union = Graph()
    union += lemtrada_graph
    union += newer
    closure = Graph()
    closure += union
    closure += load_ontology()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    assert not set(closure.subjects(RDF.type, OWL.Nothing))
    lineage = [n for n in union.subjects(RDF.type, RMP.ConcernLineage)
               if str(n).endswith("/concern/malignancies")]
    assert len(lineage) == 1
    versions = set(union.subjects(PROV.specializationOf, lineage[0]))
    categories = {str(union.value(v, RMP.concernCategory)).rsplit("/", 1)[1]
                  for v in versions}
    assert categories == {"important-potential-risk", "important-identified-risk"}
    # the merge adds no finding: the union's violations are the two versions' own
    alone = [len([r for r in validate(g).results if r.severity == "Violation"])
             for g in (lemtrada_graph, newer)]
    merged = [r for r in validate(union).results if r.severity == "Violation"]
    assert len(merged) == sum(alone)


def test_a_corrected_due_date_keeps_the_milestone(lemtrada_graph: Graph,
                                                  lemtrada_text: str) -> None:
    corrected = lemtrada_text.replace("Final report: 2031", "Final report: 2032")
    newer = build_source(_source(corrected)).graph

    def finals(g: Graph) -> dict[str, str]:
        """{path below the RMP IRI: due text} of the final-report milestones."""
        return {str(m).split("/rmp/", 1)[1].split("/", 1)[1]:
                str(g.value(m, RMP.dueText))
                for m in g.subjects(RDF.type, RMP.Milestone)
                if "/milestone/final-report" in str(m)}
    old, new = finals(lemtrada_graph), finals(newer)
    assert old.keys() == new.keys()
    changed = {k for k in old if old[k] != new[k]}
    assert changed and all(old[k] == "2031" and new[k] == "2032" for k in changed)


def test_labels_of_shared_measures(lemtrada_graph: Graph) -> None:
    g = lemtrada_graph
    labels = {str(m).rsplit("/", 1)[1]: str(g.value(m, RDFS.label))
              for m in g.objects(_rmp(g), RMP.hasMeasure)}
    assert labels["smpc-4-4"] == "SmPC 4.4 Special warnings and precautions for use"
    assert labels["patient-alert-card"] == "Patient alert card"
    assert labels["treatment-setting"].startswith("LEMTRADA treatment should")


def test_versions_given_together_are_ordered(tmp_path: Path,
                                             lemtrada_text: str) -> None:
    """Three versions of one product as files: 8.10 revises 8.9, which revises
    8.2 (numbers compared part by part), whatever order the files come in."""
    from rmpgraph.graph.inputs import load_graph

    paths = []
    for number in ("8.10", "8.2", "8.9"):
        path = tmp_path / f"lemtrada-{number}.txt"
        path.write_text(f"RMP version to be assessed as part of this application: "
                        f"{number}\n{lemtrada_text}", encoding="utf-8")
        paths.append(path)
    g = load_graph(paths)
    by_number = {str(g.value(r, RMP.versionNumber)): r
                 for r in g.subjects(RDF.type, RMP.RiskManagementPlan)}
    links = {(str(g.value(a, RMP.versionNumber)), str(g.value(b, RMP.versionNumber)))
             for a, b in g.subject_objects(PROV.wasRevisionOf)}
    assert links == {("8.9", "8.2"), ("8.10", "8.9")}
    assert len(by_number) == 3


@pytest.mark.parametrize(("args", "message"), [
    (["--rmp-version", "8.x"], "--rmp-version: expected a version number"),
    (["--rmp-date", "2023-13-01"], "--rmp-date: expected a date YYYY-MM-DD"),
])
def test_cli_refuses_a_malformed_version(tmp_path: Path, args: list[str],
                                         message: str) -> None:
    import subprocess
    import sys

    out = tmp_path / "x.ttl"
    run = subprocess.run([sys.executable, "-m", "rmpgraph", "build", str(LEMTRADA),
                          "-o", str(out), *args], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and message in run.stderr
    assert not out.exists()
