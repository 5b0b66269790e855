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

from rmpgraph.parse.blocks import blocks_layout, split_bullet

__all__ = ["Word", "Line", "line_of", "rows_of", "regions", "paragraphs",
           "pieces", "line_pitch", "runs_on", "row_size"]

Word = dict[str, Any]
_ITEM = re.compile(r"^(?:[\u2022\u25aa\u25a0\u25e6\u00b7\u27a2\u25cf\u2219"
                   r"\uf000-\uf0ff]|[-*o\u2013]\s|\d{1,2}[.)]\s)")


# a line ending like this goes on in the next line, whatever that one starts with
_GOES_ON = re.compile(
    r"(?:[,;(/&\-\u2013]|\b(?:and|or|of|the|to|in|with|for|by|including|a|an|on|"
    r"at|from|than|as|per|after|before|within|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|Q[1-4]))$", re.I)


_MONTH = re.compile(r"(?:January|February|March|April|May|June|July|August|September|"
                    r"October|November|December)\b")


def runs_on(text: str) -> bool:
    """Whether a line ends mid-phrase ("… and", "… of the", "… 31 March")."""
    return bool(_GOES_ON.search(text))


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
    """One visual line; its size, weight and vertical extent are its text's, not
    a bullet's (a glyph from another font must not make the line look like a
    heading or move its baseline)."""
    words = sorted(words, key=lambda w: w["x0"])
    text = [w for w in words if any(ch.isalnum() for ch in w["text"])] or words
    bold = sum(1 for w in text if _is_bold(w)) * 2 > len(text)
    return Line(" ".join(w["text"] for w in words), words[0]["x0"],
                 max(w["x1"] for w in words), min(w["top"] for w in text),
                 max(w["bottom"] for w in text),
                 max(float(w.get("size") or 10) for w in text), bold,
                 words[0]["x1"] - words[0]["x0"])


def row_size(row: list[Word]) -> float:
    """The font size of a row's first word (the measure of gaps between rows)."""
    return max(float(row[0].get("size") or 10), 1.0)


def rows_of(words: list[Word]) -> list[list[Word]]:
    """Words on one baseline band, top to bottom, each row left to right. A word
    joins the row of the word just before it in top order when their tops are
    within 2.5 pt (not the row's first word: in two text columns the lines are
    not level, and a bullet glyph from another font sits a little lower)."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(rows[-1][-1]["top"] - w["top"]) <= 2.5:
            rows[-1].append(w)
        else:
            rows.append([w])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def _glyph(w: Word) -> bool:
    """A bullet glyph standing alone, set apart from its text by a tab."""
    return len(w["text"]) <= 2 and not any(ch.isalnum() for ch in w["text"])


def pieces(row: list[Word], gutter: float) -> list[list[Word]]:
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
        for piece in pieces(row, gutter)[1:]:
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


def _split_x(rows: list[list[Word]], xr: float, gutter: float) -> float:
    """Where the two columns part: not the usual start of the second column's text
    (list numbers and bullets hang left of it), but the empty strip before it,
    judged on the rows that do not run across."""
    spans = sorted((w["x0"], w["x1"]) for row in rows
                   if not any(p[0]["x0"] < xr - 6 and p[-1]["x1"] > xr + 6
                              for p in pieces(row, gutter))
                   for w in row if not _glyph(w))
    best: tuple[float, float] | None = None
    reach = float("-inf")
    for x0, x1 in spans:  # empty gaps between covered x intervals
        if reach > float("-inf") and x0 - reach >= 4 and xr - 40 <= x0 <= xr + 4:
            if best is None or x0 - reach > best[1] - best[0]:
                best = (reach, x0)
        reach = max(reach, x1)
    return (best[0] + best[1]) / 2 + 2 if best else xr


def regions(rows: list[list[Word]], width: float,
            hint: float | None = None) -> tuple[list[list[Line]], float | None]:
    """Lines in reading order, grouped in regions (a full-width run, then each text
    column of a two-column band); and the second column's x, if any, as the hint
    for the next page."""
    gutter = float(blocks_layout()["columns"]["min_gutter"])
    xr = _gutter_x(rows, width, gutter, hint)
    if xr is None:
        return ([[line_of(r) for r in rows]] if rows else []), None
    start, xr = xr, _split_x(rows, xr, gutter)
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
            # the left column may run on below the right one's last line (lines
            # set close under it; a heading after the band has space above it)
            while last + 1 < len(band) and band[last + 1][-1]["x1"] < xr - 2 and \
                    band[last + 1][0]["top"] - band[last][0]["bottom"] <= 0.5 * (
                        band[last][0]["bottom"] - band[last][0]["top"]):
                last += 1
            rest = band[last + 1:]
            if rest and all(r[-1]["x1"] < xr - 2 for r in rest) and sum(
                    xr - r[-1]["x1"] <= 40 for r in rest) >= 3:
                # lines set full to the gutter down to the band's end: the left
                # column goes on where the right one ended early (its text flows
                # on to the next page), not a full-width part
                last = len(band) - 1
            add("full", band[:first])
            mid = band[first:last + 1]
            add("left", [[w for w in r if w["x1"] < xr - 2] for r in mid])
            add("right", [[w for w in r if w["x1"] >= xr - 2] for r in mid])
            add("full", band[last + 1:])
        band.clear()

    for row in rows:
        if any(p[0]["x0"] < xr - 6 and p[-1]["x1"] > xr + 6
               for p in pieces(row, gutter)):
            flush()
            add("full", [row])
        else:
            band.append(row)
    flush()
    used = any(kind != "full" for kind, _ in parts)
    return [[line_of(r) for r in group] for _, group in parts], (start if used
                                                                  else None)


def line_pitch(columns: list[list[Line]]) -> float | None:
    """The line pitch of a table: from its wrapped lines in any column (a label
    column alone has too few lines to tell wraps from row gaps). A column of one
    line per row ("Started" / "Planned") measures nothing and is not asked: its
    guess (1.2 times the size) is below the pitch of fonts set looser than that,
    and would make every wrapped line a paragraph of its own."""
    found = [p for c in columns if len(c) > 1
             if (p := _measured(sorted(c, key=lambda x: x.top))) is not None]
    return min(found) if found else None


def _measured(lines: list[Line]) -> float | None:
    """The usual top-to-top distance of consecutive lines in a region, if any two
    are close enough to be lines of one paragraph."""
    diffs = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
                   if 0 < b.top - a.top < 2.5 * max(a.size, 1.0))
    return diffs[len(diffs) // 4] if diffs else None


def _pitch(lines: list[Line]) -> float:
    """The usual top-to-top distance of consecutive lines in a region."""
    found = _measured(lines)
    return found if found is not None else 1.2 * (lines[0].size if lines else 10)


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
    short = right - prev.x1 > 0.35 * (right - left)
    date_goes_on = re.search(r"\b\d{1,2}$", prev.text) and _MONTH.match(ln.text)
    return short and (ln.text[:1].isupper() or ln.text[:1].isdigit()) and \
        not _GOES_ON.search(prev.text) and not date_goes_on


def _join(texts: list[str]) -> str:
    """A cell's wrapped lines as one paragraph: a line broken after a hyphen
    ("breast-" / "feeding", "(Child-" / "Pugh") goes on without a space, as the
    text reader's `join_lines` does."""
    out = texts[0]
    for t in texts[1:]:
        out += t if re.search(r"[^\W\d_]-$", out) and t[:1].isalpha() else " " + t
    return out


def paragraphs(lines: list[Line], right: float, wraps: bool = True,
               pitch: float | None = None,
               body_size: float | None = None) -> list[tuple[str, bool, float]]:
    """(text, is a list item, top) of each paragraph in one region whose lines wrap
    at `right` (see `_breaks`). Cells (`wraps`) join a paragraph's lines with a
    space; running text keeps its visual lines ("\n"), as text exports do, and
    leaves the joining of wrapped lines to the extractors."""
    groups: list[tuple[list[Line], bool]] = []
    lines = sorted(lines, key=lambda x: x.top)
    pitch = pitch or _pitch(lines)
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
        # a heading (bold, or larger than the body text) is one line even when
        # it wraps: section patterns match whole headings
        heading = body_size is not None and 1 < len(group) <= 3 and all(
            x.bold or x.size > body_size + 0.5 for x in group) and all(
            right - x.x1 < 0.25 * (right - left) for x in group[:-1])  # wrapped
        text = _join([x.text for x in group]) if wraps or heading else \
            "\n".join(x.text for x in group)
        body, had = split_bullet(text)
        if body:
            out.append((body, item or had, group[0].top))
    return out
