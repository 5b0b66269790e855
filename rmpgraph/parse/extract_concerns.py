"""Stage 3b, extract II.A (the list of safety concerns) and II.B (one table each).

II.A may be a table (a category cell followed by names) or a list ("Important
identified risks: A; B" or bullets); any category may be "None". II.B tables have
row labels wrapped over several lines, headers repeated after page breaks and a
footer of footnotes and abbreviations. The output is raw: names still carry footnote
markers; `extract.py` reconciles II.A with II.B.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rmpgraph.parse.cellflow import reflow
from rmpgraph.parse.listcols import unstack
from rmpgraph.parse.model import (
    Category,
    NoneStatement,
    Span,
    TableInfo,
)
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.tables import CAPTION, captions_first, split_footer
from rmpgraph.parse.textutil import items, join_lines, paragraphs, says_none, span_of

__all__ = [
    "ListedName",
    "RawSummary",
    "parse_list",
    "parse_summaries",
    "match_category",
    "measure_kind",
    "materials_of",
]



@dataclass
class ListedName:
    name: str
    category: Category
    span: Span
    # the list's layout did not tell the category (see listcols.py): take it from
    # the concern's II.B table
    category_from_table: bool = False


@dataclass
class RawSummary:
    name: str
    category: Category
    header_span: Span
    info: TableInfo
    rows: dict[str, list[Line]] = field(default_factory=dict)
    alt_names: list[str] = field(default_factory=list)
    label_lines: set[int] = field(default_factory=set)
    lines: list[Line] = field(default_factory=list)
    # how many leading `lines` are the caption and title row (a caption placed below
    # its table is moved first, so line numbers cannot tell)
    head: int = 0


def _categories() -> list[tuple[str, Category]]:
    pairs = [
        (label, Category(slug))
        for slug, labels in layout()["categories"].items()
        for label in labels
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


def match_category(text: str) -> tuple[Category, str] | None:
    """ "Important potential risk – X" -> (POTENTIAL, "X"); the name may be empty."""
    n = text.replace("\u2013", "-").replace("\u2014", "-").strip()
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
    body, untold = unstack(body, lambda t: match_category(t) == (_cat(t), ""))
    names: list[ListedName] = []
    nones: list[NoneStatement] = []
    current: Category | None = None
    block: list[Line] = []

    def flush() -> None:
        if current is None:
            return
        for text, span in items(block):
            if _prose(text):
                continue  # a paragraph of the section's text (a two-column page
                # can print it after a heading): not a name, left to be reported
            for part in _split_inline(text):
                if says_none(part):
                    nones.append(NoneStatement(current.value, part, span))
                else:
                    names.append(
                        ListedName(part, current, span, span.start in untold)
                    )
            used.update(range(span.start, span.end + 1))
        block.clear()

    i = 0
    while i < len(body):
        ln = body[i]
        if not ln.text:
            block.append(ln)
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
        if current is not None:
            block.append(ln)
        i += 1
    flush()
    if info.caption is None and body:
        info.span = span_of([x for x in body if x.no in used] or list(body))
    elif lines:
        info.span = span_of(list(lines[max(start - 1, 0) :]))
    return names, nones, info, used


def _prose(text: str) -> bool:
    """Sentences, not a concern's name: three or more of them (a list of names on
    one line, "A; B; C", may be long, but is no prose)."""
    return ";" not in text and len(re.findall(r"[a-z)]\.\s+[A-Z]", text)) >= 2


def _split_inline(text: str) -> list[str]:
    """ "A; B; C" (list layout on one line) -> three names."""
    if ";" in text:
        return [p.strip().rstrip(".") for p in text.split(";") if p.strip()]
    return [text.strip()]


def _row_labels() -> list[tuple[str, str]]:
    pairs = [
        (norm_label(label), row)
        for row, labels in layout()["rows"].items()
        for label in labels
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _match_row(lines: Sequence[Line], i: int) -> tuple[str, int, str] | None:
    """Row label starting at line i, wrapped over up to 4 lines: (row, last, rest)."""
    texts: list[str] = []
    j = i
    while j < len(lines) and len(texts) < 4 and lines[j].text:
        texts.append(lines[j].text)
        joined = join_lines(texts)
        n = norm_label(joined)
        for label, row in _row_labels():
            if n == label:
                return row, j, ""
            if len(texts) == 1 and n.startswith(label) and ":" in joined:
                head, _, rest = joined.partition(":")
                if norm_label(head) == label:
                    return row, j, rest.strip()
            if len(texts) == 1 and n.startswith(label + " "):
                # column layout: "Risk factors and risk groups Obesity, ..."
                rest = joined[len(label) :].strip().lstrip(":").strip()
                if rest[:1].isupper() or rest[:1].isdigit():
                    return row, j, rest
        j += 1
    return None


def _header(lines: Sequence[Line], i: int) -> tuple[Category, str, int] | None:
    """A concern header ("Important identified risk: X"), its name joined over
    wrapped lines while brackets are open or the next line continues in lower case."""
    hit = match_category(lines[i].text)
    if not hit or not hit[1] or says_none(hit[1]):
        return None  # "Important identified risks: Not applicable." names none
    cat, name = hit
    j = i
    while (
        j + 1 < len(lines)
        and lines[j + 1].text
        and (name.count("(") > name.count(")") or lines[j + 1].text[0].islower())
        and _match_row(lines, j + 1) is None
        and j - i < 3
    ):
        j += 1
        name = join_lines([name, lines[j].text])
    return cat, name, j


def _same(a: str, b: str) -> bool:
    from rmpgraph.parse.textutil import normalise_name

    return normalise_name(a) == normalise_name(b)


def parse_summaries(lines: Sequence[Line]) -> tuple[list[RawSummary], set[int]]:
    """Split section II.B into one RawSummary per concern table."""
    lines = captions_first(
        lines,
        lambda i: _match_row(lines, i) is not None,
        lambda i: _header(lines, i) is not None,
    )
    summaries: list[RawSummary] = []
    furniture: set[int] = set()
    caption: list[Line] = []
    in_caption = False
    current: RawSummary | None = None
    row: str | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.text and CAPTION.match(ln.text):
            caption, in_caption, row = [ln], True, None
            current = None
            i += 1
            continue
        header = _header(lines, i) if ln.text else None
        hit = match_category(ln.text) if header and current is not None else None
        if header and hit and current is not None and _same(hit[1], current.name):
            # a title row repeated after a page break: never joined with the
            # label or value line that follows it
            header = (hit[0], hit[1], i)
        if header:
            cat, name, last = header
            if current is not None and _same(name, current.name):
                if name != current.name and name not in current.alt_names:
                    current.alt_names.append(name)
                furniture.update(x.no for x in lines[i : last + 1])
            else:
                info = TableInfo()
                if caption:
                    m = CAPTION.match(caption[0].text)
                    info.number = m.group("num") if m else None
                    info.caption = join_lines(x.text for x in caption)
                current = RawSummary(name, cat, Span(lines[i].no, lines[last].no), info)
                current.label_lines |= {x.no for x in caption}
                current.lines.extend(caption)
                current.head = len(caption) + last + 1 - i
                summaries.append(current)
                row, caption, in_caption = None, [], False
            current.lines.extend(lines[i : last + 1])
            i = last + 1
            continue
        if in_caption and ln.text:
            caption.append(ln)
            labelled = _match_row(lines, i)
            if labelled is None:
                i += 1
                continue
            caption.pop()
            hit = match_category(join_lines(x.text for x in caption).split(" - ")[-1])
            if hit is None:
                m = re.search(
                    r"(important (?:identified|potential) risk|missing "
                    r"information)\b.*$",
                    join_lines(x.text for x in caption),
                    re.I,
                )
                hit = match_category(m.group(0)) if m else None
            if hit and hit[1]:
                m2 = CAPTION.match(caption[0].text)
                info = TableInfo(
                    number=m2.group("num") if m2 else None,
                    caption=join_lines(x.text for x in caption),
                )
                current = RawSummary(hit[1], hit[0], span_of(caption), info)
                current.label_lines |= {x.no for x in caption}
                current.lines.extend(caption)
                current.head = len(caption)
                summaries.append(current)
            caption, in_caption = [], False
            continue
        if current is None:
            i += 1
            continue
        labelled = _match_row(lines, i) if ln.text else None
        if labelled:
            row, last, rest = labelled
            current.label_lines |= {x.no for x in lines[i : last + 1]}
            current.lines.extend(lines[i : last + 1])
            current.rows.setdefault(row, [])
            if rest:
                current.rows[row].append(Line(lines[last].no, rest, False))
            i = last + 1
            continue
        current.lines.append(ln)
        if row is not None:
            current.rows[row].append(ln)
        i += 1
    for s in summaries:
        _split_table_footer(s)
        body = [x for x in s.lines[s.head :] if x.no not in furniture]
        flowed = reflow(body)
        if flowed is not None:
            s.rows, labels = flowed
            s.label_lines |= labels
    if not summaries:
        furniture |= _none_statement(lines)
    return summaries, furniture


def _none_statement(lines: Sequence[Line]) -> set[int]:
    """A II.B with no tables that says so ("Not applicable. There are no important
    identified risks …", the plan of a generic with no safety concerns): its first
    paragraph is accounted for; II.A's "None" rows already state the absence."""
    para = next((p for p in paragraphs(lines) if p), [])
    text = join_lines(x.text for x in para)
    first = re.split(r"(?<=\.)\s+", text, maxsplit=1)[0]
    if says_none(first) or re.match(layout()["ii-b-none"]["pattern"], text, re.I):
        return {x.no for x in para}
    return set()


def _split_table_footer(s: RawSummary) -> None:
    """The footer sits at the end of the last row of the table."""
    if not s.rows:
        return
    last = list(s.rows)[-1]
    body, notes, legend, footer = split_footer(s.rows[last])
    s.rows[last] = body
    s.info.footnotes, s.info.legend = notes, legend
    footer_nos = {x.no for x in footer}
    s.lines = [x for x in s.lines if x.no not in footer_nos]
    s.label_lines |= footer_nos
    s.info.span = span_of(s.lines + footer)


from rmpgraph.parse.rowcontent import (  # noqa: E402  (re-exported for extract.py and parse/)
    materials_of,
    measure_kind,
    parse_measures,
    pv_mentions,
    risk_factor_items,
    split_rmm,
)

__all__ += ["parse_measures", "split_rmm", "risk_factor_items", "pv_mentions"]
