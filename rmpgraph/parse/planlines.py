"""II.C text as pdftotext writes Word tables and labelled paragraphs.

A label cell of a II.C study table wraps in its narrow column ("Study short name /
and title", "Rationale and study / objectives"), so no line alone is a field label;
and labelled paragraphs put each milestone on its own line straight after a
sentence ("… pharmacovigilance plan." / "Protocol submission: 15/03/2026"), so the
milestone would be read as part of that sentence. This module joins wrapped labels
and starts a paragraph at such a milestone line before `studies.parse_plan` reads
the section; it re-reads a multi-column study table first (`unstack_table`), or a
label/value table printed label column first (`planlabels.labels_first`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rmpgraph.parse.milestones import in_life_order, life_runs
from rmpgraph.parse.plancolumns import (
    cells_in_order,
    columns_first,
    dues_in,
    names_in,
    table_paragraphs,
)
from rmpgraph.parse.planlabels import (
    is_field,
    is_milestone,
    label_kind,
    labels_first,
    vocab,
    wrapped_field,
)
from rmpgraph.parse.planobligations import obligations
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.studies import CATEGORY_LINE, identifier_of, milestone_kind
from rmpgraph.parse.textutil import join_lines

__all__ = ["regroup", "unstack_table"]


def _header_rows(lines: Sequence[Line]) -> set[int]:
    """Line numbers of the header rows of a multi-column study table that could not
    be re-read (its column headings, maybe printed interleaved: "Study" / "Summary
    of" / "Safety concerns" / "Milestones" / "objectives" / "addressed"), so they
    are not read as a study called "Study" or "Summary of"."""
    out: set[int] = set()
    paras = table_paragraphs(lines)
    for k, para in enumerate(paras):
        words = norm_label(" ".join(x.text for x in para)).split()
        if (len(para) >= 3 and label_kind(para[0].text) == "title"
                and set(words) <= vocab()):
            out |= {x.no for x in para}
        end = _header_end(paras, k)
        if end is not None:
            out |= {x.no for p in paras[k:end] for x in p}
    return out


def _study_table(
    lines: Sequence[Line], issue: Callable[[int, str], None] | None
) -> tuple[list[Line], set[int]] | None:
    """The II.C table re-read: as a multi-column table (`unstack_table`), as one
    printed column by column (`plancolumns`), or as one whose label column was
    printed first (`planlabels`). More than one may take the same lines (each
    starts with a run of headings). A multi-column reading that pairs milestones
    wins; then a study column printed whole, which nothing else reads; then the
    label column, if it gives milestones where the multi-column reading gave
    none. Only the chosen reading's warnings are given."""
    def has_milestones(table: tuple[list[Line], set[int]] | None) -> bool:
        return table is not None and any(
            ln.text.startswith("Milestones: ") or is_milestone(ln) for ln in table[0])

    told: list[tuple[int, str]] = []
    table = unstack_table(lines, lambda no, text: told.append((no, text)))
    if not has_milestones(table):
        other = columns_first(lines, issue) or cells_in_order(lines)
        if other is not None:
            return other
        other = labels_first(lines)
        if other is not None and (table is None or has_milestones(other)):
            return other
    for no, text in told:
        if issue is not None:
            issue(no, text)
    return table


def regroup(
    lines: Sequence[Line], issue: Callable[[int, str], None] | None = None
) -> tuple[list[Line], set[int]]:
    """Lines with wrapped field labels joined (the absorbed line numbers are
    returned so they count as read) and a break before a milestone line that
    follows a finished sentence; a multi-column study table is re-read first."""
    lines = obligations(lines)
    table = _study_table(lines, issue)
    if table is not None:
        head, used = table
        lines = head
    else:
        header = _header_rows(lines)
        lines = [ln for ln in lines if ln.no not in header]
        absorbed_header = header
    out: list[Line] = []
    absorbed: set[int] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        last = wrapped_field(lines, i) if ln.text else None
        if last is not None:
            label = " ".join(x.text for x in lines[i : last + 1])
            absorbed |= {x.no for x in lines[i + 1 : last + 1]}
            # a label cell alone: its value is the next paragraph (the value cell);
            # not a one-word label such as "Study", which heads the first column
            # of a multi-column table (its next paragraph is another column)
            k = last + 1 if len(label.split()) > 1 else len(lines)
            while k < len(lines) and not lines[k].text:
                k += 1
            if k < len(lines) and wrapped_field(lines, k) is None and not (
                is_milestone(lines[k])
            ):
                out.append(Line(ln.no, f"{label}: {lines[k].text}", False))
                absorbed.add(lines[k].no)
                i = k + 1
            else:
                out.append(Line(ln.no, label, False))
                i = last + 1
            continue
        if out and out[-1].text and is_milestone(ln) and (
            out[-1].text.endswith(".") or is_milestone(out[-1])
        ):
            out.append(Line(ln.no, "", False))
        out.append(ln)
        i += 1
    return out, absorbed | (used if table is not None else absorbed_header)


# a study cell's first line: the code alone, maybe with its category
_CODE_CELL = re.compile(r"^\S+(?:\s*\(category\s*[1-3]\))?$", re.I)


def _header_end(paras: list[list[Line]], k: int) -> int | None:
    """Index after the header cells of a multi-column study table starting at
    paragraph k ("Study" first, a milestones or due-dates heading among them). The
    headings may come as one paragraph of lines interleaved from wrapped cells
    ("Study" / "Summary of" / "Safety concerns" / "Milestones" / "objectives")."""
    kinds: list[str] = []
    j = k
    words = set(norm_label(" ".join(x.text for x in paras[k])).split()) if (
        k < len(paras) and len(paras[k]) >= 3) else set()
    if words and label_kind(paras[k][0].text) == "title" and words <= vocab() and \
            not _whole_labels(paras[k]):
        kinds = [kd for kd, labels in layout()["study-fields"].items()
                 if any(set(norm_label(x).split()) <= words for x in labels)]
        kinds = ["title", *(kd for kd in kinds if kd != "title")]
        j += 1
    while j < len(paras):
        label = norm_label(" ".join(x.text for x in paras[j]))
        kind = next((kd for kd, labels in layout()["study-fields"].items()
                     if label in (norm_label(x) for x in labels)), None)
        if kind is None:
            break
        kinds.append(kind)
        j += 1
    if len(kinds) >= 3 and kinds[0] == "title" and "milestones" in kinds:
        return j
    return None


def _whole_labels(para: list[Line]) -> bool:
    """Whether the lines are whole labels one after another (a label column printed
    first, planlabels), not the interleaved headings of a multi-column table."""
    i = 0
    while i < len(para):
        last = wrapped_field(para, i)
        if last is None:
            return False
        i = last + 1
    return True


def unstack_table(
    lines: Sequence[Line], issue: Callable[[int, str], None] | None = None
) -> tuple[list[Line], set[int]] | None:
    """A multi-column II.C study table re-read as labelled study paragraphs
    ("Study: CODE", "Milestones: name: due; …"), with the line numbers it used, or
    None when the lines hold no such table. When its milestones cannot be paired
    for certain (as many names as dates, as many milestone groups as studies, no
    row split by a page break, no study's milestone due before one earlier in its
    life) each code alone on a line still opens a study, without milestones, and
    "Category n" lines give the categories if there are as many; a table with more
    category lines than codes has a code in a form this misses, and gives None.
    Unpaired milestones are reported to `issue`, so their loss is not silent."""
    paras = table_paragraphs(lines)
    start = next((k for k in range(len(paras)) if _header_end(paras, k)), None)
    if start is None:
        return None
    studies: list[Line] = []
    names: list[tuple[Line, str]] = []
    dues: list[str] = []
    categories: list[str] = []
    split_row = False
    k = _header_end(paras, start) or start
    while k < len(paras):
        end = _header_end(paras, k)
        if end is not None:  # the header row repeated after a page break
            k = end
            continue
        para = paras[k]
        text = join_lines(x.text for x in para)
        k += 1
        if is_field(para[0].text):
            # a header cell among the rows: the table crossed a page and pdftotext
            # interleaved the split row with the repeated header; order is lost
            split_row = True
            continue
        studies += [x for x in para if _CODE_CELL.match(x.text)
                    and identifier_of(x.text.split()[0]) == x.text.split()[0]]
        categories += [x.text for x in para if CATEGORY_LINE.match(x.text)]
        got_dues = dues_in(text)
        got_names = None if got_dues else names_in(text)
        dues += got_dues or []
        names += [(para[0], n) for n in got_names or []]
    order = layout()["plan-table"]["lifecycle"]
    groups = life_runs([(n, d) for (_, n), d in zip(names, dues, strict=False)],
                       lambda pair: milestone_kind(pair[0]), order)
    if not studies or len(categories) > len(studies):
        return None
    if split_row or len(names) != len(dues) or len(groups) != len(studies) or not all(
            in_life_order(g, order) for g in groups):
        groups = [[] for _ in studies]
        if issue is not None and names:
            issue(names[0][0].no, "study table cells out of order (a text export); "
                  "its milestones cannot be paired with its studies, so none is read")
        if len(categories) != len(studies):
            categories = ["" for _ in studies]
    else:
        categories = ["" for _ in studies]  # the section or caption gives them
    first = paras[start][0].no
    head = [ln for ln in lines if ln.no < first]
    out = list(head)
    for code, group, category in zip(studies, groups, categories, strict=True):
        out += [Line(code.no, f"Study: {code.text}", False)]
        if category:
            out += [Line(code.no, f"Category: {category.split()[-1].strip('()')}",
                         False)]
        if group:
            out += [Line(code.no, "Milestones: "
                         + "; ".join(f"{n}: {d}" for n, d in group), False)]
        out += [Line(code.no, "", False)]
    used = {ln.no for ln in lines if ln.no >= first and ln.text}
    return out, used
