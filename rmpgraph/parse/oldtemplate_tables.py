"""Tables of the older (GVP Module V Rev. 1) Part VI summary: cleaning, records and
the study tables of VI.1.2 / VI.2.6.

The older template puts its facts in tables with column headings, which the
canonical text renders one record per row ("Heading: first paragraph", further
paragraphs on their own lines). One record reader serves all of them; the column
labels live in data/layout/part-vi-rev1.toml so a new wording is a line there.
Study entries become the same `PlanEntry` objects the current template's II.C
produces, so `assemble.assemble_studies` builds both the same way.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rmpgraph.parse.model import Milestone, NoneStatement, Span
from rmpgraph.parse.segment import (
    Line,
    layout,
    rejoin_numbers,
    running_furniture,
    strip_bullet,
)
from rmpgraph.parse.studies import (
    PlanEntry,
    identifier_of,
    milestone_kind,
    parse_due,
    strip_category,
)
from rmpgraph.parse.textutil import join_lines, normalise_name, span_of
from rmpgraph.paths import DATA_DIR

__all__ = [
    "Record",
    "StudyRow",
    "rev1_layout",
    "fields",
    "clean_lines",
    "label_of",
    "records",
    "study_rows",
    "merge_rows",
]


@lru_cache(maxsize=1)
def rev1_layout() -> dict[str, Any]:
    """The older template's layout file, parsed once."""
    with (DATA_DIR / "layout" / "part-vi-rev1.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=16)
def fields(table: str) -> dict[str, re.Pattern[str]]:
    """Column-label patterns of one table kind (`[fields.<table>]`)."""
    return {k: re.compile(v, re.I) for k, v in rev1_layout()["fields"][table].items()}


@lru_cache(maxsize=16)
def pattern(section: str, key: str) -> re.Pattern[str]:
    return re.compile(rev1_layout()[section][key], re.I)


def clean_lines(raw: Sequence[str]) -> tuple[list[Line], set[int]]:
    """Cleaned lines (bullet glyph removed and flagged, spaces collapsed) and the
    page-furniture lines (by pattern, or repeated at the edges of most pages), by
    the same glyph and furniture lists as the current template
    (data/layout/part-vi.toml), since PDFs of both look alike."""
    lay = layout()
    furniture_res = [re.compile(p, re.I) for p in lay["furniture"]["patterns"]]
    running = running_furniture(list(raw))
    out: list[Line] = []
    furniture: set[int] = set()
    for i, text in enumerate(raw):
        t, bullet = strip_bullet(text.replace("\f", "").replace("\u00a0", " "))
        if t and (i in running or any(p.match(t) for p in furniture_res)):
            furniture.add(i + 1)
            t, bullet = "", False
        out.append(Line(i + 1, re.sub(r"[ \t]+", " ", t), bullet and bool(t)))
    heads = [re.compile(p, re.I) for p in rev1_layout()["sections"].values()]
    return rejoin_numbers(out, lambda t: any(p.match(t) for p in heads)), furniture


def label_of(text: str, pats: dict[str, re.Pattern[str]]) -> tuple[str, str] | None:
    """ "Objectives: To ..." -> ("objective", "To ..."); a label must end the line
    or be followed by ":" so prose starting with the same word is not a label."""
    for name, pat in pats.items():
        m = pat.match(text)
        if not m:
            continue
        rest = text[m.end() :]
        if rest.strip() and not rest.lstrip().startswith(":"):
            continue
        return name, rest.strip().lstrip(":").strip()
    return None


def _wrapped_label(
    lines: Sequence[Line], i: int, pats: dict[str, re.Pattern[str]]
) -> list[Line]:
    """The lines of a label cell wrapped in a narrow column (pdftotext: "Risk
    minimisation" / "measure(s)"): the most of up to 3 consecutive lines that
    together are exactly a label, or [] ."""
    group, best = [lines[i]], []
    for j in range(i + 1, min(i + 3, len(lines))):
        if not lines[j].text:
            break
        group.append(lines[j])
        hit = label_of(" ".join(x.text for x in group), pats)
        if hit and not hit[1]:
            best = list(group)
    return best


@dataclass
class Record:
    """One table row: field -> value lines (the first carries the text after the
    label), and every non-blank line of the row."""

    fields: dict[str, list[Line]] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)

    def text(self, name: str) -> str:
        return join_lines(x.text for x in self.fields.get(name, []))

    @property
    def span(self) -> Span:
        return span_of(self.lines)


def records(
    lines: Sequence[Line],
    pats: dict[str, re.Pattern[str]],
    start: str,
    stop: Callable[[Line], bool] | None = None,
) -> tuple[list[Record], list[Line]]:
    """Rows of a table and the non-blank lines outside any row. A row starts at its
    first column's label or when a label repeats. The canonical text puts a blank
    line between any two paragraphs, those of one cell included, so a value runs
    on to the next label (or `stop` line): lines before the first label are outside."""
    rows: list[Record] = []
    loose: list[Line] = []
    cur: Record | None = None
    current: str | None = None
    skip: set[int] = set()
    for i, ln in enumerate(lines):
        if not ln.text or i in skip:
            continue
        if stop is not None and stop(ln):
            cur, current = None, None
            loose.append(ln)
            continue
        hit = label_of(ln.text, pats)
        wrapped = [] if hit else _wrapped_label(lines, i, pats)
        if wrapped:
            hit = label_of(" ".join(x.text for x in wrapped), pats)
            skip |= set(range(i + 1, i + len(wrapped)))
        if hit:
            name, rest = hit
            if wrapped:
                cur_lines = wrapped[1:]
            else:
                cur_lines = []
            if cur is None or name == start or name in cur.fields:
                cur = Record()
                rows.append(cur)
            current = name
            cur.fields[name] = [Line(ln.no, rest, False)] if rest else []
            cur.lines.extend([ln, *cur_lines])
            continue
        if cur is None or current is None:
            loose.append(ln)
            continue
        cur.fields[current].append(ln)
        cur.lines.append(ln)
    return rows, loose


# ---- studies (VI.1.2, VI.2.6) -----------------------------------------------------


@dataclass
class StudyRow:
    """A study row: the plan entry it gives and the concerns it names (name, line)."""

    entry: PlanEntry
    key: str
    concerns: list[tuple[str, Span]] = field(default_factory=list)


def _complete(text: str) -> bool:
    """A milestone whose due text reads as a date or an event ("Final report: 31"
    is not: its month went to the next line of a narrow cell)."""
    m = pattern("studies", "milestone").match(text)
    return m is not None and parse_due(m.group("due").strip()) is not None


def _pieces(text: str) -> list[str]:
    """A date-cell line cut at ";" and before any further "Label:" that starts a
    milestone of its own ("Study start: 2027 Final report: within 6 months", a
    reader or export that ran the cell's paragraphs together)."""
    out: list[str] = []
    boundary = pattern("studies", "milestone-boundary")
    for part in (p.strip().rstrip(".") for p in text.split(";")):
        pieces = [x.strip() for x in boundary.split(part) if x.strip()]
        kept: list[str] = []
        for piece in pieces:  # a cut inside one milestone is undone
            if kept and not _complete(kept[-1]) and not _complete(piece):
                kept[-1] = f"{kept[-1]} {piece}"
            else:
                kept.append(piece)
        out += [k.rstrip(".") for k in kept]
    return out


def _milestone_parts(lines: Sequence[Line]) -> list[tuple[str, Span]]:
    """The milestones of a date cell, one per paragraph or ";"-separated part. A
    narrow column wraps "Protocol submission: 15/05/2026" over two or three lines,
    which the canonical text (and pdftotext) give as paragraphs: an incomplete
    part takes the following lines until the joined text reads as a milestone."""
    parts: list[tuple[str, Span]] = []
    pending: tuple[str, Span] | None = None
    for ln in lines:
        for part in _pieces(ln.text):
            if not part:
                continue
            if pending is not None:
                joined = f"{pending[0]} {part}"
                if not _complete(part) or _complete(joined):
                    pending = (joined, Span(pending[1].start, ln.no))
                    if _complete(joined):
                        parts.append(pending)
                        pending = None
                    continue
                parts.append(pending)
                pending = None
            if _complete(part):
                parts.append((part, Span(ln.no, ln.no)))
            else:
                pending = (part, Span(ln.no, ln.no))
    if pending is not None:
        parts.append(pending)
    return parts


def _milestones(
    lines: Sequence[Line], issue: Callable[[int, str], None]
) -> list[Milestone]:
    """One milestone per paragraph (or ";"-separated part) of the date cell."""
    pat = pattern("studies", "milestone")
    out: list[Milestone] = []
    colon = pattern("studies", "milestone-colon")
    for text, span in _milestone_parts(lines):
        m = pat.match(text)
        if m is None and (c := colon.match(text)) and \
                milestone_kind(c.group("label")) != "other":
            m = c
        if m is None:
            issue(span.start, "milestone not understood")
            continue
        label, due_text = m.group("label").strip(), m.group("due").strip()
        due = parse_due(due_text)
        if due is None:
            issue(span.start, "milestone due date not understood")
        kind = milestone_kind(label)
        out.append(Milestone(kind, f"{label}: {due_text}", due_text, due, span))
    return out


def _study_cell(lines: Sequence[Line]) -> PlanEntry:
    """The "Study/activity, type, title and category" cell. Its first paragraph is
    the study's short name when the cell has more ("VLM-PASS-11" / title /
    "Category 1"); a one-paragraph cell is "Short name: title (category 3)"."""
    paras = [x for x in lines if x.text]
    raw = join_lines(x.text for x in paras)
    first = paras[0].text if paras else ""
    short_re = pattern("studies", "short-name")
    short: str | None = None
    if len(paras) > 1 and short_re.match(first) and strip_category(first)[1] is None:
        short = first.rstrip(":").strip()
        cat_re = pattern("studies", "category-line")
        rest = [x for x in paras[1:] if not cat_re.match(x.text)]
        title, category = strip_category(join_lines(x.text for x in rest))
        category = category or strip_category(raw)[1]
        ident = identifier_of(first) or identifier_of(raw)
    else:
        title, category = strip_category(raw)
        head, sep, tail = title.partition(":")
        if sep and len(head.split()) <= 6 and tail.strip():
            short, title = head.strip(), tail.strip()
        ident = identifier_of(raw)
    return PlanEntry("", title, short, ident, category, spans=[span_of(paras)])


def study_rows(
    lines: Sequence[Line], issue: Callable[[int, str], None]
) -> tuple[list[StudyRow], list[Line]]:
    """Study rows of one study table and the lines outside them."""
    rows, loose = records(lines, fields("study-table"), "study")
    out: list[StudyRow] = []
    for rec in rows:
        if "study" not in rec.fields or not any(x.text for x in rec.fields["study"]):
            loose.extend(rec.lines)
            continue
        entry = _study_cell(rec.fields["study"])
        entry.spans = [rec.span]
        if rec.text("objective"):
            entry.fields["objective"] = rec.text("objective")
        if rec.text("status"):
            entry.fields["status"] = rec.text("status")
        entry.milestones = _milestones(rec.fields.get("milestones", []), issue)
        key = entry.identifier or normalise_name(entry.short or entry.title)
        row = StudyRow(entry, key)
        for ln in rec.fields.get("concerns", []):
            for part in ln.text.split(";"):
                name = part.strip().lstrip("•").strip().rstrip(".,")
                if name:
                    row.concerns.append((name, Span(ln.no, ln.no)))
        out.append(row)
    return out, loose


def merge_rows(rows: Sequence[StudyRow]) -> list[StudyRow]:
    """One row per study: VI.2.6 repeats VI.1.2, so a repeat adds its lines (and any
    milestone or concern the first table lacked) instead of a second study."""
    merged: dict[str, StudyRow] = {}
    for row in rows:
        first = merged.get(row.key)
        if first is None:
            merged[row.key] = row
            continue
        e, f = first.entry, row.entry
        e.spans.extend(f.spans)
        if e.category is None:
            e.category = f.category
        for ms in f.milestones:
            same = [
                x
                for x in e.milestones
                if (x.kind, x.due_text) == (ms.kind, ms.due_text)
            ]
            if same:
                same[0].more_spans.append(ms.span)
            else:
                e.milestones.append(ms)
        first.concerns.extend(row.concerns)
    return list(merged.values())


def none_statement(lines: Sequence[Line], section: str) -> NoneStatement | None:
    """ "None" / "There are no studies ..." stated for a study table."""
    pat = pattern("studies", "none")
    hit = [ln for ln in lines if pat.match(ln.text)]
    if not hit:
        return None
    return NoneStatement(section, hit[0].text, Span(hit[0].no, hit[0].no))


__all__ += ["pattern", "none_statement"]
