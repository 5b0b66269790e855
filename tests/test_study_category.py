"""A study's category where the template lets a summary state it: in the study's own
title or category cell, in the sentence above its table ("The following study is a
specific obligation … (Category 2):"), or in a row heading a group of studies
("Category 1 – Imposed mandatory additional pharmacovigilance activities …", the
wording of GVP V's Part III table); and a II.B row that writes a study's milestone
after its name ("AMB-SO-101 — Final study report: Q3 2028").

Expected values are read from the example texts below, written after the fixtures
(tests/fixtures/docs/ambrelta.txt l.330-352) and the template's wording.
"""

from __future__ import annotations

import pytest

from rmpgraph.parse.segment import Line
from rmpgraph.parse.studies import parse_plan, parse_pv_row


def _lines(text: str) -> list[Line]:
    return [Line(n, t.strip()) for n, t in enumerate(text.split("\n"), 1)]


def _categories(text: str, section: str = "ii-c-1") -> list[tuple[str, int | None]]:
    entries, _, _ = parse_plan(_lines(text), section)
    return [(e.short or e.title, e.category) for e in entries]


def test_sentence_above_the_table_states_the_category() -> None:
    text = ("The following study is a specific obligation of the conditional "
            "marketing authorisation of Ambrelta\n(Category 2):\n\n"
            "Study short name and title: AMB-SO-101: Open-label extension study\n"
            "Rationale and study objectives: To characterise the long-term safety.\n"
            "Milestones: Final study report: Q3 2028\n")
    assert _categories(text) == [("AMB-SO-101", 2)]


def test_category_rows_head_groups_of_studies() -> None:
    text = ("Category 1 – Imposed mandatory additional pharmacovigilance activities "
            "which are conditions of the marketing authorisation\n\n"
            "Study short name and title: ABC-101: Post-authorisation safety study\n"
            "Rationale and study objectives: To measure the incidence of X.\n\n"
            "Category 2 – Imposed mandatory additional pharmacovigilance activities "
            "which are Specific Obligations\n\n"
            "Study short name and title: ABC-102: Long-term extension study\n"
            "Rationale and study objectives: To describe long-term safety.\n\n"
            "Study short name and title: ABC-103: Registry (Category 1)\n"
            "Rationale and study objectives: To describe use in practice.\n")
    # the study's own "(Category 1)" wins over the group heading above it
    assert _categories(text) == [("ABC-101", 1), ("ABC-102", 2), ("ABC-103", 1)]


def test_a_category_field_is_no_group_heading() -> None:
    text = ("Study short name and title: XYZ-201: Drug utilisation study\n"
            "Category: 3\n"
            "Rationale and study objectives: To describe prescribing.\n\n"
            "Study short name and title: XYZ-202: Registry\n"
            "Rationale and study objectives: To describe outcomes.\n")
    assert _categories(text, "ii-c-2") == [("XYZ-201", 3), ("XYZ-202", None)]


def test_without_any_statement_the_category_is_left_to_the_section() -> None:
    text = ("The following studies are conditions of the marketing authorisation:\n\n"
            "Study short name and title: ABC-101: Post-authorisation safety study\n"
            "Rationale and study objectives: To measure the incidence of X.\n")
    assert _categories(text) == [("ABC-101", None)]


@pytest.mark.parametrize("row,name,milestones", [
    ("AMB-SO-101 — Final study report: Q3 2028", "AMB-SO-101",
     [("final-report", "Q3 2028")]),
    ("PASS ABC-123 – Interim report: 30 June 2027", "PASS ABC-123",
     [("interim-report", "30 June 2027")]),
    # a dash inside a title is not a milestone
    ("PASS - Long-term safety in adolescents", "PASS - Long-term safety in adolescents",
     []),
])  # fmt: skip
def test_milestone_written_after_a_study_name(
        row: str, name: str, milestones: list[tuple[str, str]]) -> None:
    mentions = parse_pv_row(_lines(row))
    assert [m.name for m in mentions] == [name]
    assert [(ms.kind, ms.due_text) for ms in mentions[0].milestones] == milestones


@pytest.mark.parametrize(("caption", "category"), [
    ("Table II.C.1-1: Specific obligations of the conditional marketing "
     "authorisation", 2),
    ("Table II.C.2-1: Required additional pharmacovigilance activities (category 3)",
     3),
    ("Table 25 - Studies which are conditions of the marketing authorisation", None),
])
def test_table_caption_states_the_category(caption: str, category: int | None) -> None:
    # pendrava.txt II.C.1: the caption above a multi-column table is all that says
    # its studies are specific obligations
    text = f"{caption}\n\nStudy: PDR-SO-201\nMilestones: Final report: 2029\n"
    assert _categories(text) == [("PDR-SO-201", category)]


def test_a_sentence_naming_the_category_before_a_table() -> None:
    # zentrivo II.C.1: "The studies in the table below are specific obligations
    # (category 2) which the marketing authorisation holder must complete:"
    text = ("The marketing authorisation of Xyl is conditional. The studies in the "
            "table below are specific obligations (category 2) which the marketing "
            "authorisation holder must complete:\n\n"
            "Study: XY-EXT-201 Extension study\n"
            "Milestones (due date): Interim study report: 31.03.2027\n"
            "Final study report: 30.06.2029\n")
    entries, _, _ = parse_plan(_lines(text), "ii-c-1")
    assert [(e.identifier, e.category) for e in entries] == [("XY-EXT-201", 2)]
    assert [(m.kind, m.due_text) for m in entries[0].milestones] == [
        ("interim-report", "31.03.2027"), ("final-report", "30.06.2029")]
    # any note in brackets after a field's label, not only the ones the layout lists
    entries, _, _ = parse_plan(_lines(text.replace("(due date)", "(expected dates)")),
                               "ii-c-1")
    assert [(m.kind, m.due_text) for m in entries[0].milestones] == [
        ("interim-report", "31.03.2027"), ("final-report", "30.06.2029")]


def test_a_milestone_named_with_a_colon_starts_anew() -> None:
    # zentrivo.pdf: "Protocol submission:" / "Q1/2026" / "Progress reports: with
    # each annual renewal" in one milestones cell
    text = ("Study: XY-REG-202 Registry\n"
            "Milestones: Protocol submission: Q1/2026 Progress reports: with each "
            "annual renewal Final study report: Q4/2031\n")
    entries, _, _ = parse_plan(_lines(text), "ii-c-2")
    assert [(m.kind, m.due_text) for m in entries[0].milestones] == [
        ("protocol-submission", "Q1/2026"),
        ("progress-report", "with each annual renewal"),
        ("final-report", "Q4/2031")]
