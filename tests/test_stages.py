"""Unit tests per pipeline stage (segment, text rules, studies/milestones, mapping)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rmpgraph.graph.iris import slug
from rmpgraph.parse.read import source_from_string
from rmpgraph.parse.segment import Line, segment
from rmpgraph.parse.studies import PlanEntry, parse_due, resolve_mention, strip_category
from rmpgraph.parse.textutil import (
    items,
    label_sections,
    normalise_name,
    parse_legend,
    split_abbreviation,
)

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.txt").read_text("utf-8")


def test_segment_finds_sections() -> None:
    seg = segment(source_from_string(MINIMAL))
    assert list(seg.sections) == [
        "part-i",
        "part-ii",
        "ii-a",
        "ii-b",
        "ii-c",
        "ii-c-1",
        "ii-c-2",
    ]


@pytest.mark.parametrize("glyph", ["\uf0b7", "•", "-", "o", "\uf0a7", "▪"])
def test_bullet_glyphs_are_equivalent(glyph: str) -> None:
    text = MINIMAL.replace("SmPC section 4.4.", f"\n{glyph} SmPC section 4.4.")
    seg = segment(source_from_string(text))
    bullet = [ln for ln in seg.lines if ln.text == "SmPC section 4.4."]
    assert bullet and bullet[0].bullet


def test_page_furniture_removed() -> None:
    text = MINIMAL.replace("II.B Summary", "EMA/123/2024  Page 3/11\n\fII.B Summary")
    seg = segment(source_from_string(text))
    assert any(
        "Page 3/11" in source_from_string(text).lines[n - 1] for n in seg.furniture
    )


def test_items_join_wrapped_lines_and_split_bullets() -> None:
    lines = [
        Line(1, "Contraindication is", True),
        Line(2, ""),
        Line(3, "included in SmPC section 4.3.", False),
        Line(4, "Second item.", True),
    ]
    assert [t for t, _ in items(lines)] == [
        "Contraindication is included in SmPC section 4.3.",
        "Second item.",
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Labeled in sections 4.2, 4.3, 4.4 and 4.8 of SmPC.",
            ["smpc-4-2", "smpc-4-3", "smpc-4-4", "smpc-4-8"],
        ),
        ("included in SmPC section 4.3 and PL section 2.", ["smpc-4-3", "pl-2"]),
        ("labeled in PL Sections 2 and 4", ["pl-2", "pl-4"]),
        ("SmPC section 4.4 and section 4.8.", ["smpc-4-4", "smpc-4-8"]),
        ("Section 4 of the package leaflet", ["pl-4"]),
        (
            "in sections 4.2 and 4.4 of the Summary of Product Characteristics",
            ["smpc-4-2", "smpc-4-4"],
        ),
        ("Instructions for treatment initiation.", []),
        ("cited in SmPC section 4.12", ["smpc-4-12"]),
    ],
)
def test_label_sections(text: str, expected: list[str]) -> None:
    assert label_sections(text) == expected


def test_legend_tolerates_typos_and_wraps() -> None:
    got = parse_legend(
        "PASS: Post-Authorization Safety Study: Q: Quarter; "
        "SmPC; Summary of Product Characteristics."
    )
    assert [(a.short, a.expansion) for a in got] == [
        ("PASS", "Post-Authorization Safety Study"),
        ("Q", "Quarter"),
        ("SmPC", "Summary of Product Characteristics"),
    ]


def test_name_normalisation_spelling_and_abbreviation() -> None:
    assert normalise_name("Infusion Associated Reactions (IARs)") == normalise_name(
        "Infusion-associated reactions (IARs)"
    )
    assert normalise_name("Pulmonary alveolar haemorrhage") == normalise_name(
        "Pulmonary alveolar hemorrhage"
    )
    assert split_abbreviation("Autoimmune Encephalitis (AIE)") == (
        "Autoimmune Encephalitis",
        "AIE",
    )


@pytest.mark.parametrize(
    "text,granularity,start,end",
    [
        ("Q3 2024", "quarter", date(2024, 7, 1), date(2024, 9, 30)),
        ("2031", "year", date(2031, 1, 1), date(2031, 12, 31)),
        ("30 June 2027", "date", date(2027, 6, 30), date(2027, 6, 30)),
        ("March 2026", "month", date(2026, 3, 1), date(2026, 3, 31)),
        ("February 2028", "month", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_due_periods(text: str, granularity: str, start: date, end: date) -> None:
    due = parse_due(text)
    assert due is not None
    assert (due.granularity, due.start, due.end) == (granularity, start, end)


def test_event_relative_due() -> None:
    due = parse_due(
        "within 6 months of completion of the study (LPLV) in accordance "
        "with the Article 46 of paediatric regulation."
    )
    assert due is not None
    assert (due.granularity, due.offset, due.event) == (
        "event-relative",
        "P6M",
        "completion of the study (LPLV)",
    )


def test_unparsable_due_is_not_guessed() -> None:
    assert parse_due("to be agreed with the PRAC") is None


def test_category_forms() -> None:
    assert strip_category("Study X (cat. 3)") == ("Study X", 3)
    assert strip_category("Study Y (Category 1)")[1] == 1
    assert strip_category("Study Z")[1] is None


def test_resolution_refuses_ties() -> None:
    a = PlanEntry("ii-c-1", "A registry study of safety", None, None, None)
    b = PlanEntry("ii-c-1", "A registry study of efficacy and safety", None, None, None)
    assert resolve_mention("Registry study", [a, b]) is None
    assert resolve_mention("Registry study of efficacy", [a, b]) is b


def test_slug_is_stable_and_bounded() -> None:
    assert slug("Thrombocytopenia") == "thrombocytopenia"
    long = "x" * 200
    assert slug(long) == slug(long) and len(slug(long)) <= 69
    assert slug("Still’s disease") == "stills-disease"  # NFKD->ASCII drops ’


def test_plan_milestones_split_at_report_keywords_not_due_phrases() -> None:
    from rmpgraph.parse.studies import parse_plan

    lines = [Line(1, "Registry study REG-0042: A registry of patients (cat. 3)"),
             Line(2, "Purpose of the study: To describe long-term safety."),
             Line(3, "Milestones: Interim report Q2 2027; Final report within 12 "
                     "months of end of data collection.")]
    entries, _, _ = parse_plan(lines, "ii-c-2")
    got = [(m.kind, m.due_text) for m in entries[0].milestones]
    assert got == [("interim-report", "Q2 2027"),
                   ("final-report", "within 12 months of end of data collection")]


def test_bare_page_number_footer_is_furniture() -> None:
    text = MINIMAL.replace("Additional pharmacovigilance activities: None",
                           "Additional pharmacovigilance activities: None\nPage 3")
    seg = segment(source_from_string(text))
    assert not any(ln.text == "Page 3" for ln in seg.lines)


@pytest.mark.parametrize("name,text,expected", [
    ("routine-measure", "Medicinal product subject to restricted medical prescription.",
     "legal-status"),
    ("routine-measure", "Pack size of 28 tablets.", "pack-size"),
    ("routine-measure", "Labeled in sections 2 and 4 of PL.", "label-text"),
    ("routine-measure", "Something else entirely.", "other-routine"),
    ("additional-measure", "Direct Healthcare Professional Communication (DHPC)",
     "dhpc"),
    ("additional-measure", "Controlled access programme.", "controlled-access"),
    ("milestone-kind", "Planned date for submission of final data", "final-report"),
    ("milestone-kind", "Protocol submission", "protocol-submission"),
    ("study-type", "A non-interventional PASS to investigate drug utilization",
     "non-interventional PASS"),
    ("study-type", "Open-label study in pediatric patients", "paediatric study"),
])
def test_classification_rules_from_layout_file(name: str, text: str,
                                               expected: str) -> None:
    from rmpgraph.parse.textutil import classify

    assert classify(name, text) == expected
