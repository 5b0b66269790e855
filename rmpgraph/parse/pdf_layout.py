"""Page layout of a PDF: words -> lines -> paragraphs, text columns, and tables
drawn without rules.

pdfplumber gives words with positions; what a reader sees as a paragraph, a second
text column or a borderless label/value table has to be recovered from geometry:
line pitch and spacing, where lines end, indents, and x positions that many lines
share. Each rule here is one a typesetter's output follows (Word and LibreOffice,
reportlab), not a quirk of one file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .blocks import Table, blocks_layout, split_bullet

__all__ = ["Word", "Line", "line_of", "rows_of", "regions", "paragraphs",
           "text_tables"]

Word = dict[str, Any]
_ITEM = re.compile(r"^(?:[\u2022\u25aa\u25a0\u25e6\u00b7\u27a2\u25cf\u2219"
                   r"\uf000-\uf0ff]|[-*o\u2013]\s)")


# a line ending like this goes on in the next line, whatever that one starts with
_GOES_ON = re.compile(
    r"(?:[,;(/&\-\u2013]|\b(?:and|or|of|the|to|in|with|for|by|including|a|an|on|"
    r"at|from|than|as|per|after|before|within|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|Q[1-4]))$", re.I)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    first_width: float


def _is_bold(w: Word) -> bool:
    return bool(re.search(r"bold|black|heavy|,b\b", str(w.get("fontname", "")), re.I))


def line_of(words: list[Word]) -> Line:
    """One visual line; its size and weight are its text's, not a bullet's (a
    glyph from another font must not make the line look like a heading)."""
    words = sorted(words, key=lambda w: w["x0"])
    text = [w for w in words if any(ch.isalnum() for ch in w["text"])] or words
    bold = sum(1 for w in text if _is_bold(w)) * 2 > len(text)
    return Line(" ".join(w["text"] for w in words), words[0]["x0"],
                 max(w["x1"] for w in words), min(w["top"] for w in words),
                 max(w["bottom"] for w in words),
                 max(float(w.get("size") or 10) for w in text), bold,
                 words[0]["x1"] - words[0]["x0"])


def rows_of(words: list[Word]) -> list[list[Word]]:
    """Words on one baseline band, top to bottom, each row left to right."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 2.5:
            rows[-1].append(w)
        else:
            rows.append([w])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def _glyph(w: Word) -> bool:
    """A bullet glyph standing alone, set apart from its text by a tab."""
    return len(w["text"]) <= 2 and not any(ch.isalnum() for ch in w["text"])


def _pieces(row: list[Word], gutter: float) -> list[list[Word]]:
    """A row cut where words are further apart than `gutter` (but never between a
    bullet glyph and its text)."""
    out: list[list[Word]] = [[row[0]]]
    for w in row[1:]:
        last = out[-1]
        if w["x0"] - last[-1]["x1"] > gutter and not (len(last) == 1
                                                       and _glyph(last[0])):
            out.append([])
        out[-1].append(w)
    return out


def _gutter_x(rows: list[list[Word]], width: float, gutter: float,
              hint: float | None) -> float | None:
    """The x where a second text column starts: many rows have a piece starting
    there, between 40% and 65% of the page width (fewer suffice when the previous
    page had its second column at the same x)."""
    starts: Counter[int] = Counter()
    for row in rows:
        for piece in _pieces(row, gutter)[1:]:
            if 0.4 * width <= piece[0]["x0"] <= 0.65 * width:
                starts[round(piece[0]["x0"] / 4)] += 1
    if not starts:
        return None
    key, count = starts.most_common(1)[0]
    xr = key * 4 - 3
    need = int(blocks_layout()["columns"]["min_lines"])
    if hint is not None and abs(hint - xr) <= 6:
        need = 1
    return xr if count >= need else None


def regions(rows: list[list[Word]], width: float,
            hint: float | None = None) -> tuple[list[list[Line]], float | None]:
    """Lines in reading order, grouped in regions (a full-width run, then each text
    column of a two-column band); and the second column's x, if any, as the hint
    for the next page."""
    gutter = float(blocks_layout()["columns"]["min_gutter"])
    xr = _gutter_x(rows, width, gutter, hint)
    if xr is None:
        return ([[line_of(r) for r in rows]] if rows else []), None
    parts: list[tuple[str, list[list[Word]]]] = []  # ("full" | "left" | "right")

    def add(kind: str, group: list[list[Word]]) -> None:
        group = [r for r in group if r]
        if not group:
            return
        if kind == "full" and parts and parts[-1][0] == "full":
            parts[-1][1].extend(group)
        else:
            parts.append((kind, group))

    band: list[list[Word]] = []

    def flush() -> None:
        right_rows = [i for i, r in enumerate(band) if r[-1]["x0"] >= xr - 2]
        if not right_rows:
            add("full", list(band))
        else:
            first, last = right_rows[0], right_rows[-1]
            add("full", band[:first])
            mid = band[first:last + 1]
            add("left", [[w for w in r if w["x1"] < xr - 2] for r in mid])
            add("right", [[w for w in r if w["x1"] >= xr - 2] for r in mid])
            add("full", band[last + 1:])
        band.clear()

    for row in rows:
        if any(p[0]["x0"] < xr - 6 and p[-1]["x1"] > xr + 6
               for p in _pieces(row, gutter)):
            flush()
            add("full", [row])
        else:
            band.append(row)
    flush()
    used = any(kind != "full" for kind, _ in parts)
    return [[line_of(r) for r in group] for _, group in parts], (xr if used else None)


def _pitch(lines: list[Line]) -> float:
    """The usual top-to-top distance of consecutive lines in a region."""
    diffs = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
                   if 0 < b.top - a.top < 2.5 * max(a.size, 1.0))
    return diffs[len(diffs) // 4] if diffs else 1.2 * (lines[0].size if lines else 10)


def _breaks(prev: Line, ln: Line, left: float, right: float,
            item_x0: float | None, wraps: bool, pitch: float) -> bool:
    """Whether `ln` starts a new paragraph after `prev` (same region). `wraps`:
    also judge by where lines end (table cells, whose lines are joined)."""
    if ln.top - prev.top > pitch + max(1.2, 0.12 * prev.size):
        return True  # paragraph spacing
    if abs(ln.size - prev.size) > 0.6 or ln.bold != prev.bold:
        return True  # a heading, a bold label
    if item_x0 is not None and ln.x0 <= item_x0 + 1:
        return True  # back at the bullet's indent: the item has ended
    if not wraps:
        return False
    if right - prev.x1 > ln.first_width + 0.35 * prev.size:
        return True  # the first word would have fitted: a hard break
    # an upper-case or numeric start after a line that stopped well short of the
    # edge and does not run on: a list of short entries in a narrow cell
    # ("Hepatotoxicity" / "Neutropenia"), not a wrapped name ("Reduced serum
    # vitamin" / "A levels")
    short = prev.x1 - left < 0.7 * (right - left)
    return short and (ln.text[:1].isupper() or ln.text[:1].isdigit()) and \
        not _GOES_ON.search(prev.text)


def paragraphs(lines: list[Line], right: float,
                wraps: bool = True) -> list[tuple[str, bool, float]]:
    """(text, is a list item, top) of each paragraph in one region whose lines wrap
    at `right` (see `_breaks`). Cells (`wraps`) join a paragraph's lines with a
    space; running text keeps its visual lines ("\n"), as text exports do, and
    leaves the joining of wrapped lines to the extractors."""
    groups: list[tuple[list[Line], bool]] = []
    lines = sorted(lines, key=lambda x: x.top)
    pitch = _pitch(lines)
    left = min((ln.x0 for ln in lines), default=0.0)
    for ln in lines:
        item = bool(_ITEM.match(ln.text))
        if groups and not item:
            group, was_item = groups[-1]
            if not _breaks(group[-1], ln, left, right,
                           group[0].x0 if was_item else None,
                           wraps, pitch):
                group.append(ln)
                continue
        groups.append(([ln], item))
    out = []
    for group, item in groups:
        text = (" " if wraps else "\n").join(x.text for x in group)
        body, had = split_bullet(text)
        if body:
            out.append((body, item or had, group[0].top))
    return out




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


def _table_of(rows: list[tuple[list[Word], list[Word]]], xv: float) -> Table:
    """Rows of a label/value table: a label paragraph starts each row, and the
    value lines from its top to the next label's top are its cell."""
    left = [line_of(lw) for lw, _ in rows if lw]
    right = [line_of(rw) for _, rw in rows if rw]
    labels = paragraphs(left, xv - 6) if left else []
    tops = [top for _, _, top in labels]
    width = max((ln.x1 for ln in right), default=xv)
    cells: list[list[str | None]] = []
    for i, (text, _, top) in enumerate(labels):
        start = top - 3 if i else float("-inf")
        end = tops[i + 1] - 3 if i + 1 < len(tops) else float("inf")
        value = [ln for ln in right if start <= ln.top < end]
        cells.append([text, "\n".join(("• " if item else "") + t for t, item, _
                                      in paragraphs(value, width))])
    words = [w for lw, rw in rows for w in lw + rw]
    return Table(rows=cells, top=min(w["top"] for w in words),
                 edges=[round(min(w["x0"] for w in words)), round(xv)])


def _size(row: list[Word]) -> float:
    return max(float(row[0].get("size") or 10), 1.0)


Split = tuple[list[Word], list[Word]]


def _close(run: list[int], rows: list[list[Word]], splits: dict[int, Split | None],
           need: int) -> list[int]:
    """The rows of a run that form a table (from its first row filled on both
    sides to its last value line, plus label lines wrapping just below it)."""
    both = [i for i in run if (sp := splits[i]) and sp[0] and sp[1]]
    if len(both) < need or not both:
        return []
    idx = [i for i in run if i >= both[0]]
    last = max(i for i in idx if (sp := splits[i]) and sp[1])
    keep = [i for i in idx if i <= last]
    for i in idx:
        if i > keep[-1] and rows[i][0]["top"] - rows[keep[-1]][0]["bottom"] \
                <= 0.8 * _size(rows[i]):
            keep.append(i)
    return keep


def text_tables(rows: list[list[Word]], width: float, known: set[int] | None = None
                ) -> tuple[list[Table], list[list[Word]]]:
    """Two-column label/value tables drawn without rules (python-docx's default
    table style, reportlab tables without a grid): runs of rows whose words sit
    left of one value column, which starts at the same x in every row, with at
    least two rows filled on both sides (one, when earlier tables of the document
    had their value column at that x: the end of a table broken by a page).
    Returns the tables and the other rows; `known` collects value-column x's."""
    known = set() if known is None else known
    left_margin = min((r[0]["x0"] for r in rows), default=0.0)
    starts: Counter[int] = Counter()
    for row in rows:
        pieces = _pieces(row, 6.0)
        label = " ".join(w["text"] for w in pieces[0])
        if len(pieces) >= 2 and pieces[0][0]["x0"] <= left_margin + 8 and \
                0.12 * width <= pieces[1][0]["x0"] <= 0.45 * width and \
                sum(ch.isalpha() for ch in label) >= 3:  # not a bullet glyph
            starts[round(pieces[1][0]["x0"] / 3)] += 1
    tables: list[Table] = []
    taken: set[int] = set()
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
                2.0 * _size(rows[i])
            if i in fits and near:
                run.append(i)
            else:
                runs.append([i] if i in fits else [])
        for run in runs:
            keep = _close(run, rows, splits, 1 if seen else 2)
            if keep:
                known.add(round(xv))
                seen = True
                parts = [sp for i in keep if (sp := splits[i]) is not None]
                tables.append(_table_of(parts, xv))
                taken.update(keep)
    rest = [r for i, r in enumerate(rows) if i not in taken]
    return sorted(tables, key=lambda t: t.top or 0), rest
