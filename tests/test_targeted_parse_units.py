"""Small parse rules, each with the text forms published summaries use and what a
reader takes from them, written by hand (issue 19; mutmut survivors in parse).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rmpgraph.errors import InputError
from rmpgraph.parse.assemble import procedures_in
from rmpgraph.parse.keys import singular
from rmpgraph.parse.model import Span
from rmpgraph.parse.read import _read_bounded
from rmpgraph.parse.studies import _trailing_milestone


@pytest.mark.parametrize(("text", "found"), [
    # a procedure number ends where its characters do, a closing slash dropped
    ("Article 20 referral (EMEA/H/A-20/1442/) concluded",
     [("EMEA/H/A-20/1442", "article-20-referral")]),
    ("variation EMEA/H/C/003718/II/0012", [("EMEA/H/C/003718/II/0012", "")]),
])
def test_procedure_numbers(text: str, found: list[tuple[str, str]]) -> None:
    assert procedures_in(text) == found


@pytest.mark.parametrize(("word", "one"), [
    ("malignancies", "malignancy"), ("infections", "infection"),
    ("cns", "cns"),  # three letters: an abbreviation, not a plural
    ("pancreatitis", "pancreatitis"), ("abscess", "abscess"),
])
def test_singular(word: str, one: str) -> None:
    assert singular(word) == one


def test_a_stream_longer_than_the_limit_is_refused_naming_it() -> None:
    """/dev/zero states size 0 but never ends: the read stops one byte past the
    limit and the error names the file."""
    with pytest.raises(InputError) as info:
        _read_bounded(Path("/dev/zero"), 10)
    assert str(info.value).startswith("/dev/zero: ")


def test_milestone_after_the_study_name_in_an_additional_pv_row() -> None:
    name, (ms,) = _trailing_milestone("AMB-SO-101 — Final study report: Q3 2028",
                                      Span(3, 3))
    assert name == "AMB-SO-101"
    assert (ms.kind, ms.due_text, ms.span) == ("final-report", "Q3 2028", Span(3, 3))
    assert ms.due is not None
    assert (ms.due.start, ms.due.end) == (date(2028, 7, 1), date(2028, 9, 30))
    # no dash: the whole text is the name
    assert _trailing_milestone("AMB-SO-101", Span(3, 3)) == ("AMB-SO-101", [])


TESTA = Path(__file__).resolve().parent / "fixtures" / "targeted" / "testa.txt"


def _document(text: str):  # type: ignore[no-untyped-def]
    from rmpgraph.graph.pipeline import build_source
    from rmpgraph.parse.read import source_from_string

    return build_source(source_from_string(text, "testa.txt")).document


def test_plan_tables_span_their_sections() -> None:
    """testa.txt: II.C.1 is l.31-32 (heading and "There are no studies ..."),
    II.C.2 starts at l.33 (heading, then one study entry)."""
    doc = _document(TESTA.read_text(encoding="utf-8"))
    assert doc.tables["ii-c-1"].span == Span(31, 32)
    assert doc.tables["ii-c-2"].span.start == 33
    assert not [i for i in doc.issues if "not found" in i.reason]


def test_last_plan_table_ends_on_the_files_last_line() -> None:
    doc = _document(TESTA.read_text(encoding="utf-8"))
    assert doc.tables["ii-c-2"].span == Span(33, 39)


def test_a_summary_cut_before_ii_c_says_so() -> None:
    lines = TESTA.read_text(encoding="utf-8").split("\n")[:29]
    doc = _document("\n".join(lines) + "\n")
    assert [i.reason for i in doc.issues if "II.C" in i.reason] == [
        "section 'II.C Post-authorisation development plan' not found; "
        "the document may be truncated"]


def test_older_template_no_study_is_stated_by_the_study_table() -> None:
    """LORTAVEX (older template): no study of VI.1.2 addresses Neutropenia, which
    the study table itself states, at its heading (l.26)."""
    from rmpgraph.graph.pipeline import build_source
    from rmpgraph.parse.read import read_source

    text = TESTA.parent.parent / "rmp" / "lortavex.txt"
    lines = text.read_text(encoding="utf-8").split("\n")
    heading = 1 + next(i for i, t in enumerate(lines) if t.startswith("VI.1.2 "))
    doc = build_source(read_source(text)).document
    (neutropenia,) = [c for c in doc.concerns if c.name == "Neutropenia"]
    assert [(n.row, n.span) for n in neutropenia.nones if n.row == "additional-pv"
            ] == [("additional-pv", Span(heading, heading))]


def test_a_summary_without_part_headings_is_still_read() -> None:
    """testa.txt without its "I. The medicine ..." and "II. Risks ..." headings:
    the II.A list is still read, and the missing part is reported."""
    lines = TESTA.read_text(encoding="utf-8").split("\n")
    assert lines[2].startswith("I. ") and lines[6].startswith("II. ")
    doc = _document("\n".join(t for i, t in enumerate(lines) if i not in (2, 6)))
    assert [c.name for c in doc.concerns] == ["Hepatotoxicity", "Use in pregnancy"]
    assert "section 'I. The medicine and what it is used for' not found" in [
        i.reason for i in doc.issues]


LORTAVEX = TESTA.parent.parent / "rmp" / "lortavex.txt"


def test_older_template_alternative_names_are_other_names() -> None:
    """LORTAVEX names each risk the same in VI.1.1 and VI.2.4: no concern has its
    own name among its alternative names."""
    doc = _document(LORTAVEX.read_text(encoding="utf-8"))
    assert len(doc.concerns) == 9
    assert [c.name for c in doc.concerns if c.name in c.alt_names] == []

