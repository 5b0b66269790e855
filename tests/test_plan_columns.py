"""II.C study tables as a text export prints them: a column printed whole (one box
for the study cells of every row, then the other columns' cells), or a label
column printed before its values, and due dates in every form a milestone may be
written. Each test states a fragment of II.C and the entries a reader writes."""

from __future__ import annotations

from rmpgraph.parse.plancolumns import dues_in, names_in
from rmpgraph.parse.planlines import regroup
from rmpgraph.parse.segment import Line
from rmpgraph.parse.studies import PlanEntry, parse_plan


def _lines(*texts: str) -> list[Line]:
    return [Line(i + 1, t, False) for i, t in enumerate(texts)]


def _read(lines: list[Line], told: list[str] | None = None
          ) -> list[PlanEntry]:
    sink = told if told is not None else []
    body, _ = regroup(lines, lambda no, text: sink.append(text))
    return parse_plan(body, "ii-c-1")[0]


def _milestones(e: PlanEntry) -> list[tuple[str, str]]:
    return [(m.kind, m.due_text) for m in e.milestones]


def test_due_dates_in_the_forms_a_milestone_takes() -> None:
    assert dues_in("Q2/2026 Q4/2028") == ["Q2/2026", "Q4/2028"]
    assert dues_in("31.01.2026 31-Mar-2027 2nd quarter 2028 2027-09-30") == [
        "31.01.2026", "31-Mar-2027", "2nd quarter 2028", "2027-09-30"]
    assert dues_in("H1 2027 Sept 2029 12/2030") == ["H1 2027", "Sept 2029", "12/2030"]
    assert dues_in("Q2/2026 to be agreed") is None
    assert names_in("Protocol submission Interim study report Final study report") == [
        "Protocol submission", "Interim study report", "Final study report"]


# the study column of two rows in one box, then each row's other cells
_COLUMN_FIRST = (
    "The studies in the table below are specific obligations (category 2):", "",
    "Study", "", "Objectives", "",
    "KVX-EXT-210", "Open-label extension", "study of long-term safety",
    "Status: ongoing",
    "KVX-REG-220", "Prospective registry-", "based cohort study (EU PAS",
    "Register number", "EUPAS612345)", "Status: planned", "",
    "To provide safety data for up to", "4 years of treatment in adults.", "",
    "To estimate the incidence of", "hepatotoxicity in routine use.", "",
    "Safety concerns", "addressed", "Hepatotoxicity", "",
    "Milestones (due", "date)", "Interim study", "report: 30.09.2027",
    "Final study report:", "31.03.2030", "",
    "Hepatotoxicity", "Use in pregnancy", "",
    "Protocol", "submission:", "Q1/2026", "Progress reports:", "with each annual",
    "renewal", "Final study report:", "Q4/2031", "",
)


def test_a_study_column_printed_whole_pairs_its_rows_in_order() -> None:
    entries = _read(_lines(*_COLUMN_FIRST))
    assert [(e.identifier, e.category) for e in entries] == [
        ("KVX-EXT-210", 2), ("KVX-REG-220", 2)]
    assert entries[0].title == "Open-label extension study of long-term safety"
    assert entries[0].fields["status"] == "ongoing"
    assert entries[1].fields["objective"].startswith("To estimate the incidence")
    assert entries[1].fields["concerns"] == "Hepatotoxicity Use in pregnancy"
    assert _milestones(entries[0]) == [
        ("interim-report", "30.09.2027"), ("final-report", "31.03.2030")]
    assert _milestones(entries[1]) == [
        ("protocol-submission", "Q1/2026"),
        ("progress-report", "with each annual renewal"),
        ("final-report", "Q4/2031")]


def test_a_study_column_whose_milestone_cells_do_not_count_out_is_told() -> None:
    lines = list(_COLUMN_FIRST)
    lines[lines.index("Hepatotoxicity", 30) - 1:] = [""]  # the second row's cells
    told: list[str] = []
    entries = _read(_lines(*lines), told)
    assert [e.identifier for e in entries] == ["KVX-EXT-210", "KVX-REG-220"]
    assert [_milestones(e) for e in entries] == [[], []]
    assert any("printed column by column" in t for t in told)


def test_a_labelled_study_column_with_milestone_names_and_dates_apart() -> None:
    entries = _read(_lines(
        "Study/status", "KVX-301", "Phase 3 study of kevoxamab in adults",
        "Status: Ongoing", "KVX-204", "Phase 2 single-arm study with long-term",
        "follow-up", "Status: Ongoing", "",
        "Summary of objectives", "To confirm the efficacy and safety of kevoxamab.", "",
        "Milestones", "Interim report", "Final report", "",
        "Due dates", "31-Mar-2027", "2028-06-30", "",
        "To give updated data on the duration of response.", "",
        "Interim report", "Final report", "", "Q1 2028", "December 2029", ""))
    assert [(e.identifier, _milestones(e)) for e in entries] == [
        ("KVX-301", [("interim-report", "31-Mar-2027"),
                     ("final-report", "2028-06-30")]),
        ("KVX-204", [("interim-report", "Q1 2028"), ("final-report", "December 2029")])]
    assert entries[1].title == "Phase 2 single-arm study with long-term follow-up"


def test_a_label_column_printed_first_beats_a_table_that_cannot_pair() -> None:
    # a label/value table per study, all labels printed before the values: it also
    # starts like a multi-column table's header, whose reading pairs no milestone
    entries = _read(_lines(
        "Study short name and title", "", "Rationale and study", "objectives", "",
        "Study design", "", "Study population", "", "Milestones", "",
        "KVX-PASS-201", "Safety of kevoxamab in routine clinical practice", "",
        "Hepatotoxicity was seen in clinical studies of limited size.", "",
        "Non-interventional cohort study.", "", "Adults who start kevoxamab.", "",
        "Protocol submission: 31 March 2027", "Final study report: Q4 2031", "",
        "KVX-QT-102", "Study of the effect of kevoxamab on cardiac repolarisation", "",
        "To describe the relationship between concentration and QTc.", "",
        "Phase 1 crossover clinical trial.", "", "Healthy volunteers.", "",
        "Study start: 06/2026", "Final study report: 30 September 2027", ""))
    assert [(e.identifier, _milestones(e)) for e in entries] == [
        ("KVX-PASS-201", [("protocol-submission", "31 March 2027"),
                          ("final-report", "Q4 2031")]),
        ("KVX-QT-102", [("study-start", "06/2026"),
                        ("final-report", "30 September 2027")])]


def test_cells_one_box_each_with_the_headings_among_the_rows() -> None:
    # Study | Summary of objectives | Safety concerns | Milestones | Due dates, a
    # row's lines at different heights: concerns, names and dates interleaved
    entries = _read(_lines(
        "Table II.C.1-1: Specific obligations", "", "Study", "",
        "Summary of objectives", "", "KVX-SO-201", "",
        "Open-label extension of study KVX-301", "", "Category 2", "",
        "To confirm the long-term efficacy over 5 years.", "",
        "Safety concerns", "addressed", "", "Milestones", "", "Due dates", "",
        " Reduced serum", "", "Interim report", "", "Q2 2027", "", "vitamin A levels",
        "", "Final report", "", "31 December", "2029", "", "KVX-SO-202", "",
        "Study in patients with renal impairment", "", "Category 2", "",
        "To describe the safety in severe renal impairment.", "", "Renal toxicity", "",
        "Progress report", "", "Final report", "", "with each annual", "renewal", "",
        "15/09/2028", ""))
    assert [(e.identifier, e.category, e.title, _milestones(e)) for e in entries] == [
        ("KVX-SO-201", 2, "Open-label extension of study KVX-301",
         [("interim-report", "Q2 2027"), ("final-report", "31 December 2029")]),
        ("KVX-SO-202", 2, "Study in patients with renal impairment",
         [("progress-report", "with each annual renewal"),
          ("final-report", "15/09/2028")])]


def test_cells_one_box_each_that_do_not_pair_give_no_milestone() -> None:
    # three names and two dates: nothing is paired by guesswork
    entries = _read(_lines(
        "Study", "", "Summary of objectives", "", "KVX-SO-201", "",
        "Milestones", "", "Due dates", "", "Study start", "", "Interim report", "",
        "Q2 2027", "", "Final report", "", "31 December 2029", ""))
    assert all(not e.milestones for e in entries)


def test_cells_one_box_each_an_objective_cut_by_a_page_is_no_title() -> None:
    # the study has no title cell; the box after its code is the objective's first
    # half, cut by a page before its full stop
    entries = _read(_lines(
        "Study", "", "Summary of objectives", "", "KVX-SO-201", "",
        "To confirm the long-term efficacy over", "", "Category 2", "",
        "Milestones", "", "Due dates", "",
        "Interim report", "", "Q2 2027", "", "Final report", "", "31 December 2029",
        ""))
    assert [(e.identifier, e.title) for e in entries] == [("KVX-SO-201", "KVX-SO-201")]


def test_a_study_column_over_several_paragraphs() -> None:
    # ostelix.pdfminer.txt: the column heading atop the first cell, a blank line
    # between the cells, lone category cells, the end of a cut heading ("dates")
    # atop the first milestone cell, two objective cells in one box
    entries = _read(_lines(
        "Study short name and", "title", "KVX-301", "Non-interventional safety",
        "study in clinical practice", "", "KVX-202", "Follow-up study of patients",
        "treated in KVX-201", "", "Category", "",
        "Summary of objectives Milestones and due", "", "1", "", "2", "",
        "To describe time to engraftment in", "clinical practice.",
        "To confirm the durability of", "engraftment up to 5 years.", "",
        "dates", "Interim report: end of", "Q2 2027", "Final report: H2 2028", "",
        "Progress reports: with", "each annual reassessment", "",
        "Final report: December", "2029", ""))
    assert [(e.identifier, e.category, e.fields.get("objective", "")[:14],
             _milestones(e)) for e in entries] == [
        ("KVX-301", 1, "To describe ti",
         [("interim-report", "end of Q2 2027"), ("final-report", "H2 2028")]),
        ("KVX-202", 2, "To confirm the",
         [("progress-report", "with each annual reassessment"),
          ("final-report", "December 2029")])]


def test_studies_listed_apart_from_their_milestones_pair_in_order() -> None:
    # viranova.txt: two "CODE: title" paragraphs, their milestone paragraphs, then
    # a third study and its milestones
    entries = _read(_lines(
        "KVX-EFF-04: Effectiveness study of kevoxavax in adults (category 3)", "",
        "KVX-ESS-02: Enhanced safety surveillance of kevoxavax (category 3)", "",
        "Interim report: Q3 2027", "Final report: 30.09.2028", "",
        "Protocol submission: 15.03.2026", "Final report: Q2 2031", "",
        "KVX-PREG-06: Pregnancy registry of women exposed to kevoxavax", "",
        "Study start: Q4 2026", "Final report: 2032", ""))
    assert [(e.identifier, _milestones(e)) for e in entries] == [
        ("KVX-EFF-04", [("interim-report", "Q3 2027"), ("final-report", "30.09.2028")]),
        ("KVX-ESS-02", [("protocol-submission", "15.03.2026"),
                        ("final-report", "Q2 2031")]),
        ("KVX-PREG-06", [("study-start", "Q4 2026"), ("final-report", "2032")])]


def test_a_study_column_right_under_the_sentence_above_the_table() -> None:
    # imbrasta.txt: pdftotext puts no blank line between the sentence and the
    # column's heading
    lines = list(_COLUMN_FIRST)
    lines.remove("")  # the blank line after the sentence
    lines[1:5] = ["Study/status"]
    entries = _read(_lines(*lines))
    assert [(e.identifier, len(e.milestones)) for e in entries] == [
        ("KVX-EXT-210", 2), ("KVX-REG-220", 3)]


def test_the_labels_of_several_tables_first_with_their_captions_between() -> None:
    # fentrovix.pdfminer.txt: each table's caption and labels, then every table's
    # values; the captions are no values
    entries = _read(_lines(
        "Table II.C.2-1: KVX-PASS-401", "", "Study short name and title", "",
        "Rationale and study objectives", "", "Study status", "Milestones", "",
        "Table II.C.2-2: KVX-PK-102", "", "Study short name and title", "",
        "Rationale and study objectives", "", "Study status", "Milestones", "",
        "KVX-PASS-401", "Long-term safety of kevoxamab: a cohort study",
        "To characterise the incidence of hepatotoxicity.", "Ongoing",
        "Protocol submitted: 12 March 2025", "Final study report: 30 September 2031",
        "", "KVX-PK-102", "A phase 1 study in hepatic impairment",
        "To measure the exposure in hepatic impairment.", "Planned",
        "Study start: June 2026", "Final CSR: 31 Dec 2029", ""))
    got = [(e.identifier, e.fields.get("status"), _milestones(e)) for e in entries]
    assert got == [
        ("KVX-PASS-401", "Ongoing", [("protocol-submission", "12 March 2025"),
                                     ("final-report", "30 September 2031")]),
        ("KVX-PK-102", "Planned", [("study-start", "June 2026"),
                                   ("final-report", "31 Dec 2029")])]


def test_not_applicable_as_the_whole_of_a_plan_section_says_none() -> None:
    # melquira: "Not applicable." under II.C.1 and under II.C.2
    entries, none, _ = parse_plan(_lines("Not applicable."), "ii-c-2")
    assert not entries and none is not None and none.row == "ii-c-2"
    # after a study it is a value, not the section's statement
    entries, none, _ = parse_plan(_lines(
        "Study short name and title: KVX-101: Study of kevoxamab", "",
        "Milestones: Final study report: Q4 2030", "", "None."), "ii-c-2")
    assert [e.identifier for e in entries] == ["KVX-101"] and none is None


def test_specific_obligations_copied_from_annex_ii() -> None:
    # lunavesta: II.C.1 as "Description | Due date", one study and one milestone
    # per row; a description naming no study code stays text
    entries = _read(_lines(
        "The following studies are specific obligations of the conditional "
        "marketing authorisation of Kevoxa:", "",
        "Description: In order to confirm the efficacy and safety of Kevoxa, the MAH "
        "should submit the final results of study KVX-301, a phase 3, randomised, "
        "open-label study in follicular lymphoma.", "",
        "Due date: 31 March 2028", "",
        "Description: In order to characterise neutropenia, the MAH should submit "
        "the interim results of study KVX-205, an open-label phase 2 study.", "",
        "Due date: 30 June 2027", ""))
    assert [(e.identifier, e.category, e.title[:28], _milestones(e))
            for e in entries] == [
        ("KVX-301", 2, "phase 3, randomised, open-la",
         [("final-report", "31 March 2028")]),
        ("KVX-205", 2, "open-label phase 2 study",
         [("interim-report", "30 June 2027")])]


def test_run_together_names_and_dates_of_a_pdf_cell_pair_up() -> None:
    from rmpgraph.parse.linearize import _pair

    names = ["Protocol submission Start of data collection Interim report",
             "Final report"]
    assert _pair(names, ["15 January 2026 Q3 2026", "June 2028", "2030"]) == [
        "Protocol submission: 15 January 2026", "Start of data collection: Q3 2026",
        "Interim report: June 2028", "Final report: 2030"]


def test_a_milestone_with_a_note_in_brackets_and_dates_run_together() -> None:
    # cordaxin: "Final study report (within 12 months after end of data
    # collection)" is one milestone; in the PDF its row's dates ran together
    from rmpgraph.parse.linearize import _pair
    from rmpgraph.parse.milestones import _milestone
    from rmpgraph.parse.model import Span

    ms = _milestone("Final study report (within 12 months after end of data "
                    "collection): within 12 months after end of data collection",
                    Span(1, 1))
    assert ms is not None
    assert (ms.kind, ms.due_text) == (
        "final-report", "within 12 months after end of data collection")
    names = ["Start of data collection", "End of data collection",
             "Final study report (within 12 months after end of data collection)"]
    assert _pair(names, ["March 2025 June 2027 within 12 months after end of data "
                         "collection"]) == [
        "Start of data collection: March 2025", "End of data collection: June 2027",
        "Final study report (within 12 months after end of data collection): "
        "within 12 months after end of data collection"]
