"""Rules for text that a layout analyser exports box by box (pdfminer.six, the text
layer under pdfplumber): list glyphs apart from their items or as "(cid:N)", list
numbers apart from their headings, a column's rows run into one paragraph, headings
printed out of order by a two-column page; and the II.B table copied from Part V.3.
Each test states a document fragment and the facts a reader of it would write."""

from __future__ import annotations

from pathlib import Path

import pytest
from docfacts import DOCS, facts_of_graph

from rmpgraph.parse.blocks import Table
from rmpgraph.parse.extract import extract
from rmpgraph.parse.extract_concerns import match_category, parse_list, parse_summaries
from rmpgraph.parse.linearize import Canonical, _table, table_kind
from rmpgraph.parse.milestones import parse_due
from rmpgraph.parse.model import Category, Concern
from rmpgraph.parse.oldtemplate_risks import _names_in, _spelt_by
from rmpgraph.parse.pdf_layout import _join
from rmpgraph.parse.read import source_from_string
from rmpgraph.parse.reconcile import drop_untold
from rmpgraph.parse.rowcontent import materials_of
from rmpgraph.parse.segment import Line, strip_bullet
from rmpgraph.parse.textutil import items


def _lines(*texts: str) -> list[Line]:
    return [Line(i + 1, t, False) for i, t in enumerate(texts)]


def test_an_unmapped_glyph_at_a_line_start_is_a_bullet() -> None:
    assert strip_bullet("(cid:127) Hepatotoxicity") == ("Hepatotoxicity", True)
    assert strip_bullet("  (cid:183)  Use in pregnancy") == ("Use in pregnancy", True)
    assert strip_bullet("Grade (cid:127) text") == ("Grade (cid:127) text", False)


def test_a_numbered_category_heading_and_a_number_alone_on_its_line() -> None:
    assert match_category("2. Important potential risks") == (Category.POTENTIAL, "")
    assert match_category("(3) Missing information") == (Category.MISSING, "")
    assert match_category("4.4 Important potential risks") is None
    names, _, _, _ = parse_list(_lines(
        "1.", "", "Important identified risks", "", "Hepatotoxicity", "",
        "Thromboembolic events", "2.", "", "Important potential risks", "",
        "Cataract", "", "3. Missing information", "", "Use in pregnancy"))
    assert [(n.name, n.category) for n in names] == [
        ("Hepatotoxicity", Category.IDENTIFIED),
        ("Thromboembolic events", Category.IDENTIFIED),
        ("Cataract", Category.POTENTIAL),
        ("Use in pregnancy", Category.MISSING)]


def test_names_whose_glyphs_sit_in_another_box_are_one_name_each() -> None:
    lines = [Line(1, "Hepatotoxicity", True), Line(2, "", False),
             Line(3, "Thromboembolic events", False),
             Line(4, "Recurrence of thrombocytopenia after", False),
             Line(5, "stopping treatment", False)]
    assert [t for t, _ in items(lines, names=True)] == [
        "Hepatotoxicity", "Thromboembolic events",
        "Recurrence of thrombocytopenia after stopping treatment"]
    # a bulleted item of prose still goes on over a gap after an unfinished line
    assert [t for t, _ in items(lines)][0] == "Hepatotoxicity Thromboembolic events"


def test_a_caption_ends_where_a_row_label_starts_even_cut_by_a_page() -> None:
    summaries, _ = parse_summaries(_lines(
        "Table II.B.1-4: Important potential risk – Acceleration of neoplastic growth",
        "Evidence for linking", "the risk to", "", "Pexaglutide stimulates growth.",
        "Risk factors and", "risk groups", "Patients with polyps."))
    assert [s.name for s in summaries] == ["Acceleration of neoplastic growth"]


def _concern(key: str, listed: bool = True, summary: bool = False) -> Concern:
    c = Concern(key=key, name=key, category=Category.MISSING, listed=listed,
                position=1 if listed else None)
    if summary:
        from rmpgraph.parse.model import TableInfo
        c.summary = TableInfo()
    return c


def test_names_of_an_interleaved_list_stay_only_if_ii_b_names_them() -> None:
    a, b, c = _concern("a", summary=True), _concern("b"), _concern("c", summary=True)
    note = _concern("Includes cases reported as organising pneumonia.")
    kept, notes = drop_untold([a, b, c, note], {"a", "b"}, tables=2)
    assert kept == [a, c]
    assert [x.position for x in kept] == [1, 2]
    assert [n for _, n in notes] == [
        "II.A name 'b' is from a list whose columns the text interleaves and no "
        "II.B table names it; left out",
        "II.A name 'Includes cases reported as organising pneumonia.' reads as a "
        "sentence and no II.B table names it; left out"]
    # no II.B tables: nothing to check by, so the names stay and their categories
    # are told as guesses
    kept, notes = drop_untold([a, b, c], {"a", "b"}, tables=0)
    assert kept == [a, b, c]
    assert [n.split(";")[0] for _, n in notes] == [
        f"the category of '{x}' is not known for certain (II.A printed its headings "
        "apart from its names, and no II.B table places it)" for x in "ab"]


def test_a_column_label_printed_atop_a_cell_is_a_paragraph_of_its_own() -> None:
    from rmpgraph.parse.oldtemplate_risks import _label_apart

    paras = [_lines("Risk", "Low sodium in the blood", "(hyponatraemia)"),
             _lines("Thoughts of suicide")]
    assert [[x.text for x in p] for p in _label_apart(paras)] == [
        ["Risk"], ["Low sodium in the blood", "(hyponatraemia)"],
        ["Thoughts of suicide"]]


def test_a_column_of_risk_names_run_together_is_cut_into_names() -> None:
    concerns = [_concern(n) for n in (
        "Hyponatraemia", "Suicidal ideation and behaviour",
        "Drug reaction with eosinophilia and systemic symptoms")]
    para = _lines("Thoughts of suicide and", "self-harm (suicidal",
                  "ideation and behaviour)", "Severe drug rash with", "fever and organ",
                  "involvement (DRESS)")
    got = _names_in(para, concerns)
    assert got is not None
    assert [[x.no for x in part] for part in got] == [[1, 2, 3], [4, 5, 6]]
    assert _names_in(_lines("Sodium levels should be", "checked"), concerns) is None
    assert _spelt_by("DRESS", concerns) is concerns[2]
    assert _spelt_by("SJS", concerns) is None


_REV1 = """Summary of risk management plan for Dorvenia (lomitrazine)
Part VI: Summary of activities in the risk management plan by product
VI.1 Elements for summary tables in the EPAR
VI.1.1 Summary table of safety concerns
Important identified risks
Hyponatraemia
Important potential risks
Teratogenicity
Missing information
Long-term use in children
VI.2 Elements for a public summary
VI.2.1 Overview of disease epidemiology
Epilepsy is common.
VI.2.2 Summary of treatment benefits
It contains lomitrazine as the active substance and it is given by mouth.
VI.2.4 Summary of safety concerns
Important identified risks
VI.2.3 Unknowns relating to treatment benefits
Few patients older than 75 years were studied.

Risk
Low sodium in the blood (hyponatraemia)

What is known
A low level of sodium was seen in 3 in 100 patients.

Important potential risks

Risk
Harm to the unborn child (teratogenicity)

What is known
Malformations were seen in rats.
VI.2.5 Summary of risk minimisation measures by safety concern
This medicine has no additional risk minimisation measures.
"""


def test_a_section_printed_before_an_earlier_one_runs_on_past_it() -> None:
    doc = extract(source_from_string(_REV1, "dorvenia.txt"))
    by_name = {c.name: c for c in doc.concerns}
    assert by_name["Hyponatraemia"].summary is not None
    assert by_name["Teratogenicity"].summary is not None
    assert "A low level of sodium" in (by_name["Hyponatraemia"].evidence_text or "")


def test_ii_b_as_one_part_v3_table_reads_as_one_table_per_concern() -> None:
    table = Table(rows=[
        ["Safety concern", "Risk minimisation measures",
         "Pharmacovigilance activities"],
        ["Important identified risks", None, None],
        ["Haemorrhage", "Routine risk minimisation measures:\nSmPC section 4.4\n"
         "Additional risk minimisation measures:\nPrescriber guide",
         "Additional pharmacovigilance activities:\nNRV-OBS-401"],
        ["", "Medicinal product subject to\nmedical prescription", ""],
        ["Missing information", None, None],
        ["Use in pregnancy", "Routine risk minimisation measures:\nSmPC section 4.6",
         "Additional pharmacovigilance activities:\nNone"],
    ], header_rows=1, page=3)
    assert table_kind(table) == "concerns"
    out = Canonical()
    _table(out, table)
    text = [t for t in out.lines if t]
    assert text[:3] == ["Important identified risk: Haemorrhage",
                        "Risk minimisation measures",
                        "Routine risk minimisation measures:"]
    assert "Missing information: Use in pregnancy" in text
    assert "Medicinal product subject to" in text  # the row split by a page
    summaries, _ = parse_summaries(_lines(*out.lines))
    assert [(s.name, s.category) for s in summaries] == [
        ("Haemorrhage", Category.IDENTIFIED), ("Use in pregnancy", Category.MISSING)]
    # the older template's VI.1.4 (routine | additional) stays a record table
    vi14 = Table(rows=[["Safety concern", "Routine risk minimisation measures",
                        "Additional risk minimisation measures"],
                       ["Hepatotoxicity", "SmPC 4.4", "None"]], header_rows=1)
    assert table_kind(vi14) == "records"


def test_a_cell_line_broken_after_a_hyphen_joins_without_a_space() -> None:
    assert _join(["(Child-", "Pugh B and C)"]) == "(Child-Pugh B and C)"
    assert _join(["breast-", "feeding"]) == "breast-feeding"
    assert _join(["Hepatotoxicity -", "Grade 3"]) == "Hepatotoxicity - Grade 3"


def test_an_ordinal_quarter_and_a_physicians_guide() -> None:
    due = parse_due("2nd quarter 2028")
    assert due is not None and (due.start.isoformat(), due.end.isoformat()) == (
        "2028-04-01", "2028-06-30")
    assert materials_of("Educational material: physician\u2019s guide and patient "
                        "brochure") == ["hcp-guide", "patient-guide"]
    assert materials_of("Physician's checklist") == ["hcp-checklist"]


# ---------------------------------------------------------------- PDF pages in columns

def _word(text: str, x0: float, top: float) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + 6 * len(text), "top": top,
            "bottom": top + 10, "size": 10.0, "fontname": "Serif"}


def _row(top: float, *pieces: tuple[float, str]) -> list[dict[str, object]]:
    """Words of one text line: each piece ("text", at x) split into words."""
    out = []
    for x, text in pieces:
        for w in text.split():
            out.append(_word(w, x, top))
            x += 6 * len(w) + 4
    return out


def test_two_columns_of_running_text_are_no_borderless_table() -> None:
    from rmpgraph.parse.pdf_tables import text_tables

    # a known row label at the left margin beside the other column's prose, and
    # the left column's sentences around it: two columns of text, not a table
    left = ["Evidence for linking the risk to the medicine",
            "It binds the protein. Cases were seen.", "Most were mild. All recovered.",
            "Risk factors and risk groups", "Patients who are not vaccinated.",
            "Risk minimisation measures", "Routine risk minimisation measures:",
            "SmPC sections 4.4 and 4.8"]
    rows = [_row(100 + 12 * i, (54, t), (310, "right column text goes on here"))
            for i, t in enumerate(left)]
    tables, rest = text_tables(rows, 595.0)
    assert tables == [] and len(rest) == len(rows)
    # the same labels beside their values, no sentences on the left: a table
    labels = ["Evidence for linking the risk to the medicine", "",
              "Risk factors and risk groups", "", "Risk minimisation measures", ""]
    rows = [_row(100 + 12 * i, *([(54, t)] if t else []),
                 (310, "Cases were seen in trials."))
            for i, t in enumerate(labels)]
    tables, _ = text_tables(rows, 595.0)
    assert len(tables) == 1


def test_the_same_words_atop_two_columns_are_no_header_row() -> None:
    from rmpgraph.parse.pdf_header_tables import _header_at

    same = _row(100, (54, "Routine risk minimisation measures:"),
                (310, "Routine risk minimisation measures:"))
    assert _header_at(same) is None
    header = _row(100, (54, "Safety concern"),
                  (310, "Routine risk minimisation measures"))
    assert _header_at(header) is not None


def test_the_left_column_goes_on_where_the_right_one_ends_early() -> None:
    from rmpgraph.parse.pdf_layout import regions

    both = [_row(100 + 12 * i, (54, "left column text set full to the gap"),
                 (310, f"right column line {i}")) for i in range(6)]
    # the right column's text ends; the left one runs on, full to the gutter, past
    # a paragraph's space
    left_only = [_row(top, (54, "left column text set full to the gap"))
                 for top in (172, 196, 208, 220)]
    parts, column = regions(both + left_only, 595.0)
    assert column is not None
    assert [len(p) for p in parts] == [10, 6]  # the left column whole, then the right
    assert parts[0][-1].top == left_only[-1][0]["top"]


# ---------------------------------------------------------------- names and studies

def test_a_numbered_title_and_numbered_list_items_in_text() -> None:
    assert match_category("Important potential risk 2: Embryo-fetal toxicity") == (
        Category.POTENTIAL, "Embryo-fetal toxicity")
    assert match_category("Important identified risk 5-HT3 syndrome") == (
        Category.IDENTIFIED, "5-HT3 syndrome")  # a name that starts with a number
    names, _, _, _ = parse_list(_lines(
        "Important identified risks", "1. Hepatotoxicity", "2. Interstitial lung",
        "disease", "Missing information", "1. Long-term safety", "a", "b"))
    assert [(n.name, n.category) for n in names] == [
        ("Hepatotoxicity", Category.IDENTIFIED),
        ("Interstitial lung disease", Category.IDENTIFIED),
        ("Long-term safety", Category.MISSING)]  # lone markers "a", "b" dropped


def test_a_marker_glued_to_a_name_whose_footnote_moved_away() -> None:
    from rmpgraph.parse.reconcile import lost_hyphen

    assert lost_hyphen("Hepatotoxicitya", "Hepatotoxicity")
    assert not lost_hyphen("Anaemia", "Anaemia")  # the same name: nothing to mend
    assert not lost_hyphen("Hepatotoxicityz", "Hepatotoxicity")


def test_a_list_of_concerns_beside_notes_is_a_list() -> None:
    table = Table(rows=[["Safety concern", "Main source of evidence"],
                        ["Important identified risks", None],
                        ["Hepatotoxicity", "Clinical trials; class effect"],
                        ["Missing information", None],
                        ["Use in children", "No data"]], header_rows=0)
    assert table_kind(table) == "concern-list"
    out = Canonical()
    _table(out, table)
    assert [t for t in out.lines if t] == [
        "Important identified risks", "• Hepatotoxicity", "Missing information",
        "• Use in children"]


def test_study_names_that_are_headings_dates_sentences_or_materials() -> None:
    from rmpgraph.parse.assemble import _no_study_name
    from rmpgraph.parse.rowcontent import pv_mentions

    for label in ("Study", "Study short name and title", "Q1 2028 December 2029",
                  "2nd quarter 2028", "2027"):
        assert _no_study_name(label), label
    for label in ("OBS13434", "20150136", "Study 20150136", "EUPAS611872"):
        assert not _no_study_name(label), label
    mentions, _ = pv_mentions(_lines(
        "QRV-PASS-101", "Patient alert card",
        "Previous malignancy, smoking, long disease duration.",
        "Registry of long-term safety", "Patient alert card effectiveness survey"))
    assert [m.name for m in mentions] == ["QRV-PASS-101",
                                          "Registry of long-term safety",
                                          "Patient alert card effectiveness survey"]


def test_milestones_in_a_text_export() -> None:
    from rmpgraph.parse.milestones import _milestone, _run_together
    from rmpgraph.parse.model import Span
    from rmpgraph.parse.studies import parse_pv_row

    for due in ("Q1 2028 December 2029", "31-Mar-2027 2028-06-30",
                "30/06/2027 31/12/2029"):
        assert _run_together(due), due
        assert _milestone(f"Final report: {due}", Span(1, 1)) is None
    for due in ("2026–2030", "2027 and 2029", "2028 (final: 2030)", "2027/2028",
                "31 March 2027", "annually from 2026 until 2030"):
        assert not _run_together(due), due
    (mention,) = parse_pv_row(_lines("QRV-PASS-101", "Interim report 1: 31 March 2027",
                                     "Interim report 2: 31 March 2029"))
    assert [(m.kind, m.due_text) for m in mention.milestones] == [
        ("interim-report", "31 March 2027"), ("interim-report", "31 March 2029")]
    due = parse_due("31-Mar-2027")
    assert due is not None and due.start is not None and due.start.isoformat() == \
        "2027-03-31"


def test_a_study_with_two_final_reports_keeps_no_milestone() -> None:
    from rmpgraph.parse.assemble import _once_in_a_life
    from rmpgraph.parse.milestones import _milestone
    from rmpgraph.parse.model import Span, Study

    st = Study(key="", label="EDV-OS-501")
    st.milestones = [m for t in ("Study start: Q1 2026", "Final report: Q2 2030",
                                 "Final report: 31 December 2035")
                     if (m := _milestone(t, Span(1, 1))) is not None]
    found: list[str] = []
    _once_in_a_life(st, lambda _line, why: found.append(why))
    assert st.milestones == [] and found and "2 final-report" in found[0]
    one = Study(key="", label="X")
    one.milestones = [m for t in ("Interim report: 2027", "Interim report: 2029",
                                  "Final report: 2031")
                      if (m := _milestone(t, Span(1, 1))) is not None]
    _once_in_a_life(one, lambda _line, why: found.append(why))
    assert len(one.milestones) == 3


def test_plan_sentences_and_cells_in_a_study_entry() -> None:
    from rmpgraph.parse.studies import parse_plan

    entries, _, _ = parse_plan(_lines(
        "The following studies are specific obligations of the conditional "
        "marketing authorisation of Imbrasta:", "",
        "Study short name and title: IMB-301", "",
        "Rationale and study objectives: Rationale: to confirm the benefit.",
        "", "Objectives: to evaluate the effectiveness of the patient alert card.",
        "", "Milestones: Final report: 2028-06-30"), "ii-c-1")
    (e,) = entries
    assert e.category == 2
    assert "patient alert card" in e.fields["objective"]
    assert e.fields["objective"].startswith("Rationale:")


@pytest.mark.parametrize("name", ["ambrelta", "kelvoria", "quorvela", "tessilor"])
def test_word_pdf_text_quirks_change_no_fact(name: str, tmp_path: Path) -> None:
    """Text from a Word PDF has a space at the end of every line and can lose its
    Symbol-font bullets, leaving a leading space (data/rmp/lemtrada.txt): the same
    pdfminer text with those quirks gives the same facts."""
    src = DOCS / f"{name}.pdfminer.txt"
    lines = src.read_text("utf-8").split("\n")
    quirky = tmp_path / src.name
    quirky.write_text("\n".join((ln.replace("\uf0b7", "") + " ") if ln.strip() else ln
                                for ln in lines), "utf-8")
    assert facts_of_graph(quirky) == facts_of_graph(src)


def test_a_table_whose_values_come_out_before_their_labels() -> None:
    """pdfminer prints a borderless table's first label, then every value as one
    block, then the other labels (ambrelta.pdfminer.txt)."""
    from rmpgraph.parse.cellflow import reflow

    rows, _ = reflow(_lines(
        "Evidence for", "linking the risk to", "the medicine", "",
        "Increases of liver transaminases occurred in 6% of patients.",
        "Pre-existing liver disease and hepatotoxic medicines.",
        "SmPC sections 4.2, 4.4 and 4.8", "PL sections 2 and 4",
        "Healthcare professional checklist", "Patient guide", "",
        "AMB-SO-101 — Final study report: Q3 2028", "",
        "Risk factors and", "risk groups", "Routine risk", "minimisation", "measures",
        "", "Additional risk", "minimisation", "measures", "Additional",
        "pharmacovigilance", "activities")) or ({}, set())
    text = {row: [x.text for x in lines] for row, lines in rows.items()}
    assert text["additional-rmm"] == ["Healthcare professional checklist",
                                      "Patient guide"]
    assert text["routine-rmm"] == ["SmPC sections 4.2, 4.4 and 4.8",
                                   "PL sections 2 and 4"]
    assert text["additional-pv"] == ["AMB-SO-101 — Final study report: Q3 2028"]


def test_the_last_value_printed_before_the_last_label() -> None:
    """pdfminer prints a table's last value box ahead of its last label box
    (sorvelta.pdfminer.txt): the study belongs to the pharmacovigilance row."""
    from rmpgraph.parse.cellflow import reflow

    rows, _ = reflow(_lines(
        "Risk minimisation", "measures", "", "Routine risk minimisation measures:",
        "", "SmPC section 5.3", "", "Additional risk minimisation measures:", "",
        "Not applicable", "", "SRV-PASS-401 (category 1)", "", "Additional",
        "pharmacovigilance", "activities")) or ({}, set())
    assert [x.text for x in rows["additional-pv"]] == ["SRV-PASS-401 (category 1)"]


def test_a_label_ending_on_the_line_of_its_first_value() -> None:
    """pdftotext puts a wrapped label's last words and the row's value on one line
    (imbrasta.txt: "Additional" / "IMB-301" / "pharmacovigilance activities
    IMB-204"); a sentence going on after "… linking the risk to" is no value."""
    from rmpgraph.parse.cellflow import _Label, _label_end, reflow

    rows, _ = reflow(_lines(
        "Evidence for", "Hepatotoxicity occurred in 12% of patients.",
        "linking the risk to", "the medicine",
        "Risk minimisation measures Routine risk minimisation measures:",
        "SmPC section 4.4", "Additional risk minimisation measures:",
        "Guide for healthcare professionals", "Additional", "KVX-301",
        "pharmacovigilance activities KVX-204", "KVX-PASS-402")) or ({}, set())
    assert [x.text for x in rows["additional-pv"]] == [
        "KVX-301", "KVX-204", "KVX-PASS-402"]
    # ambrelta.txt: "… to" + one word reads as "… to <product>", a whole label
    pending = _Label("evidence", False,
                     _lines("Evidence for", "linking the risk to"), 0)
    assert _label_end(pending, Line(3, "blood clots. In the study KVX-302")) is None
    assert _label_end(pending, Line(3, "the medicine Raising the platelet count")) == (
        "the medicine", "Raising the platelet count")


def test_a_second_column_beside_the_names_is_no_names() -> None:
    """Older VI.1.1 tables may have a "Main source of evidence" column: pdfminer
    prints its heading and cells after the names, pdftotext its heading among the
    names and its cells after them (oxapremid)."""
    evidence = ["Clinical trials; class effect", "Non-clinical studies", "No data"]
    after = parse_list(_lines(
        "Important identified risks", "Hepatotoxicity", "Anaemia",
        "Missing information", "Use in children", "", "Main source of evidence", "",
        *evidence))[0]
    among = parse_list(_lines(
        "Important identified risks", "Hepatotoxicity", "", "Main source of evidence",
        "", "Anaemia", "Missing information", "Use in children", "", *evidence))[0]
    want = [("Hepatotoxicity", Category.IDENTIFIED), ("Anaemia", Category.IDENTIFIED),
            ("Use in children", Category.MISSING)]
    assert [(n.name, n.category) for n in after] == want
    assert [(n.name, n.category) for n in among] == want


def test_none_cells_tell_the_cells_of_a_list_printed_apart_from_its_headings() -> None:
    """nerivalta: pdftotext prints the first heading, every cell, then the other
    headings; pdfminer every heading, then every cell. A "None" cell between two
    runs of names tells where the cells end; a name wrapped after "concomitant"
    goes on."""
    cells = ["Haemorrhage", "Increased bleeding risk with concomitant",
             "NSAIDs or SSRIs", "None", "Use in pregnancy", "Use in children"]
    heads = ["Important identified risks", "Important potential risks",
             "Missing information"]
    want = [("Haemorrhage", Category.IDENTIFIED),
            ("Increased bleeding risk with concomitant NSAIDs or SSRIs",
             Category.IDENTIFIED),
            ("Use in pregnancy", Category.MISSING),
            ("Use in children", Category.MISSING)]
    for lines in ([heads[0], "", *cells, "", heads[1], heads[2]],
                  [heads[0], "", heads[1], heads[2], "", *cells]):
        names, nones, _, _ = parse_list(_lines(*lines))
        assert [(n.name, n.category) for n in names] == want
        assert [n.row for n in nones] == ["important-potential-risk"]
    # two runs of names side by side, no "None" between: no category is read
    names = parse_list(_lines(heads[0], "", heads[1], heads[2], "", "Haemorrhage",
                              "Use in pregnancy"))[0]
    assert all(n.category_from_table for n in names)


def test_a_label_citation_after_the_pharmacovigilance_row_is_no_study() -> None:
    """melquira.txt: pdftotext prints a routine cell's second line ("PL sections 2
    and 4") after the table's last row."""
    from rmpgraph.parse.rowcontent import pv_mentions

    mentions, none = pv_mentions(_lines("None", "PL sections 2 and 4"))
    assert not mentions and none is not None
    mentions, _ = pv_mentions(_lines("KVX-PASS-01", "PL section 3"))
    assert [m.name for m in mentions] == ["KVX-PASS-01"]


def test_a_footnote_marker_alone_is_no_cell_of_a_stacked_list() -> None:
    """lunavesta.txt: every heading, the marker "a" of a name's footnote, the names
    in one block, then the footnote: the marker is no cell, so the names are not
    the second heading's and the footnote not the third's; their categories are
    left to II.B."""
    names = parse_list(_lines(
        "Important identified risks", "", "Important potential risks", "",
        "Missing information", "a", "", "Infusion-related reactions", "Neutropenia",
        "Tumour lysis syndrome", "Long-term safety", "",
        "Including febrile neutropenia."))[0]
    assert all(n.category_from_table for n in names)


def test_two_names_of_one_cell_run_together_are_cut_at_ii_b_names() -> None:
    """cordaxin.pdf: a II.A cell whose names are split by line breaks, each first
    line filling the cell, reads as one name; II.B names both."""
    from rmpgraph.parse.concern_list import ListedName
    from rmpgraph.parse.model import Span
    from rmpgraph.parse.reconcile import split_joined

    def listed(name: str) -> ListedName:
        return ListedName(name, Category.IDENTIFIED, Span(1, 1), False)

    titled = ["Bleeding", "Thromboembolic events after premature discontinuation",
              "Drug-induced liver injury"]
    got = split_joined([listed("Bleeding"), listed(
        "Thromboembolic events after premature discontinuation Drug-induced liver "
        "injury")], titled)
    assert [x.name for x in got] == titled
    # a name II.B has, or one that is no run of II.B names, stays as it is
    assert [x.name for x in split_joined([listed("Bleeding risk")], ["Bleeding"])] == [
        "Bleeding risk"]


def test_wrapped_headings_all_printed_before_the_names() -> None:
    """cordaxin.pdfminer.txt: "Important identified" / "risks" and the other
    headings, wrapped, all before the names: the list is told as stacked, and a
    "None" cell tells its cells apart."""
    names, nones, _, used = parse_list(_lines(
        "Important identified", "risks", "", "Important potential", "risks", "",
        "Missing information", "", "Bleeding", "Drug-induced liver injury", "",
        "None", "", "Use in pregnancy"))
    assert [(n.name, n.category) for n in names] == [
        ("Bleeding", Category.IDENTIFIED), ("Drug-induced liver injury",
                                            Category.IDENTIFIED),
        ("Use in pregnancy", Category.MISSING)]
    assert [n.row for n in nones] == ["important-potential-risk"]
    assert {2, 5} <= used  # the headings' second lines are read


def test_references_pointers_and_running_footers_are_no_names() -> None:
    """pravelta: "Serious infections [1]" cites a reference; zelvoran: "See sections
    II.C.1 and II.C.2" points at the plan; a running footer or a row label's words
    printed inside a pharmacovigilance cell name no study."""
    from rmpgraph.parse.rowcontent import pv_mentions

    names = parse_list(_lines("Important identified risks", "Serious infections [1]",
                              "Venous thromboembolism [1, 2]"))[0]
    assert [n.name for n in names] == ["Serious infections", "Venous thromboembolism"]
    mentions, _ = pv_mentions(_lines(
        "Category 1: ZLV-PASS-301 (imposed PASS)", "See sections II.C.1 and II.C.2",
        "Version 3.0, 14 March 2025", "Part VI", "minimisation measures"))
    assert [m.name for m in mentions] == [": ZLV-PASS-301 (imposed PASS)"]
    # the same words alone: a row label's words, then words that name a study
    assert [m.name for m in pv_mentions(_lines("Additional pharmacovigilance "
                                               "activities"))[0]] == []
    assert [m.name for m in pv_mentions(_lines("Registry activities"))[0]] == [
        "Registry activities"]


# ---------------------------------------------------------------- batches 9 and 10

def test_a_title_with_nested_brackets_or_cut_inside_them() -> None:
    from rmpgraph.parse.extract_product import parse_title

    assert parse_title("Summary of risk management plan for Viranova (influenza "
                       "vaccine (surface antigen, inactivated, adjuvanted))") == (
        "Viranova", "influenza vaccine (surface antigen, inactivated, adjuvanted)")
    assert parse_title("Summary of risk management plan for Viranova (influenza") == (
        "Viranova", None)
    assert parse_title("Summary of risk management plan for Pelitraxan Norvik "
                       "(pelitraxan)") == ("Pelitraxan Norvik", "pelitraxan")


def test_a_reference_list_under_a_table_is_its_footer() -> None:
    from rmpgraph.parse.tables import split_footer

    body, notes, _, footer = split_footer(_lines(
        "AVG-301", "See section II.C of this summary.", "References",
        "[1] Marchetti L, Okafor J. Platelet recovery after gene therapy. J Gene Cell",
        "Ther 2023;14:211-9."))
    assert [x.text for x in body] == ["AVG-301", "See section II.C of this summary."]
    assert [(n.marker, n.kind) for n in notes] == [("1", "reference")]
    assert notes[0].text.startswith("Marchetti L") and notes[0].text.endswith("211-9.")
    assert [x.no for x in footer] == [3, 4, 5]
    # an unnumbered reference under the heading is the list's, not a legend
    _, notes, legend, footer = split_footer(_lines(
        "AVG-301", "References", "Marchetti L. Platelet recovery. 2023;14:211-9."))
    assert (notes, legend, [x.no for x in footer]) == ([], None, [2, 3])


def test_a_list_of_studies_with_their_milestones_below() -> None:
    from rmpgraph.parse.studies import parse_plan

    entries, _, _ = parse_plan([
        Line(1, "VRN-EFF-04: Post-authorisation effectiveness study of Viranova, a "
                "non-interventional case-control study (category 3)", True),
        Line(2, "Interim report: Q3 2027", True),
        Line(3, "Final report: 30.09.2028", True),
        Line(4, "VRN-ESS-02: Enhanced safety surveillance (category 3)", True),
        Line(5, "Final report: Q2 2031", True)], "ii-c-2")
    assert [(e.short, e.category, [(m.kind, m.due_text) for m in e.milestones])
            for e in entries] == [
        ("VRN-EFF-04", 3, [("interim-report", "Q3 2027"),
                           ("final-report", "30.09.2028")]),
        ("VRN-ESS-02", 3, [("final-report", "Q2 2031")])]


def test_a_study_table_under_a_caption_with_its_labels_alone() -> None:
    """"Table II.C.2-2: FTX-PK-102" above a label/value table whose labels stand on
    lines of their own (a DOCX table): the caption opens no entry and the labels
    are no label column printed first."""
    from rmpgraph.parse.planlabels import labels_first
    from rmpgraph.parse.planlines import regroup
    from rmpgraph.parse.studies import _starts_entry, parse_plan

    assert not _starts_entry("Table II.C.2-2: FTX-PK-102")
    assert not _starts_entry("Table 5 - OBS13434: Registry of long-term safety")
    assert _starts_entry("OBS13434: Registry of long-term safety")
    lines = _lines(
        "Table II.C.2-1: FTX-PASS-401", "", "Study short name and title", "",
        "FTX-PASS-401", "", "Cohort study of long-term safety", "",
        "Rationale and study objectives", "", "To characterise the incidence.", "",
        "Study design", "", "Non-interventional cohort study.", "", "Milestones", "",
        "Interim report: Q4 2027", "", "Final study report: 30 September 2031", "",
        "Table II.C.2-2: FTX-PK-102", "", "Study short name and title", "",
        "FTX-PK-102", "", "A phase 1 study", "", "Milestones", "",
        "Final CSR: 31 Dec 2029")
    assert labels_first(lines) is None
    body, _ = regroup(lines)
    entries, _, _ = parse_plan(body, "ii-c-2")
    assert [(e.identifier, len(e.milestones)) for e in entries] == [
        ("FTX-PASS-401", 2), ("FTX-PK-102", 1)]


def test_a_milestone_name_is_no_study_and_new_effectiveness_cues() -> None:
    from rmpgraph.parse.assemble import _no_study_name
    from rmpgraph.parse.study_facts import evaluated_measures

    assert _no_study_name("Interim report") and _no_study_name("Final study report")
    assert not _no_study_name("Drug utilisation study")
    assert not _no_study_name("Long-term follow-up registry")
    assert evaluated_measures("to assess whether the patient alert card is given to "
                              "each treated patient") == ["patient-alert-card"]
    assert evaluated_measures("whether the HCP checklist and the patient card are "
                              "used as intended") == ["hcp-checklist", "patient-card"]
