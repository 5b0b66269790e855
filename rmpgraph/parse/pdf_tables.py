"""Tables drawn without rules, found in a PDF page's words.

python-docx's default table style and reportlab tables without a grid leave no
lines for pdfplumber's table finder; what remains is alignment. A two-column
label/value table shows as rows whose words sit either side of one x that many rows
share; a wider table shows as a header row of known column headings
(data/layout/blocks.toml) whose cells start at the column x's, with the rows below
keeping to those columns. Rows are cut where the first column starts a new
paragraph, since every cell of a row starts at the row's top.
"""

from __future__ import annotations

import re
from collections import Counter

from rmpgraph.parse.blocks import Table, known_label
from rmpgraph.parse.pdf_layout import (
    Line,
    Word,
    line_of,
    line_pitch,
    paragraphs,
    pieces,
    row_size,
)

__all__ = ["text_tables"]


def _split_at(row: list[Word], xv: float) -> tuple[list[Word], list[Word]] | None:
    """A row's words left and right of a value column at `xv`; None when a word
    straddles it or the two sides touch (ordinary running text)."""
    left = [w for w in row if w["x1"] < xv - 3]
    right = [w for w in row if w["x0"] >= xv - 4]
    if len(left) + len(right) != len(row):
        return None
    if left and right and right[0]["x0"] - left[-1]["x1"] < 6:
        return None
    return left, right


def _windows(labels: list[tuple[str, bool, float]], left: list[Line],
             right: list[Line], pitch: float | None) -> list[tuple[float, float]]:
    """The vertical band of each row. Cells are top-aligned (Word, LibreOffice) or
    bottom-aligned (reportlab). A run of value lines one pitch apart is one cell's
    text; where such a run meets a label at its top only, or at its bottom only,
    that says which. Top-aligned rows run from a label's top to the next label's;
    bottom-aligned ones from the previous label's bottom to their own."""
    tops = [top for _, _, top in labels]
    bottoms = [max(ln.bottom for ln in left if t - 1 <= ln.top < (
        tops[i + 1] - 1 if i + 1 < len(tops) else float("inf")))
        for i, t in enumerate(tops)]
    step = (pitch or 12.0) + 1.0
    runs: list[list[Line]] = []
    for ln in sorted(right, key=lambda x: x.top):
        if runs and ln.top - runs[-1][-1].top <= step:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    at_top = at_bottom = 0
    for run in runs:
        for t, b in zip(tops, bottoms, strict=True):
            same_top = abs(run[0].top - t) <= 2
            same_bottom = abs(run[-1].bottom - b) <= 2
            at_top += same_top and not same_bottom
            at_bottom += same_bottom and not same_top
    inf = float("inf")
    if at_top >= at_bottom:
        return [(t - 3 if i else -inf, tops[i + 1] - 3 if i + 1 < len(tops) else inf)
                for i, t in enumerate(tops)]
    return [(bottoms[i - 1] + 1 if i else -inf, b + 1 if i + 1 < len(tops) else inf)
            for i, b in enumerate(bottoms)]


def _table_of(rows: list[tuple[list[Word], list[Word]]], xv: float,
              edge: float = 0.0) -> Table:
    """Rows of a label/value table: a label paragraph makes each row, and the
    value lines in its band (`_windows`) are its cell."""
    left = [line_of(lw) for lw, _ in rows if lw]
    right = [line_of(rw) for _, rw in rows if rw]
    pitch = line_pitch([left, right])
    # the label column wraps about two cell paddings (2 x 5.5 pt) before xv
    wrap = max([xv - 11, *(ln.x1 for ln in left)])
    labels = paragraphs(left, wrap, pitch=pitch) if left else []
    # the value column runs to the text's right edge (less a cell padding)
    width = max([edge - 6, *(ln.x1 for ln in right)], default=xv)
    cells: list[list[str | None]] = []
    for (text, _, _), (start, end) in zip(labels, _windows(labels, left, right, pitch),
                                          strict=True):
        value = [ln for ln in right if start <= ln.top < end]
        cells.append([text, "\n".join(("• " if item else "") + t for t, item, _
                                      in paragraphs(value, width, pitch=pitch))])
    words = [w for lw, rw in rows for w in lw + rw]
    return Table(rows=cells, top=min(w["top"] for w in words),
                 edges=[round(min(w["x0"] for w in words)), round(xv)], ruled=False)


def _words(words: list[Word]) -> str:
    return " ".join(w["text"] for w in words)


Split = tuple[list[Word], list[Word]]


def _close(run: list[int], rows: list[list[Word]], splits: dict[int, Split | None],
           need: int) -> list[int]:
    """The rows of a run that form a table (from its first row filled on both
    sides to its last value line, plus label lines wrapping just below it)."""
    both = [i for i in run if (sp := splits[i]) and sp[0] and sp[1]]
    if len(both) < need or not both:
        return []
    first = both[0]
    label_x = splits[first][0][0]["x0"]  # type: ignore[index]
    value_x = splits[first][1][0]["x0"]  # type: ignore[index]
    label = _words(splits[first][0])  # type: ignore[index]
    while first - 1 in run and rows[first][0]["top"] - rows[first - 1][0]["bottom"] \
            <= 0.8 * row_size(rows[first]):
        # label or value lines above the first full row: a bottom-aligned row;
        # never above a label that is complete ("Summary of safety concerns" over
        # "Important identified risks" is the table's title)
        sp = splits[first - 1] or ([], [])
        upper = sp[0] and not sp[1] and abs(sp[0][0]["x0"] - label_x) <= 1.5
        if upper and known_label(label) and not known_label(
                f"{_words(sp[0])} {label}"):
            break
        if not (upper or sp[1] and not sp[0] and abs(sp[1][0]["x0"] - value_x)
                <= 1.5):
            break
        if upper:
            label = f"{_words(sp[0])} {label}"
        first -= 1
    idx = [i for i in run if i >= first]
    last = max(i for i in idx if (sp := splits[i]) and sp[1])
    keep = [i for i in idx if i <= last]
    for i in idx:
        if i > keep[-1] and rows[i][0]["top"] - rows[keep[-1]][0]["bottom"] \
                <= 0.8 * row_size(rows[i]):
            keep.append(i)
    return keep


def _running_text(keep: list[int], splits: dict[int, Split | None]) -> bool:
    """Two columns of running text, not a label/value table: the left side holds
    sentences ("… was reported. Patients …"), where a label column holds labels.
    Two text columns seldom share baselines, so most rows are one-sided either
    way; the words tell them apart."""
    left = " ".join(_words(sp[0]) for i in keep if (sp := splits[i]) and sp[0])
    return len(re.findall(r"[a-z)]\.(?:\s|$)", left)) >= 2


def _beside_text(rows: list[list[Word]], keep: set[int], xv: float) -> bool:
    """The page's other rows run in two columns parted at `xv`: outside the
    candidate, five or more lines of the left column set full up to the gap before
    it, and five or more starting at it (a borderless table on an ordinary page has
    full-width text around it)."""
    other = [r for i, r in enumerate(rows) if i not in keep]
    full = [r for r in other if r[-1]["x1"] < xv - 2 and xv - r[-1]["x1"] <= 40]
    right = [r for r in other if any(abs(w["x0"] - xv) <= 3 for w in r)]
    return len(full) >= 5 and len(right) >= 5


def _carried(rows: list[list[Word]], xv: float, left_margin: float) -> list[int]:
    """Rows at the top of a page that keep to the value column of the table that
    ended the previous page: the rest of a row broken by the page ("activities")."""
    out: list[int] = []
    for i, row in enumerate(rows):
        sp = _split_at(row, xv)
        if sp is None or (sp[0] and sp[0][0]["x0"] > left_margin + 8) or (
                out and row[0]["top"] - rows[out[-1]][0]["bottom"]
                > 0.8 * row_size(row)):
            break
        out.append(i)
    return out


def text_tables(rows: list[list[Word]], width: float, known: set[int] | None = None,
                carry: float | None = None) -> tuple[list[Table], list[list[Word]]]:
    """Two-column label/value tables drawn without rules (python-docx's default
    table style, reportlab tables without a grid): runs of rows whose words sit
    left of one value column, which starts at the same x in every row, with at
    least two rows filled on both sides (one, when earlier tables of the document
    had their value column at that x: the end of a table broken by a page).
    Returns the tables and the other rows; `known` collects value-column x's."""
    known = set() if known is None else known
    left_margin = min((r[0]["x0"] for r in rows), default=0.0)
    edge = max((w["x1"] for r in rows for w in r), default=0.0)
    starts: Counter[int] = Counter()
    for row in rows:
        parts = pieces(row, 6.0)
        label = " ".join(w["text"] for w in parts[0])
        # a label column up to 45% of the page, or 65% when it holds the
        # template's row labels (wider than that is two columns of text)
        widest = 0.65 if known_label(label) else 0.45
        if len(parts) >= 2 and parts[0][0]["x0"] <= left_margin + 8 and \
                0.12 * width <= parts[1][0]["x0"] <= widest * width and \
                sum(ch.isalpha() for ch in label) >= 3:  # not a bullet glyph
            starts[round(parts[1][0]["x0"] / 3)] += 1
    tables: list[Table] = []
    taken: set[int] = set()
    head = _carried(rows, carry, left_margin) if carry is not None else []
    if head and carry is not None:
        parts = [_split_at(rows[i], carry) or ([], []) for i in head]
        lead = next((k for k, sp in enumerate(parts) if sp[0]), len(parts))
        if lead:  # value lines before any label: the end of the broken cell
            lines = [line_of(sp[1]) for sp in parts[:lead]]
            text = "\n".join(("\u2022 " if item else "") + t for t, item, _
                             in paragraphs(lines, max([edge - 6,
                                                       *(x.x1 for x in lines)])))
            tables.append(Table(rows=[["", text]], top=lines[0].top, ruled=False,
                                edges=[round(left_margin), round(carry)]))
            taken.update(head[:lead])
        elif not any(sp[0] and sp[1] for sp in parts):
            tables.append(_table_of(parts, carry, edge))  # a label's last line
            taken.update(head)
    for key, count in starts.most_common():
        xv = key * 3 - 1
        seen = any(abs(xv - x) <= 3 for x in known)
        if count < (1 if seen else 2):
            continue
        splits = {i: None if i in taken else _split_at(r, xv)
                  for i, r in enumerate(rows)}
        fits = {i for i, sp in splits.items() if sp is not None
                and (not sp[0] or sp[0][0]["x0"] <= left_margin + 8)
                and (not sp[1] or sp[1][0]["x0"] <= xv + 40)}
        runs: list[list[int]] = [[]]
        for i in range(len(rows)):
            run = runs[-1]
            near = not run or rows[i][0]["top"] - rows[run[-1]][0]["bottom"] < \
                2.0 * row_size(rows[i])
            if i in fits and near:
                run.append(i)
            else:
                runs.append([i] if i in fits else [])
        for run in runs:
            keep = _close(run, rows, splits, 1 if seen else 2)
            if keep and (_running_text(keep, splits) or _beside_text(
                    rows, set(keep), xv)):
                continue  # two columns of text on the page, left to `regions`
            if keep:
                known.add(round(xv))
                seen = True
                parts = [sp for i in keep if (sp := splits[i]) is not None]
                tables.append(_table_of(parts, xv, edge))
                taken.update(keep)
    rest = [r for i, r in enumerate(rows) if i not in taken]
    return sorted(tables, key=lambda t: t.top or 0), rest
