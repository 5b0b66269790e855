"""`rmpgraph diff` on LEMTRADA against versions derived by text edits."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from rmpgraph.graph.pipeline import build as _build
from rmpgraph.present.diff import diff_graphs, diff_paths
from rmpgraph.present.diff_render import CS, render, to_changeset

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
ID = "https://w3id.org/rmpgraph/id/lemtrada/"

_spec = importlib.util.spec_from_file_location(
    "diff_variants", ROOT / "tests" / "fixtures" / "diff" / "variants.py")
assert _spec and _spec.loader
variants = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(variants)


@pytest.fixture(scope="module")
def lemtrada() -> Graph:
    return _build(str(LEMTRADA))


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    text = LEMTRADA.read_text(encoding="utf-8")
    out = tmp_path_factory.mktemp("diff")
    paths = {}
    for name in ("before_aie_aac", "renamed", "recategorised", "milestone_moved",
                 "no_alert_card"):
        edited = getattr(variants, name)(text)
        assert edited != text
        paths[name] = out / f"{name}.txt"
        paths[name].write_text(edited, encoding="utf-8")
    return paths


def _kinds(changes: list) -> list[str]:
    return [c.change for c in changes]


def test_identical_versions_have_no_changes(lemtrada: Graph) -> None:
    _, _, changes = diff_graphs(lemtrada, lemtrada)
    assert changes == []


def test_concerns_added(derived: dict[str, Path], lemtrada: Graph) -> None:
    old = _build(str(derived["before_aie_aac"]))
    _, _, changes = diff_graphs(old, lemtrada)
    assert _kinds(changes) == ["concern-added", "concern-added"]
    assert {c.subject for c in changes} == {
        "Autoimmune Encephalitis (AIE)", "Acute Acalculous Cholecystitis (AAC)"}
    assert {c.new for c in changes} == {"important-identified-risk"}
    _, _, back = diff_graphs(lemtrada, old)
    assert _kinds(back) == ["concern-removed", "concern-removed"]


def test_rename_is_matched_not_added(derived: dict[str, Path], lemtrada: Graph) -> None:
    _, _, changes = diff_graphs(lemtrada, _build(str(derived["renamed"])))
    assert _kinds(changes) == ["concern-renamed"]
    assert (changes[0].old, changes[0].new) == ("Serious infections",
                                                "Serious infection")


def test_recategorised(derived: dict[str, Path], lemtrada: Graph) -> None:
    _, _, changes = diff_graphs(lemtrada,
                                _build(str(derived["recategorised"])))
    assert _kinds(changes) == ["concern-recategorised"]
    c = changes[0]
    assert (c.subject, c.old, c.new) == (
        "Malignancies", "important-potential-risk", "important-identified-risk")


def test_milestone_moved(derived: dict[str, Path], lemtrada: Graph) -> None:
    _, _, changes = diff_graphs(lemtrada,
                                _build(str(derived["milestone_moved"])))
    assert _kinds(changes) == ["milestone-moved"]
    c = changes[0]
    assert (c.subject, c.detail, c.old, c.new) == (
        "Drug Utilization Study", "final-report", "Q3 2024", "Q4 2025")


def test_material_removed_for_one_concern(derived: dict[str, Path],
                                          lemtrada: Graph) -> None:
    _, _, changes = diff_graphs(lemtrada,
                                _build(str(derived["no_alert_card"])))
    assert {c.subject for c in changes} == {"Serious infections"}
    materials = [c for c in changes if c.change.startswith("material-")]
    assert [(c.change, c.detail) for c in materials] == [
        ("material-removed", "Patient alert card")]
    # the measure's wording changed too: one text out, one in
    assert sorted(c.change for c in changes if "measure" in c.change) == [
        "additional-measure-added", "additional-measure-removed"]


def test_study_removed_from_graph(lemtrada: Graph) -> None:
    study = URIRef(ID + "rmp/659dc422ff1a/study/efc13429")  # 12 hex of its SHA-256
    smaller = Graph()
    gone = {study} | set(lemtrada.objects(study, URIRef(
        "https://w3id.org/rmpgraph/ontology#hasMilestone")))
    for s, p, o in lemtrada:
        if s not in gone and o not in gone:
            smaller.add((s, p, o))
    _, _, changes = diff_graphs(lemtrada, smaller)
    assert sorted(_kinds(changes)) == ["study-link-removed", "study-removed"]
    assert {c.subject for c in changes} == {"Pediatric study EFC13429",
                                            "Pediatric use"}


def test_changeset_statements_hold_in_old_and_new(derived: dict[str, Path],
                                                  lemtrada: Graph) -> None:
    """Every cs:removal is a triple of OLD, every cs:addition a triple of NEW."""
    for name, path in derived.items():
        new = _build(str(path))
        a, b, changes = diff_graphs(lemtrada, new)
        cs = to_changeset(a, b, changes)
        sets = list(cs.subjects(RDF.type, CS.ChangeSet))
        assert len(sets) == 1, name
        n = 0
        for prop, graph in ((CS.removal, lemtrada), (CS.addition, new)):
            for st in cs.objects(sets[0], prop):
                triple = (cs.value(st, RDF.subject), cs.value(st, RDF.predicate),
                          cs.value(st, RDF.object))
                if isinstance(triple[2], Literal):
                    assert any(str(o) == str(triple[2]) for o in
                               graph.objects(triple[0], triple[1])), (name, triple)
                elif triple[1] != URIRef("http://www.w3.org/ns/prov#wasRevisionOf"):
                    assert triple in graph, (name, triple)
                n += 1
        assert n >= len(changes), name


def test_formats_and_cli(derived: dict[str, Path], tmp_path: Path) -> None:
    from rmpgraph.cli.diff import command

    a, b, changes = diff_paths(str(LEMTRADA), str(derived["milestone_moved"]))
    data = json.loads(render(a, b, changes, "json"))
    assert data["changes"][0]["change"] == "milestone-moved"
    assert "Drug Utilization Study: final-report moved Q3 2024 -> Q4 2025" in render(
        a, b, changes, "text")
    turtle = render(a, b, changes, "turtle")
    assert Graph().parse(data=turtle, format="turtle")
    assert turtle == render(a, b, changes, "turtle")  # deterministic
    runner = CliRunner()
    res = runner.invoke(command, [str(LEMTRADA), str(derived["renamed"]),
                                  "--exit-code"])
    assert res.exit_code == 1
    assert "renamed: 'Serious infections' -> 'Serious infection'" in res.output
    out = tmp_path / "d.json"
    res = runner.invoke(command, [str(LEMTRADA), str(LEMTRADA), "-f", "json",
                                  "-o", str(out), "--exit-code"])
    assert res.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["changes"] == []


def test_rdf_inputs(tmp_path: Path, lemtrada: Graph, derived: dict[str, Path]) -> None:
    old = tmp_path / "old.ttl"
    old.write_text(lemtrada.serialize(format="turtle"), encoding="utf-8")
    _, _, changes = diff_paths(str(old), str(derived["renamed"]))
    assert _kinds(changes) == ["concern-renamed"]


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    from rmpgraph.cli.diff import command

    res = CliRunner().invoke(command, [str(tmp_path / "missing.txt"), str(LEMTRADA)])
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and "missing.txt" in res.output


def _variant(name: str, tmp_path: Path) -> Graph:
    path = tmp_path / f"{name}.txt"
    path.write_text(getattr(variants, name)(LEMTRADA.read_text(encoding="utf-8")),
                    encoding="utf-8")
    return _build(str(path))


def _by_label(graph: Graph, label: str) -> URIRef:
    from rdflib.namespace import RDFS

    from rmpgraph.graph.namespaces import RMP

    (node,) = {c for c in graph.subjects(RDFS.label, Literal(label))
               if (None, RMP.hasSafetyConcern, c) in graph}
    return node  # type: ignore[return-value]


def test_dropped_concern_is_removed_not_a_rename(lemtrada: Graph,
                                                 tmp_path: Path) -> None:
    _, _, changes = diff_graphs(lemtrada, _variant("without_aie", tmp_path))
    assert [(c.change, c.subject) for c in changes
            if c.change.startswith("concern")] == [
        ("concern-removed", "Autoimmune Encephalitis (AIE)")]


def test_drop_beside_a_rename_sharing_its_meddra_term(lemtrada: Graph,
                                                       tmp_path: Path) -> None:
    """Both old concerns and the renamed one map to one MedDRA term; the dropped
    one sorts first, and used to be reported as renamed to the other's new name."""
    from rdflib.namespace import SKOS

    term = URIRef("https://example.org/meddra/autoimmune-disorders")
    old = Graph()
    old += lemtrada
    for label in ("Autoimmune Encephalitis (AIE)", "Autoimmune hepatitis"):
        old.add((_by_label(old, label), SKOS.relatedMatch, term))
    new = _variant("without_aie_hepatitis_renamed", tmp_path)
    new.add((_by_label(new, "Immune-mediated hepatitis"), SKOS.relatedMatch, term))
    _, _, changes = diff_graphs(old, new)
    concern = [(c.change, c.old, c.new) for c in changes
               if c.change.startswith("concern")]
    assert concern == [
        ("concern-removed", "important-identified-risk", ""),
        ("concern-renamed", "Autoimmune hepatitis", "Immune-mediated hepatitis")]
    (removed,) = [c for c in changes if c.change == "concern-removed"]
    assert removed.subject == "Autoimmune Encephalitis (AIE)"


def test_cli_exits_1_on_differences_without_a_flag(derived: dict[str, Path]) -> None:
    from rmpgraph.cli.diff import command

    runner = CliRunner()
    res = runner.invoke(command, [str(LEMTRADA), str(derived["renamed"])])
    assert res.exit_code == 1, res.output
    assert runner.invoke(command, [str(LEMTRADA), str(LEMTRADA)]).exit_code == 0
