"""The parts every Part VI table shares (rmpgraph/parse/tables.py), issue 19: which
abbreviations a table uses, how its footer splits into footnotes and legend, and
tables captioned below them read caption first.

Inputs are written here in the forms published summaries use (an abbreviation
legend "HCP: healthcare professional; ...", footnotes "a Data cut-off ...", a
caption "Table 2: Important identified risk – X"); each expected value is what a
reader of that text finds, written by hand.
"""

from __future__ import annotations

import pytest

from rmpgraph.parse.model import Abbreviation, Legend, Span
from rmpgraph.parse.segment import Line
from rmpgraph.parse.tables import abbreviation_usage, captions_first, split_footer


def _legend(*shorts: str) -> Legend:
    return Legend([Abbreviation(s, s.lower()) for s in shorts], Span(1, 1))


@pytest.mark.parametrize(("body", "defined", "exclude", "used"), [
    # defined ones the body mentions, a plural too; not the one it does not
    ("Give HCPs the guide; see the SmPC.", ("HCP", "SmPC", "PL"), set(),
     ["HCP", "SmPC"]),
    # undefined upper-case tokens look like abbreviations ("used but not defined")
    ("The MAH will run a PASS under GVP.", (), set(), ["GVP", "MAH", "PASS"]),
    # Roman numerals and upper-case words of the template are not
    ("Sections II and VI of the RMP, OR AND NOT", (), set(), ["RMP"]),
    ("Sections II and VI of the RMP", (), {"RMP"}, []),
    # a plural of an undefined one counts once, without its s
    ("Both MAHs agreed.", (), set(), ["MAH"]),
    # an upper-case S is no plural: HCPS is not the defined HCP
    ("Given to HCPS.", ("HCP",), set(), ["HCPS"]),
    # a shouted long word is no abbreviation; a short one may be
    ("CONTRAINDICATED in pregnancy", (), set(), []),
    ("WARNING in pregnancy", (), set(), ["WARNING"]),
    # digits: an enzyme name is an abbreviation, a register number is not
    ("CYP3A4 inhibitors; EUPAS104512", (), set(), ["CYP3A4"]),
    # a procedure number is not read for abbreviations
    ("variation EMEA/H/C/001234/II/0042", (), set(), []),
    # a part of a hyphenated word
    ("anti-JCV antibody index", (), set(), ["JCV"]),
    ("an HCP-led session", ("HCP",), set(), ["HCP"]),
    # a defined one followed by a number (a numbered item) is that abbreviation
    ("AE1 and AE2 were serious", ("AE",), set(), ["AE"]),
    # one upper-case letter is a word or an initial, not an abbreviation
    ("Q3 2027 and Part A", (), set(), []),
])
def test_abbreviations_a_table_uses(body: str, defined: tuple[str, ...],
                                    exclude: set[str], used: list[str]) -> None:
    legend = _legend(*defined) if defined else None
    assert abbreviation_usage(body, legend, exclude) == used


def _lines(*texts: str, first: int = 10) -> list[Line]:
    return [Line(first + i, t) for i, t in enumerate(texts)]


def test_footer_splits_into_footnotes_and_legend() -> None:
    lines = _lines(
        "Routine risk minimisation measures: SmPC section 4.4 a",
        "",
        "a Data cut-off 31 March 2019, the",
        "second interim analysis.",
        "b Coles AJ, et al. Lancet 2012; 380(9856): 1829-39.",
        "HCP: healthcare professional; SmPC: summary of product characteristics.",
    )
    body, notes, legend, footer = split_footer(lines)
    assert [ln.no for ln in body] == [10, 11]
    assert [(n.marker, n.text, n.span, n.kind) for n in notes] == [
        ("a", "Data cut-off 31 March 2019, the second interim analysis.",
         Span(12, 13), "note"),
        ("b", "Coles AJ, et al. Lancet 2012; 380(9856): 1829-39.", Span(14, 14),
         "reference"),
    ]
    assert legend is not None and legend.span == Span(15, 15)
    assert [a.short for a in legend.abbreviations] == ["HCP", "SmPC"]
    assert [ln.no for ln in footer] == [12, 13, 14, 15]


def test_a_bulleted_line_is_no_footnote() -> None:
    lines = [Line(1, "Additional risk minimisation measures:"),
             Line(2, "1 Patient alert card", bullet=True)]
    body, notes, legend, footer = split_footer(lines)
    assert (len(body), notes, legend, footer) == (2, [], None, [])


def test_no_footer() -> None:
    lines = _lines("Evidence for linking the risk to the medicine: trials")
    assert split_footer(lines) == (lines, [], None, [])


LABELS = {"Evidence for linking the risk to the medicine:", "Risk factors:"}


def _reorder(texts: list[str], header: str | None = None) -> list[str]:
    lines = _lines(*texts, first=1)

    def is_label(i: int) -> bool:
        return lines[i].text in LABELS

    def is_header(i: int) -> bool:
        return lines[i].text == header
    return [ln.text for ln in captions_first(lines, is_label, is_header)]


CAPTIONED_BELOW = [
    "II.B Summary of important risks",
    "Evidence for linking the risk to the medicine:",
    "Clinical trials.",
    "Risk factors:",
    "Age.",
    "Table 2: Important identified risk – Hepatotoxicity",
    "Evidence for linking the risk to the medicine:",
    "Post-marketing reports.",
    "Table 3: Important potential risk – Pancreatitis and pancreatic enzyme",
    "increase",  # a caption wrapped over two lines moves whole
]


def test_caption_below_its_table_moves_before_it() -> None:
    assert _reorder(CAPTIONED_BELOW) == [
        "II.B Summary of important risks",
        "Table 2: Important identified risk – Hepatotoxicity",
        "Evidence for linking the risk to the medicine:",
        "Clinical trials.",
        "Risk factors:",
        "Age.",
        "Table 3: Important potential risk – Pancreatitis and pancreatic enzyme",
        "increase",
        "Evidence for linking the risk to the medicine:",
        "Post-marketing reports.",
    ]


def test_caption_above_its_table_stays() -> None:
    texts = ["II.B Summary of important risks",
             "Table 2: Important identified risk – Hepatotoxicity",
             "Evidence for linking the risk to the medicine:", "Clinical trials."]
    assert _reorder(texts) == texts


def test_a_title_row_before_the_caption_keeps_the_order() -> None:
    """A title row between the first row label and the first caption: the tables
    are titled by their own rows, the captions belong to what follows them."""
    texts = [*CAPTIONED_BELOW[:3], "Important identified risk: Hepatotoxicity",
             *CAPTIONED_BELOW[5:]]
    assert _reorder(texts, header=texts[3]) == texts


def test_a_caption_that_names_no_category_is_not_a_concern_caption() -> None:
    texts = ["Evidence for linking the risk to the medicine:", "Trials.",
             "Table 2: Summary of studies"]
    assert _reorder(texts) == texts
