"""Stage 3b, extract II.A: the concern categories and the list of names.

II.A may be a table (a category cell followed by names) or a list ("Important
identified risks: A; B", bullets or numbered items); any category may be "None".
A text export can print the list's headings before its names (see listcols.py), its
list numbers and glyphs apart from the items, and footnote markers on lines of
their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rmpgraph.parse.listcols import unstack
from rmpgraph.parse.model import Category, NoneStatement, Span, TableInfo
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.tables import CAPTION, split_footer
from rmpgraph.parse.textutil import items, says_none, span_of

__all__ = ["ListedName", "match_category", "parse_list"]


@dataclass
class ListedName:
    name: str
    category: Category
    span: Span
    # the list's layout did not tell the category (see listcols.py): take it from
    # the concern's II.B table
    category_from_table: bool = False


def _categories() -> list[tuple[str, Category]]:
    pairs = [
        (label, Category(slug))
        for slug, labels in layout()["categories"].items()
        for label in labels
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


# the number of a numbered list item, "1." / "2)" / "(3)"; alone on a line when a
# text layer prints the numbers apart from their items (pdfminer)
_LIST_NUMBER = re.compile(r"^\(?\d{1,2}[.)](?:\s+|$)")


def match_category(text: str) -> tuple[Category, str] | None:
    """ "Important potential risk – X" -> (POTENTIAL, "X"); the name may be empty."""
    n = text.replace("\u2013", "-").replace("\u2014", "-").strip()
    n = _LIST_NUMBER.sub("", n)  # "2. Important potential risks" (a numbered list)
    low = norm_label(n)
    for label, cat in _categories():
        if low == label:
            return cat, ""
        if low.startswith(label):
            rest = (
                n[len(label) :] if n.lower().startswith(label) else n.split(" ", 2)[-1]
            )
            if rest and rest[0] not in " :-":
                continue
            # "Important potential risk 2: Embryo-fetal toxicity": the number is the
            # concern's place in its category, not part of its name
            rest = re.sub(r"^\s*\d{1,2}\s*(?=:|-\s)", "", rest)
            return cat, rest.strip().lstrip(":-").strip()
    return None


def _cat(text: str) -> Category | None:
    hit = match_category(text)
    return hit[0] if hit else None


def _wrapped_category(
    lines: Sequence[Line], i: int
) -> tuple[Category, str, int] | None:
    """A category label, possibly wrapped ("Important identified \\n risks")."""
    first = lines[i].text
    hit = match_category(first)
    if hit:
        return hit[0], hit[1], i
    if re.match(r"^important (identified|potential)\s*$", first, re.I):
        j = i + 1
        while j < len(lines) and not lines[j].text and j - i < 3:
            j += 1
        if j < len(lines):
            hit = match_category(first + " " + lines[j].text)
            if hit:
                return hit[0], hit[1], j
    return None


def _join_headings(body: Sequence[Line]) -> tuple[list[Line], set[int]]:
    """Category headings wrapped over two lines ("Important identified" / "risks",
    pdfminer) joined on their first line, so a list that prints every heading
    before its names is told as one (listcols); the other lines become blank, and
    their numbers are returned as read."""
    out = list(body)
    absorbed: set[int] = set()
    for i in range(len(out)):
        hit = _wrapped_category(out, i) if out[i].text else None
        if hit is None or hit[2] == i or hit[1]:
            continue
        text = " ".join(x.text for x in out[i : hit[2] + 1] if x.text)
        out[i] = Line(out[i].no, text, out[i].bullet)
        for k in range(i + 1, hit[2] + 1):
            absorbed |= {out[k].no} if out[k].text else set()
            out[k] = Line(out[k].no, "", False)
    return out, absorbed


def parse_list(
    lines: Sequence[Line],
) -> tuple[list[ListedName], list[NoneStatement], TableInfo, set[int]]:
    """Parse section II.A: names, section-level Nones, table info, used lines."""
    info = TableInfo()
    used: set[int] = set()
    start = 0
    for i, ln in enumerate(lines):
        m = CAPTION.match(ln.text)
        if m:
            info.number, info.caption = m.group("num"), ln.text
            used.add(ln.no)
            start = i + 1
            break
    body, info.footnotes, info.legend, footer = split_footer(lines[start:])
    used |= {ln.no for ln in footer}
    body, absorbed = _join_headings(body)
    used |= absorbed
    body, untold = unstack(body, lambda t: match_category(t) == (_cat(t), ""))
    names: list[ListedName] = []
    nones: list[NoneStatement] = []
    current: Category | None = None
    block: list[Line] = []

    def flush() -> None:
        if current is None:
            return
        for text, span in items(block, names=True):
            if _prose(text):
                continue  # a paragraph of the section's text (a two-column page
                # can print it after a heading): not a name, left to be reported
            for part in _split_inline(_REFERENCE.sub("", text)):
                if says_none(part):
                    nones.append(NoneStatement(current.value, part, span))
                else:
                    names.append(
                        ListedName(part, current, span, span.start in untold)
                    )
            used.update(range(span.start, span.end + 1))
        block.clear()

    heading, stop = _other_column(body)
    i = 0
    while i < len(body):
        ln = body[i]
        if not ln.text or re.fullmatch(r"[a-f]", ln.text):  # a footnote marker
            block.append(Line(ln.no, "", False))  # apart from its name
            i += 1
            continue
        hit = _wrapped_category(body, i)
        if hit:
            flush()
            current, rest, last = hit
            used.update(x.no for x in body[i : last + 1] if x.text)
            if rest:
                block.append(Line(body[last].no, rest, False))
            i = last + 1
            continue
        if i == heading or i >= stop:
            # the next column's heading ("Main source of evidence") or its cells;
            # names printed after the heading are still names of their category
            if i >= stop:
                flush()
                current = None
            used.add(ln.no)
            i += 1
            continue
        if current is not None:
            # "2. Interstitial lung disease": an item; "2." alone, one whose text
            # the export printed apart (pdfminer), an empty item
            m = _LIST_NUMBER.match(ln.text)
            block.append(Line(ln.no, ln.text[m.end() :], True) if m else ln)
        i += 1
    flush()
    if info.caption is None and body:
        info.span = span_of([x for x in body if x.no in used] or list(body))
    elif lines:
        info.span = span_of(list(lines[max(start - 1, 0) :]))
    return names, nones, info, used


def _other_column(body: Sequence[Line]) -> tuple[int, int]:
    """Where a second column beside the names (older VI.1.1: "Main source of
    evidence"), printed after them, has its heading and where its cells start:
    right after the heading, or, where the export printed the heading among the
    names (pdftotext), after the first blank line below the names of the last
    category. (-1, len(body)) when there is no such column."""
    heads = layout()["concern-list"]["other-columns"]
    h = next((i for i, ln in enumerate(body) if norm_label(ln.text) in heads), None)
    if h is None:
        return -1, len(body)
    last = max((i for i in range(h, len(body)) if _wrapped_category(body, i)),
               default=None)
    if last is None:
        return h, h
    return h, next((i for i in range(last + 1, len(body))
                    if not body[i].text and body[i - 1].text), len(body))


# a literature reference cited after a name ("Serious infections [1]"), listed under
# the table: no part of the name
_REFERENCE = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")


def _prose(text: str) -> bool:
    """Sentences, not a concern's name: three or more of them (a list of names on
    one line, "A; B; C", may be long, but is no prose)."""
    return ";" not in text and len(re.findall(r"[a-z)]\.\s+[A-Z]", text)) >= 2


def _split_inline(text: str) -> list[str]:
    """ "A; B; C" (list layout on one line) -> three names."""
    if ";" in text:
        return [p.strip().rstrip(".") for p in text.split(";") if p.strip()]
    return [text.strip()]
