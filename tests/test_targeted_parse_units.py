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
