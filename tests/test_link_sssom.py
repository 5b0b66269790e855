"""SSSOM: curated tables and link output read by sssom-py; reader errors name lines."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from sssom.parsers import parse_sssom_table

from rmpgraph.errors import InputError
from rmpgraph.graph.namespaces import ID, RMP, vocab
from rmpgraph.link import link_loaded, load_meddra, write_link_sssom
from rmpgraph.link.sssom_io import read_curated
from rmpgraph.paths import DATA_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "meddra"
CURATED = sorted((DATA_DIR / "mappings").glob("*.sssom.tsv"))


def _graph() -> Graph:
    g = Graph()
    product, plan = ID["testprod"], ID["testprod/rmp/000000000000"]
    g.add((product, RDF.type, RMP.MedicinalProduct))
    g.add((product, RMP.hasRiskManagementPlan, plan))
    for slug, label, cat in (
            ("stroke", "Stroke (including haemorrhagic stroke)",
             "important-identified-risk"),
            ("dissection", "Dissection of the cervicocephalic arteries",
             "important-identified-risk"),
            ("paediatric", "Paediatric use", "missing-information")):
        c = ID[f"testprod/concern/{slug}"]
        g.add((plan, RMP.hasSafetyConcern, c))
        g.add((c, RDF.type, RMP.SafetyConcern))
        g.add((c, RDFS.label, Literal(label)))
        g.add((c, RMP.concernCategory, URIRef(vocab("concern-category", cat))))
    return g


@pytest.mark.parametrize("path", CURATED, ids=[p.name for p in CURATED])
def test_curated_tables_are_valid_sssom(path: Path) -> None:
    msdf = parse_sssom_table(path)
    rows = read_curated(path)
    assert len(msdf.df) == len(rows) > 0
    assert set(msdf.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}


def test_link_output_round_trips_through_sssom_py(tmp_path: Path) -> None:
    result = link_loaded(_graph(), load_meddra(FIXTURE))
    out = tmp_path / "links.sssom.tsv"
    write_link_sssom(result, out)
    msdf = parse_sssom_table(out)
    df = msdf.df.sort_values(["subject_id", "object_id"]).reset_index(drop=True)
    # stroke: 2 lexical links; dissection: review row; paediatric: unmapped row
    assert list(zip(df["subject_id"], df["predicate_id"], df["object_id"],
                    strict=True)) == [
        ("rmpid:testprod/concern/dissection", "skos:exactMatch", "sssom:NoTermFound"),
        ("rmpid:testprod/concern/paediatric", "skos:exactMatch", "sssom:NoTermFound"),
        ("rmpid:testprod/concern/stroke", "skos:narrowMatch", "MEDDRA:94000170"),
        ("rmpid:testprod/concern/stroke", "skos:exactMatch", "MEDDRA:95000160"),
    ]
    assert set(df["object_source_version"]) == {"99.0"}
    assert set(df["mapping_justification"]) == {"semapv:LexicalMatching"}
    assert df.loc[3, "object_label"] == "Stroke"
    assert df.loc[3, "confidence"] == pytest.approx(0.85)  # match-rules.tsv "head"
    assert math.isnan(df.loc[0, "confidence"])
    assert df.loc[0, "comment"].startswith("review: ")
    assert df.loc[1, "comment"].startswith("unmapped: ")
    assert msdf.converter.expand("MEDDRA:94000170") == \
        "http://purl.bioontology.org/ontology/MEDDRA/94000170"


def test_output_is_deterministic(tmp_path: Path) -> None:
    meddra = load_meddra(FIXTURE)
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    write_link_sssom(link_loaded(_graph(), meddra), a)
    write_link_sssom(link_loaded(_graph(), meddra), b)
    assert a.read_bytes() == b.read_bytes()


def _table(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "t.sssom.tsv"
    path.write_text(
        "#curie_map:\n#  meddraname: https://w3id.org/rmpgraph/meddra-term-name/\n"
        "#  rmpid: https://w3id.org/rmpgraph/id/\n#mapping_set_id: urn:x\n"
        "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\t"
        "mapping_justification\tconfidence\tcomment\n" + row + "\n", encoding="utf-8")
    return path


def test_curated_reader_rejects_non_skos_predicate(tmp_path: Path) -> None:
    path = _table(tmp_path, "rmpid:p/concern/x\tX\towl:sameAs\tmeddraname:x\tX\t"
                  "semapv:ManualMappingCuration\t0.9\t")
    with pytest.raises(InputError) as err:
        read_curated(path)
    assert str(err.value).startswith(f"{path}:6: ")


def test_curated_reader_requires_name_derived_object_id(tmp_path: Path) -> None:
    path = _table(tmp_path, "rmpid:p/concern/x\tX\tskos:exactMatch\tMEDDRA:10000001\t"
                  "Thrombocytopenia\tsemapv:ManualMappingCuration\t0.9\t")
    with pytest.raises(InputError, match="meddraname:thrombocytopenia"):
        read_curated(path)


def test_curated_term_missing_from_release_goes_to_review(tmp_path: Path) -> None:
    path = _table(tmp_path, "rmpid:testprod/concern/stroke\tStroke\tskos:exactMatch\t"
                  "meddraname:apoplexy\tApoplexy\tsemapv:ManualMappingCuration\t0.9\t")
    result = link_loaded(_graph(), load_meddra(FIXTURE), mapping_files=[path])
    stroke = next(o for o in result.outcomes if str(o.concern).endswith("/stroke"))
    assert stroke.status == "review"
    assert any("'Apoplexy' is not in MedDRA 99.0" in n for n in stroke.notes)
    assert stroke.mappings  # lexical fallback still offers the candidates


def test_curated_non_current_term_is_not_used(tmp_path: Path) -> None:
    path = _table(tmp_path, "rmpid:testprod/concern/stroke\tStroke\tskos:exactMatch\t"
                  "meddraname:infusion-reaction\tInfusion reaction\t"
                  "semapv:ManualMappingCuration\t0.9\t")
    result = link_loaded(_graph(), load_meddra(FIXTURE), mapping_files=[path])
    stroke = next(o for o in result.outcomes if str(o.concern).endswith("/stroke"))
    assert any("is non-current" in n for n in stroke.notes)
    assert "95000141" not in {m.code for m in stroke.mappings}


def test_header_that_is_not_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text("#curie_map:\n#  rmpid: https://w3id.org/rmpgraph/id/\n"
                    "#mapping_set_id: [unclosed\n"
                    "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\t"
                    "mapping_justification\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_curated(path)
    assert str(err.value).startswith(f"{path}:")
    assert "not YAML" in str(err.value)


def test_header_with_quoted_values_and_comments(tmp_path: Path) -> None:
    """YAML the old hand-written reader misread: a quoted value holding ': ' and a
    comment line inside the header."""
    path = tmp_path / "q.sssom.tsv"
    path.write_text(
        "#curie_map:\n#  meddraname: https://w3id.org/rmpgraph/meddra-term-name/\n"
        "#  rmpid: 'https://w3id.org/rmpgraph/id/'\n#mapping_set_id: urn:x\n"
        "#mapping_set_description: 'Draft: not reviewed'\n"
        "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\t"
        "mapping_justification\n"
        "rmpid:p/concern/x\tX\tskos:exactMatch\tmeddraname:thrombocytopenia\t"
        "Thrombocytopenia\tsemapv:ManualMappingCuration\n", encoding="utf-8")
    (row,) = read_curated(path)
    assert row.subject_id == "https://w3id.org/rmpgraph/id/p/concern/x"
    assert row.line == 7
