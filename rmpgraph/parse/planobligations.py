"""II.C.1 as the specific obligations of a conditional marketing authorisation.

A summary may copy Annex II's table of specific obligations into II.C.1: two
columns, "Description" ("In order to confirm the efficacy and safety of X …, the
MAH should submit the final results of study ABC-301, a phase 3, randomised …")
and "Due date" ("31 March 2028"). Each row is one study, named by the code after
"study", and one milestone: the results the description asks for, due on the
row's date. The rows are re-read as the labelled paragraphs `studies.parse_plan`
reads ("Study short name and title: ABC-301: phase 3, randomised …", "Rationale
and study objectives: …", "Milestones: Final study report: 31 March 2028"); a
description that names no study code is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rmpgraph.parse.milestones import parse_due
from rmpgraph.parse.planlabels import label_kind
from rmpgraph.parse.segment import Line
from rmpgraph.parse.studies import identifier_of
from rmpgraph.parse.textutil import join_lines, paragraphs

__all__ = ["obligations"]

_STUDY = re.compile(r"\bstud(?:y|ies)\s+(?P<code>\S+?)[,;:]?\s+(?P<rest>.*)$", re.I)


def _labelled(para: list[Line], kind: str) -> str | None:
    """The value of a paragraph opened by a label of `kind` ("Description:")."""
    text = join_lines(x.text for x in para)
    head, sep, rest = text.partition(":")
    return rest.strip() if sep and label_kind(head) == kind else None


def obligations(lines: Sequence[Line]) -> list[Line]:
    """The lines, with each "Description: … study CODE, …" paragraph and the "Due
    date: …" paragraph after it re-read as a study entry (see the module)."""
    out: list[Line] = []
    paras = paragraphs(lines)
    rewritten: dict[int, list[Line]] = {}
    for i, para in enumerate(paras):
        text = _labelled(para, "obligation")
        m = _STUDY.search(text or "")
        code = m.group("code") if m else None
        if text is None or m is None or identifier_of(code or "") != code:
            continue
        no = para[0].no
        title = re.sub(r"^(?:an?|the)\s+", "", m.group("rest")).rstrip(".")
        entry = [Line(no, f"Study short name and title: {code}: {title}",
                      False), Line(no, "", False),
                 Line(no, f"Rationale and study objectives: {text}", False),
                 Line(no, "", False)]
        due = _labelled(paras[i + 1], "milestones") if i + 1 < len(paras) else None
        if due and parse_due(due) is not None:
            asked = "Interim report" if re.search(r"\binterim\b", text, re.I) and \
                not re.search(r"\bfinal\b", text, re.I) else "Final study report"
            after = paras[i + 1][0].no
            rewritten[after] = [Line(after, f"Milestones: {asked}: {due}", False),
                                Line(after, "", False)]
        rewritten[no] = entry
    if not rewritten:
        return list(lines)
    firsts = {p[0].no: p for p in paras}
    skip: set[int] = set()
    for ln in lines:
        if ln.no in skip:
            continue
        if ln.no in rewritten and ln.no in firsts and ln is firsts[ln.no][0]:
            out += rewritten[ln.no]
            skip |= {x.no for x in firsts[ln.no]}
            continue
        out.append(ln)
    return out
