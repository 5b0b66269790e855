"""Studies of the older (GVP Module V Rev. 1) Part VI summary: VI.1.2 and VI.2.6.

Both sections list the same studies in the same columns; a study becomes one
`PlanEntry` (so `assemble.assemble_studies` builds it as for the current template)
and each concern in its "Safety concerns addressed" cell gets a `StudyMention`, the
link the current template's II.B additional-PV row gives. The template has no
per-concern PV row, so a concern no study names states no additional PV.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rmpgraph.parse.milestones import life_runs
from rmpgraph.parse.model import (
    Concern,
    Milestone,
    NoneStatement,
    ParseIssue,
    Span,
    StudyMention,
    TableInfo,
)
from rmpgraph.parse.oldtemplate_tables import (
    StudyRow,
    fields,
    merge_rows,
    none_statement,
    pattern,
    study_rows,
)
from rmpgraph.parse.reconcile import match_concern
from rmpgraph.parse.segment import Line, layout
from rmpgraph.parse.studies import (
    CATEGORY_LINE,
    PlanEntry,
    _milestone,
    identifier_of,
    strip_category,
)
from rmpgraph.parse.textutil import join_lines, normalise_name, paragraphs

__all__ = ["StudyTables", "scrambled_rows"]


def _milestone_runs(body: list[Line]) -> list[Milestone]:
    """Milestones of the paragraphs that are nothing but "Name: due" items (a
    narrow cell wraps them anywhere: "Protocol" / "submission:" / "15/05/2026")."""
    name = layout()["plan-table"]["milestone_name"]
    # the column's label, repeated where the table crosses a page, can run into the
    # first milestone of the page's cell ("Date for submission of ... reports Final
    # report: 2029")
    head = fields("study-table")["milestones"]
    out: list[Milestone] = []
    para: list[Line] = []
    for ln in [*body, Line(0, "")]:
        if ln.text:
            para.append(ln)
            continue
        text = join_lines(x.text for x in para)
        label = head.match(text)
        text = text[label.end() :].strip() if label else text
        # "Interim report: Q2 2026; final report: 2029": one item per milestone
        parts = [p.rstrip(";").strip() for p in re.split(
            rf"\s(?=(?:{name})\s*:)", text, flags=re.I)] if para else []
        got = [_milestone(p, Span(para[0].no, para[-1].no)) for p in parts]
        if parts and all(
            m is not None and re.fullmatch(name, p.split(":")[0].strip(), re.I)
            # "Final report: 30": the month went on past a page break
            and not re.fullmatch(r"\d{1,2}", m.due_text.strip())
            for m, p in zip(got, parts, strict=True)
        ):
            out += [m for m in got if m is not None]
        para = []
    return out


def _heading_after(body: list[Line], found: list[Milestone]) -> bool:
    """Whether the milestones column's heading first comes after a milestone: the
    column was printed on the next page from its first row on (oxapremid.txt), so
    the first row's milestones come last and the order is lost. (The heading
    repeated on a new page, after it came once atop the table, is no sign.)"""
    head = fields("study-table")["milestones"]
    first = next((p[0].no for p in paragraphs(body)
                  if head.match(join_lines(x.text for x in p))), None)
    return first is not None and any(m.span.start < first for m in found)


def _split_row(body: list[Line]) -> bool:
    """Whether the column headings come again (the table crossed a page) with no
    row starting after them: the row cut by the page goes on below them, and
    pdfminer, which prints the page's columns in turn, may put its milestones
    after those of the rows under it."""
    labels = fields("study-table").values()
    paras = [join_lines(x.text for x in p) for p in paragraphs(body)]
    heads = [any(p.match(t) for p in labels) and len(t) < 80 for t in paras]
    seen: set[str] = set()
    for i, text in enumerate(paras):
        if not heads[i]:
            continue
        key = next(p.pattern for p in labels if p.match(text))
        if key in seen:
            after = next((t for t, h in zip(paras[i + 1 :], heads[i + 1 :],
                                            strict=True) if not h), "")
            first = after.split()[0].rstrip(":") if after else ""
            if identifier_of(first) != first or not first:
                return True
        seen.add(key)
    return False


def _cell_end(text: str) -> bool:
    """A line that ends a cell, so a code alone on the next line opens a row (one
    box holds a column's cells, pdfminer): a register number or a date (a digit
    or a bracket last), or a column heading repeated atop a page ("Status"). A
    title wrapped before a code it names ("… completed study" / "TRX-302") ends in
    a word."""
    return bool(re.search(r"[\d)\]]$", text)) or any(
        p.match(text) for p in fields("study-table").values())


def scrambled_rows(
    body: list[Line], issue: Callable[[int, str], None] | None = None
) -> list[StudyRow]:
    """Studies of a VI.1.2/VI.2.6 table whose cells pdftotext printed out of row
    order: a row starts at a study code alone on a line, or opening "CODE – title",
    after a blank, a "Category n" line or a finished sentence, or straight after the
    header's lines (a code inside a wrapped title follows its words); the
    milestones come in row order, and a row's run ends where the sequence goes back
    in a study's life (a protocol or start after a final report); so do the
    "Category n" lines of the first column.
    A table whose category lines outnumber its codes has a code this misses, so it
    gives nothing. Milestone runs are given only when they agree with the codes in
    number: a study is better without milestones than with another study's (and
    `issue` hears of the loss). The concerns addressed cannot be told apart from
    the other cells, so they are not read."""
    cat = CATEGORY_LINE
    codes: list[Line] = []
    prev: Line | None = None
    in_header = True  # no blank line and no code yet
    for ln in body:
        first = ln.text.split()[0].rstrip(":") if ln.text else ""
        if (
            first and identifier_of(first) == first
            and (first == ln.text or re.match(rf"{re.escape(first)}\s*[–—:-]", ln.text))
            and (in_header or prev is None or not prev.text or cat.match(prev.text)
                 or prev.text.endswith(".") or _cell_end(prev.text))
        ):
            codes.append(ln)
        in_header = in_header and bool(ln.text) and not codes
        prev = ln
    cats = [strip_category(x.text)[1] for x in body if cat.match(x.text)]
    if not codes or len(cats) > len(codes):
        return []
    found = _milestone_runs(body)
    groups = life_runs(found, lambda m: m.kind, layout()["plan-table"]["lifecycle"])
    if len(groups) != len(codes) or _heading_after(body, found):
        if issue is not None and groups:
            issue(groups[0][0].span.start, "study table cells out of order (a text "
                  "export); its milestones cannot be paired with its studies, so "
                  "none is read")
        groups = [[] for _ in codes]
    if len(cats) != len(codes):
        cats = [None for _ in codes]
    rows = []
    for code, group, category in zip(codes, groups, cats, strict=True):
        ident = code.text.split()[0].rstrip(":")
        entry = PlanEntry("", ident, None, ident, category,
                          milestones=group,
                          spans=[Span(code.no, code.no), *(m.span for m in group)])
        rows.append(StudyRow(entry, ident))
    return rows


def _lines_of(row: StudyRow, body: list[Line]) -> list[Line]:
    """The lines a row was read from."""
    nos = {n for s in row.entry.spans for n in range(s.start, s.end + 1)}
    return [x for x in body if x.no in nos]


def _named_in(text: str, concerns: list[Concern]) -> list[Concern]:
    """The concerns whose names, one after another, make up the whole text."""
    rest = normalise_name(text)
    hits: list[tuple[int, Concern]] = []
    for c in sorted(concerns, key=lambda x: -len(x.normalised_name)):
        at = rest.find(c.normalised_name) if c.normalised_name else -1
        if at >= 0:
            hits.append((at, c))
            rest = (
                rest[:at]
                + " " * len(c.normalised_name)
                + rest[at + len(c.normalised_name) :]
            )
    leftover = re.sub(r"\b(?:and)\b|[^a-z0-9]+", "", rest)
    return (
        [c for _, c in sorted(hits, key=lambda h: h[0])]
        if hits and not leftover
        else []
    )


# a Status cell of the study table
_STATUS = re.compile(r"^(?:planned|started|ongoing|on-going|completed|not yet started|"
                     r"in progress)$", re.I)


def _cells_between(body: list[Line], rows: list[StudyRow],
                   concerns: list[Concern]) -> None:
    """The concerns addressed by the rows of a table read cell by cell
    (`scrambled_rows`): a paragraph of concern names goes to the row whose
    milestones come next. pdfminer prints a row's cells in turn (concerns, status,
    milestones), so a cell between the last milestone of one row and the first of
    the next is the next row's. Only when every row has milestones, no row is cut
    by a page, no such cell falls inside a row's milestones or after the last
    row's (pdftotext prints cells of several rows in between), each row's cells
    come before its status ("Planned"), and every row gets one of each; else none
    does."""
    if not rows or not all(r.entry.milestones for r in rows) or _split_row(body):
        return  # (a row cut by a page goes on after the rows below it)
    runs = [(min(m.span.start for m in r.entry.milestones),
             max(m.span.end for m in r.entry.milestones)) for r in rows]
    if any(a[1] >= b[0] for a, b in zip(runs, runs[1:], strict=False)):
        return
    cells: list[list[tuple[str, Span]]] = [[] for _ in rows]
    statuses = [0 for _ in rows]
    for para in paragraphs(body):
        text = join_lines(x.text for x in para)
        status = _STATUS.match(text) is not None
        if not status and not _named_in(text, concerns) and match_concern(
                text, concerns) is None:
            continue
        n = para[0].no
        i = next((i for i, (start, _) in enumerate(runs) if n < start), None)
        if i is None or (i and n <= runs[i - 1][1]) or statuses[i]:
            return  # (a concern cell after its row's status is another row's)
        if status:
            statuses[i] += 1
        else:
            cells[i].append((text, Span(para[0].no, para[-1].no)))
    if all(cells) and all(statuses):
        for row, names in zip(rows, cells, strict=True):
            row.concerns = names


class StudyTables:
    """The study part of the Rev. 1 reader (a mixin of its builder, sharing its
    line accounting)."""

    used: set[int]
    boilerplate: set[int]
    issues: list[ParseIssue]
    nones: list[NoneStatement]
    tables: dict[str, TableInfo]
    sections: dict[str, list[Line]]
    issue: Callable[[int, str], None]
    scrambled: bool

    def body(self, name: str) -> list[Line]:
        return self.sections.get(name, [])[1:]

    def _studies(self, concerns: list[Concern]) -> list[StudyRow]:
        rows: list[StudyRow] = []
        self.scrambled = False
        conditions: list[Line] = []
        cond_re = pattern("studies", "condition-heading")
        for name in ("vi-1-2", "vi-2-6"):
            body = self.body(name)
            cut = next((i for i, x in enumerate(body) if cond_re.match(x.text)), None)
            if cut is not None:
                self.used.add(body[cut].no)
                conditions += [x for x in body[cut + 1 :] if x.text]
                body = body[:cut]
            found, loose = study_rows(body, self.issue)
            # a wrapped column heading read as a row ("Study/activity Type, title" /
            # "and category (1-3)") is no study: the cells came out of order
            heading = pattern("studies", "heading-fragment")
            if found and all(heading.match(r.entry.title or "") and not
                             r.entry.identifier for r in found):
                loose, found = [*loose, *(x for r in found
                                          for x in _lines_of(r, body))], []
            if found and len(found) < len(alt := scrambled_rows(body)) and all(
                    r.entry.milestones for r in alt) and not _split_row(body):
                # rows read in order, but fewer than the codes of the table: its
                # cells came out column by column, and the other studies' cells
                # went to the first rows (unless a row is cut by a page, whose
                # end may come after the rows below it)
                loose, found = [*loose, *(x for r in found
                                          for x in _lines_of(r, body))], []
            if not found:
                found = scrambled_rows(body, self.issue)
                self.scrambled = self.scrambled or bool(found)
                _cells_between(body, found, concerns)
                used = {n for r in found for s in r.entry.spans
                        for n in range(s.start, s.end + 1)}
                loose = [x for x in loose if x.no not in used]
            rows.extend(found)
            none = none_statement(loose, "ii-c-2") if not found else None
            if none is not None and name == "vi-1-2":
                self.nones += [none, NoneStatement("ii-c-1", none.text, none.span)]
                self.used.add(none.span.start)
            for row in found:
                self.used |= {
                    n for s in row.entry.spans for n in range(s.start, s.end + 1)
                }
            self.boilerplate |= {x.no for x in loose}
        rows = merge_rows(rows)
        self._conditions(rows, conditions)
        for row in rows:
            e = row.entry
            e.section = e.section or ("ii-c-1" if e.category in (1, 2) else "ii-c-2")
            info = self.tables.setdefault(e.section, TableInfo())
            info.span = Span.cover([info.span or e.spans[0], e.spans[0]])
            mention = e.short or e.identifier or e.title
            for c, span in self._addressed(row.concerns, concerns):
                if all(m.name != mention for m in c.study_mentions):
                    c.study_mentions.append(StudyMention(mention, span, [], e.category))
        for c in concerns:
            # a scrambled table's concern cells are unread: no study is no evidence
            if not c.study_mentions and not self.scrambled:
                c.nones.append(self._no_pv(c))
        return rows

    def _addressed(
        self, names: list[tuple[str, Span]], concerns: list[Concern]
    ) -> list[tuple[Concern, Span]]:
        """The concerns a "Safety concerns addressed" cell names. One name per
        paragraph as written; a name a narrow cell wrapped into two paragraphs is
        joined again, and a paragraph holding several names (a reader that ran
        the cell's paragraphs together) is split at the names VI.1.1 gave."""
        out: list[tuple[Concern, Span]] = []
        pending: tuple[str, Span] | None = None

        def resolve(text: str) -> list[Concern]:
            c = match_concern(text, concerns)
            return [c] if c is not None else _named_in(text, concerns)

        for name, span in names:
            if pending is not None:
                joined = (f"{pending[0]} {name}", Span(pending[1].start, span.end))
                if resolve(joined[0]) or not resolve(name):
                    pending = joined
                else:  # the paragraph alone is a name: what was pending is not
                    self.issue(
                        pending[1].start, "study addresses a concern not in VI.1.1"
                    )
                    pending = (name, span)
            else:
                pending = (name, span)
            found = resolve(pending[0])
            if found:
                out += [(c, pending[1]) for c in found]
                pending = None
        if pending is not None:
            self.issue(pending[1].start, "study addresses a concern not in VI.1.1")
        return out

    def _conditions(self, rows: list[StudyRow], lines: list[Line]) -> None:
        """The VI.2.6 sub-heading "Studies which are a condition of the marketing
        authorisation": the studies it names are II.C.1, a "None" is stated."""
        for ln in lines:
            self.used.add(ln.no)
            named = [
                r
                for r in rows
                if (r.entry.identifier and r.entry.identifier in ln.text)
                or normalise_name(r.entry.short or r.entry.title)
                in normalise_name(ln.text)
            ]
            for r in named:
                r.entry.section = "ii-c-1"
            if not named and pattern("studies", "none").match(ln.text):
                if all(n.row != "ii-c-1" for n in self.nones):
                    self.nones.append(
                        NoneStatement("ii-c-1", ln.text, Span(ln.no, ln.no))
                    )
            elif not named:
                self.used.discard(ln.no)

    def _no_pv(self, c: Concern) -> NoneStatement:
        """The older template has no per-concern PV row: a concern no study table
        names has no additional pharmacovigilance, stated by the table itself."""
        heading = self.sections.get("vi-1-2") or self.sections.get("vi-2-6") or []
        span = (
            Span(heading[0].no, heading[0].no)
            if heading
            else c.summary.span
            if (c.summary and c.summary.span)
            else Span(1, 1)
        )
        return NoneStatement(
            "additional-pv",
            "Not among the safety concerns addressed by the studies of VI.1.2",
            span,
        )
