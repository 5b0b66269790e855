"""PDF -> blocks, with pdfplumber.

Published summaries are Word documents saved as PDF. Ruled tables are found by
pdfplumber's line-based table finder (merged cells as None) and each cell is read
from its own box, never interleaved with the next cell as a text-layer dump is;
tables drawn without rules are found by alignment (`pdf_tables`). Outside tables,
words become lines and paragraphs (`pdf_layout`); a band of a page set in two text
columns is read column by column; running headers and footers are removed and
listed. A table continued on the next page is joined to its start, its repeated
header row dropped and a row broken by the page rejoined.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmpgraph.errors import InputError
from rmpgraph.parse.blocks import (
    Block,
    Document,
    Table,
    blocks_layout,
    is_furniture,
    is_page_number,
)
from rmpgraph.parse.pdf_header_tables import header_tables
from rmpgraph.parse.pdf_layout import (
    Line,
    Word,
    line_of,
    line_pitch,
    paragraphs,
    regions,
    rows_of,
)
from rmpgraph.parse.pdf_tables import text_tables

__all__ = ["read_pdf", "MAX_PAGES"]

#: EMA summaries have 5-40 pages; far more means this is not one (or a PDF bomb).
MAX_PAGES = 500

_CID = re.compile(r"\(cid:\d+\)")


def _inside(w: Word, bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


Box = tuple[float, float, float, float]


def _lines(words: list[Word], bbox: Box) -> list[Line]:
    return [line_of(r) for r in rows_of([w for w in words if _inside(w, bbox)])]


def _cell(lines: list[Line], bbox: Box, pitch: float | None) -> str:
    if not lines:
        return ""
    right = max(max(ln.x1 for ln in lines), bbox[2] - 8)
    return "\n".join(("• " if item else "") + text
                     for text, item, _ in paragraphs(lines, right, pitch=pitch))


def _pitches(cells: list[list[Line]]) -> dict[float, float]:
    """The line pitch per font size over a whole table. A cell of one-line entries
    with paragraph spacing between them ("Protocol submission" / "Progress
    reports" / "Final report") has no wrapped line to measure by itself; its own
    gaps would read as the pitch and the entries would run together."""
    by_size: dict[float, list[list[Line]]] = {}
    for lines in cells:
        if len(lines) > 1:
            by_size.setdefault(round(lines[0].size), []).append(lines)
    return {size: p for size, group in by_size.items()
            if (p := line_pitch(group)) is not None}


def _table(found: Any, words: list[Word], page_no: int) -> Table:
    boxes = [[None if b is None else (b, _lines(words, b)) for b in row.cells]
             for row in found.rows]
    pitches = _pitches([c[1] for row in boxes for c in row if c is not None])
    rows: list[list[str | None]] = []
    for row in boxes:
        rows.append([None if c is None else _cell(
            c[1], c[0], pitches.get(round(c[1][0].size)) if c[1] else None)
            for c in row])
    return Table(rows=rows, page=page_no, top=float(found.bbox[1]), pages=[page_no],
                 edges=_x_edges(found))


def _x_edges(found: Any) -> list[float]:
    return sorted({round(c[0]) for r in found.rows for c in r.cells if c})


@dataclass
class _Page:
    no: int
    width: float
    rows: list[tuple[list[Word], int, str]]  # (words, margin band 0-2, text)
    tables: list[Table]
    blocks: list[Block | Table]


def _key_of(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _read_page(page: Any, no: int) -> _Page:
    words: list[Word] = []
    for w in page.extract_words(extra_attrs=["size", "fontname"], x_tolerance=2.5):
        # a glyph with no Unicode mapping comes out as "(cid:N)": alone, it is a
        # list bullet (Symbol/Wingdings fonts); inside a word it carries nothing
        text = "\u2022" if _CID.fullmatch(w["text"]) else _CID.sub("", w["text"])
        if text:
            words.append({**w, "text": text})
    found = page.find_tables()
    tables = [_table(f, words, no) for f in found]
    free = [w for w in words if not any(_inside(w, f.bbox) for f in found)]
    height = float(page.height)
    rows = []
    for r in rows_of(free):
        top = min(w["top"] for w in r)
        # 2: in the usual header/footer band; 1: just inside it (deep margins),
        # where only text repeated on many pages counts as furniture; 0: body
        band = 2 if top < 0.085 * height or top > 0.9 * height else (
            1 if top < 0.11 * height or top > 0.88 * height else 0)
        rows.append((r, band, " ".join(w["text"] for w in r)))
    return _Page(no, float(page.width), rows, tables, [])


def _furniture(pages: list[_Page]) -> set[str]:
    """Keys of margin rows repeated on many pages (digits masked: "Page # of #")."""
    lay = blocks_layout()["furniture"]
    seen: Counter[str] = Counter()
    for p in pages:
        seen.update({_key_of(text) for _, margin, text in p.rows if margin})
    need = max(2, int(len(pages) * lay["repeat_share"] + 0.5))
    return {key for key, n in seen.items() if n >= need}


def _lay_out(page: _Page, furniture: set[str], removed: list[str],
            hint: float | None, value_x: set[int],
            carry: float | None, columns_carry: list[float] | None) -> float | None:
    """The page's blocks: furniture rows dropped, borderless tables found, the rest
    as paragraphs in reading order, each table before the first paragraph below
    it. Returns the x of a second text column, the next page's hint."""
    kept = []
    for words, band, text in page.rows:
        if (band and _key_of(text) in furniture) or (band == 2 and is_furniture(
                text)) or is_page_number(text):
            removed.append(text)
        else:
            kept.append(words)
    wide, kept = header_tables(kept, columns_carry)
    found, kept = text_tables(kept, page.width, value_x, carry)
    found += wide
    for table in found:
        table.page, table.pages = page.no, [page.no]
    page.tables = sorted(page.tables + found, key=lambda t: t.top or 0)
    parts, column = regions(kept, page.width, hint)
    sizes = Counter(round(ln.size) for region in parts for ln in region)
    body = float(sizes.most_common(1)[0][0]) if sizes else None
    for region in parts:
        right = max(ln.x1 for ln in region)
        for text, item, top in paragraphs(region, right, wraps=False,
                                          body_size=body):
            page.blocks.append(Block("item" if item else "paragraph", text,
                                     page.no, top))
    for table in page.tables:
        at = next((i for i, b in enumerate(page.blocks)
                   if isinstance(b, Block) and (b.top or 0) > (table.top or 0)),
                  len(page.blocks))
        page.blocks.insert(at, table)
    return column


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
                # a sentence split by the break goes on with a space; a list of
                # dates ("Q4 2026" / "within 6 months of LPLV") does not
                ends = re.search(r"(?:[.;:]|\d)$", last[i] or "")
                glue = " " if cell[:1].islower() and not ends else "\n"
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
    ruled = True
    hint: float | None = None
    value_x: set[int] = set()  # value columns of borderless tables so far
    for page in pages:
        # a borderless two-column table ending the previous page may go on here
        carry = previous[1] if previous and len(previous) == 2 and not ruled \
            else None
        wide = previous if previous and len(previous) >= 3 and not ruled else None
        hint = _lay_out(page, furniture, removed, hint, value_x, carry, wide)
        for i, block in enumerate(page.blocks):
            last = blocks[-1] if blocks else None
            if (i == 0 and isinstance(block, Table) and isinstance(last, Table)
                    and _same_columns(previous, block.edges)):
                _join(last, block)
                continue
            blocks.append(block)
        tail = page.blocks[-1] if page.blocks else None
        previous = tail.edges if isinstance(tail, Table) else None
        ruled = tail.ruled if isinstance(tail, Table) else True
    return Document(blocks=blocks, furniture=removed, pages=len(pages))
