"""II.C text as pdftotext writes Word label/value tables and labelled paragraphs.

A label cell of a II.C study table wraps in its narrow column ("Study short name /
and title", "Rationale and study / objectives"), so no line alone is a field label;
and labelled paragraphs put each milestone on its own line straight after a
sentence ("… pharmacovigilance plan." / "Protocol submission: 15/03/2026"), so the
milestone would be read as part of that sentence. This module joins wrapped labels
and starts a paragraph at such a milestone line before `studies.parse_plan` reads
the section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rmpgraph.parse.milestones import in_life_order
from rmpgraph.parse.model import Span
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.studies import (
    CATEGORY_LINE,
    _milestone,
    _starts_entry,
    identifier_of,
    milestone_kind,
)
from rmpgraph.parse.tables import CAPTION
from rmpgraph.parse.textutil import join_lines

__all__ = ["labels_first", "regroup", "unstack_table"]


def _is_field(text: str) -> bool:
    label = norm_label(text)
    return any(
        label == norm_label(x) for labels in layout()["study-fields"].values()
        for x in labels
    )


def _wrapped_field(lines: Sequence[Line], i: int) -> int | None:
    """Index of the last line of the longest field label starting at line i
    (a label cell may wrap over up to 3 lines, no blank between), or None."""
    if ":" in lines[i].text:
        return None
    found = i if _is_field(lines[i].text) else None
    texts = [lines[i].text]
    for j in range(i + 1, min(i + 3, len(lines))):
        if not lines[j].text or ":" in lines[j].text:
            break
        texts.append(lines[j].text)
        if _is_field(" ".join(texts)):
            found = j
    return found


def _vocab() -> set[str]:
    """The words of the study-field labels."""
    return {w for labels in layout()["study-fields"].values() for x in labels
            for w in norm_label(x).split()}


def _is_milestone(ln: Line) -> bool:
    return bool(ln.text) and _milestone(ln.text, Span(ln.no, ln.no)) is not None


def _header_rows(lines: Sequence[Line]) -> set[int]:
    """Line numbers of the header rows of a multi-column study table that could not
    be re-read (its column headings, maybe printed interleaved: "Study" / "Summary
    of" / "Safety concerns" / "Milestones" / "objectives" / "addressed"), so they
    are not read as a study called "Study" or "Summary of"."""
    out: set[int] = set()
    paras = _paragraphs(lines)
    for k, para in enumerate(paras):
        words = norm_label(" ".join(x.text for x in para)).split()
        if (len(para) >= 3 and _label_kind(para[0].text) == "title"
                and set(words) <= _vocab()):
            out |= {x.no for x in para}
        end = _header_end(paras, k)
        if end is not None:
            out |= {x.no for p in paras[k:end] for x in p}
    return out


def regroup(
    lines: Sequence[Line], issue: Callable[[int, str], None] | None = None
) -> tuple[list[Line], set[int]]:
    """Lines with wrapped field labels joined (the absorbed line numbers are
    returned so they count as read) and a break before a milestone line that
    follows a finished sentence; a multi-column study table is re-read first."""
    table = unstack_table(lines, issue) or labels_first(lines)
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
        last = _wrapped_field(lines, i) if ln.text else None
        if last is not None:
            label = " ".join(x.text for x in lines[i : last + 1])
            absorbed |= {x.no for x in lines[i + 1 : last + 1]}
            # a label cell alone: its value is the next paragraph (the value cell);
            # not a one-word label such as "Study", which heads the first column
            # of a multi-column table (its next paragraph is another column)
            k = last + 1 if len(label.split()) > 1 else len(lines)
            while k < len(lines) and not lines[k].text:
                k += 1
            if k < len(lines) and _wrapped_field(lines, k) is None and not (
                _is_milestone(lines[k])
            ):
                out.append(Line(ln.no, f"{label}: {lines[k].text}", False))
                absorbed.add(lines[k].no)
                i = k + 1
            else:
                out.append(Line(ln.no, label, False))
                i = last + 1
            continue
        if out and out[-1].text and _is_milestone(ln) and (
            out[-1].text.endswith(".") or _is_milestone(out[-1])
        ):
            out.append(Line(ln.no, "", False))
        out.append(ln)
        i += 1
    return out, absorbed | (used if table is not None else absorbed_header)


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December)")
_HARD_DUE = (rf"\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|"
             rf"{_MONTH}\s+\d{{4}}|Q[1-4]\s+\d{{4}}|\d{{4}}")
_DUE = re.compile(
    rf"(?:{_HARD_DUE}|(?:within|with each|annually)\b.*?(?=\s(?:{_HARD_DUE})\b|$))",
    re.I,
)


# a study cell's first line: the code alone, maybe with its category
_CODE_CELL = re.compile(r"^\S+(?:\s*\(category\s*[1-3]\))?$", re.I)


def _paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Blank-separated paragraphs; a field label after a finished sentence ("… the
    marketing authorisation (category 1):" / "Study") or a caption also starts one."""
    out: list[list[Line]] = [[]]
    for ln in lines:
        if ln.text and out[-1] and (
            out[-1][-1].text.endswith((":", ".")) or CAPTION.match(out[-1][-1].text)
        ) and _is_field(ln.text):
            out.append([ln])
        elif ln.text:
            out[-1].append(ln)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def _header_end(paras: list[list[Line]], k: int) -> int | None:
    """Index after the header cells of a multi-column study table starting at
    paragraph k ("Study" first, a milestones or due-dates heading among them). The
    headings may come as one paragraph of lines interleaved from wrapped cells
    ("Study" / "Summary of" / "Safety concerns" / "Milestones" / "objectives")."""
    kinds: list[str] = []
    j = k
    words = set(norm_label(" ".join(x.text for x in paras[k])).split()) if (
        k < len(paras) and len(paras[k]) >= 3) else set()
    if words and _label_kind(paras[k][0].text) == "title" and words <= _vocab():
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


def _names(text: str) -> list[str] | None:
    """Milestone names making up the whole text, in order, or None."""
    name = layout()["plan-table"]["milestone_name"]
    parts = re.findall(rf"\s*({name})\s*", text, re.I)
    rebuilt = "".join(re.findall(rf"\s*(?:{name})\s*", text, re.I))
    return parts if parts and rebuilt == text else None


def _dues(text: str) -> list[str] | None:
    """Due dates making up the whole text, in order, or None."""
    got = [m.group(0).strip() for m in _DUE.finditer(text)]
    rest = _DUE.sub("", text).strip()
    return got if got and not rest else None


def _groups(pairs: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Milestones cut into studies where the sequence goes back in a study's life
    (a protocol or start after a final report)."""
    order = layout()["plan-table"]["lifecycle"]

    def rank(name: str) -> int:
        kind = milestone_kind(name)
        return order.index(kind) if kind in order else -1

    out: list[list[tuple[str, str]]] = []
    for pair in pairs:
        r = rank(pair[0])
        if not out or r < rank(out[-1][-1][0]) or r == len(order) - 1 == rank(
            out[-1][-1][0]
        ):
            out.append([])
        out[-1].append(pair)
    return out


def unstack_table(
    lines: Sequence[Line], issue: Callable[[int, str], None] | None = None
) -> tuple[list[Line], set[int]] | None:
    """A multi-column II.C study table re-read as labelled study paragraphs
    ("Study: CODE", "Milestones: name: due; …"), with the line numbers it used, or
    None when the lines hold no such table. When its milestones cannot be paired
    for certain (as many names as dates, as many milestone groups as studies, no
    row split by a page break, no study's milestone due before one earlier in its
    life) each code alone on a line still opens a study,
    without milestones, and "Category n" lines give the categories if there are as
    many; a table with more category lines than codes has a code in a form this
    misses, and gives None. Unpaired milestones are reported to `issue`, so their
    loss is not silent."""
    paras = _paragraphs(lines)
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
        if _is_field(para[0].text):
            # a header cell among the rows: the table crossed a page and pdftotext
            # interleaved the split row with the repeated header; order is lost
            split_row = True
            continue
        studies += [x for x in para if _CODE_CELL.match(x.text)
                    and identifier_of(x.text.split()[0]) == x.text.split()[0]]
        categories += [x.text for x in para if CATEGORY_LINE.match(x.text)]
        got_dues = _dues(text)
        got_names = None if got_dues else _names(text)
        dues += got_dues or []
        names += [(para[0], n) for n in got_names or []]
    groups = _groups([(n, d) for (_, n), d in zip(names, dues, strict=False)])
    if not studies or len(categories) > len(studies):
        return None
    order = layout()["plan-table"]["lifecycle"]
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


def _label_kind(text: str) -> str | None:
    label = norm_label(text)
    return next((kd for kd, labels in layout()["study-fields"].items()
                 if label in (norm_label(x) for x in labels)), None)


def _cells(
    lines: Sequence[Line],
) -> tuple[list[tuple[str, Line, str]], list[Line], set[int]]:
    """Field labels (kind, first line, text), the value lines and the label line
    numbers."""
    labels: list[tuple[str, Line, str]] = []
    values: list[Line] = []
    nos: set[int] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        last = _wrapped_field(lines, i) if ln.text else None
        if last is not None:
            text = " ".join(x.text for x in lines[i : last + 1])
            labels.append((_label_kind(text) or "", ln, text))
            nos |= {x.no for x in lines[i : last + 1]}
            i = last + 1
            continue
        if ln.text:
            values.append(ln)
        i += 1
    return labels, values, nos


def _split_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Paragraphs of one cell run with no blank line between them: a new one starts
    after a line ending a sentence, at a capital."""
    out: list[list[Line]] = []
    for ln in lines:
        if not out or (out[-1][-1].text.endswith(".") and ln.text[:1].isupper()):
            out.append([])
        out[-1].append(ln)
    return out


def labels_first(lines: Sequence[Line]) -> tuple[list[Line], set[int]] | None:
    """A II.C label/value study table whose label column pdftotext printed before
    the values (a run of field labels, then "CODE: title" …), re-read as labelled
    paragraphs: each "CODE: title" line opens a study, its title runs on over lines
    in lower case, milestone lines are its milestones, and the paragraphs between
    go to the table's other labels in order (all to the first when the counts
    differ). None when the lines show no such table."""
    labels, values, nos = _cells(lines)
    kinds = [k for k, _, _ in labels]
    first = labels[0][1].no if labels else 0
    values = [ln for ln in values if ln.no > first]
    if (
        "title" not in kinds or "milestones" not in kinds or len(set(kinds)) < 3
        or not values or not _starts_entry(values[0].text)
    ):
        return None
    names = {k: text for k, _, text in reversed(labels)}
    fields = [k for k in dict.fromkeys(kinds) if k not in ("title", "milestones", "")]
    out: list[Line] = [ln for ln in lines if ln.no < first]
    i = 0
    while i < len(values):
        title = [values[i]]
        i += 1
        while i < len(values) and not values[i].text[:1].isupper() and not (
            _starts_entry(values[i].text)
        ):
            title.append(values[i])
            i += 1
        body: list[Line] = []
        while i < len(values) and not _is_milestone(values[i]) and not (
            _starts_entry(values[i].text)
        ):
            body.append(values[i])
            i += 1
        out += [Line(title[0].no, "Study short name and title: " + join_lines(
            x.text for x in title), False), Line(title[0].no, "", False)]
        paras = _split_paragraphs(body)
        if fields and len(paras) != len(fields):
            paras = [body] if body else []
        for kind, para in zip(fields, paras, strict=False):
            out += [Line(para[0].no, f"{names[kind]}: "
                         + join_lines(x.text for x in para), False),
                    Line(para[0].no, "", False)]
        while i < len(values) and _is_milestone(values[i]):
            out += [values[i], Line(values[i].no, "", False)]
            i += 1
    return out, nos | {ln.no for ln in values}
