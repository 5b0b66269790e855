"""MedDRA loader on the synthetic fixture (tests/fixtures/meddra, invented codes).

Expected codes and names are read off the fixture's .asc files by eye (see its
README); the loader must reproduce the hierarchy, the primary SOC flags and the LLT
currency they state, and refuse broken distributions with file:line errors.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from rmpgraph.errors import InputError, UsageError
from rmpgraph.graph.namespaces import RMP
from rmpgraph.link.meddra import load_meddra
from rmpgraph.link.meddra_rdf import DEFAULT_BASE, scheme_iri, to_graph

FIXTURE = Path(__file__).parent / "fixtures" / "meddra"


@pytest.fixture(scope="module")
def meddra():
    return load_meddra(FIXTURE)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "MedAscii"
    shutil.copytree(FIXTURE, target)
    return target


def test_version_and_counts_come_from_the_distribution(meddra) -> None:
    assert meddra.version == "99.0"
    assert meddra.language == "English"
    # line counts of soc.asc, hlgt.asc, hlt.asc, pt.asc, llt.asc
    counts = {name: sum(1 for line in (FIXTURE / f"{name}.asc").read_text().splitlines()
                        if line) for name in ("soc", "hlgt", "hlt", "pt", "llt")}
    assert meddra.counts() == {"SOC": counts["soc"], "HLGT": counts["hlgt"],
                               "HLT": counts["hlt"], "PT": counts["pt"],
                               "LLT": counts["llt"]}


def test_hierarchy_llt_pt_hlt_hlgt_soc(meddra) -> None:
    # LLT 95000160 "Stroke" -> PT 94000160 -> HLT 93000160 -> HLGT 92000160
    # -> SOC 91000110
    assert meddra.names["95000160"] == "Stroke"
    assert meddra.broader("95000160") == ["94000160"]
    assert meddra.broader("94000160") == ["93000160"]
    assert meddra.broader("93000160") == ["92000160"]
    assert meddra.broader("92000160") == ["91000110"]
    assert meddra.broader("91000110") == []
    assert meddra.level["95000160"] == "LLT" and meddra.level["94000160"] == "PT"


def test_multi_axial_pt_and_primary_soc(meddra) -> None:
    # PT 94000210 Guillain-Barre syndrome: HLTs 93000200 (Nervous) and 93000120 (Immune)
    assert meddra.broader("94000210") == ["93000120", "93000200"]
    socs = {c for c in meddra.ancestors("94000210") if meddra.level[c] == "SOC"}
    assert socs == {"91000060", "91000110"}
    assert meddra.primary_soc["94000210"] == "91000110"


def test_llt_currency(meddra) -> None:
    assert meddra.llt_current["95000090"] is False  # Thyroid trouble, N
    assert meddra.llt_current["95000070"] is True  # Heart attack, Y
    assert meddra.llt_pt["94000070"] == "94000070"  # the PT's own LLT record


def test_medascii_subfolder_is_found(tmp_path: Path) -> None:
    _copy(tmp_path)
    assert load_meddra(tmp_path).version == "99.0"


def test_version_option_needed_without_release_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "meddra_release.asc").unlink()
    with pytest.raises(UsageError, match="--meddra-version"):
        load_meddra(folder)
    assert load_meddra(folder, "27.1").version == "27.1"


def test_version_option_contradicting_release_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="says 99.0"):
        load_meddra(_copy(tmp_path), "27.1")


def test_malformed_record_names_file_and_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    lines = (folder / "pt.asc").read_text().splitlines()
    lines[4] = "not a record"
    (folder / "pt.asc").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        load_meddra(folder)
    assert str(err.value).startswith(f"{folder / 'pt.asc'}:5: ")


def test_llt_pointing_to_unknown_pt(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    with (folder / "llt.asc").open("a") as f:
        f.write("95999999$Orphan term$94999999$$$$$$$Y$$\n")
    with pytest.raises(InputError, match="unknown PT 94999999"):
        load_meddra(folder)


def test_primary_soc_must_be_one_of_the_pts_socs(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    pt = (folder / "pt.asc").read_text().replace(
        "94000010$Thrombocytopenia$$91000010$", "94000010$Thrombocytopenia$$91000020$")
    (folder / "pt.asc").write_text(pt)
    (folder / "mdhier.asc").unlink()
    with pytest.raises(InputError, match="primary SOC 91000020 of PT 94000010"):
        load_meddra(folder)


def test_mdhier_disagreeing_with_pt_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    hier = (folder / "mdhier.asc").read_text().splitlines()
    # flip the primary flag of GBS: Immune path Y, Nervous path N
    out = []
    for line in hier:
        if line.startswith("94000210$93000120"):
            line = line[:-3] + "$Y$"
        elif line.startswith("94000210$93000200"):
            line = line[:-3] + "$N$"
        out.append(line)
    (folder / "mdhier.asc").write_text("\n".join(out) + "\n")
    with pytest.raises(InputError, match="primary SOC of PT 94000210 is 91000060"):
        load_meddra(folder)


def test_skos_emission_of_referenced_terms_and_ancestors(meddra) -> None:
    g = to_graph(meddra, ["95000160"])
    iri = URIRef(DEFAULT_BASE + "95000160")
    pt = URIRef(DEFAULT_BASE + "94000160")
    soc = URIRef(DEFAULT_BASE + "91000110")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert concepts == {URIRef(DEFAULT_BASE + c) for c in
                        ("95000160", "94000160", "93000160", "92000160", "91000110")}
    assert (iri, SKOS.broader, pt) in g
    assert (iri, RMP.isCurrent, Literal(True)) in g
    assert (iri, RMP.meddraLevel, Literal("LLT")) in g
    assert (pt, RMP.primarySoc, soc) in g
    assert (iri, SKOS.notation, Literal("95000160")) in g
    assert (iri, SKOS.prefLabel, Literal("Stroke", lang="en")) in g
    assert (soc, SKOS.topConceptOf, scheme_iri("99.0")) in g
    assert (scheme_iri("99.0"), RDF.type, RMP.MeddraRelease) in g


def test_full_emission_has_one_concept_per_code(meddra) -> None:
    g = to_graph(meddra, base="urn:test:meddra:")
    assert len(set(g.subjects(RDF.type, SKOS.Concept))) == len(meddra.level)
    assert all(str(s).startswith("urn:test:meddra:")
               for s in g.subjects(RDF.type, SKOS.Concept))
