"""The document model the readers produce: headings, paragraphs, list items, tables.

A Part VI summary is a Word document, so what carries meaning is its structure
(which cell a sentence sits in, which row is a header), not its lines. PDF and DOCX
readers both fill this model; `linearize` renders it for the extractors. Each block
keeps where it was (page, vertical position) so provenance can name the page.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from rmpgraph.paths import DATA_DIR

__all__ = [
    "Block",
    "Table",
    "Document",
    "blocks_layout",
    "clean_text",
    "split_bullet",
    "is_furniture",
    "is_page_number",
    "norm_cell",
    "known_header",
    "is_category",
    "known_label",
]

Kind = Literal["heading", "paragraph", "item"]


@dataclass
class Block:
    """A heading, a paragraph or one list item: one line of canonical text."""

    kind: Kind
    text: str
    page: int | None = None
    top: float | None = None


@dataclass
class Table:
    """Rows x cells. A cell's paragraphs are separated by "\\n"; list items start
    with "• ". A cell covered by a horizontal merge is None (its text is in the
    first cell of the merge); `header_rows` rows at the top are column headings."""

    rows: list[list[str | None]]
    header_rows: int = 0
    page: int | None = None
    top: float | None = None
    pages: list[int] = field(default_factory=list)
    #: PDF: x of each column's left edge, to recognise the table's continuation
    edges: list[float] = field(default_factory=list)
    #: PDF: drawn with rules (False: found by alignment alone)
    ruled: bool = True

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Document:
    """What a reader saw: blocks in reading order and the page furniture removed."""

    blocks: list[Block | Table]
    furniture: list[str] = field(default_factory=list)
    pages: int = 0  # a PDF's page count; 0 for a DOCX, which has no fixed pages


@lru_cache(maxsize=1)
def blocks_layout() -> dict[str, Any]:
    """data/layout/blocks.toml: glyphs, furniture, known column headings."""
    with (DATA_DIR / "layout" / "blocks.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def _glyphs() -> tuple[str, re.Pattern[str], list[re.Pattern[str]]]:
    lay = blocks_layout()
    bullets = "".join(lay["bullets"]["glyphs"])
    ascii_items = "|".join(re.escape(g) for g in lay["bullets"]["ascii"])
    numbered = re.compile(
        f"(?:{lay['bullets']['numbered']})|(?:(?:{ascii_items})[ \t]+)")
    furniture = [re.compile(p, re.I) for p in lay["furniture"]["patterns"]]
    return bullets, numbered, furniture


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl",
                            "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
                            "\ufb06": "st"})
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u202f]+")


def clean_text(text: str) -> str:
    """Ligatures expanded, soft hyphens and zero-width marks dropped, spaces
    squeezed (line breaks kept): what a reader of the page sees, so names compare
    equal."""
    text = text.translate(_LIGATURES)
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_SPACES.sub(" ", t).strip() for t in text.split("\n")).strip()


def split_bullet(text: str) -> tuple[str, bool]:
    """(text without its bullet glyph, whether it had one). Private-use glyphs
    (Symbol/Wingdings bullets such as U+F0B7) and the usual Unicode ones count."""
    bullets, numbered, _ = _glyphs()
    stripped = text.strip()
    private = bool(stripped) and 0xF000 <= ord(stripped[0]) <= 0xF0FF
    if stripped[:1] in bullets or private:
        return clean_text(stripped[1:]), True
    m = numbered.match(stripped)
    if m:
        return clean_text(stripped[m.end():]), True
    return clean_text(stripped), False


def is_page_number(text: str) -> bool:
    """"Page 3 of 12" (maybe after a document reference), anywhere on a page."""
    return bool(re.match(blocks_layout()["furniture"]["page-number"], text.strip(),
                         re.I))


def is_furniture(text: str) -> bool:
    """A page header/footer by its shape ("Page 3 of 12", "EMA/123/2024")."""
    _, _, furniture = _glyphs()
    return any(p.match(text.strip()) for p in furniture)


def norm_cell(text: str | None) -> str:
    """A cell's text for comparing with the layout file's headings."""
    t = (text or "").replace("\u2022", " ").lower()
    t = t.replace("minimiz", "minimis").replace("authoriz", "authoris")
    return re.sub(r"\s+", " ", t).strip().rstrip(":").strip()


def known_header(text: str | None, *, prefix: bool = False) -> bool:
    """A column heading of the template's tables ("Study/activity Type, title and
    category (1-3)" and its variants start with "study"); with `prefix`, also the
    first line of a heading that wraps ("Safety concerns" / "addressed")."""
    t = norm_cell(text)
    if not t:
        return False
    bare = re.sub(r"\(\s*1\s*[-\u2013]\s*3\s*\)", "", t)
    if t.startswith(("study", "studies")) and len(t) < 70 and ":" not in t \
            and not re.search(r"\d", bare):
        return True  # "Study/activity, type, title and category (1-3)"
    cells = {norm_cell(c) for c in blocks_layout()["headers"]["cells"]}
    noted = re.sub(r"\s*\([^()]*\)$", "", t)  # "Milestones (due date)"
    return t in cells or noted in cells or (
        prefix and any(c.startswith(t + " ") for c in cells))


def is_category(text: str | None) -> bool:
    """A concern category's name used as a heading or column heading."""
    cats = {norm_cell(c) for c in blocks_layout()["headers"]["categories"]}
    return norm_cell(text) in cats


def known_label(text: str | None) -> bool:
    """A row label of the template's label/value tables, or its first line."""
    t = norm_cell(text)
    labels = {norm_cell(c) for c in blocks_layout()["labels"]["cells"]}
    return bool(t) and (t in labels or any(c.startswith(t + " ") for c in labels))
