"""II.B tables whose cells come out of reading order (pdftotext of Word tables).

`pdftotext` in its default mode writes a two-column Word table as text blocks in an
order of its own: a row label may come before the value of the previous row, a label
wrapped over three lines may be split by a page break ("Additional / pharmacovigilance
… activities"), and a bulleted value cell may come after every other cell of the
table. The line-after-label reading of `extract_concerns.parse_summaries` then puts
values in the wrong rows. This module re-reads such a table from what it knows:

* labels, even in fragments, in the order of the rows of the template;
* values typed by their content (label-section citations and legal status are
  routine measures, educational materials and "No additional risk minimisation
  measures" are additional measures, study codes and milestone lines are additional
  pharmacovigilance), untyped lines continuing the line before them;
* a prose value block straight after the evidence or risk-factor label is that row;
* "None"/"Not applicable" values fill the rows that received nothing else, in row
  order, because each cell holds either content or one "None";
* when every row label of a table comes out before any value (the label column
  printed first, then the value column), the prose at the head of the values is
  the evidence and risk-factor cells, not the last label's: the risk-factor cell
  is its last paragraph (the cells are printed in row order), the rest is evidence.

It runs only on tables showing the symptom (a label with no value before the next
label, other than the combined "Risk minimisation measures" cell, a label split
by a value, or a measures cell ending in ":" before the PV label), so tables read
well line by line are untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.textutil import classify, says_none

__all__ = ["SEE_PLAN", "label_of", "reflow", "value_type"]

_NO_ADDITIONAL = re.compile(r"^no additional risk minimi[sz]ation measures?\b", re.I)
_CODE = re.compile(r"\b(?:[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*-[A-Z]*\d+[A-Z0-9]*|EUPAS\d+)\b")
#: "See section(s) II.C …": a pointer to the plan, naming no study
SEE_PLAN = re.compile(r"^see (?:also )?(?:sections? )?II\.?\s?C\b", re.I)
_MILESTONE = re.compile(
    r"^(?:final|interim|progress|annual|protocol|study (?:start|end|completion)|"
    r"start of|end of)[\w ()/-]{0,40}:",
    re.I,
)
_PROSE_ROWS = ("evidence", "risk-factors")
_MEASURE_ROWS = ("rmm", "routine-rmm", "additional-rmm", "additional-pv")


@lru_cache(maxsize=1)
def _labels() -> list[tuple[list[str], str]]:
    """Row labels as word lists, longest first."""
    pairs = [
        (norm_label(label).split(), row)
        for row, labels in layout()["rows"].items()
        for label in labels
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


def label_of(words: list[str]) -> tuple[str | None, bool]:
    """(row, complete) for label words: complete when they are a whole label, else
    the row when every label they begin belongs to one row (None when ambiguous or
    when they begin no label)."""
    rows = set()
    for label, row in _labels():
        if label == words:
            return row, True
        if label[: len(words)] == words:
            rows.add(row)
    if len(rows) == 1:
        return rows.pop(), False
    return ("?" if rows else None), False


def value_type(text: str) -> str | None:
    """Which row a value line belongs to by its content alone, or None."""
    t = text.strip()
    if _NO_ADDITIONAL.match(t):  # says none, but also which row it is the value of
        return "additional"
    if says_none(t):
        return "none"
    if classify("additional-measure", t) != "other-additional":
        return "additional"
    if _CODE.search(t) or SEE_PLAN.match(t) or _MILESTONE.match(t):
        return "pv"
    if classify("routine-measure", t) != "other-routine":
        return "routine"
    return None


@dataclass
class _Label:
    row: str | None
    complete: bool
    lines: list[Line]
    pos: int
    values: int = 0


@dataclass
class _Flow:
    labels: list[_Label] = field(default_factory=list)
    # (line, block number, index of the last label before it or -1)
    values: list[tuple[Line, int, int]] = field(default_factory=list)
    split: bool = False


def _label_end(pending: _Label, ln: Line) -> tuple[str, str] | None:
    """(the words ending the pending label, the value after them) when the line
    starts with the rest of that label and goes on with a value, else None."""
    tokens = ln.text.split()
    start = " ".join(x.text for x in pending.lines)
    for k in range(len(tokens) - 1, 0, -1):
        row, complete = label_of(norm_label(f"{start} {' '.join(tokens[:k])}").split())
        rest = " ".join(tokens[k:])
        # a value starts with a capital, a digit or a code, unlike the rest of a
        # sentence after "… linking the risk to" + a product's name
        if complete and row not in (None, "?") and (rest[:1].isupper()
                                                    or rest[:1].isdigit()):
            return " ".join(tokens[:k]), rest
    return None


def _tokenise(lines: Sequence[Line]) -> _Flow:
    flow = _Flow()
    pending: _Label | None = None
    block = 0
    for ln in lines:
        if not ln.text:
            block += 1
            continue
        words = norm_label(ln.text).split()
        if pending is not None and not pending.complete:
            row, complete = label_of(
                norm_label(
                    " ".join(x.text for x in pending.lines) + " " + ln.text
                ).split()
            )
            if row is not None:
                if (
                    flow.values
                    and flow.values[-1][2] == len(flow.labels) - 1
                    and flow.values[-1][0].no > pending.lines[-1].no
                ):
                    flow.split = True
                pending.lines.append(ln)
                pending.row = row if row != "?" else pending.row
                pending.complete = complete
                block += 1
                continue
            cut = _label_end(pending, ln)
            if cut is not None:
                # the label's last words and the row's value on one line
                # ("Additional" / "IMB-301" / "pharmacovigilance activities IMB-204")
                head, rest = cut
                pending.lines.append(Line(ln.no, head, False))
                pending.row, pending.complete = label_of(norm_label(" ".join(
                    x.text for x in pending.lines)).split())[0], True
                flow.split = True
                block += 1
                flow.values.append((Line(ln.no, rest, False), block, pending.pos))
                continue
        row, complete = label_of(words) if words else (None, False)
        if row is not None and not ln.bullet:
            pending = _Label(
                None if row == "?" else row, complete, [ln], len(flow.labels)
            )
            if row == "?" and words:
                pending.row = None
            flow.labels.append(pending)
            block += 1
            continue
        head, colon, rest = ln.text.partition(":")
        hrow, hcomplete = (
            label_of(norm_label(head).split()) if colon else (None, False)
        )
        if hrow not in (None, "?") and hcomplete and rest.strip():
            pending = _Label(hrow, True, [ln], len(flow.labels))
            flow.labels.append(pending)
            block += 1
            flow.values.append((Line(ln.no, rest.strip(), False), block, pending.pos))
            continue
        flow.values.append((ln, block, len(flow.labels) - 1))
    return flow


_SENTENCE_END = re.compile(r"[.:;]\s*$")


def _starts_paragraph(prev: Line | None, ln: Line) -> bool:
    """A line opens a paragraph after a line ending a sentence (pdftotext leaves no
    blank line between the paragraphs of one cell) when it starts with a capital."""
    return (
        prev is None
        or ln.bullet
        or (bool(_SENTENCE_END.search(prev.text)) and ln.text[:1].isupper())
    )


def _value_start(text: str) -> bool:
    """A paragraph that is a measure or PV value, not prose naming a study in passing
    ("In the open-label study TRV-MUC-302 in 97 patients …")."""
    kind = value_type(text)
    if kind != "pv":
        return kind is not None
    return bool(_CODE.match(text) or SEE_PLAN.match(text) or _MILESTONE.match(text)
                or len(text.split()) <= layout()["cellflow"]["short_value_words"])


def _labels_first(flow: _Flow) -> None:
    """Give the prose after a run of labels ending in a measures row to the prose
    labels of that run (see the module docstring); the values keep their order."""
    first_owner = {}
    for i in range(len(flow.labels)):
        run_start = i
        while run_start > 0 and not any(
            v[2] == run_start - 1 for v in flow.values
        ):
            run_start -= 1
        first_owner[i] = run_start
    i = 0
    while i < len(flow.values):
        owner = flow.values[i][2]
        if owner < 0 or flow.labels[owner].row in _PROSE_ROWS:
            i += 1
            continue
        run = flow.labels[first_owner[owner] : owner + 1]
        prose = [lb for lb in run if lb.row in _PROSE_ROWS]
        if not prose:
            i += 1
            continue
        j, prev = i, None
        starts: list[int] = []
        while j < len(flow.values) and flow.values[j][2] == owner:
            ln = flow.values[j][0]
            para = _starts_paragraph(prev, ln)
            if para and _value_start(ln.text):
                break
            if para:
                starts.append(j)
            prev, j = ln, j + 1
        cut = starts[-1] if len(prose) > 1 and len(starts) > 1 else j
        for k in range(i, j):
            ln, block, _ = flow.values[k]
            lb = prose[0] if k < cut else prose[-1]
            flow.values[k] = (ln, block + (k >= cut) * 10_000, lb.pos)
        i = max(j, i + 1)


def _interleaved(flow: _Flow) -> bool:
    if flow.split or any(not lb.complete for lb in flow.labels):
        return True
    owners = {v[2] for v in flow.values}
    last = {v[2]: v[0].text for v in flow.values}
    for a, b in zip(flow.labels, flow.labels[1:], strict=False):
        if a.pos in owners and last[a.pos].endswith(":") and b.row == "additional-pv":
            # "Pregnancy prevention programme, consisting of:" announces a list that
            # pdftotext printed after the next row's label
            return True
        if a.pos in owners:
            continue
        if a.row == "rmm" and b.row in ("routine-rmm", "additional-rmm"):
            continue
        return True
    # the last row's label with nothing after it: its value came out before it
    # (pdfminer prints a table's last value box ahead of the last label box)
    return bool(flow.labels) and flow.labels[-1].pos not in owners and \
        flow.labels[-1].row in _MEASURE_ROWS and len(flow.labels) > 1


def reflow(
    table_lines: Sequence[Line],
) -> tuple[dict[str, list[Line]], set[int]] | None:
    """Rows re-read from the lines of one II.B table (after its title), with the
    label line numbers, or None when the table reads well line by line."""
    flow = _tokenise(table_lines)
    if not flow.labels or not _interleaved(flow):
        return None
    _labels_first(flow)
    present = {lb.row for lb in flow.labels if lb.row}
    sub = {"routine-rmm", "additional-rmm"} & present

    def target(kind: str) -> str | None:
        slot = {
            "routine": "routine-rmm",
            "additional": "additional-rmm",
            "pv": "additional-pv",
        }[kind]
        if slot in present:
            return slot
        if kind != "pv" and "rmm" in present:
            return "rmm"
        return None

    assigned: list[tuple[Line, str]] = []
    nones: list[tuple[Line, int]] = []
    prev: tuple[int, str] | None = None  # (block, row) of the previous value line
    block_row: dict[int, str] = {}
    last: Line | None = None
    for ln, block, owner in flow.values:
        label = flow.labels[owner] if owner >= 0 else None
        kind = value_type(ln.text)
        if kind == "pv" and label is not None and label.row in _PROSE_ROWS and not (
            _value_start(ln.text)
        ):
            kind = None  # prose naming a study ("… in the pivotal study X-302.")
        # a measure or study paragraph after the prose of the same block: the
        # value column printed whole before the labels under the first one
        typed = kind not in (None, "none") and label is not None and \
            label.values > 0 and _starts_paragraph(last, ln) and \
            _value_start(ln.text) and target(kind) is not None
        last = ln
        if (
            label is not None
            and label.row in _PROSE_ROWS
            and not typed
            and (
                label.values == 0
                or block_row.get(block) == label.row
                or kind in (None, "none")
            )
        ):
            row: str | None = label.row
        elif kind == "none":
            nones.append((ln, owner))
            prev = None
            continue
        elif kind is not None and target(kind):
            row = target(kind)
        elif prev is not None and prev[0] == block:
            row = prev[1]
        else:
            row = label.row if label is not None else None
        if row == "rmm" and sub:
            row = "routine-rmm" if "routine-rmm" in sub else "additional-rmm"
        if row is None:
            continue
        if label is not None and label.row == row:
            label.values += 1
        assigned.append((ln, row))
        block_row[block] = row
        prev = (block, row)
    filled = {row for _, row in assigned}
    empty = [
        lb
        for lb in flow.labels
        if lb.row in _MEASURE_ROWS
        and lb.row not in filled
        and not (lb.row == "rmm" and sub)
    ]
    seen: set[str] = set()
    empty = [lb for lb in empty if not (lb.row in seen or seen.add(lb.row))]  # type: ignore[func-returns-value]
    for ln, owner in nones:
        if empty:
            assigned.append((ln, empty.pop(0).row or ""))
        elif owner >= 0 and flow.labels[owner].row:
            assigned.append((ln, flow.labels[owner].row or ""))
    rows: dict[str, list[Line]] = {}
    for lb in sorted(flow.labels, key=lambda x: x.pos):
        if lb.row and not (lb.row == "rmm" and sub):
            rows.setdefault(lb.row, [])
    for ln, row in sorted(assigned, key=lambda p: p[0].no):
        rows.setdefault(row, []).append(ln)
    label_nos = {x.no for lb in flow.labels for x in lb.lines}
    return rows, label_nos
