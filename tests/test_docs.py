"""`rmpgraph docs`: pages exist and say what the knowledge files say."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from rmpgraph.present.docs import write_docs

ROOT = Path(__file__).resolve().parent.parent
RMP = "https://w3id.org/rmpgraph/ontology#"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    write_docs(out, today=date(2026, 11, 25))
    return out


def test_all_pages_written(docs: Path) -> None:
    names = sorted(p.name for p in docs.iterdir())
    assert names == ["classes.svg", "index.html", "ontology.html", "queries.html",
                     "shapes.html"]


def test_ontology_page_documents_every_class(docs: Path) -> None:
    onto = Graph().parse(ROOT / "ontology" / "rmp.ttl")
    classes = {str(c)[len(RMP):] for c in onto.subjects(RDF.type, OWL.Class)
               if str(c).startswith(RMP)}
    assert "SafetyConcern" in classes
    page = (docs / "ontology.html").read_text(encoding="utf-8")
    missing = sorted(c for c in classes if c not in page)
    assert missing == []


def test_shapes_page_lists_every_message(docs: Path) -> None:
    page = html.unescape((docs / "shapes.html").read_text(encoding="utf-8"))
    messages = set()
    for path in (ROOT / "ontology" / "shapes").glob("*.ttl"):
        g = Graph().parse(path)
        messages |= {str(m) for s, m in g.subject_objects(SH.message)
                     if isinstance(s, URIRef)}
    assert messages
    assert sorted(m for m in messages if m not in page) == []
    assert "violation" in page and "warning" in page


def test_queries_page_has_examples(docs: Path) -> None:
    page = (docs / "queries.html").read_text(encoding="utf-8")
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert names
    for name in names:
        assert f'id="{name}"' in page, name
    # overdue-milestones with its header example as_of 2026-11-25: the two
    # "Final report: Q3 2024" milestones of the text (DUS, risk of mortality study)
    section = page.split('id="overdue-milestones"', 1)[1].split("</section>", 1)[0]
    assert "Example: 2 rows" in section
    assert "Drug Utilization Study" in section and "Risk of mortality study" in section
    assert "Example failed" not in page


def test_class_diagram_svg(docs: Path) -> None:
    text = (docs / "classes.svg").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert "href" not in text  # standalone: nothing fetched
    boxes = {}
    for g in root.iter(f"{SVG}g"):
        rect = g.find(f"{SVG}rect")
        label = g.find(f"{SVG}text")
        if rect is not None and label is not None:
            boxes[label.text] = tuple(float(rect.get(k)) for k in ("x", "y", "width"))
    onto = Graph().parse(ROOT / "ontology" / "rmp.ttl")
    # every object property with a named rmp: domain and range draws both ends
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        d, r = onto.value(prop, RDFS.domain), onto.value(prop, RDFS.range)
        if d is not None and r is not None and all(
                str(x).startswith(RMP) for x in (d, r)):
            assert str(d)[len(RMP):] in boxes and str(r)[len(RMP):] in boxes, prop
    assert {"MedicinalProduct", "RiskManagementPlan", "SafetyConcern", "Study",
            "Milestone", "EducationalMaterial"} <= set(boxes)
    labels = {t.text for t in root.iter(f"{SVG}text")}
    assert "hasRiskManagementPlan" in labels and "forProduct" not in labels
    rows: dict[float, list[tuple[float, float]]] = {}
    for x, y, w in boxes.values():
        rows.setdefault(y, []).append((x, x + w))
    for spans in rows.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_index_links_and_deterministic(docs: Path, tmp_path: Path) -> None:
    index = (docs / "index.html").read_text(encoding="utf-8")
    for target in re.findall(r'(?:href|src)="([^"#]+)"', index):
        assert (docs / target).exists(), target
    write_docs(tmp_path, today=date(2026, 11, 25), examples=False)
    for name in ("classes.svg", "shapes.html", "index.html"):
        assert (tmp_path / name).read_bytes() == (docs / name).read_bytes(), name


def test_cli_bad_date() -> None:
    from click.testing import CliRunner

    from rmpgraph.cli.docs import command

    res = CliRunner().invoke(command, ["-o", "x", "--as-of", "soon"])
    assert res.exit_code == 2 and res.output.count("\n") == 1


def test_ontology_page_leaves_pylode_caches_alone(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch
                                                  ) -> None:
    """pyLODE caches its background ontologies as pickles in its own folder, written
    in place; a truncated one (a run reading while another wrote) made `rmpgraph docs`
    fail. The page must not read nor write them: here pyLODE's folder holds truncated
    pickles, which stay as they are."""
    from rmpgraph.present.docs import _import_pylode, ontology_html

    _import_pylode()
    import pylode.utils as pylode_utils

    folder = tmp_path / "rdf"
    folder.mkdir()
    for ttl in Path(pylode_utils.RDF_FOLDER).glob("*.ttl"):
        (folder / ttl.name).write_bytes(ttl.read_bytes())
    for name in ("refs.pickle", "refs_titles.pickle"):
        (folder / name).write_bytes(b"\x80\x04\x95")  # a pickle cut after 3 bytes
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(pylode_utils, "RDF_FOLDER", folder)
    page = ontology_html()
    assert "SafetyConcern" in page
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert pylode_utils.RDF_FOLDER == folder  # put back
