"""PDF -> blocks, with pdfplumber.

Published summaries are Word documents saved as PDF: their tables are ruled, so
pdfplumber's line-based table finder recovers rows and cells (merged cells as None),
and a cell's text is read from its own box, never interleaved with the next cell as
a text-layer dump is. Outside tables, words are grouped into lines and lines into
paragraphs (a gap, a bullet, or a line that ended early starts a new one); a band
of a page set in two text columns is read column by column; running headers and
footers are removed and listed. A table continued on the next page is joined to its
start and its repeated header row dropped.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .blocks import Block, Document, Table, blocks_layout, is_furniture, split_bullet

__all__ = ["read_pdf", "MAX_PAGES"]

#: EMA summaries have 5-40 pages; far more means this is not one (or a PDF bomb).
MAX_PAGES = 500

Word = dict[str, Any]
_ITEM = re.compile(r"^(?:[\u2022\u25aa\u25a0\u25e6\u00b7\u27a2\u25cf\u2219"
                   r"\uf000-\uf0ff]|[-*o\u2013]\s)")


# a line ending like this goes on in the next line, whatever that one starts with
_GOES_ON = re.compile(
    r"(?:[,;(/&\-\u2013]|\b(?:and|or|of|the|to|in|with|for|by|including|a|an|on|"
    r"at|from|than|as|per|after|before|within|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|Q[1-4]))$", re.I)


@dataclass
class _Line:
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


def _line(words: list[Word]) -> _Line:
    words = sorted(words, key=lambda w: w["x0"])
    bold = sum(1 for w in words if _is_bold(w)) * 2 > len(words)
    return _Line(" ".join(w["text"] for w in words), words[0]["x0"],
                 max(w["x1"] for w in words), min(w["top"] for w in words),
                 max(w["bottom"] for w in words),
                 max(float(w.get("size") or 10) for w in words), bold,
                 words[0]["x1"] - words[0]["x0"])


def _rows(words: list[Word]) -> list[list[Word]]:
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


def _pieces(row: list[Word], gutter: float) -> list[list[Word]]:
    out: list[list[Word]] = [[row[0]]]
    for w in row[1:]:
        if w["x0"] - out[-1][-1]["x1"] > gutter:
            out.append([])
        out[-1].append(w)
    return out


def _regions(rows: list[list[Word]], width: float) -> list[list[_Line]]:
    """Lines in reading order, grouped in regions; a band of rows set in two
    columns gives a left region then a right one."""
    lay = blocks_layout()["columns"]
    gutter = float(lay["min_gutter"])
    starts: Counter[int] = Counter()
    for row in rows:
        for piece in _pieces(row, gutter)[1:]:
            if 0.4 * width <= piece[0]["x0"] <= 0.65 * width:
                starts[round(piece[0]["x0"] / 4)] += 1
    if not starts or starts.most_common(1)[0][1] < lay["min_lines"]:
        return [[_line(r) for r in rows]] if rows else []
    xr = starts.most_common(1)[0][0] * 4 - 3
    out: list[list[_Line]] = []
    band: list[list[Word]] = []

    def flush() -> None:
        right_rows = [i for i, r in enumerate(band) if r[-1]["x0"] >= xr - 2]
        if not right_rows:
            if band:
                out.append([_line(r) for r in band])
            band.clear()
            return
        first, last = right_rows[0], right_rows[-1]
        if first:
            out.append([_line(r) for r in band[:first]])
        mid = band[first:last + 1]
        left = [[w for w in r if w["x1"] < xr - 2] for r in mid]
        right = [[w for w in r if w["x1"] >= xr - 2] for r in mid]
        out.append([_line(r) for r in left if r])
        out.append([_line(r) for r in right if r])
        if last + 1 < len(band):
            out.append([_line(r) for r in band[last + 1:]])
        band.clear()

    full: list[list[Word]] = []  # consecutive rows that run across the gutter
    for row in rows:
        if any(p[0]["x0"] < xr - 6 and p[-1]["x1"] > xr + 6
               for p in _pieces(row, gutter)):
            flush()
            full.append(row)
        else:
            if full:
                out.append([_line(r) for r in full])
                full = []
            band.append(row)
    flush()
    if full:
        out.append([_line(r) for r in full])
    return [r for r in out if r]


def _pitch(lines: list[_Line]) -> float:
    """The usual top-to-top distance of consecutive lines in a region."""
    diffs = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
                   if 0 < b.top - a.top < 2.5 * max(a.size, 1.0))
    return diffs[len(diffs) // 4] if diffs else 1.2 * (lines[0].size if lines else 10)


def _breaks(prev: _Line, ln: _Line, right: float, item_x0: float | None,
            wraps: bool, pitch: float) -> bool:
    """Whether `ln` starts a new paragraph after `prev` (same region). `wraps`:
    also judge by where lines end (table cells, whose lines are joined)."""
    if ln.top - prev.top > pitch + max(2.0, 0.25 * prev.size):
        return True  # paragraph spacing
    if abs(ln.size - prev.size) > 0.6 or ln.bold != prev.bold:
        return True  # a heading, a bold label
    if item_x0 is not None and ln.x0 <= item_x0 + 1:
        return True  # back at the bullet's indent: the item has ended
    if not wraps:
        return False
    if right - prev.x1 > ln.first_width + 0.35 * prev.size:
        return True  # the first word would have fitted: a hard break
    # an upper-case or numeric start after a line that does not run on: a list
    # of short entries in a narrow cell ("Hepatotoxicity" / "Neutropenia")
    return (ln.text[:1].isupper() or ln.text[:1].isdigit()) and \
        not _GOES_ON.search(prev.text)


def _paragraphs(lines: list[_Line], right: float,
                wraps: bool = True) -> list[tuple[str, bool, float]]:
    """(text, is a list item, top) of each paragraph in one region whose lines wrap
    at `right` (see `_breaks`). Cells (`wraps`) join a paragraph's lines with a
    space; running text keeps its visual lines ("\n"), as text exports do, and
    leaves the joining of wrapped lines to the extractors."""
    groups: list[tuple[list[_Line], bool]] = []
    lines = sorted(lines, key=lambda x: x.top)
    pitch = _pitch(lines)
    for ln in lines:
        item = bool(_ITEM.match(ln.text))
        if groups and not item:
            group, was_item = groups[-1]
            if not _breaks(group[-1], ln, right, group[0].x0 if was_item else None,
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


def _inside(w: Word, bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _cell(words: list[Word], bbox: tuple[float, float, float, float]) -> str:
    inside = [w for w in words if _inside(w, bbox)]
    if not inside:
        return ""
    lines = [_line(r) for r in _rows(inside)]
    right = max(max(ln.x1 for ln in lines), bbox[2] - 8)
    return "\n".join(("• " if item else "") + text
                     for text, item, _ in _paragraphs(lines, right))


def _table(found: Any, words: list[Word], page_no: int) -> Table:
    rows: list[list[str | None]] = []
    for row in found.rows:
        rows.append([None if bbox is None else _cell(words, bbox)
                     for bbox in row.cells])
    return Table(rows=rows, page=page_no, top=float(found.bbox[1]), pages=[page_no])


def _x_edges(found: Any) -> list[float]:
    return sorted({round(c[0]) for r in found.rows for c in r.cells if c})


@dataclass
class _Page:
    no: int
    width: float
    rows: list[tuple[list[Word], bool, str]]  # (words, in the margins, text)
    tables: list[tuple[Any, Table]]
    blocks: list[Block | Table]


def _key_of(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _read_page(page: Any, no: int) -> _Page:
    words: list[Word] = page.extract_words(extra_attrs=["size", "fontname"],
                                           x_tolerance=2.5)
    found = page.find_tables()
    tables = [(f, _table(f, words, no)) for f in found]
    free = [w for w in words if not any(_inside(w, f.bbox) for f in found)]
    height = float(page.height)
    rows = []
    for r in _rows(free):
        top = min(w["top"] for w in r)
        rows.append((r, top < 0.085 * height or top > 0.9 * height,
                     " ".join(w["text"] for w in r)))
    return _Page(no, float(page.width), rows, tables, [])


def _furniture(pages: list[_Page]) -> set[str]:
    """Keys of margin rows repeated on many pages (digits masked: "Page # of #")."""
    lay = blocks_layout()["furniture"]
    seen: Counter[str] = Counter()
    for p in pages:
        seen.update({_key_of(text) for _, margin, text in p.rows if margin})
    need = max(2, int(len(pages) * lay["repeat_share"] + 0.5))
    return {key for key, n in seen.items() if n >= need}


def _lay_out(page: _Page, furniture: set[str], removed: list[str]) -> None:
    """The page's blocks: furniture rows dropped, paragraphs in reading order,
    tables placed before the first paragraph below them."""
    kept = []
    for words, margin, text in page.rows:
        if (margin and (_key_of(text) in furniture or is_furniture(text))) or \
                re.match(r"^(?:EMA/\S+\s+)?Page \d+ (?:of|/) \d+$", text, re.I):
            removed.append(text)
        else:
            kept.append(words)
    for region in _regions(kept, page.width):
        right = max(ln.x1 for ln in region)
        for text, item, top in _paragraphs(region, right, wraps=False):
            page.blocks.append(Block("item" if item else "paragraph", text,
                                     page.no, top))
    for found, table in page.tables:
        at = next((i for i, b in enumerate(page.blocks)
                   if isinstance(b, Block) and (b.top or 0) > found.bbox[1]),
                  len(page.blocks))
        page.blocks.insert(at, table)


def _same_columns(a: list[float] | None, b: list[float] | None) -> bool:
    return bool(a and b and len(a) == len(b)
                and all(abs(x - y) <= 3 for x, y in zip(a, b, strict=True)))


def _join(first: Table, more: Table) -> None:
    """Append a table's continuation: a repeated header row is dropped, and a first
    row whose label cell is empty continues the last row (a row split by the break)."""
    rows = list(more.rows)
    if rows and first.rows and _key(rows[0]) == _key(first.rows[0]):
        rows = rows[1:]
        first.header_rows = first.header_rows or 0
    if rows and first.rows and first.columns >= 2 and rows[0][0] is not None and (
            not rows[0][0].strip() or any(c and c[:1].islower() for c in rows[0])):
        last = first.rows[-1]
        for i, cell in enumerate(rows[0]):
            if cell and i < len(last) and last[i] is not None:
                glue = " " if cell[:1].islower() else "\n"  # a split sentence
                last[i] = (last[i] + glue + cell).strip() if last[i] else cell
        rows = rows[1:]
    first.rows.extend(rows)
    first.pages.extend(p for p in more.pages if p not in first.pages)


def _key(row: list[str | None]) -> list[str]:
    return [re.sub(r"\s+", " ", c or "").strip().lower() for c in row]


def read_pdf(data: bytes, path: str | Path) -> Document:
    """Blocks of a PDF in reading order, page furniture removed and listed.

    Raises:
        InputError: unreadable, encrypted, oversized or image-only PDF.
    """
    import pdfplumber  # local: only PDF inputs pay for the import
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    p = Path(path)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(f"PDF has {len(pdf.pages)} pages (limit "
                                 f"{MAX_PAGES}); not an RMP summary", path=p)
            pages = [_read_page(page, i) for i, page in enumerate(pdf.pages, 1)]
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many types on malformed files
        if isinstance(exc, PDFPasswordIncorrect) or any(
                isinstance(a, PDFPasswordIncorrect) for a in exc.args):
            raise InputError("PDF is password-protected; cannot read its text",
                             path=p) from None
        first = (str(exc).strip().splitlines() or [""])[0][:120]
        if "encrypt" in (first + type(exc).__name__).lower():
            raise InputError("PDF is encrypted; cannot read its text",
                             path=p) from None
        raise InputError(f"not a readable PDF ({type(exc).__name__}"
                         + (f": {first}" if first else "") + ")", path=p) from None
    if not any(p_.rows or p_.tables for p_ in pages):
        raise InputError("PDF has no text layer (scanned PDF?); run OCR on it "
                         "first, or give the .docx or text version", path=p)
    furniture = _furniture(pages)
    removed: list[str] = []
    blocks: list[Block | Table] = []
    previous: list[float] | None = None
    for page in pages:
        _lay_out(page, furniture, removed)
        for i, block in enumerate(page.blocks):
            last = blocks[-1] if blocks else None
            if (i == 0 and isinstance(block, Table) and isinstance(last, Table)
                    and _same_columns(previous, _x_edges(page.tables[0][0]))):
                _join(last, block)
                continue
            blocks.append(block)
        tail = page.blocks[-1] if page.blocks else None
        previous = _x_edges(page.tables[-1][0]) if isinstance(tail, Table) else None
    return Document(blocks=blocks, furniture=removed, pages=len(pages))
