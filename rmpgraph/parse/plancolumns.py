"""II.C study tables that a text export printed column by column.

pdfminer (the text layer under pdfplumber) prints a page box by box, and it puts
the cells of one table column into one box when they line up and lie close: the
whole "Study" column of a II.C table comes out as one paragraph (a code, its title
and "Status: ongoing", then the next code …), and the other columns follow, one
paragraph per cell. Each column keeps the table's row order, so the k-th
objectives cell, the k-th concerns cell and the k-th milestones cell belong to the
k-th code: this module pairs them in that order, and only where a column has as
many cells as there are codes (and each milestone run is in the order of a study's
life). It runs after `planlines.unstack_table` and `planlabels.labels_first` find
no table they can read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rmpgraph.parse.milestones import _milestone, in_life_order, life_runs
from rmpgraph.parse.model import Span
from rmpgraph.parse.planlabels import (
    is_field,
    is_milestone,
    label_kind,
    split_paragraphs,
    vocab,
    wrapped_field,
)
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.studies import CATEGORY_LINE, identifier_of, milestone_kind
from rmpgraph.parse.tables import CAPTION
from rmpgraph.parse.textutil import join_lines, sentence

__all__ = ["cells_in_order", "columns_first", "dues_in", "names_in",
           "table_paragraphs"]

# a register number is no study code ("EUPAS498812" alone on a title's last line)
_REGISTER = re.compile(r"^(?:EUPAS|NCT)\d+\b", re.I)

# the due forms milestones.parse_due reads, each whole ("31.01.2026", "Q2/2026",
# "31-Mar-2027", "2nd quarter 2028"), longest first
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_HARD_DUE = (rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}|"
             rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+|-){_MONTH},?(?:\s+|-)\d{{4}}|"
             rf"{_MONTH}\s+\d{{1,2}},\s*\d{{4}}|{_MONTH}\s+\d{{4}}|"
             r"(?:Q[1-4]|[1-4]Q)\s*[-/ ]?\s*\d{4}|\d{4}\s*[-/ ]?\s*Q[1-4]|"
             r"H[12]\s*[-/ ]?\s*\d{4}|"
             r"(?:1st|2nd|3rd|4th|first|second|third|fourth)\s+quarter\s+(?:of\s+)?\d{4}|"
             r"\d{1,2}[/.]\d{4}|\d{4}")
_DUE = re.compile(
    rf"(?:{_HARD_DUE}|(?:within|with each|annually)\b.*?(?=\s(?:{_HARD_DUE})\b|$))",
    re.I,
)


def names_in(text: str) -> list[str] | None:
    """Milestone names making up the whole text, in order, or None."""
    name = layout()["plan-table"]["milestone_name"]
    parts = re.findall(rf"\s*({name})\s*", text, re.I)
    rebuilt = "".join(re.findall(rf"\s*(?:{name})\s*", text, re.I))
    return parts if parts and rebuilt == text else None


def dues_in(text: str) -> list[str] | None:
    """Due dates making up the whole text, in order, or None."""
    got = [m.group(0).strip() for m in _DUE.finditer(text)]
    rest = _DUE.sub("", text).strip()
    return got if got and not rest else None


def table_paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Blank-separated paragraphs; a field label after a finished sentence ("… the
    marketing authorisation (category 1):" / "Study") or a caption also starts one."""
    out: list[list[Line]] = [[]]
    for ln in lines:
        if ln.text and out[-1] and (
            out[-1][-1].text.endswith((":", ".")) or CAPTION.match(out[-1][-1].text)
        ) and is_field(ln.text):
            out.append([ln])
        elif ln.text:
            out[-1].append(ln)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def _code_line(text: str) -> bool:
    """A line that opens a study cell: its code alone, or the code and a colon or
    dash before the title ("ZTV-EXT-201", "ZTV-EXT-201: Open-label …")."""
    words = text.split()
    if not words:
        return False
    head = words[0].rstrip(":")
    return (identifier_of(head) == head and not _REGISTER.match(head)
            and (len(words) == 1 or words[0].endswith(":") or words[1] in "–—-:"))


def _unlabelled(block: list[Line]) -> tuple[str | None, list[Line]]:
    """The block without the column heading atop it ("Safety concerns / addressed"),
    and the heading's field kind."""
    last = wrapped_field(block, 0)
    if last is None:
        return None, block
    text = " ".join(x.text for x in block[: last + 1])
    return label_kind(text), block[last + 1 :]


def _milestones(block: list[Line]) -> list[tuple[str, str]] | None:
    """(name, due) of each milestone making up the whole block, or None."""
    name = layout()["plan-table"]["milestone_name"]
    text = join_lines(x.text for x in block)
    parts = [p.strip() for p in re.split(rf"\s(?=(?:{name})\s*:)", text, flags=re.I)]
    out = []
    for part in parts:
        ms = _milestone(part, Span(block[0].no, block[-1].no), free=True)
        if ms is None or not re.match(rf"(?:{name})\s*:", part, re.I):
            return None
        label, _, due = ms.label.partition(": ")
        out.append((label, due))
    return out or None


def _study_cells(block: list[Line]) -> list[Line] | None:
    """The study cells of a paragraph that starts with one (maybe under the
    column's heading) and has no milestone, or None."""
    kind, rest = _unlabelled(block)
    if rest and kind in (None, "title") and _code_line(rest[0].text) \
            and not any(is_milestone(x) for x in rest):
        return rest
    return None


def _study_column(blocks: list[list[Line]]) -> tuple[int, list[Line]] | None:
    """Where the study column of several rows starts, printed whole (two or more
    study cells in one paragraph, or in paragraphs one after another), and its
    lines; None when there is none."""
    for k in range(len(blocks)):
        column: list[Line] = []
        for b in blocks[k:]:
            cells = _study_cells(b)
            if cells is None:
                break
            column += cells
        if sum(_code_line(x.text) for x in column) >= 2:
            return k, column
    return None


def _split_cells(column: list[Line]) -> list[list[Line]]:
    starts = [i for i, x in enumerate(column) if _code_line(x.text)]
    ends = [*starts[1:], len(column)]
    return [column[a:b] for a, b in zip(starts, ends, strict=True)]


def columns_first(
    lines: Sequence[Line], issue: Callable[[int, str], None] | None = None
) -> tuple[list[Line], set[int]] | None:
    """The II.C section re-read as labelled study paragraphs ("Study short name and
    title: CODE: title", "Rationale and study objectives: …", "Milestones: name:
    due; …") when one paragraph holds two or more study cells and no milestone
    (a study column printed whole), with the line numbers it used; None otherwise.
    A column whose cells cannot be counted out one per study is left out, and its
    milestones are reported to `issue`, so their loss is not silent."""
    blocks = table_paragraphs(lines)
    found = _study_column(blocks)
    if found is None:
        return None
    k, column = found
    cells = _split_cells(column)
    prose: list[list[Line]] = []
    concerns: list[list[Line]] = []
    runs: list[list[tuple[str, str]]] = []
    names: list[str] | None = None
    categories: list[str] = []
    last = next(i for i, b in enumerate(blocks) if column[-1] in b)
    for block in blocks[last + 1 :]:
        kind, rest = _unlabelled(block)
        if not rest:
            continue
        if _study_cells(block) is not None:  # a later row (the next page's)
            cells += _split_cells(rest)
            continue
        if len(rest) > 1 and set(norm_label(rest[0].text).split()) <= vocab():
            rest = rest[1:]  # the end of a heading cut over two lines ("dates")
        text = join_lines(x.text for x in rest)
        if re.fullmatch(r"[1-3]", text):  # a "Category" cell
            categories.append(text)
            continue
        got = _milestones(rest)
        if names is not None and (dues := dues_in(text)) and len(dues) == len(names):
            got = list(zip(names, dues, strict=True))  # a names cell, then its dates
        names = names_in(text) if got is None and ":" not in text else None
        if got is not None:
            runs.append(got)
        elif names is not None:
            continue
        elif kind == "objective" or (kind is None and sentence(join_lines(
                x.text for x in rest))):
            prose.append(rest)
        elif kind in (None, "concerns"):
            concerns.append(rest)
    if len(prose) != len(cells):  # objective cells of several rows in one box
        prose = [p for block in prose for p in split_paragraphs(block)]
    order = layout()["plan-table"]["lifecycle"]
    if len(runs) != len(cells):  # milestone cells of several rows in one box
        runs = life_runs([m for run in runs for m in run],
                         lambda pair: milestone_kind(pair[0]), order)
    if len(runs) != len(cells) or not all(in_life_order(r, order) for r in runs):
        if issue is not None and runs:
            issue(column[0].no, "study table printed column by column (a text export); "
                  "its milestones cannot be paired with its studies, so none is read")
        runs = []
    first = next((b[0].no for b in blocks[:k + 1] if is_field(b[0].text)
                  or wrapped_field(b, 0) is not None), column[0].no)
    out = [ln for ln in lines if ln.no < first]
    for i, cell in enumerate(cells):
        title, status = cell, []
        cut = next((j for j, x in enumerate(cell) if j and ":" in x.text
                    and label_kind(x.text.partition(":")[0])), None)
        if cut is not None:
            title, status = cell[:cut], cell[cut:]
        head = title[0].text if ":" in title[0].text or len(title) < 2 \
            else f"{title[0].text}:"
        out += [Line(cell[0].no, "Study short name and title: " + join_lines(
            [head, *(x.text for x in title[1:])]), False), Line(cell[0].no, "", False)]
        out += [x for ln in status for x in (ln, Line(ln.no, "", False))]
        if len(categories) == len(cells):
            out += [Line(cell[0].no, f"Category: {categories[i]}", False),
                    Line(cell[0].no, "", False)]
        for label, col in (("Rationale and study objectives", prose),
                           ("Safety concerns addressed", concerns)):
            if len(col) == len(cells):
                out += [Line(col[i][0].no, f"{label}: "
                             + join_lines(x.text for x in col[i]), False),
                        Line(col[i][0].no, "", False)]
        if runs:
            out += [Line(cell[0].no, "Milestones: "
                         + "; ".join(f"{n}: {d}" for n, d in runs[i]), False),
                    Line(cell[0].no, "", False)]
    return out, {ln.no for ln in lines if ln.no >= first and ln.text}


def _heading(block: list[Line]) -> str | None:
    """The field kind of a block that is a column heading and nothing else."""
    kind, rest = _unlabelled(block)
    return kind if kind and not rest else None


def cells_in_order(lines: Sequence[Line]) -> tuple[list[Line], set[int]] | None:
    """A multi-column II.C table (Study | … | Milestones | Due dates) whose cells a
    text export printed one box each, the columns mixed and their headings among
    the rows (pdfminer, when a row's lines sit at different heights), re-read as
    "Study short name and title: CODE: title" and "Milestones: name: due; …"
    paragraphs. Each column still lists its cells in row order, so the codes alone
    on their lines, the milestone names and the due dates are each taken in order,
    the names paired with the dates and cut into one run per study where the
    sequence goes back in a study's life. None unless there are as many names as
    dates, as many runs as codes, and each run is in the order of a life."""
    blocks = table_paragraphs(lines)
    start = next((k for k, b in enumerate(blocks) if _heading(b) == "title"), None)
    if start is None or not any(
            norm_label(join_lines(x.text for x in b)) in ("due dates", "due date")
            for b in blocks[start:]):
        return None
    codes: list[tuple[Line, str]] = []
    categories: list[str] = []
    names: list[str] = []
    dues: list[str] = []
    after_code = False
    for block in blocks[start:]:
        text = join_lines(x.text for x in block)
        if _heading(block):
            continue
        got_dues = dues_in(text)
        got_names = None if got_dues else names_in(text)
        dues += got_dues or []
        names += got_names or []
        if after_code and not (got_dues or got_names or CATEGORY_LINE.match(
                text.split("(")[0].strip()) or text.endswith(".")
                or text.startswith("To ")):  # an objective, cut by a page
            codes[-1] = codes[-1][0], text  # the title, in the cell below the code
        after_code = False
        for ln in block:
            head = ln.text.split("(")[0].strip()
            if identifier_of(ln.text) == ln.text.strip() and not _REGISTER.match(
                    ln.text.strip()):
                codes.append((ln, ""))
                after_code = ln is block[-1]
            elif CATEGORY_LINE.match(head):
                categories.append(head.split()[-1])
    order = layout()["plan-table"]["lifecycle"]
    runs = life_runs(list(zip(names, dues, strict=False)),
                     lambda pair: milestone_kind(pair[0]), order)
    if not codes or len(names) != len(dues) or len(runs) != len(codes) or not all(
            in_life_order(r, order) for r in runs):
        return None
    first = blocks[start][0].no
    out = [ln for ln in lines if ln.no < first]
    for i, ((code, title), run) in enumerate(zip(codes, runs, strict=True)):
        out.append(Line(code.no, "Study short name and title: " + (
            f"{code.text.strip()}: {title}" if title else code.text.strip()), False))
        if len(categories) == len(codes):
            out.append(Line(code.no, f"Category: {categories[i]}", False))
        out += [Line(code.no, "Milestones: " + "; ".join(f"{n}: {d}" for n, d in run),
                     False), Line(code.no, "", False)]
    return out, {ln.no for ln in lines if ln.no >= first and ln.text}
