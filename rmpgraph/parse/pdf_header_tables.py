"""Tables drawn without rules that have a header row of column headings.

A header row of known headings (data/layout/blocks.toml) gives the columns; the
table runs down while rows keep to them. Rows are cut where the cells start level
(Word, LibreOffice: cells aligned at the top) or end level (reportlab's default:
cells aligned at the bottom), never where one cell merely wraps.
"""

from __future__ import annotations

import re

from rmpgraph.parse.blocks import Table, is_category, known_header
from rmpgraph.parse.pdf_layout import (
    Line,
    Word,
    line_of,
    line_pitch,
    paragraphs,
    pieces,
    row_size,
    runs_on,
)

__all__ = ["header_tables"]


def _texts(row: list[Word]) -> tuple[list[float], list[str]]:
    parts = pieces(row, 6.0)
    return ([p[0]["x0"] for p in parts],
            [" ".join(w["text"] for w in p) for p in parts])


def _header_at(row: list[Word]) -> list[float] | None:
    """Column x's of a header row: at least two pieces, each a known column
    heading or the first line of one, at most one unknown; never the same words
    twice (two text columns each opening with "Routine risk minimisation
    measures:" are no table's heading)."""
    xs, texts = _texts(row)
    hits = sum(known_header(t, prefix=True) for t in texts)
    same = len({t.strip().lower() for t in texts}) < len(texts)
    return xs if len(texts) >= 2 and hits >= 2 and hits >= len(texts) - 1 and \
        not same else None


def _column(w: Word, cols: list[float]) -> int | None:
    """The column a word sits in; None if it straddles a column edge."""
    k = max((i for i, c in enumerate(cols) if w["x0"] >= c - 4), default=0)
    if k + 1 < len(cols) and w["x1"] > cols[k + 1] - 2:
        return None
    return k


def _cells(rows: list[list[Word]], cols: list[float]) -> list[list[list[Word]]]:
    out = []
    for row in rows:
        cells: list[list[Word]] = [[] for _ in cols]
        for w in row:
            k = _column(w, cols)
            if k is not None:
                cells[k].append(w)
        out.append(cells)
    return out


def _spans(lines: list[Line], starts: set[float]) -> list[tuple[float, float]]:
    """(top, bottom) of each paragraph of a column, from its paragraph starts."""
    first = sorted(starts)
    out = []
    for j, top in enumerate(first):
        nxt = first[j + 1] - 1 if j + 1 < len(first) else float("inf")
        group = [ln for ln in lines if top - 1 <= ln.top < nxt]
        if group:
            out.append((top, max(ln.bottom for ln in group)))
    return out


def _bottom_aligned(spans: list[list[tuple[float, float]]]) -> bool:
    """Whether cells meet the first column's paragraphs at their bottoms more often
    than at their tops (reportlab's default alignment)."""
    at_top = at_bottom = 0
    for top, bottom in spans[0]:
        for other in spans[1:]:
            same_top = any(abs(t - top) <= 2 for t, _ in other)
            same_bottom = any(abs(b - bottom) <= 2 for _, b in other)
            at_top += same_top and not same_bottom
            at_bottom += same_bottom and not same_top
    return at_bottom > at_top


def _bottom_windows(spans: list[list[tuple[float, float]]],
                    columns: list[list[Line]]) -> list[tuple[float, float]]:
    """Row bands of a bottom-aligned table: a row ends where the first column's
    paragraph ends, another cell ends level with it, and no cell runs on past it."""
    ends = []
    for _, bottom in spans[0]:
        level = [k for k in range(1, len(spans))
                 if any(abs(ln.bottom - bottom) <= 2 for ln in columns[k])]
        if level and all(any(abs(b - bottom) <= 2 for _, b in spans[k])
                         for k in level):
            ends.append(bottom)
    inf = float("inf")
    return [(ends[i - 1] + 1 if i else -inf, e + 1 if i + 1 < len(ends) else inf)
            for i, e in enumerate(ends)]


def _header_table(rows: list[list[Word]], cols: list[float], heads: int,
                  edge: float = 0.0) -> Table:
    grid = _cells(rows, cols)
    header = [" ".join(w["text"] for r in grid[:heads] for w in r[k])
              for k in range(len(cols))]
    body = grid[heads:]
    columns = [[line_of(r[k]) for r in body if r[k]] for k in range(len(cols))]
    pitch = line_pitch(columns)
    starts: list[set[float]] = []  # paragraph tops in each column
    rights: list[float] = []  # where each column's lines wrap
    for k, lines in enumerate(columns):
        limit = cols[k + 1] - 11 if k + 1 < len(cols) else edge - 6
        rights.append(max([limit, *(ln.x1 for ln in lines)]))
        starts.append({top for _, _, top in paragraphs(lines, rights[k],
                                                       pitch=pitch)})
        # a capital after a finished sentence may start the next row's cell even
        # where the line before left too little room to tell (no cell padding)
        ordered = sorted(lines, key=lambda x: x.top)
        starts[k] |= {ln.top for prev, ln in zip(ordered, ordered[1:], strict=False)
                      if (ln.text[:1].isupper() or ln.text[:1].isdigit())
                      and re.search(r"[.!?;)]$", prev.text)}

    def opens_row(top: float) -> bool:
        # another cell starts level with this one, and every cell with a line
        # level with it starts a paragraph there (a cell whose text runs on past
        # it, or a first cell alone, means the row goes on)
        level = [k for k in range(1, len(cols))
                 if any(abs(top - ln.top) <= 2 for ln in columns[k])]
        return bool(level) and all(any(abs(top - t) <= 2 for t in starts[k])
                                   for k in level)

    # first-column entries start with a capital or digit: a line that does, after
    # one that does not run on, may open a row even if it looks like a wrap
    firsts = sorted(columns[0], key=lambda x: x.top)
    candidates = set(starts[0]) | {
        ln.top for prev, ln in zip(firsts, firsts[1:], strict=False)
        if ln.text[:1].isupper() or ln.text[:1].isdigit()
        if not runs_on(prev.text)}
    tops = sorted(t for t in candidates if opens_row(t)) if columns[0] else []
    if columns[0] and tops and min(starts[0]) < tops[0]:
        tops.insert(0, min(starts[0]))
    above = min((ln.top for c in columns for ln in c), default=None)
    if tops and above is not None and above < tops[0] - 3:
        tops.insert(0, above)  # the end of a row broken by the page: no first cell
    if not tops:
        tops = [min(w["top"] for c in body[0] for w in c)] if body else []
    inf = float("inf")
    windows = [(t - 3 if i else -inf, tops[i + 1] - 3 if i + 1 < len(tops) else inf)
               for i, t in enumerate(tops)]
    spans = [_spans(columns[k], starts[k]) for k in range(len(cols))]
    if _bottom_aligned(spans):
        windows = _bottom_windows(spans, columns) or windows
    data: list[list[str | None]] = []
    for start, end in windows:
        row: list[str | None] = []
        for k in range(len(cols)):
            lines = [line_of(r[k]) for r in body if r[k] and start <= r[k][0]["top"]
                     < end]
            row.append("\n".join(("\u2022 " if item else "") + t for t, item, _
                                 in paragraphs(lines, rights[k], pitch=pitch)))
        data.append(row)
    words = [w for r in rows for w in r]
    head_rows: list[list[str | None]] = [list(header)] if heads else []
    return Table(rows=[*head_rows, *data], header_rows=1 if heads else 0,
                 top=min(w["top"] for w in words), edges=[round(c) for c in cols],
                 ruled=False)


def header_tables(rows: list[list[Word]], carry: list[float] | None = None
                  ) -> tuple[list[Table], list[list[Word]]]:
    """Tables without rules that have a header row of known column headings: the
    header gives the columns; the table runs down while rows keep to them. With
    `carry` (the columns of such a table that ended the previous page), rows at the
    top of the page that keep to those columns are its continuation."""
    tables: list[Table] = []
    taken: set[int] = set()
    edge = max((w["x1"] for r in rows for w in r), default=0.0)
    i = 0
    while i < len(rows):
        cols = _header_at(rows[i])
        heads = 1
        if cols is None and i == 0 and carry and _header_at(rows[0]) is None:
            cols, heads = list(carry), 0  # no repeated header on this page
        if cols is None:
            i += 1
            continue
        if heads and i > 0 and i - 1 not in taken and \
                rows[i][0]["top"] - rows[i - 1][0]["bottom"] <= 0.8 * row_size(
                    rows[i]) and \
                all(_column(w, cols) is not None for w in rows[i - 1]):
            # a heading wrapped upwards: bottom-aligned header cells put the first
            # line of a two-line heading ("Safety concerns") above the others
            grid = _cells(rows[i - 1:i + 1], cols)
            joined = [" ".join(w["text"] for r in grid for w in r[k])
                      for k in range(len(cols))]
            if all(known_header(t, prefix=True) for t in joined if t):
                i -= 1
                heads += 1
        while heads and i + heads < len(rows):  # a heading wrapped onto the next line
            grid = _cells(rows[i:i + heads + 1], cols)
            joined = [" ".join(w["text"] for r in grid for w in r[k])
                      for k in range(len(cols))]
            if not all(known_header(t, prefix=True) for t in joined if t):
                break
            heads += 1
        end = i + heads
        while end < len(rows):
            gap = rows[end][0]["top"] - rows[end - 1][0]["bottom"]
            if gap > 2.5 * row_size(rows[end]) or any(
                    _column(w, cols) is None for w in rows[end]):
                break
            texts = _texts(rows[end])[1]
            if _header_at(rows[end]) is not None or (  # the next table begins
                    len(texts) == 1 and is_category(texts[0])):
                break
            if rows[end][0]["x0"] < cols[0] - 6:
                break
            end += 1
        if end - i - heads >= 1 and (heads or len(cols) >= 3):
            tables.append(_header_table(rows[i:end], cols, heads, edge))
            taken.update(range(i, end))
            i = end
        else:
            i += 1
    return tables, [r for j, r in enumerate(rows) if j not in taken]
