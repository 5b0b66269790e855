"""Rows that say there is nothing (GVP Module V, V.B.9: "None" is an answer).

The phrases are the template's and the ones companies write in its place; each must
become a rmp:NoneStatement, never a measure or a study. Written from the template,
not from the reader's output.
"""

from __future__ import annotations

import pytest

from rmpgraph.parse.textutil import says_none


@pytest.mark.parametrize("text", [
    "None", "None.", "none", "Not applicable", "N/A", "None identified",
    "None proposed", "No additional risk minimisation measures",
    "No additional risk minimization measures.",
    "No additional risk minimisation measures are proposed",
    "No additional pharmacovigilance activities",
    "No additional pharmacovigilance activity were proposed.",
])
def test_says_none(text: str) -> None:
    assert says_none(text)


@pytest.mark.parametrize("text", [
    "Nonetheless, patients should be monitored",  # a sentence, not an absence
    "No data in pregnant women",  # evidence text
    "Not applicable to children under 12 years",  # a restriction, says something
    "HCP guide",
    "None of the patients developed ITP",
])
def test_says_something(text: str) -> None:
    assert not says_none(text)


def test_no_additional_measures_row_is_a_none_statement() -> None:
    """Halvoren's fixture text says "No additional risk minimisation measures" on
    line 193: a None for that concern's additional-RMM row, and no measure."""
    from pathlib import Path

    from rmpgraph.graph.pipeline import build_source
    from rmpgraph.parse.read import read_source

    doc = build_source(read_source(Path(__file__).parent / "fixtures" / "docs"
                                   / "halvoren.txt")).document
    (concern,) = [c for c in doc.concerns
                  if any(n.span.start <= 193 <= n.span.end for n in c.nones)]
    assert [n.row for n in concern.nones if n.span.start == 193] == ["additional-rmm"]
    assert concern.additional == []
    assert not [m for c in doc.concerns for m in c.additional
                if m.text.lower().startswith("no additional")]
