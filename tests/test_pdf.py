"""PDF input: the text layer comes back line by line, in order, pages split by "\\f".

Each test draws its own PDF with fpdf2 from text it knows, so the expected lines are
the drawn lines, not a previous output of the extractor.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from rmpgraph.errors import InputError
from rmpgraph.parse.read import read_source

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# fpdf2's core Helvetica is Latin-1 only; without DejaVu, transliterate to it.
_TO_LATIN1 = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'",
                            "\u2019": "'", "\u201c": '"', "\u201d": '"',
                            "\u2265": ">=", "\u2022": "*", "\uf0b7": "*"})


def _new_pdf(size: float = 7.5) -> tuple[FPDF, bool]:
    pdf = FPDF(format="A4")
    pdf.set_margins(10, 10)
    pdf.set_auto_page_break(True, margin=10)
    unicode_font = DEJAVU.exists()
    if unicode_font:
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        pdf.set_font("DejaVu", size=size)
    else:
        pdf.set_font("Helvetica", size=size)
    return pdf, unicode_font


def _render(lines: list[str], path: Path) -> list[str]:
    """Draw one cell per line (blank lines become vertical gaps); return the text."""
    pdf, unicode_font = _new_pdf()
    pdf.add_page()
    drawn = []
    for line in lines:
        text = line.strip().replace("\uf0b7", "\u2022")  # private-use Symbol bullet
        if not unicode_font:
            text = text.translate(_TO_LATIN1)
        pdf.cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
        drawn.append(text)
    pdf.output(str(path))
    return drawn


def _squeeze(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def test_summary_pdf_gives_its_lines_in_order(tmp_path: Path) -> None:
    source_lines = LEMTRADA.read_text(encoding="utf-8").split("\n")
    path = tmp_path / "lemtrada.pdf"
    drawn = _render(source_lines, path)
    pages = len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))
    assert pages > 3  # the sample really spans pages

    source = read_source(path)
    assert source.media_type == "application/pdf"
    assert source.encoding == "pdf"
    got = [line for line in source.lines if line.strip()]
    assert got == [_squeeze(line) for line in drawn if line.strip()]
    # every line knows its page; pages run 1..n in order
    assert len(source.line_pages) == len(source.lines)
    known = [p for p in source.line_pages if p is not None]
    assert known == sorted(known) and known[0] == 1 and known[-1] == pages
    assert "\f" not in source.text


def test_paragraph_gaps_become_single_blank_lines(tmp_path: Path) -> None:
    lines = ["Heading", "", "", "", "First paragraph line one", "line two", "",
             "Second paragraph"]
    path = tmp_path / "gaps.pdf"
    _render(lines, path)
    assert read_source(path).lines == ("Heading", "", "First paragraph line one",
                                       "line two", "", "Second paragraph", "")


def test_ruled_table_row_gives_label_then_value(tmp_path: Path) -> None:
    """A ruled two-column table is read by cell: each row's label, then its value
    (never the two cells' lines interleaved)."""
    pdf, _ = _new_pdf(9)
    pdf.add_page()
    rows = [("Important identified risk", "Serious infections"),
            ("Evidence for linking the risk", "Clinical trials and post-marketing"),
            ("Missing information", "Use in pregnancy")]
    for left, right in rows:
        pdf.cell(70, 6, left, border=1)
        pdf.cell(110, 6, right, border=1, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "table.pdf"
    pdf.output(str(path))
    got = [line for line in read_source(path).lines if line]
    assert got == [cell for row in rows for cell in row]


def test_ligatures_are_expanded(tmp_path: Path) -> None:
    if not DEJAVU.exists():
        pytest.skip("needs a TrueType font with the \ufb01 ligature glyph")
    pdf, _ = _new_pdf(10)
    pdf.add_page()
    pdf.cell(0, 6, "signi\ufb01cant \ufb02uid")
    path = tmp_path / "lig.pdf"
    pdf.output(str(path))
    assert read_source(path).text == "significant fluid\n"


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)  # a "scanned" page: shapes, no text objects
    for y in range(20, 260, 12):
        pdf.rect(20, y, 170, 6, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(InputError, match=r"no text layer \(scanned PDF\?\)") as info:
        read_source(path)
    assert str(info.value).startswith(str(path))


def test_pdf_name_without_pdf_content_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "summary.pdf"
    path.write_text("Summary of risk management plan\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a PDF"):
        read_source(path)


def test_pdf_detected_by_header_whatever_the_name(tmp_path: Path) -> None:
    pdf, _ = _new_pdf(10)
    pdf.add_page()
    pdf.cell(0, 6, "Summary of risk management plan")
    path = tmp_path / "download.bin"
    pdf.output(str(path))
    assert read_source(path).lines == ("Summary of risk management plan", "")


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    pdf, _ = _new_pdf(10)
    pdf.add_page()
    pdf.cell(0, 6, "Summary of risk management plan")
    data = bytes(pdf.output())
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError):
        read_source(path)


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    pdf, _ = _new_pdf(10)
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.cell(0, 6, "Summary of risk management plan")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(InputError, match="password-protected"):
        read_source(path)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=800))
def test_garbage_after_pdf_header_gives_only_input_errors(data: bytes) -> None:
    from rmpgraph.parse.pdf_reader import read_pdf

    try:
        doc = read_pdf(b"%PDF-1.7\n" + data, "fuzz.pdf")
    except InputError as exc:
        assert str(exc).startswith("fuzz.pdf: ")
        assert "\n" not in str(exc)
    else:
        assert doc.blocks


def test_pdf_and_text_of_a_summary_give_the_same_risks_and_studies(
        tmp_path: Path) -> None:
    """Differential: the PDF path must not change what the parser finds."""
    if not DEJAVU.exists():
        pytest.skip("needs DejaVu to draw LEMTRADA's quotes and symbols unchanged")
    from rdflib import URIRef

    import rmpgraph

    path = tmp_path / "lemtrada.pdf"
    _render(LEMTRADA.read_text(encoding="utf-8").split("\n"), path)
    rmp = "https://w3id.org/rmpgraph/ontology#"

    def found(graph: object) -> tuple[set[str], set[str]]:
        label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
        concerns = {str(o) for c in graph.objects(None,  # type: ignore[attr-defined]
                                                   URIRef(rmp + "hasSafetyConcern"))
                    for o in graph.objects(c, label)}  # type: ignore[attr-defined]
        studies = {str(o) for s in graph.objects(None,  # type: ignore[attr-defined]
                                                  URIRef(rmp + "hasStudy"))
                   for o in graph.objects(s, label)}  # type: ignore[attr-defined]
        return concerns, studies

    from_text = found(rmpgraph.build(LEMTRADA).graph)
    from_pdf = found(rmpgraph.build(path).graph)
    assert len(from_text[0]) == 23  # LEMTRADA's II.A lists 23 concerns
    assert "PASS OBS13434" in from_text[1]  # a study named in its II.C table
    assert from_pdf == from_text


def test_a_column_of_one_line_cells_does_not_set_a_table_s_pitch() -> None:
    # tessilor.pdf (DejaVu Serif 10, lines 13.4 pt apart): the "Status" column
    # holds one line per row, which measures no pitch; its guess of 1.2 x 10 pt
    # made every wrapped line of the other columns a paragraph, so a row each
    from rmpgraph.parse.pdf_layout import Line, line_pitch

    def col(*tops: float) -> list[Line]:
        return [Line("x", 0, 10, t, t + 10, 10.0, False, 5) for t in tops]

    wrapped = col(503.7, 517.1, 530.4, 543.8)
    assert line_pitch([wrapped, col(503.7, 666.9)]) == pytest.approx(13.3, abs=0.1)
    assert line_pitch([col(503.7, 666.9)]) is None
