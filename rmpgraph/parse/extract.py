"""Stage 3, extract: segmented text -> `model.Document`.

Orchestrates the section extractors and does the cross-section work: removing
footnote markers from names, reconciling the II.A list with the II.B tables (the two
spell names differently), resolving II.B study names to II.C entries, and accounting for
every source line (used, page furniture, template boilerplate, or a ParseIssue).
"""

from __future__ import annotations

import re

from rmpgraph.errors import InputError
from rmpgraph.parse import extract_concerns as xc
from rmpgraph.parse.assemble import assemble_studies, procedures_in
from rmpgraph.parse.extract_product import (
    parse_part_i,
    parse_title,
    product_from_part_i,
)
from rmpgraph.parse.model import (
    Concern,
    Document,
    NoneStatement,
    ParseIssue,
    Product,
    SourceDefect,
    Span,
    Study,
    TableInfo,
)
from rmpgraph.parse.oldtemplate import extract_rev1, is_rev1
from rmpgraph.parse.planlines import regroup
from rmpgraph.parse.read import SourceText
from rmpgraph.parse.reconcile import (
    Markers,
    concern_key,
    drop_untold,
    expand,
    lost_hyphen,
    match_concern,
    split_joined,
)
from rmpgraph.parse.segment import Segmented, segment
from rmpgraph.parse.studies import PlanEntry, parse_plan
from rmpgraph.parse.tables import (
    finish_table,
    footer_lines,
    inline_markers,
    split_footer,
)
from rmpgraph.parse.textutil import (
    classify_all,
    join_lines,
    layout_export_issues,
    normalise_name,
    paragraphs,
    split_abbreviation,
)
from rmpgraph.parse.versions import find_version

__all__ = ["extract"]

_BROKEN_REF = re.compile(
    r"Error!\s*(?:Reference source not found|Bookmark not defined)\.?", re.I
)


class _Builder:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.seg: Segmented = segment(source)
        self.used: set[int] = set()
        self.boilerplate: set[int] = set()
        self.issues: list[ParseIssue] = []
        self.tables: dict[str, TableInfo] = {}
        self.nones: list[NoneStatement] = []

    def _last_line(self) -> int:
        """The line after the last one: where a truncated document stops."""
        return len(self.seg.lines)

    def line_text(self, no: int) -> str:
        return self.source.lines[no - 1].strip()

    def issue(self, line: int, reason: str) -> None:
        self.issues.append(ParseIssue(line, self.line_text(line), reason))

    def build(self) -> Document:
        seg = self.seg
        title_line = seg.lines[seg.title_index] if seg.title_index is not None else None
        if title_line is None:
            # no title line: the product is the subject of Part I's first sentence
            # ("Zelvorix is used to treat ..."), never a heading
            title, title_no = product_from_part_i(seg, self.source.path)
            self.issue(title_no, "no 'Summary of risk management plan for ...' "
                       "title; product name taken from section I")
        else:
            title, title_no = title_line.text, title_line.no
            if seg.title_next is not None:  # "… plan for" / "NAME (substance)"
                title += " " + seg.lines[seg.title_next].text
                self.used.add(seg.lines[seg.title_next].no)
        self.used.add(title_no)
        name, substance = parse_title(title)
        product = Product(name=name, substance=substance)
        self.exclude = {name, name.upper()}
        for start, _ in seg.sections.values():
            self.used.add(seg.lines[start].no)
        part_i = seg.section("part-i")
        if part_i:
            self.used |= parse_part_i(part_i, product)
            self.boilerplate |= {ln.no for ln in part_i if ln.text}
        else:
            self.issue(
                title_no, "section 'I. The medicine and what it is used for' not found"
            )
        intro_end = seg.sections.get("part-i", seg.sections.get("part-ii", (0, 0)))[0]
        self.boilerplate |= {ln.no for ln in seg.lines[:intro_end] if ln.text}
        self.boilerplate |= {ln.no for ln in seg.section("part-ii") if ln.text}
        self.boilerplate |= {ln.no for ln in seg.section("ii-c") if ln.text}
        self.repeated = self._repeats()

        concerns = self._concerns(product)
        if not concerns and not self.nones:
            heading = seg.lines[seg.sections.get("ii-a", seg.sections.get("ii-b"))[0]]
            raise InputError(
                "no safety concerns found under the II.A/II.B headings; expected an "
                "RMP Part VI summary",
                path=self.source.path,
                line=heading.no,
            )
        studies = self._studies(concerns)
        doc = Document(
            title=title,
            title_span=Span(title_no, title_no),
            product=product,
            concerns=concerns,
            studies=studies,
            tables=self.tables,
            nones=self.nones,
            issues=self.issues,
        )
        doc.defects = self._defects(concerns)
        doc.procedures = self._procedures()
        doc.furniture = set(seg.furniture)
        doc.accounted = self.used | doc.furniture | self.repeated
        self._unaccounted(doc)
        return doc

    def _repeats(self) -> set[int]:
        """One finding per repeated section ("section 'II.C …' appears 40 times");
        the repeats are not read, and the finding accounts for their lines."""
        lines: set[int] = set()
        for name, spans in sorted(self.seg.repeats.items()):
            first = self.seg.lines[self.seg.sections[name][0]]
            where = ", ".join(str(self.seg.lines[a].no) for a, _ in spans[:5])
            more = " …" if len(spans) > 5 else ""
            self.issue(self.seg.lines[spans[0][0]].no,
                       f"section '{first.text}' appears {len(spans) + 1} times "
                       f"(again at lines {where}{more}); only the first is read")
            for a, b in spans:
                lines |= {ln.no for ln in self.seg.lines[a:b] if ln.text}
        return lines

    # ---- II.A and II.B ------------------------------------------------------------
    def _concerns(self, product: Product) -> list[Concern]:
        seg = self.seg
        ii_a = seg.section("ii-a")[1:]
        listed, list_nones, list_info, used = xc.parse_list(ii_a)
        self.used |= used
        self.nones.extend(list_nones)
        first_used = min(used) if used else None
        self.boilerplate |= {
            ln.no for ln in ii_a if ln.text and first_used and ln.no < first_used
        }
        self.tables["concern-list"] = list_info
        if not seg.section("ii-b"):
            self.issue(self._last_line(), "section 'II.B Summary of important risks' "
                       "not found; the document may be truncated")
        summaries, repeats = xc.parse_summaries(seg.section("ii-b")[1:])
        self.used |= repeats
        markers = {f.marker for f in list_info.footnotes}
        for s in summaries:
            markers |= {f.marker for f in s.info.footnotes}
        plan_markers = self._plan_tables()
        markers |= plan_markers
        stripper = Markers(self.source.text, markers)
        legend_all: dict[str, str] = {}
        for info in [list_info, *(s.info for s in summaries), *self.tables.values()]:
            if info.legend:
                for a in info.legend.abbreviations:
                    legend_all.setdefault(a.short, a.expansion)

        concerns: list[Concern] = []
        taken: set[str] = set()
        untold: set[str] = set()  # keys of names whose II.A heading is not told
        titled = [s.name for s in summaries]
        for pos, item in enumerate(split_joined(listed, titled), start=1):
            clean, marker = stripper.strip(item.name)
            c = Concern(
                key=concern_key(clean, taken),
                name=clean,
                category=item.category,
                listed=True,
                listed_category=item.category,
                listing_span=item.span,
                position=pos,
            )
            c.normalised_name = normalise_name(clean)
            self._qualify(c, marker, list_info)
            concerns.append(c)
            if item.category_from_table:
                untold.add(c.key)
        for s in summaries:
            clean, marker = stripper.strip(s.name)
            c = match_concern(clean, concerns)
            if c is None:
                c = Concern(
                    key=concern_key(clean, taken), name=clean, category=s.category
                )
                c.normalised_name = normalise_name(clean)
                concerns.append(c)
            elif c.summary is not None:
                # one warning for the whole duplicate, not one per line of it
                self.issue(
                    s.header_span.start, f"second II.B table for '{c.name}' ignored"
                )
                self.used |= (
                    {ln.no for ln in s.lines}
                    | s.label_lines
                    | {ln.no for rows in s.rows.values() for ln in rows}
                )
                continue
            if c.key in untold:  # its II.A heading not told, and its name
                c.category = c.listed_category = s.category  # maybe cut short
            if lost_hyphen(c.name, clean) or (c.key in untold and clean != c.name):
                taken.discard(c.key)
                c.name, c.key = clean, concern_key(clean, taken)
                c.normalised_name = normalise_name(clean)
            if clean != c.name and clean not in c.alt_names:
                c.alt_names.append(clean)
            for alt in s.alt_names:
                alt_clean, _ = stripper.strip(alt)
                if alt_clean not in (c.name, *c.alt_names):
                    c.alt_names.append(alt_clean)
            self._qualify(c, marker, s.info)
            self._fill(c, s)
            finish_table(s.info, s.lines, self.exclude)
            if marker:
                s.info.used_markers = sorted(set(s.info.used_markers) | {marker})
        footer = footer_lines(list_info)
        finish_table(
            list_info,
            [ln for ln in ii_a if ln.no in used and ln.no not in footer],
            self.exclude,
        )
        concerns, notes = drop_untold(concerns, untold, len(summaries))
        for line, note in notes:
            self.issue(line, note)
        for c in concerns:
            c.abbreviation = split_abbreviation(c.name)[1]
            c.expanded_name = expand(c.name, legend_all)
        return concerns

    def _qualify(self, c: Concern, marker: str | None, info: TableInfo) -> None:
        if marker is None:
            return
        info.used_markers = sorted(set(info.used_markers) | {marker})
        for f in info.footnotes:
            if f.marker == marker:
                f.kind = "qualifier"
                if all(q.text != f.text for q in c.qualifiers):
                    c.qualifiers.append(f)

    def _fill(self, c: Concern, s: xc.RawSummary) -> None:
        c.summary, c.summary_category = s.info, s.category
        self.used |= s.label_lines | {
            n for n in range(s.header_span.start, s.header_span.end + 1)
        }
        markers = {f.marker for f in s.info.footnotes}
        refs = {f.marker: f for f in s.info.footnotes if f.kind != "qualifier"}
        for row, lines in s.rows.items():
            content = [ln for ln in lines if ln.text]
            if not content:
                continue
            self.used |= {ln.no for ln in content}
            text = "\n".join(join_lines(x.text for x in p) for p in paragraphs(lines))
            cited = [
                refs[m] for m in sorted(inline_markers(text, markers)) if m in refs
            ]
            if cited:
                c.references[row] = cited
            span = Span(content[0].no, content[-1].no)
            if row == "evidence":
                c.evidence_text, c.evidence_span = text, span
                c.evidence_sources = classify_all("evidence-source", text)
                cites = any(f.kind == "reference" for f in cited)
                if cites and "literature" not in c.evidence_sources:
                    c.evidence_sources.append("literature")
            elif row == "risk-factors":
                c.risk_factor_text, c.risk_factor_span = text, span
                c.risk_factors = xc.risk_factor_items(lines)
            elif row in ("rmm", "routine-rmm", "additional-rmm"):
                routine, additional = (
                    xc.split_rmm(lines)
                    if row == "rmm"
                    else ((lines, []) if row == "routine-rmm" else ([], lines))
                )
                for part, is_routine in ((routine, True), (additional, False)):
                    if not any(ln.text for ln in part):
                        continue
                    measures, none = xc.parse_measures(part, is_routine)
                    (c.routine if is_routine else c.additional).extend(measures)
                    if none:
                        c.nones.append(none)
            elif row in ("additional-pv", "pv"):
                mentions, none = xc.pv_mentions(lines)
                c.study_mentions.extend(mentions)
                if none:
                    c.nones.append(none)

    # ---- II.C -----------------------------------------------------------------------
    def _plan_tables(self) -> set[str]:
        self.entries: list[PlanEntry] = []
        markers: set[str] = set()
        for name in ("ii-c-1", "ii-c-2"):
            lines = self.seg.section(name)[1:]
            if not self.seg.section(name):
                continue
            body, notes, legend, footer = split_footer(lines)
            info = TableInfo(footnotes=notes, legend=legend)
            body, joined = regroup(body, self.issue)
            entries, none, used = parse_plan(body, name)
            self.used |= used | joined | {ln.no for ln in footer}
            if none:
                self.nones.append(none)
            self.entries.extend(entries)
            finish_table(info, body, self.exclude)
            start = self.seg.lines[self.seg.sections[name][0]].no
            # to the last written line (not a blank one after the final newline)
            written = [ln.no for ln in lines if ln.text]
            info.span = Span(start, written[-1] if written else start)
            self.tables[name] = info
            markers |= {f.marker for f in notes}
        if "ii-c" not in self.seg.sections and "ii-c-1" not in self.seg.sections:
            self.issue(
                self._last_line(),
                "section 'II.C Post-authorisation development plan' not found; "
                "the document may be truncated",
            )
        return markers

    def _studies(self, concerns: list[Concern]) -> list[Study]:
        return assemble_studies(self.entries, concerns, self.issue)

    def _procedures(self) -> list[tuple[str, str, Span]]:
        out: dict[str, tuple[str, str, Span]] = {}
        for ln in self.seg.lines:
            for ident, kind in procedures_in(ln.text):
                if not re.fullmatch(r"EMEA/H/C/\d+", ident):  # product number
                    out.setdefault(ident, (ident, kind, Span(ln.no, ln.no)))
        return [out[k] for k in sorted(out)]

    def _defects(self, concerns: list[Concern]) -> list[SourceDefect]:
        defects = []
        for ln in self.seg.lines:
            if _BROKEN_REF.search(ln.text):
                row = None
                for c in concerns:
                    for name, span in (
                        ("evidence", c.evidence_span),
                        ("risk-factors", c.risk_factor_span),
                    ):
                        if span and span.start <= ln.no <= span.end:
                            row = (c.key, name)
                defects.append(SourceDefect(ln.no, ln.text, row))
        return defects

    def _unaccounted(self, doc: Document) -> None:
        for ln in self.seg.lines:
            if not ln.text or ln.no in doc.accounted:
                continue
            if ln.no in self.boilerplate:
                doc.boilerplate.add(ln.no)
            else:
                self.issues.append(
                    ParseIssue(ln.no, ln.text, "line not understood; not in the graph"))
        doc.issues = sorted(self.issues, key=lambda i: (i.line, i.reason))


def extract(source: SourceText) -> Document:
    """Parse one decoded Part VI summary into the model; a summary in the older
    template (GVP Module V Rev. 1) has its own reader, since its sections differ."""
    doc = extract_rev1(source) if is_rev1(source) else _Builder(source).build()
    doc.version = find_version(source.lines, source.furniture)
    doc.issues = sorted([*doc.issues, *layout_export_issues(source.lines)],
                        key=lambda i: (i.line, i.reason))
    return doc
