"""DOCX -> blocks, with python-docx.

Companies author and check their RMPs in Word, so the .docx is the cleanest source
there is: tables are real tables (merges and header rows marked), lists are marked
by numbering, and page headers/footers live in their own parts, never in the body.
Body order is reading order, whatever the section's column or page layout.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rmpgraph.errors import InputError
from rmpgraph.parse.blocks import Block, Document, Table, clean_text, split_bullet

__all__ = ["read_docx", "MAX_DOCX_UNCOMPRESSED"]

#: A zip bomb is refused before python-docx inflates it; real summaries are < 5 MB.
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(data: bytes, path: Path) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError("not a Word document (.docx is a zip archive; this is not "
                         "one); expected an RMP summary as .docx, PDF or text",
                         path=path) from None
    if "word/document.xml" not in names:
        raise InputError("zip archive without word/document.xml; expected a Word "
                         ".docx RMP summary", path=path)
    if total > MAX_DOCX_UNCOMPRESSED:
        raise InputError(f"unpacks to {total:,} bytes (limit "
                         f"{MAX_DOCX_UNCOMPRESSED:,}); not an RMP summary", path=path)


def _style(p: Any) -> str:
    ppr = p.find(f"{_W}pPr")
    style = ppr.find(f"{_W}pStyle") if ppr is not None else None
    return (style.get(f"{_W}val") or "") if style is not None else ""


def _is_list(p: Any, style_names: dict[str, str]) -> bool:
    ppr = p.find(f"{_W}pPr")
    if ppr is not None and ppr.find(f"{_W}numPr") is not None:
        return True
    name = style_names.get(_style(p), _style(p)).lower()
    return "list" in name and "paragraph" not in name or name.startswith("list bullet")


def _para_text(p: Any, br: str = " ") -> tuple[str, bool]:
    """Visible text of a w:p (runs, hyperlinks, tabs, symbol glyphs, a manual line
    break as `br`); and whether it starts with a Symbol-font bullet (w:sym), which
    python-docx's .text drops."""
    parts: list[str] = []
    sym_first = False
    for el in p.iter():
        tag = el.tag
        if tag == f"{_W}t":
            parts.append(el.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append(br)
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}sym":
            if not "".join(parts).strip():
                sym_first = True
        elif tag in (f"{_W}delText", f"{_W}instrText"):
            continue
    return "".join(parts), sym_first


def _line(p: Any, style_names: dict[str, str], br: str = " ") -> tuple[str, str] | None:
    """(kind, text) of one paragraph, None when it is empty."""
    raw, sym = _para_text(p, br)
    text, glyph = split_bullet(raw)
    if not text:
        return None
    name = style_names.get(_style(p), _style(p)).lower()
    if name.startswith(("heading", "title")) or name in ("subtitle",):
        return "heading", text  # numbered headings carry numPr too
    if glyph or sym or _is_list(p, style_names):
        return "item", text
    return "paragraph", clean_text(raw)


def _children(el: Any) -> Iterator[Any]:
    """Body children in order, content controls (w:sdt) unwrapped."""
    for child in el.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _children(content)
        else:
            yield child


def _cell_text(tc: Any, style_names: dict[str, str]) -> str:
    out: list[str] = []
    for child in _children(tc):
        if child.tag == f"{_W}p":
            # a manual line break in a cell parts entries ("Serious infections" /
            # "Hypersensitivity reactions"), as the PDF's lines do
            line = _line(child, style_names, br="\n")
            if line:
                out.extend(("• " if line[0] == "item" else "") + part.strip()
                           for part in line[1].split("\n") if part.strip())
        elif child.tag == f"{_W}tbl":  # nested table: its cells, row by row
            for row in _table(child, style_names).rows:
                out.extend(c for c in row if c)
    return "\n".join(out)


def _table(tbl: Any, style_names: dict[str, str]) -> Table:
    rows: list[list[str | None]] = []
    header_rows = 0
    # rows and cells may sit inside content controls (w:sdt), as in company
    # templates with fields to fill
    rows_el = [c for c in _children(tbl) if c.tag == f"{_W}tr"]
    for r, tr in enumerate(rows_el):
        trpr = tr.find(f"{_W}trPr")
        if trpr is not None and trpr.find(f"{_W}tblHeader") is not None \
                and r == header_rows:
            header_rows += 1
        row: list[str | None] = []
        for tc in (c for c in _children(tr) if c.tag == f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span_el = tcpr.find(f"{_W}gridSpan") if tcpr is not None else None
            span = int(span_el.get(f"{_W}val", "1")) if span_el is not None else 1
            vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
            continued = vmerge is not None and vmerge.get(f"{_W}val") in (None,
                                                                          "continue")
            # a vertically merged cell's text belongs to the row where it starts
            row.append("" if continued else _cell_text(tc, style_names))
            row.extend([None] * (span - 1))
        rows.append(row)
    return Table(rows=rows, header_rows=header_rows)


def read_docx(data: bytes, path: str | Path) -> Document:
    """Blocks of a .docx in reading order; headers/footers listed as furniture."""
    p = Path(path)
    _check_zip(data, p)
    import docx  # local: only DOCX inputs pay for the import

    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on damaged parts
        raise InputError(f"not a readable Word document ({type(exc).__name__}); "
                         "expected an RMP summary as .docx", path=p) from None
    style_names = {s.style_id: s.name or "" for s in doc.styles
                   if getattr(s, "style_id", None)}
    blocks: list[Block | Table] = []
    for child in _children(doc.element.body):
        if child.tag == f"{_W}p":
            line = _line(child, style_names)
            if line:
                blocks.append(Block(line[0], line[1]))  # type: ignore[arg-type]
        elif child.tag == f"{_W}tbl":
            table = _table(child, style_names)
            if any(any(c for c in row) for row in table.rows):
                blocks.append(table)
    furniture: list[str] = []
    for section in doc.sections:
        for part in (section.header, section.footer):
            for para in part.paragraphs:
                text = clean_text(para.text)
                if text and text not in furniture:
                    furniture.append(text)
    return Document(blocks=blocks, furniture=furniture, pages=0)
