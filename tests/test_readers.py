"""The document readers (rmpgraph/parse/): block model, DOCX and PDF readers and the
canonical text, on documents made here with python-docx and reportlab.

Property tests draw tables of random text, write them as a real document, read it
back, and check that every cell comes back whole, in its row and column, however
the producer wrapped it; unit tests pin the layout rules one by one.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmpgraph.errors import InputError
from rmpgraph.parse.blocks import Block, Document, Table, clean_text, split_bullet
from rmpgraph.parse.docx_reader import read_docx
from rmpgraph.parse.linearize import linearize, table_kind
from rmpgraph.parse.pdf_reader import read_pdf

WORDS = st.sampled_from(
    "hepatic renal injury risk patients treated serious infection reported "
    "clinical trials postmarketing dose weeks months elderly children".split())
CELL = st.lists(WORDS, min_size=1, max_size=25).map(
    lambda ws: " ".join(ws).capitalize() + ".")
LABEL = st.lists(WORDS, min_size=1, max_size=6).map(
    lambda ws: " ".join(ws).capitalize())
ROWS = st.lists(st.tuples(LABEL, CELL), min_size=1, max_size=5,
                unique_by=lambda r: r[0])


def _docx(rows: list[tuple[str, str]], *, grid: bool = True,
          title: str | None = None) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Before the table.")
    table = d.add_table(rows=len(rows) + (1 if title else 0), cols=2)
    if grid:
        table.style = "Table Grid"
    offset = 0
    if title:
        merged = table.rows[0].cells[0].merge(table.rows[0].cells[1])
        merged.text = title
        offset = 1
    for i, (label, value) in enumerate(rows):
        table.rows[i + offset].cells[0].text = label
        table.rows[i + offset].cells[1].text = value
    d.add_paragraph("After the table.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _pdf(rows: list[tuple[str, str]], *, grid: bool | str = True) -> bytes:
    """A reportlab PDF with the table ruled (True), unruled (False) or with
    horizontal rules only ("h", a common company style)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    style = getSampleStyleSheet()["BodyText"]
    data = [[Paragraph(label, style), Paragraph(value, style)] for label, value in rows]
    table = Table(data, colWidths=[130, 330])
    if grid == "h":
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, "black"),
                                   ("LINEABOVE", (0, 0), (-1, 0), 0.5, "black")]))
    elif grid:
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(
        [Paragraph("Before the table.", style), table,
         Paragraph("After the table.", style)])
    return out.getvalue()


def _tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, grid=st.booleans(), title=st.none() | LABEL)
def test_docx_table_cells_come_back_whole(rows: list[tuple[str, str]], grid: bool,
                                          title: str | None) -> None:
    doc = read_docx(_docx(rows, grid=grid, title=title), "t.docx")
    [table] = _tables(doc)
    body = table.rows[1:] if title else table.rows
    assert [(r[0], r[1]) for r in body] == rows
    if title:
        assert table.rows[0] == [title, None]  # a horizontal merge, resolved


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_ruled_pdf_table_cells_come_back_whole(rows: list[tuple[str, str]]) -> None:
    """A ruled two-column table's cells come back whole from the PDF, each wrapped
    cell re-joined into its paragraph."""
    [table] = _tables(read_pdf(_pdf(rows, grid=True), "t.pdf"))
    assert [(r[0], r[1]) for r in table.rows] == rows


# Without rules, where a row ends is only visible from the labels: a label that
# wraps looks like the next row's label when both are short and lower-case
# ("Hepatic hepatic" / "Hepatic"). The template's own row labels are told apart.
II_B_ROWS = st.lists(st.tuples(st.sampled_from([
    "Evidence for linking the risk to the medicine", "Risk factors and risk groups",
    "Risk minimisation measures", "Additional pharmacovigilance activities",
    "Routine risk minimisation measures", "Additional risk minimisation measures"]),
    CELL), min_size=2, max_size=5, unique_by=lambda r: r[0])


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=II_B_ROWS, grid=st.sampled_from([False, "h"]))
def test_borderless_pdf_table_cells_come_back_whole(
        rows: list[tuple[str, str]], grid: bool | str) -> None:
    [table] = _tables(read_pdf(_pdf(rows, grid=grid), "t.pdf"))
    assert [(r[0], r[1]) for r in table.rows] == rows


@settings(max_examples=40, deadline=None)
@given(rows=ROWS)
def test_canonical_text_keeps_every_cell_in_order(
        rows: list[tuple[str, str]]) -> None:
    text = linearize(Document([Table(rows=[list(r) for r in rows])])).text
    lines = [ln for ln in text.split("\n") if ln]
    assert lines == [cell for row in rows for cell in row]


def test_header_row_table_becomes_records() -> None:
    table = Table(rows=[["Study", "Summary of objectives", "Milestones", "Due dates"],
                        ["PASS ABC-101 (category 3)", "To measure X.",
                         "Protocol submission\nFinal report", "Q1 2026\n2029"]])
    assert table_kind(table) == "records"
    lines = [ln for ln in linearize(Document([table])).text.split("\n") if ln]
    assert lines == ["Study: PASS ABC-101 (category 3)",
                     "Summary of objectives: To measure X.",
                     "Milestones: Protocol submission: Q1 2026", "Final report: 2029"]


def test_a_heading_row_of_its_own_over_template_labels_is_no_record() -> None:
    # kelvoria.docx: one II.B table for every concern under a "Topic | Summary"
    # heading row (w:tblHeader); its rows are the template's labels and values
    table = Table(rows=[["Topic", "Summary"],
                        ["Important identified risk: PML", None],
                        ["Evidence for linking the risk to Kelvoria", "Four cases."],
                        ["Risk factors and risk groups", "Long treatment."],
                        ["Additional risk minimisation measures", "Prescriber guide"]],
                  header_rows=1)
    assert table_kind(table) == "labels"
    lines = [ln for ln in linearize(Document([table])).text.split("\n") if ln]
    assert lines == ["Important identified risk: PML",
                     "Evidence for linking the risk to Kelvoria", "Four cases.",
                     "Risk factors and risk groups", "Long treatment.",
                     "Additional risk minimisation measures", "Prescriber guide"]
    # a heading row of the template's own column names stays a record table
    table.rows[0] = ["Risk", "What is known"]
    assert table_kind(table) == "records"


def test_a_heading_with_a_note_in_brackets_is_known() -> None:
    # zentrivo.pdf II.C.1: "Milestones (due date)" heads a column of a ruled table
    table = Table(rows=[["Study", "Objectives", "Milestones (due date)"],
                        ["XY-101 Extension study", "To describe safety.",
                         "Final study report: 30.06.2029"]])
    assert table_kind(table) == "records"


def test_category_columns_are_read_column_by_column() -> None:
    table = Table(rows=[["Important identified risks", "Important potential risks",
                         "Missing information"],
                        ["Hepatotoxicity\nNeutropenia", "Malignancies", ""]])
    assert table_kind(table) == "categories"
    lines = [ln for ln in linearize(Document([table])).text.split("\n") if ln]
    assert lines == ["Important identified risks", "• Hepatotoxicity",
                     "• Neutropenia", "Important potential risks", "• Malignancies",
                     "Missing information"]


def test_repeated_header_row_is_not_a_record() -> None:
    head = ["Risk", "What is known"]
    table = Table(rows=[head, ["Anaemia", "Seen in 3%."], list(head),
                        ["Rash", "Seen in 1%."]], header_rows=1)
    text = linearize(Document([table])).text
    assert text.count("Risk:") == 2 and "Risk: Risk" not in text


@pytest.mark.parametrize(("raw", "text", "bullet"), [
    ("\uf0b7\tHepatotoxicity", "Hepatotoxicity", True),
    ("\u2022 Patient alert card", "Patient alert card", True),
    ("- SmPC section 4.4", "SmPC section 4.4", True),
    ("o PL section 2", "PL section 2", True),
    ("only routine measures", "only routine measures", False),
    ("II.A List of important risks", "II.A List of important risks", False),
    ("signi\ufb01cant hepa\u00adtic", "significant hepatic", False),
])
def test_bullets_ligatures_and_soft_hyphens(raw: str, text: str, bullet: bool) -> None:
    assert split_bullet(raw) == (text, bullet)
    assert clean_text(clean_text(raw)) == clean_text(raw)


def test_docx_lists_headings_and_furniture(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Testor (testorib) - EU RMP Part VI"
    d.add_heading("II.A List of important risks and missing information", 2)
    d.add_paragraph("Hepatotoxicity", style="List Bullet")
    d.add_paragraph("Plain text.")
    out = io.BytesIO()
    d.save(out)
    doc = read_docx(out.getvalue(), "t.docx")
    kinds = [(b.kind, b.text) for b in doc.blocks if isinstance(b, Block)]
    assert kinds == [("heading", "II.A List of important risks and missing "
                      "information"), ("item", "Hepatotoxicity"),
                     ("paragraph", "Plain text.")]
    assert doc.furniture == ["Testor (testorib) - EU RMP Part VI"]


def test_docx_manual_line_breaks_part_a_cell_but_not_a_paragraph() -> None:
    # brontivia.docx: II.A names in one cell paragraph parted by manual breaks;
    # orlivanta.docx: a title paragraph broken before its substance
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    title = d.add_paragraph("Summary of risk management plan for Xyl")
    title.add_run().add_break(WD_BREAK.LINE)
    title.add_run("(xylamab)")
    cell = d.add_table(rows=1, cols=2).rows[0].cells
    cell[0].text = "Important potential risks"
    para = cell[1].paragraphs[0]
    para.add_run("Serious infections")
    para.add_run().add_break(WD_BREAK.LINE)
    para.add_run("Hypersensitivity reactions")
    out = io.BytesIO()
    d.save(out)
    doc = read_docx(out.getvalue(), "t.docx")
    assert [b.text for b in doc.blocks if isinstance(b, Block)] == [
        "Summary of risk management plan for Xyl (xylamab)"]
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.rows[0][1] == "Serious infections\nHypersensitivity reactions"


@pytest.mark.parametrize(("data", "message"), [
    (b"plain text, not a zip", "not a Word document"),
    (b"PK\x05\x06" + bytes(18), "without word/document.xml"),
])
def test_broken_docx_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_docx(data, "x.docx")


def test_pdf_table_continued_on_next_page_is_one_table() -> None:
    rows = [(f"Label {i}", "Long value text that fills the cell. " * 6)
            for i in range(40)]
    doc = read_pdf(_pdf(rows), "long.pdf")
    tables = _tables(doc)
    assert len(tables) == 1 and len(tables[0].pages) > 1
    assert [r[0] for r in tables[0].rows] == [r[0] for r in rows]


def test_docx_with_automatic_heading_numbers_is_read(tmp_path: Path) -> None:
    """Word keeps automatic heading numbers out of the text ("List of important
    risks and missing information" is all a .docx holds); sections are still found."""
    import docx

    from rmpgraph.graph.pipeline import build_source
    from rmpgraph.parse.read import read_source

    d = docx.Document()
    d.add_paragraph("Summary of risk management plan for Numbra (numbrastat)")
    d.add_heading("The medicine and what it is used for", 1)
    d.add_paragraph("It contains numbrastat as the active substance and it is "
                    "given by mouth.")
    d.add_heading("List of important risks and missing information", 2)
    table = d.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, [
            ("Important identified risks", "Myopathy"),
            ("Important potential risks", "None"),
            ("Missing information", "Use in pregnancy")], strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    d.add_heading("Summary of important risks", 2)
    d.add_heading("Post-authorisation development plan", 2)
    d.add_heading("Studies which are conditions of the marketing authorisation", 3)
    d.add_paragraph("There are no studies which are conditions of the marketing "
                    "authorisation or specific obligation of Numbra.")
    path = tmp_path / "numbra.docx"
    d.save(str(path))
    doc = build_source(read_source(path)).document
    assert doc.product.name == "Numbra"
    assert [(c.name, c.category.value) for c in doc.concerns] == [
        ("Myopathy", "important-identified-risk"),
        ("Use in pregnancy", "missing-information")]


def test_docx_rows_and_cells_inside_content_controls() -> None:
    """Company templates wrap rows and cells in content controls (w:sdt)."""
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Label A", "Value A"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Label B", "Value B"
    tr = table.rows[1]._tr  # the second row inside a row-level content control
    sdt = etree.SubElement(table._tbl, qn("w:sdt"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    table._tbl.remove(tr)
    content.append(tr)
    tc = table.rows[0]._tr.findall(qn("w:tc"))[1]  # a cell-level one
    cell_sdt = etree.Element(qn("w:sdt"))
    tc.addprevious(cell_sdt)
    cell_content = etree.SubElement(cell_sdt, qn("w:sdtContent"))
    cell_content.append(tc)
    out = io.BytesIO()
    d.save(out)
    [found] = _tables(read_docx(out.getvalue(), "t.docx"))
    assert found.rows == [["Label A", "Value A"], ["Label B", "Value B"]]


def test_borderless_study_table_with_bottom_aligned_cells() -> None:
    """reportlab's default: no rules, cells aligned at the bottom, a two-line column
    heading whose first line sits above the others; a shaded header row."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as RLTable

    style = getSampleStyleSheet()["BodyText"]
    rows = [["Study", "Summary of objectives", "Safety concerns addressed",
             "Milestones", "Due dates"],
            ["PASS ABC-101 (category 3)", "To measure hepatic injury in routine use.",
             "Hepatotoxicity", "Protocol submission<br/>Final report",
             "Q1 2026<br/>31 December 2029"],
            ["REG ABC-102 (category 3)", "Pregnancy outcomes.", "Use in pregnancy",
             "Final report", "2030"]]
    table = RLTable([[Paragraph(c, style) for c in r] for r in rows],
                    colWidths=[90, 120, 90, 90, 80])
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), "#cccccc")]))
    out = io.BytesIO()
    SimpleDocTemplate(out).build([Paragraph("II.C.2 Other studies", style), table])
    lines = [ln for ln in linearize(read_pdf(out.getvalue(), "t.pdf")).text.split("\n")
             if ln]
    assert lines[1:] == [
        "Study: PASS ABC-101 (category 3)",
        "Summary of objectives: To measure hepatic injury in routine use.",
        "Safety concerns addressed: Hepatotoxicity",
        "Milestones: Protocol submission: Q1 2026", "Final report: 31 December 2029",
        "Study: REG ABC-102 (category 3)", "Summary of objectives: Pregnancy outcomes.",
        "Safety concerns addressed: Use in pregnancy", "Milestones: Final report: 2030"]
