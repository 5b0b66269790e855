"""EMA identifiers and EDQM/ATC links: LEMTRADA text, and user-supplied tables.

Expected values: the procedure number and EPAR address printed in
data/rmp/lemtrada.txt, route "intravenous (IV) infusion" (section I), active
substance alemtuzumab; codes from the shipped tables data/vocab/*.ttl.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

import rmpgraph
from rmpgraph.cli.link import group
from rmpgraph.errors import InputError
from rmpgraph.graph.namespaces import ID, RMP, vocab
from rmpgraph.link.ema import link_ema, link_ema_report

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ID["lemtrada"]
ATC = "http://purl.bioontology.org/ontology/ATC/"
EDQM = "https://w3id.org/rmpgraph/vocab/edqm-standard-terms/"


@pytest.fixture(scope="module")
def lemtrada() -> Graph:
    return rmpgraph.build(ROOT / "data" / "rmp" / "lemtrada.txt").graph


@pytest.fixture(scope="module")
def linked(lemtrada: Graph) -> Graph:
    return link_ema(lemtrada)


def _identifiers(g: Graph, product: URIRef) -> set[tuple[str, str]]:
    return {(str(g.value(i, SKOS.notation)),
             str(g.value(i, RMP.identifierScheme)).rsplit("/", 1)[1])
            for i in g.objects(product, RMP.hasIdentifier)}


def test_lemtrada_identifiers(linked: Graph) -> None:
    assert _identifiers(linked, LEMTRADA) == {
        ("EMEA/H/A-31/1483/C/3718/0028", "ema-procedure-number"),
        ("https://www.ema.europa.eu/en/medicines/human/EPAR/lemtrada", "epar-page"),
    }  # the text has no EMEA/H/C/ product number
    node = next(i for i in linked.objects(LEMTRADA, RMP.hasIdentifier)
                if "procedure" in str(i))
    notation = linked.value(node, SKOS.notation)
    assert notation.datatype == URIRef(vocab("identifier-scheme",
                                             "ema-procedure-number"))
    spans = {int(str(s).rsplit("/L", 1)[1].split("-")[0])
             for s in linked.objects(node, PROV.wasDerivedFrom)}
    assert 1851 in spans  # "LEMTRADA was subject to an EMA Article 20 referral (..."
    procedure = ID["procedure/emea-h-a-31-1483-c-3718-0028"]
    assert (procedure, RMP.hasIdentifier, node) in linked


def test_lemtrada_route_and_atc(linked: Graph) -> None:
    assert set(linked.objects(LEMTRADA, RMP.routeOfAdministration)) == {
        URIRef(EDQM + "20045000")}
    assert set(linked.objects(LEMTRADA, RMP.atcCode)) == {URIRef(ATC + "L04AG06")}
    chain, code = [], URIRef(ATC + "L04AG06")
    while code is not None:
        chain.append(str(linked.value(code, SKOS.notation)))
        code = linked.value(code, SKOS.broader)
    assert chain == ["L04AG06", "L04AG", "L04A", "L04", "L"]
    assert linked.value(URIRef(EDQM + "20045000"), SKOS.prefLabel) == Literal(
        "Intravenous use", lang="en")


def _product(route: str | None = None, form: str | None = None,
             text: str | None = None) -> Graph:
    g = Graph()
    p, plan = ID["testprod"], ID["testprod/rmp/000000000000"]
    source, span = ID["testprod/rmp/000000000000/source"], ID[
        "testprod/rmp/000000000000/source/L3-L3"]
    g.add((p, RDF.type, RMP.MedicinalProduct))
    g.add((p, RDFS.label, Literal("TESTPROD")))
    g.add((p, RMP.hasRiskManagementPlan, plan))
    g.add((plan, PROV.wasDerivedFrom, source))
    if text:
        g.add((span, DCTERMS.isPartOf, source))
        g.add((span, PROV.value, Literal(text)))
    if route:  # as written in the RMP version's Part VI, I
        g.add((plan, RMP.routeText, Literal(route)))
    if form:
        g.add((plan, RMP.pharmaceuticalFormText, Literal(form)))
    return g


def test_product_number_and_procedure_number_are_told_apart() -> None:
    g = link_ema(_product(text="Product EMEA/H/C/003718; variation "
                          "EMEA/H/C/003718/II/0045 and EMEA/H/C/004999."))
    assert _identifiers(g, ID["testprod"]) == {
        ("EMEA/H/C/003718/II/0045", "ema-procedure-number"),
        ("EMEA/H/C/004999", "ema-product-number"),
    } | {("EMEA/H/C/003718", "ema-product-number")}


def _table(tmp_path: Path, labels: dict[str, str]) -> Path:
    """A user-supplied SKOS table (invented test codes, not EDQM content)."""
    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             "<urn:test:scheme> a skos:ConceptScheme ."]
    for code, label in labels.items():
        lines.append(f'<urn:test:{code}> a skos:Concept ; skos:inScheme '
                     f'<urn:test:scheme> ; skos:notation "{code}" ; '
                     f'skos:prefLabel "{label}"@en .')
    path = tmp_path / "table.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_user_form_table_longest_label_wins(tmp_path: Path) -> None:
    table = _table(tmp_path, {"T1": "Solution for infusion",
                              "T2": "Concentrate for solution for infusion"})
    result = link_ema_report(_product(form="12 mg concentrate for solution for "
                                      "infusion"), forms=table)
    assert set(result.graph.objects(ID["testprod"], RMP.pharmaceuticalForm)) == {
        URIRef("urn:test:T2")}
    assert result.linked["forms"] == 1


def test_swapped_in_route_table(tmp_path: Path) -> None:
    table = _table(tmp_path, {"R1": "Subcutaneous use", "R2": "Intravenous use"})
    g = link_ema(_product(route="subcutaneous injection"), routes=table)
    assert set(g.objects(ID["testprod"], RMP.routeOfAdministration)) == {
        URIRef("urn:test:R1")}


def test_unlinked_text_is_reported() -> None:
    result = link_ema_report(_product(route="intravitreal injection",
                                      form="eye drops"))
    assert sorted(result.notes) == [
        "TESTPROD: form 'eye drops': no table given",
        "TESTPROD: route 'intravitreal injection': no matching term"]


def test_table_without_concepts_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="no skos:Concept"):
        link_ema(_product(), routes=empty)


def test_cli_link_ema(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(group, ["ema", str(ROOT / "data/rmp/lemtrada.txt"),
                                        "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "linked: 2 identifiers, 1 routes, 0 forms, 1 atc" in result.output
    g = Graph().parse(out)
    assert (LEMTRADA, RMP.atcCode, URIRef(ATC + "L04AG06")) in g
