"""Read a Part VI summary in the OLDER template (GVP Module V Rev. 1, 2012-2017) into
the same `model.Document` as the current one.

The older template says the same things in other places: VI.1.1 lists the concerns
by category (the current II.A), VI.2.4 has one "Risk | What is known |
Preventability" row per concern (II.B's evidence), VI.1.4 gives routine and
additional measures per concern, VI.2.5 describes the additional measures, and
VI.1.2 / VI.2.6 list the studies with the concerns they address (II.B's additional
PV row and II.C). VI.2.7 is history: a concern named only there was dropped in an
earlier version, so it is never a current concern. Measure classification, due
dates, concern keys and study assembly are the current template's, reused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rmpgraph.errors import InputError
from rmpgraph.parse import extract_concerns as xc
from rmpgraph.parse.assemble import assemble_studies, procedures_in
from rmpgraph.parse.extract_product import parse_part_i, parse_title
from rmpgraph.parse.model import (
    Category,
    Concern,
    Document,
    NoneStatement,
    ParseIssue,
    Product,
    Span,
    TableInfo,
)
from rmpgraph.parse.oldtemplate_risks import RiskTables
from rmpgraph.parse.oldtemplate_studies import StudyTables
from rmpgraph.parse.oldtemplate_tables import clean_lines as _clean
from rmpgraph.parse.oldtemplate_tables import (
    fields,
    label_of,
    pattern,
    records,
    rev1_layout,
)
from rmpgraph.parse.read import SourceText
from rmpgraph.parse.reconcile import concern_key, match_concern
from rmpgraph.parse.segment import Line, layout
from rmpgraph.parse.textutil import (
    join_lines,
    normalise_name,
    paragraphs,
    split_abbreviation,
)

__all__ = ["is_rev1", "extract_rev1"]


def is_rev1(source: SourceText) -> bool:
    """True when the text has a Rev. 1 heading and no II.A/II.B heading."""
    detect = [re.compile(p, re.I) for p in rev1_layout()["detect"]["patterns"]]
    current = [re.compile(layout()["sections"][k], re.I) for k in ("ii-a", "ii-b")]
    found = False
    for ln in _clean(source.lines)[0]:
        if any(p.match(ln.text) for p in current):
            return False
        found = found or any(p.match(ln.text) for p in detect)
    return found


class _Rev1(StudyTables, RiskTables):
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.lines, self.furniture = _clean(source.lines)
        self.used: set[int] = set()
        self.boilerplate: set[int] = set()
        self.issues: list[ParseIssue] = []
        self.nones: list[NoneStatement] = []
        self.tables: dict[str, TableInfo] = {}
        self.sections = self._sections()

    def issue(self, line: int, reason: str) -> None:
        self.issues.append(
            ParseIssue(line, self.source.lines[line - 1].strip(), reason)
        )

    def _sections(self) -> dict[str, list[Line]]:
        """Section name -> its lines, heading first (first heading of each kind)."""
        pats = {k: re.compile(v, re.I) for k, v in rev1_layout()["sections"].items()}
        starts: dict[str, int] = {}
        for idx, ln in enumerate(self.lines):
            for name, pat in pats.items():
                if ln.text and name not in starts and pat.match(ln.text):
                    starts[name] = idx
                    self.used.add(ln.no)
                    break
        order = sorted((i, n) for n, i in starts.items())
        rank = {name: r for r, name in enumerate(pats)}
        out: dict[str, list[Line]] = {}
        for pos, (idx, name) in enumerate(order):
            end = order[pos + 1][0] if pos + 1 < len(order) else len(self.lines)
            # a two-column page can print a heading before an earlier section's
            # ("VI.2.4" above the end of VI.2.2 and "VI.2.3"): the section runs on
            # to the next heading that comes after it in the template
            later = [i for i, n in order[pos + 1 :] if rank[n] > rank[name]]
            if later and later[0] > end:
                skipped = {starts[n] for i, n in order[pos + 1 :] if i < later[0]}
                out[name] = [ln for k, ln in enumerate(self.lines[idx : later[0]], idx)
                             if k not in skipped]
                continue
            out[name] = self.lines[idx:end]
        self.first_section = order[0][0] if order else len(self.lines)
        return out

    def body(self, name: str) -> list[Line]:
        return self.sections.get(name, [])[1:]

    # ---- document ---------------------------------------------------------------
    def build(self) -> Document:
        title, title_no, product = self._title()
        for name in rev1_layout()["boilerplate"]["sections"]:
            self.boilerplate |= {ln.no for ln in self.body(name) if ln.text}
        self.boilerplate |= {
            ln.no for ln in self.lines[: self.first_section] if ln.text
        }
        self._product(product)
        concerns = self._concerns()
        if not concerns and not self.nones:
            heading = self.sections.get("vi-1-1") or self.sections.get("vi-2-4") or []
            raise InputError(
                "no safety concerns found under the VI.1.1/VI.2.4 headings of this "
                "older-template (GVP Module V Rev. 1) RMP Part VI summary",
                path=self.source.path,
                line=heading[0].no if heading else title_no,
            )
        self._measures(concerns)
        rows = self._studies(concerns)
        studies = assemble_studies([r.entry for r in rows], concerns, self.issue)
        doc = Document(
            title=title,
            title_span=Span(title_no, title_no),
            product=product,
            concerns=concerns,
            studies=studies,
            tables=self.tables,
            nones=self.nones,
            template="rev1",
        )
        doc.procedures = self._procedures()
        doc.furniture = set(self.furniture)
        doc.accounted = self.used | doc.furniture
        for ln in self.lines:
            if not ln.text or ln.no in doc.accounted:
                continue
            if ln.no in self.boilerplate:
                doc.boilerplate.add(ln.no)
            else:
                self.issue(ln.no, "line not understood; not in the graph")
        doc.issues = sorted(self.issues, key=lambda i: (i.line, i.reason))
        return doc

    def _title(self) -> tuple[str, int, Product]:
        title_re = re.compile(layout()["title"]["pattern"], re.I)
        line_re = pattern("title", "product-line")
        text = [ln for ln in self.lines if ln.text]
        hit = next((ln for ln in text[:12] if title_re.match(ln.text)), None)
        rest = None
        if hit is None:
            for i, ln in enumerate(text[:12]):
                m = line_re.match(ln.text)
                skip = 1
                if not m and i + 1 < len(text):
                    # the title wraps inside "by / product"
                    m = line_re.match(f"{ln.text} {text[i + 1].text}")
                    skip = 2 if m else 1
                    if m:
                        self.used.add(text[i + 1].no)
                if m and m.group("rest"):
                    hit, rest = ln, m.group("rest")
                    break
                nxt = text[i + skip] if i + skip < len(text) else None
                name_re = pattern("title", "name-line")
                named = name_re.match(nxt.text) if m and nxt is not None else None
                if named and nxt is not None:
                    # the title wraps after "by product –": the name is the next
                    # line, maybe followed by strength and form
                    hit, rest = ln, f"{named.group('name')} ({named.group('sub')})"
                    self.used.add(nxt.no)
                    break
        if hit is None:
            hit, rest = self._overview(text[:16])
        if hit is None:
            hit = text[0]
            self.issue(hit.no, "no 'Summary of risk management plan for ...' title")
        self.used.add(hit.no)
        name, substance = parse_title(rest if rest is not None else hit.text)
        return hit.text, hit.no, Product(name=name, substance=substance)

    def _overview(self, head: list[Line]) -> tuple[Line | None, str | None]:
        """The "Product(s) concerned (brand name(s)): X" line and "X (substance)"
        from it and the "Active substance(s) (INN or common name)" line; else a
        document title "EU Risk Management Plan for X (substance)"."""
        name_re, sub_re = pattern("title", "product-field"), pattern(
            "title", "substance-field")
        named = next(((ln, m) for ln in head if (m := name_re.match(ln.text))), None)
        if named is None:
            plan = pattern("title", "plan-title")
            titled = next(((ln, m) for ln in head if (m := plan.match(ln.text))), None)
            return (titled[0], titled[1].group("rest")) if titled else (None, None)
        sub = next(((ln, m) for ln in head if (m := sub_re.match(ln.text))), None)
        if sub is None:
            return named[0], named[1].group("name")
        self.used.add(sub[0].no)
        return named[0], f"{named[1].group('name')} ({sub[1].group('sub')})"

    def _product(self, product: Product) -> None:
        """Indication and substance from the VI.2.2 sentence "X is used to treat
        ..." and the "It contains ... as the active substance" one after it."""
        section = self.sections.get("vi-2-2", [])
        self.boilerplate |= {ln.no for ln in section[1:] if ln.text}
        paras = paragraphs(section[1:])
        ind, contains = pattern("product", "indication"), pattern("product", "contains")
        for i, para in enumerate(paras):
            if ind.search(join_lines(x.text for x in para)):
                chosen = [section[0], *para]
                nxt = paras[i + 1] if i + 1 < len(paras) else []
                if contains.search(" ".join(x.text for x in nxt)):
                    chosen += [Line(0, "", False), *nxt]
                self.used |= parse_part_i(chosen, product) - {0}
                return
        # no indication sentence (VI.2.2 may describe only how the medicine works):
        # the substance and route still come from the "It contains ..." sentence
        for para in paras:
            if contains.search(join_lines(x.text for x in para)):
                self.used |= parse_part_i([section[0], *para], product)
                return
        if section:
            self.issue(section[0].no, "no indication sentence found in VI.2.2")

    # ---- concerns ---------------------------------------------------------------
    def _concerns(self) -> list[Concern]:
        listed, nones, info, used = xc.parse_list(self.body("vi-1-1"))
        self.used |= used
        self.nones.extend(nones)
        first = min(used, default=None)
        self.boilerplate |= {
            ln.no for ln in self.body("vi-1-1") if ln.text and first and ln.no < first
        }
        self.tables["concern-list"] = info
        concerns: list[Concern] = []
        self.taken: set[str] = set()
        self.listed_any = bool(listed)
        for pos, item in enumerate(listed, start=1):
            c = self._new(item.name, item.category)
            c.listed, c.listed_category = True, item.category
            c.listing_span, c.position = item.span, pos
            concerns.append(c)
        self._risk_tables(concerns)
        untold = {item.name for item in listed if item.category_from_table}
        for c in concerns:
            # VI.1.1 printed every heading before the names (see listcols.py): the
            # VI.2.4 table the concern sits under tells its category
            if c.name in untold and c.summary_category is not None:
                c.category = c.listed_category = c.summary_category
            elif c.name in untold:
                self.issue(c.listing_span.start if c.listing_span else 1,
                           f"the category of '{c.name}' is not known for certain "
                           "(VI.1.1 printed its headings before its names, and no "
                           f"VI.2.4 table places it); {c.category.value} is a guess")
            elif c.summary_category not in (None, c.category):
                # VI.2.4 has a table per category; VI.1.1 one table whose cells a
                # text export can print out of order ("Herpes zoster" after the
                # next row's "Malignancies"): VI.2.4 is taken, and the clash told
                self.issue(c.listing_span.start if c.listing_span else 1,
                           f"VI.1.1 lists '{c.name}' under {c.category.value}, "
                           f"VI.2.4 under {c.summary_category.value}; VI.2.4 is "
                           "taken")
                c.category = c.listed_category = c.summary_category
        for c in concerns:
            c.abbreviation = split_abbreviation(c.name)[1]
        return concerns

    def _new(self, name: str, category: Category) -> Concern:
        c = Concern(key=concern_key(name, self.taken), name=name, category=category)
        c.normalised_name = normalise_name(name)
        return c

    # ---- measures ---------------------------------------------------------------
    def _measures(self, concerns: list[Concern]) -> None:
        """VI.1.4 rows; Preventability is the fallback for a concern VI.1.4 lacks;
        VI.2.5 describes additional measures (used when VI.1.4 gave none)."""
        rows, loose = records(self.body("vi-1-4"), fields("rmm-table"), "concern")
        self.boilerplate |= {ln.no for ln in loose}
        done: set[str] = set()
        for rec in rows:
            self.used |= {x.no for x in rec.lines}
            c = (
                match_concern(rec.text("concern"), concerns)
                if "concern" in rec.fields
                else None
            )
            if c is None:
                self.issue(
                    rec.lines[0].no, "VI.1.4 row for a concern not in VI.1.1/VI.2.4"
                )
                continue
            done.add(c.key)
            for name, routine in (("routine", True), ("additional", False)):
                lines = rec.fields.get(name, [])
                if any(x.text for x in lines):
                    self._add_measures(c, lines, routine)
        for c in concerns:
            prevent = self.preventability.get(c.key, [])
            if c.key not in done and any(x.text for x in prevent):
                self._add_measures(c, prevent, True)
        self._measure_tables(concerns)

    @staticmethod
    def _add_measures(c: Concern, lines: Sequence[Line], routine: bool) -> None:
        measures, none = xc.parse_measures(lines, routine)
        (c.routine if routine else c.additional).extend(measures)
        if none and all(n.row != none.row for n in c.nones):
            c.nones.append(none)

    def _measure_tables(self, concerns: list[Concern]) -> None:
        body = self.body("vi-2-5")
        pats = fields("measure-table")
        blocks: list[tuple[Concern, list[Line]]] = []
        closing = pattern("measures", "closing")
        for ln in body:
            name = ln.text.rstrip(":").strip()
            c = (
                match_concern(name, concerns)
                if ln.text and label_of(ln.text, pats) is None and len(name) < 120
                else None
            )
            if c is not None:
                blocks.append((c, []))
                self.used.add(ln.no)
            elif blocks:
                blocks[-1][1].append(ln)
            elif ln.text:
                self.boilerplate.add(ln.no)
        for c, lines in blocks:
            had = bool(c.additional)
            # a closing sentence ("The other safety concerns are addressed by
            # routine risk minimisation measures only") is not the last cell's text
            rows, loose = records(
                lines, pats, "measure", lambda x: bool(closing.match(x.text))
            )
            for rec in rows:
                self.used |= {x.no for x in rec.lines}
                _stray_materials(rec.fields)
                if not had and any(x.text for x in rec.fields.get("measure", [])):
                    self._add_measures(c, rec.fields["measure"], False)
            closed = False
            for ln in loose:
                closed = closed or bool(closing.match(ln.text))
                if closed:  # the closing sentence and its wrapped lines
                    self.boilerplate.add(ln.no)
                elif not c.additional and pattern("studies", "none").match(ln.text):
                    self._add_measures(c, [ln], False)
                    self.used.add(ln.no)

    def _procedures(self) -> list[tuple[str, str, Span]]:
        out: dict[str, tuple[str, str, Span]] = {}
        for ln in self.lines:
            for ident, kind in procedures_in(ln.text):
                if not re.fullmatch(r"EMEA/H/C/\d+", ident):
                    out.setdefault(ident, (ident, kind, Span(ln.no, ln.no)))
        return [out[k] for k in sorted(out)]


def _stray_materials(fields: dict[str, list[Line]]) -> None:
    """A VI.2.5 measure cell of two paragraphs ("… (patient guide)" / "Guide for
    healthcare professionals") whose second pdftotext printed after the last cell:
    a last line that is short, naming a material and following a finished sentence
    goes back to the measure cell. A sentence about a material ("Guides will be
    provided …") is not one short line, so it stays."""
    if "measure" not in fields:
        return
    for name in ("action", "objective"):
        cell = fields.get(name, [])
        texts = [x for x in cell if x.text]
        if len(texts) < 2 or len(texts[-1].text.split()) > _MATERIAL_WORDS:
            continue
        k = max(i for i, x in enumerate(cell) if x.text)
        prev = next((x for x in reversed(cell[:k]) if x.text), None)
        if (prev is not None and prev.text.endswith(".")
                and xc.materials_of(cell[k].text) and not cell[k].text.endswith(".")):
            fields["measure"].append(cell[k])
            del cell[k]


# a material's name alone: "Guide for healthcare professionals", "Patient alert card"
_MATERIAL_WORDS = 6


def extract_rev1(source: SourceText) -> Document:
    """Parse one decoded older-template Part VI summary into the model."""
    return _Rev1(source).build()
