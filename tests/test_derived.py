"""Derived facts (issue 16, item 3) on LEMTRADA, against its II.B tables read by
hand (data/rmp/lemtrada.txt), and what must ignore them (validation, diff).

LEMTRADA's II.B tables, "Additional risk minimization measures": "None" for
infusion-associated reactions (line 237), acute acalculous cholecystitis (1492),
other autoimmune disorders (1559), malignancies (1626), paediatric use (1743), use
in patients aged >55 (1782) and in racial categories other than white (1822);
updated or yearly educational materials for the other 16. "Additional
pharmacovigilance activities": PASS OBS13434 (final report 2031), the drug
utilisation study and the risk of mortality study (final reports Q3 2024) for
most; IARs names the last two only (243, 247), AOSD PASS OBS13434 only (1378),
autoimmune encephalitis PASS OBS13434 and the drug utilisation study (1435,
1439), paediatric use the paediatric study EFC13429 (1749, due "within 6 months of
completion", no date), >55 and racial categories PASS OBS13434 and the risk of
mortality study. II.C gives no other milestone.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

import rmpgraph
from rmpgraph.graph.derive import add_derived_facts
from rmpgraph.graph.ontology import load_ontology

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
RMP = Namespace("https://w3id.org/rmpgraph/ontology#")
RULE = URIRef("https://w3id.org/rmpgraph/vocab/derivation-rule/concern-facts")
Q3_2024, END_2031 = date(2024, 9, 30), date(2031, 12, 31)

NONE_ADDITIONAL = ["infusion", "acalculous", "other autoimmune", "malignancies",
                   "pediatric", "55 years", "racial"]
# concern (a word of its label) -> (studies, earliest due, latest due), where the
# II.B row differs from the common three studies (2024-09-30 .. 2031-12-31)
STUDIES = {
    "infusion": (2, Q3_2024, Q3_2024),
    "still": (1, END_2031, END_2031),
    "encephalitis": (2, Q3_2024, END_2031),
    "pediatric": (1, None, None),
    "55 years": (2, Q3_2024, END_2031),
    "racial": (2, Q3_2024, END_2031),
}
COMMON = (3, Q3_2024, END_2031)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return rmpgraph.build(str(LEMTRADA)).graph


def _facts(graph: Graph) -> dict[str, URIRef]:
    """Derived-facts node by concern label (lower case)."""
    out = {}
    for concern in graph.subjects(RDF.type, RMP.SafetyConcern):
        label = str(graph.value(concern, RDFS.label)).lower()
        node = graph.value(concern, RMP.hasDerivedFacts)
        assert isinstance(node, URIRef), label
        out[label] = node
    assert len(out) == 23
    return out


def _one(facts: dict[str, URIRef], word: str) -> URIRef:
    found = [node for label, node in facts.items()
             if word in label.replace("’", "'")]
    assert len(found) == 1, word
    return found[0]


def test_additional_measure_as_the_tables_say(graph: Graph) -> None:
    facts = _facts(graph)
    none = {_one(facts, w) for w in NONE_ADDITIONAL}
    for node in facts.values():
        assert graph.value(node, RMP.hasAdditionalMeasure) == Literal(
            node not in none), node


def test_studies_and_due_dates_as_the_tables_say(graph: Graph) -> None:
    facts = _facts(graph)
    special = {_one(facts, w): v for w, v in STUDIES.items()}
    for node in facts.values():
        count, earliest, latest = special.get(node, COMMON)
        assert graph.value(node, RMP.studyCount) == Literal(count), node
        assert graph.value(node, RMP.hasAdditionalPharmacovigilance) == Literal(
            count > 0)
        for prop, expected in ((RMP.earliestDue, earliest), (RMP.latestDue, latest)):
            value = graph.value(node, prop)
            assert (value.toPython() if value is not None else None) == expected


def test_marked_as_derived_by_a_documented_rule(graph: Graph) -> None:
    nodes = set(graph.subjects(RDF.type, RMP.DerivedFacts))
    assert len(nodes) == 23
    for node in nodes:
        assert list(graph.objects(node, PROV.wasGeneratedBy)) == [RULE]
        concern = graph.value(None, RMP.hasDerivedFacts, node)
        assert str(node) == f"{concern}/derived"
    vocab = load_ontology()
    assert (RULE, RDF.type, SKOS.Concept) in vocab
    assert (RULE, RDF.type, PROV.Activity) in vocab
    source = vocab.value(RULE, URIRef("http://purl.org/dc/terms/source"))
    assert source is not None and (ROOT / str(source)).is_file()


def test_few_triples_and_idempotent(graph: Graph) -> None:
    derived = {t for n in graph.subjects(RDF.type, RMP.DerivedFacts)
               for t in graph.triples((n, None, None))}
    derived |= set(graph.triples((None, RMP.hasDerivedFacts, None)))
    assert len(derived) <= 8 * 23
    before = len(graph)
    add_derived_facts(graph)
    assert len(graph) == before


def test_in_the_rmp_versions_named_graph(tmp_path: Path) -> None:
    with rmpgraph.Store(tmp_path / "store") as store:
        store.load([LEMTRADA])
    result = rmpgraph.query(
        "SELECT ?g (COUNT(?f) AS ?n) WHERE { GRAPH ?g { ?c rmp:hasDerivedFacts ?f . "
        "?f rmp:studyCount ?k } } GROUP BY ?g", tmp_path / "store")
    assert [(str(r["g"]).split("/graph/")[1].split("/")[0], int(r["n"]))
            for r in result] == [("lemtrada", 23)]


def test_validation_and_diff_ignore_derived_facts(graph: Graph,
                                                  tmp_path: Path) -> None:
    report = rmpgraph.validate(graph)
    derived = {str(n) for n in graph.subjects(RDF.type, RMP.DerivedFacts)}
    assert not [f for f in report.results if str(f.focus) in derived
                or "derived" in (f.path or "").lower()
                or "Due" in (f.path or "") or "studyCount" in (f.path or "")]
    # a final report moved from 2031 to 2033 changes 20 concerns' latestDue; the
    # diff reports the milestone, and no derived fact
    moved = tmp_path / "lemtrada.txt"
    moved.write_text(LEMTRADA.read_text(encoding="utf-8").replace(
        "Final report: 2031", "Final report: 2033"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "rmpgraph", "diff", str(LEMTRADA),
                           str(moved), "-f", "turtle"], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "2033" in proc.stdout
    assert "derived" not in proc.stdout.lower() and "latestDue" not in proc.stdout
