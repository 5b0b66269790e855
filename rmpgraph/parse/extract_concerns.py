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

from rmpgraph.parse.cellflow import label_of, reflow
from rmpgraph.parse.concern_list import ListedName, match_category, parse_list
from rmpgraph.parse.model import (
    Category,
    Span,
    TableInfo,
)
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.tables import CAPTION, captions_first, split_footer
from rmpgraph.parse.textutil import join_lines, paragraphs, says_none, span_of

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


def _label_start(text: str) -> bool:
    """The first words (two or more) of a row label, not the whole label."""
    words = norm_label(text).split()
    row, complete = label_of(words)
    return len(words) >= 2 and row is not None and not complete


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
            if labelled is None and _label_start(ln.text):
                # a row label cut by a page break ("Evidence for linking" / "the
                # risk to" ... "Zentrivo"): the caption ends before it
                labelled = (None, i, "")
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
