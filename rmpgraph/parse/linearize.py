"""Blocks -> canonical text: the one text form every extractor reads.

Rendering a table is where layout knowledge pays: a label/value table becomes "label"
then its value paragraphs (as EMA's own text exports show II.B); a table with
column headings becomes one record per row, "Heading: value", so a study table reads
like the labelled II.C entries; a table with one column per concern category is read
column by column. Every output line remembers its page, for provenance.

The form (one paragraph per line, blank line between paragraphs, "• " for list
items) is documented in docs/ARCHITECTURE.md; the text reader passes plain text
through unchanged, so a summary saved as text is read by the same extractors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rmpgraph.parse.blocks import (
    Block,
    Document,
    Table,
    blocks_layout,
    is_category,
    known_header,
    known_label,
    norm_cell,
)

__all__ = ["Canonical", "linearize", "header_row_count", "table_kind"]


@dataclass
class Canonical:
    """Canonical text lines and the page (1-based, None if unknown) of each."""

    lines: list[str] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)

    def add(self, text: str, page: int | None) -> None:
        """One line; a blank one only after a non-blank line. No form feeds: page
        furniture is already gone, and pages are kept in `pages`."""
        if not text:
            if self.lines and self.lines[-1]:
                self.lines.append("")
                self.pages.append(page)
            return
        self.lines.append(text)
        self.pages.append(page)

    def blank(self, page: int | None) -> None:
        self.add("", page)

    @property
    def text(self) -> str:
        lines = list(self.lines)
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"


def header_row_count(table: Table) -> int:
    """Header rows: as marked by the producer, else a first row whose non-empty
    cells are all known column headings (at least two of them)."""
    if table.header_rows:
        return table.header_rows
    if not table.rows:
        return 0
    first = [c for c in table.rows[0] if c]
    if len(first) >= 2 and all(known_header(c) for c in first):
        return 1
    return 1 if _concern_header(table.rows[0]) else 0


@lru_cache(maxsize=1)
def _concern_cells() -> dict[str, frozenset[str]]:
    """`[concern-rows]` headings, normalised once."""
    return {k: frozenset(norm_cell(x) for x in v)
            for k, v in blocks_layout()["concern-rows"].items()}


def _concern_header(header: list[str | None]) -> bool:
    """"Safety concern | Risk minimisation measures | Pharmacovigilance activities"
    (`[concern-rows]`): the heading row of II.B given as one table."""
    cells = [norm_cell(c) for c in header]
    return len(cells) >= 2 and cells[0] in _concern_cells()["concern"] and all(
        c in _concern_cells()["columns"] for c in cells[1:])


def _concern_rows(header: list[str | None], body: list[list[str | None]]) -> bool:
    """II.B as one table, a row per concern under category rows."""
    return _concern_header(header) and any(is_category(_single(r)) for r in body)


def _listed_concerns(table: Table) -> bool:
    """A list of concerns as a table: "Safety concern | <notes>" over category rows
    merged across it and one concern per row (VI.1.1, II.A)."""
    return bool(table.rows) and norm_cell(table.rows[0][0]) in _concern_cells()[
        "concern"] and any(
        is_category(_single(r)) for r in table.rows[1:])


def table_kind(table: Table) -> str:
    """"categories" | "concerns" | "concern-list" | "records" | "labels" |
    "single"."""
    if table.columns <= 1:
        return "single"
    if _listed_concerns(table) and not _concern_header(table.rows[0]):
        return "concern-list"
    heads = header_row_count(table)
    if heads:
        header = [c for c in table.rows[heads - 1] if c]
        if len(header) >= 2 and all(is_category(c) for c in header):
            return "categories"
        if _concern_rows(table.rows[heads - 1], table.rows[heads:]):
            return "concerns"
        body = [r for r in table.rows[heads:] if any(r)]
        if table.columns == 2 and body and all(is_category(r[0]) for r in body):
            return "labels"  # a "Category | Concerns" heading over labelled rows
        rows = [r for r in body if _single(r) is None]
        if table.columns == 2 and not all(known_header(c) for c in header) and \
                2 * sum(known_label(r[0]) for r in rows) >= len(rows) > 0:
            # a heading of its own ("Topic | Summary") over the template's row
            # labels: the rows are label and value, as without the heading
            return "labels"
        return "records"
    return "labels"


def _paras(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("\n") if p.strip()]


def _single(row: list[str | None]) -> str | None:
    """The text of a row that is one merged cell (a title or sub-heading row)."""
    filled = [c for c in row if c and c.strip()]
    if len(filled) == 1 and (len(row) == 1 or row[0] == filled[0]) and (
            len(row) > 1 and all(c is None or not c.strip() for c in row[1:])):
        merged = all(c is None for c in row[1:])
        return filled[0] if merged or len(_paras(filled[0])) == 1 else None
    return None


def _title_row(out: Canonical, row: list[str | None], page: int | None) -> bool:
    """A row that is one merged cell (a title or sub-heading inside the table) is
    written as plain lines; True when it was one."""
    title = _single(row)
    for para in _paras(title) if title is not None else []:
        out.add(para, page)
        out.blank(page)
    return title is not None


def _emit_cell(out: Canonical, cell: str | None, page: int | None,
               first_prefix: str = "", together: bool = False) -> None:
    """A cell's paragraphs, one per line; blank lines between them, or none when
    `together` (a record's field: "Study: CODE" / its title / "Category 2" stay
    one paragraph under their column heading)."""
    paras = _paras(cell)
    for i, para in enumerate(paras):
        out.add((first_prefix if i == 0 else "") + para, page)
        if not together:
            out.blank(page)
    out.blank(page)


def _pairs() -> dict[str, list[str]]:
    return {norm_cell(k): [norm_cell(v) for v in vs]
            for k, vs in blocks_layout()["pairs"]["columns"].items()}


def _pair(left: list[str], right: list[str]) -> list[str] | None:
    """"Label: due" per paragraph pair. When a PDF cell ran two short entries
    together ("Protocol submission Final report"), the left cell is cut again
    where a new entry starts (data/layout/blocks.toml, pairs.split), and the right
    one after a year ("15 January 2026 Q3 2026", pairs.split-dues)."""
    def cut(paras: list[str], key: str) -> list[str]:
        at = re.compile(blocks_layout()["pairs"][key], re.I)
        return [p.strip() for para in paras for p in at.split(para) if p.strip()]

    # the names cut, else the dates (a name may hold a due phrase: "Final study
    # report (within 12 months after end of data collection)"), else both
    for names, dues in ((left, right), (cut(left, "split"), right),
                        (left, cut(right, "split-dues")),
                        (cut(left, "split"), cut(right, "split-dues"))):
        if names and len(names) == len(dues):
            left, right = names, dues
            break
    else:
        return None
    return [f"{a.rstrip(':')}: {b}" for a, b in zip(left, right, strict=True)]


def _header_again(row: list[str | None], header: list[str]) -> bool:
    """The header row repeated after a page break."""
    return [norm_cell(c) for c in row] == [norm_cell(h) for h in header]


def _records(out: Canonical, table: Table, heads: int) -> None:
    page = table.page
    header = [" ".join(_paras(c)) if c else "" for c in table.rows[heads - 1]]
    width = len(header)
    for c in range(1, width):  # a heading merged over several columns
        if not header[c] and table.rows[heads - 1][c] is None:
            header[c] = header[c - 1]
    pairs = _pairs()
    for row in table.rows[heads:]:
        if _header_again(row, header):
            continue  # a header row repeated after a page break
        if _title_row(out, row, page):
            continue
        cells = {i: row[i] if i < len(row) else None for i in range(width)}
        skip: set[int] = set()
        for i in range(width):
            partners = pairs.get(norm_cell(header[i]), [])
            for j in range(width):
                if j != i and norm_cell(header[j]) in partners and j not in skip:
                    paired = _pair(_paras(cells[i]), _paras(cells[j]))
                    if paired:
                        cells[i] = "\n".join(paired)
                        skip.add(j)
        for i in range(width):
            covered = 0 < i < len(row) and row[i] is None  # inside a merge
            if i in skip or covered or not _paras(cells[i]):
                continue
            label = header[i].rstrip(":").strip()
            _emit_cell(out, cells[i], page, f"{label}: " if label else "",
                       together=True)
        out.blank(page)


def _labels(out: Canonical, table: Table, heads: int) -> None:
    page = table.page
    for row in table.rows[heads:]:
        if _title_row(out, row, page):
            continue
        label = " ".join(_paras(row[0]))
        if label:
            out.add(label, page)
            out.blank(page)
        for cell in row[1:]:
            _emit_cell(out, cell, page)
        out.blank(page)


def _concerns(out: Canonical, table: Table, heads: int) -> None:
    """Each row as its concern's own II.B table; a row whose first cell is empty
    goes on with the concern above (a row split by a page break)."""
    page = table.page
    header = [" ".join(_paras(c)) for c in table.rows[heads - 1]]
    category: str | None = None
    for row in table.rows[heads:]:
        title = _single(row)
        if title is not None or _header_again(row, header):
            if is_category(title):  # "Important identified risks" -> "… risk"
                category = re.sub(r"(?i)(risk)s$", r"\1", " ".join(_paras(title)))
            else:
                _title_row(out, row, page)
            continue
        name = " ".join(_paras(row[0]))
        if name:
            out.add(f"{category}: {name}" if category else name, page)
            out.blank(page)
        for head, cell in zip(header[1:], row[1:], strict=False):
            if _paras(cell):
                out.add(head, page)
                out.blank(page)
                _emit_cell(out, cell, page)
        out.blank(page)


def _concern_list(out: Canonical, table: Table) -> None:
    """Category headings, then each row's concern as an item. The other columns
    (a concern's main source of evidence) hold no name and carry no fact the model
    keeps, so they are left out rather than read as names."""
    page = table.page
    for row in table.rows[1:]:
        title = _single(row)
        if title is not None:
            out.add(" ".join(_paras(title)), page)
            out.blank(page)
        elif norm_cell(row[0]) != norm_cell(table.rows[0][0]) and _paras(row[0]):
            out.add("• " + " ".join(_paras(row[0])), page)
    out.blank(page)


def _categories(out: Canonical, table: Table, heads: int) -> None:
    page = table.page
    header = table.rows[heads - 1]
    for c, head in enumerate(header):
        if not head:
            continue
        out.add(" ".join(_paras(head)), page)
        out.blank(page)
        for row in table.rows[heads:]:
            for para in _paras(row[c] if c < len(row) else None):
                out.add("• " + para.removeprefix("• "), page)
        out.blank(page)


def _table(out: Canonical, table: Table) -> None:
    out.blank(table.page)
    titles = 0  # leading rows that are one merged cell: the table's title
    while titles < len(table.rows) and _single(table.rows[titles]) is not None:
        for para in _paras(_single(table.rows[titles])):
            out.add(para, table.page)
            out.blank(table.page)
        titles += 1
    if titles:
        table = Table(rows=table.rows[titles:],
                      header_rows=max(0, table.header_rows - titles),
                      page=table.page, top=table.top, pages=table.pages)
    kind = table_kind(table)
    heads = header_row_count(table)
    if kind == "categories":
        _categories(out, table, heads)
    elif kind == "concerns":
        _concerns(out, table, heads)
    elif kind == "concern-list":
        _concern_list(out, table)
    elif kind == "records":
        _records(out, table, heads)
    elif kind == "labels":
        _labels(out, table, heads)
    else:
        for row in table.rows:
            for cell in row:
                _emit_cell(out, cell, table.page)
    out.blank(table.page)


def _is_caption(block: Block | Table | None) -> bool:
    return isinstance(block, Block) and bool(
        re.match(blocks_layout()["captions"]["pattern"], block.text, re.I))


def captions_first(blocks: list[Block | Table]) -> list[Block | Table]:
    """Blocks with every table caption before its table. Some companies caption
    below ("Table 4: Important identified risk – X" under the table); a document
    does one or the other, told by its first captioned table."""
    tables = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
    below = next((not _is_caption(blocks[i - 1] if i else None)
                  for i in tables if _is_caption(blocks[i - 1] if i else None)
                  or (i + 1 < len(blocks) and _is_caption(blocks[i + 1]))), False)
    if not below:
        return list(blocks)
    out = list(blocks)
    for i in reversed(tables):
        if i + 1 < len(out) and _is_caption(out[i + 1]):
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def linearize(doc: Document) -> Canonical:
    """The canonical text of a document's blocks."""
    out = Canonical()
    previous: str | None = None
    for block in captions_first(doc.blocks):
        if isinstance(block, Table):
            _table(out, block)
            previous = "table"
            continue
        assert isinstance(block, Block)
        lines = block.text.split("\n")  # a PDF paragraph keeps its visual lines
        if block.kind == "item":
            if previous != "item":
                out.blank(block.page)
            out.add("• " + lines[0], block.page)
        else:
            out.blank(block.page)
            out.add(lines[0], block.page)
        for more in lines[1:]:
            out.add(more, block.page)
        if block.kind != "item":
            out.blank(block.page)
        previous = block.kind
    return out
