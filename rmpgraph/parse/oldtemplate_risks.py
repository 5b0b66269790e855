"""VI.2.4 of the older (GVP Module V Rev. 1) Part VI summary: one "Risk | What is
known | Preventability" table per category (missing information: no Preventability).

A Word table with ruled cells reaches the canonical text as records ("Risk: name",
"What is known: ..."). A table the reader could not see as one (no grid lines, or a
pdftotext export) arrives as its header row, each column label on its own line or
several on one ("What is known Preventability"), then each row's cells as
paragraphs: the concern's name, then one paragraph per remaining column. That form
is read too, by the concern names VI.1.1 already gave; when a row's paragraphs do
not match the columns one to one, the cells cannot be told apart and the row is
reported instead of guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rmpgraph.parse import extract_concerns as xc
from rmpgraph.parse.model import Category, Concern, ParseIssue, TableInfo
from rmpgraph.parse.oldtemplate_tables import Record, fields, records, rev1_layout
from rmpgraph.parse.reconcile import match_concern
from rmpgraph.parse.segment import Line
from rmpgraph.parse.tables import CAPTION
from rmpgraph.parse.textutil import classify_all, join_lines, paragraphs, span_of

__all__ = ["RiskTables"]


def _header_labels(text: str) -> list[str] | None:
    """The column labels a header line consists of, in order, or None."""
    pats = fields("risk-table")
    out: list[str] = []
    rest = text.strip()
    while rest:
        for name, pat in pats.items():
            m = pat.match(rest)
            if m:
                out.append(name)
                rest = rest[m.end() :].lstrip(" :")
                break
        else:
            return None
    return out or None


def _concern_of(name: str, concerns: list[Concern]) -> Concern | None:
    """The concern a VI.2.4 risk cell names: VI.2.4 is for the public, so the
    term may follow a lay name in brackets ("Low blood calcium (Hypocalcaemia)")."""
    c = match_concern(name, concerns)
    for inner in re.findall(r"\(([^()]{3,})\)", name) if c is None else []:
        c = match_concern(inner, concerns) or _spelt_by(inner, concerns)
        if c is not None:
            break
    return c


def _spelt_by(short: str, concerns: list[Concern]) -> Concern | None:
    """The one concern whose words' initials spell an abbreviation ("DRESS": Drug
    Reaction with Eosinophilia and Systemic Symptoms), linking words left out."""
    if not re.fullmatch(r"[A-Z]{3,}", short):
        return None
    linking = set(rev1_layout()["lay-names"]["linking-words"])
    hits = [c for c in concerns
            if "".join(w[0] for w in re.findall(r"[A-Za-z]+", c.name.lower())
                       if w not in linking).upper() == short]
    return hits[0] if len(hits) == 1 else None


def _label_apart(paras: list[list[Line]]) -> list[list[Line]]:
    """Paragraphs with a column label on the first line of a cell made a paragraph
    of its own: a text layer that drops the gap under a header cell prints "Risk"
    straight above the first name."""
    out: list[list[Line]] = []
    for para in paras:
        if len(para) > 1 and _header_labels(para[0].text):
            out.extend([para[:1], para[1:]])
        else:
            out.append(para)
    return out


def _names_in(para: list[Line], concerns: list[Concern]) -> list[list[Line]] | None:
    """The risk cell(s) a paragraph holds: the whole paragraph naming a concern, or
    its lines cut into runs that each name one (a text layer that drops the gap
    between the rows of a column prints their names as one paragraph); None
    unless every line belongs to a name."""
    text = join_lines(x.text for x in para)
    whole = [para] if (len(text) < 120 or len(text) < 200 and not text.endswith(
        ".")) and _concern_of(text, concerns) else None  # a lay name is no sentence
    out: list[list[Line]] = []
    start = 0
    for end in range(1, len(para) + 1):
        if end - start <= 8 and _concern_of(
                join_lines(x.text for x in para[start:end]), concerns):
            if end < len(para) and para[end].text[:1].islower():
                continue  # the name goes on ("Use in patients with severe" / …)
            out.append(para[start:end])
            start = end
    return out if start == len(para) and len(out) > 1 else whole


def _lay_term(name: str) -> str | None:
    """The term of a "Lay words (Term)" risk cell, or None (`[lay-names]`)."""
    m = re.match(rev1_layout()["lay-names"]["term"], name.strip(), re.I)
    if m is None or m.group("term").isupper():
        return None
    return m.group("term")


class RiskTables:
    """The VI.2.4 part of the Rev. 1 reader (a mixin of its builder)."""

    used: set[int]
    boilerplate: set[int]
    issues: list[ParseIssue]
    listed_any: bool
    preventability: dict[str, list[Line]]
    issue: Callable[[int, str], None]
    body: Callable[[str], list[Line]]
    _new: Callable[[str, Category], Concern]

    def _category_line(self, ln: Line) -> tuple[Category, TableInfo] | None:
        """A caption or heading naming a category: "Table 5: Important identified
        risks" / "Important potential risks"."""
        m = CAPTION.match(ln.text)
        hit = xc.match_category(m.group("rest") if m else ln.text)
        if hit is None or hit[1]:
            return None
        return hit[0], TableInfo(number=m.group("num") if m else None, caption=ln.text)

    def _risk_tables(self, concerns: list[Concern]) -> None:
        """VI.2.4: one row per concern; "What is known" is the evidence prose."""
        chunks: list[tuple[tuple[Category, TableInfo] | None, list[Line]]] = [
            (None, [])
        ]
        self.preventability = {}
        for ln in self.body("vi-2-4"):
            hit = self._category_line(ln) if ln.text else None
            if hit is None:
                chunks[-1][1].append(ln)
                continue
            chunks.append((hit, []))
            self.used.add(ln.no)
        for k in range(1, len(chunks) - 1):
            if not any(x.text for x in chunks[k][1]):
                # a caption with no rows, straight before the next caption: pdftotext
                # printed it after its table, whose rows start at the last header
                # row of the chunk before
                prev = chunks[k - 1][1]
                heads = [i for i, x in enumerate(prev)
                         if x.text and (_header_labels(x.text) or [""])[0] == "risk"]
                if len(heads) >= 2:
                    chunks[k] = (chunks[k][0], prev[heads[-1] :])
                    chunks[k - 1] = (chunks[k - 1][0], prev[: heads[-1]])
        for category, chunk in chunks:
            self._risk_chunk(chunk, category, concerns)

    def _risk_chunk(
        self,
        chunk: list[Line],
        category: tuple[Category, TableInfo] | None,
        concerns: list[Concern],
    ) -> None:
        headed = any(_header_labels(x.text) for x in chunk if x.text)
        if headed and concerns and self.listed_any:
            rows, loose = self._header_rows(chunk, concerns)
        elif headed:
            rows, loose = self._grouped_rows(chunk)
        else:
            rows, loose = records(chunk, fields("risk-table"), "risk")
        self.boilerplate |= {ln.no for ln in loose}
        for rec in rows:
            self._risk_row(rec, category, concerns)

    def _header_rows(
        self, chunk: list[Line], concerns: list[Concern]
    ) -> tuple[list[Record], list[Line]]:
        """Rows of a table given as its header row, then cells as paragraphs."""
        columns: list[str] = []
        rows: list[Record] = []
        cells: list[list[list[Line]]] = []
        loose: list[Line] = []
        for para in _label_apart(paragraphs(chunk)):
            text = join_lines(x.text for x in para)
            labels = _header_labels(text)
            if labels:  # the header row, repeated after a page break
                self.used |= {x.no for x in para}
                columns = columns if set(labels) <= set(columns) else columns + labels
                continue
            names = _names_in(para, concerns) if len(text) < 400 else None
            if names:
                for part in names:
                    rows.append(Record({"risk": part}, list(part)))
                    cells.append([])
            elif rows:
                cells[-1].append(para)
                rows[-1].lines.extend(para)
            else:
                loose.extend(para)
        rest = [c for c in columns if c != "risk"] or ["known"]
        for rec, paras in zip(rows, cells, strict=True):
            if len(paras) == len(rest) or rest == ["known"]:
                for name, para in zip(rest, paras, strict=False):
                    rec.fields[name] = list(para)
                if rest == ["known"]:
                    rec.fields["known"] = [x for p in paras for x in p]
            elif paras:
                self.issue(
                    paras[0][0].no,
                    f"VI.2.4 row of {len(paras)} paragraph(s) for {len(rest)} "
                    "other column(s); its cells cannot be told apart, so no "
                    "evidence is read",
                )
        return rows, loose

    def _grouped_rows(self, chunk: list[Line]) -> tuple[list[Record], list[Line]]:
        """Rows of a header-then-paragraphs table when no VI.1.1 names the concerns
        (a summary published as VI.2 only): one paragraph per column, in order. A
        "risk" paragraph that reads as a sentence shows the cells are not one
        paragraph each; the rest of the table is then reported, not guessed."""
        columns: list[str] = []
        rows: list[Record] = []
        loose: list[Line] = []
        cells: list[list[Line]] = []
        for para in paragraphs(chunk):
            text = join_lines(x.text for x in para)
            labels = _header_labels(text)
            if labels:
                self.used |= {x.no for x in para}
                columns = labels if labels[0] == "risk" else columns + labels
                cells = []
                continue
            if not columns:
                loose.extend(para)
                continue
            if not cells and (len(text) >= 120 or text.endswith(".")):
                self.issue(para[0].no, "VI.2.4 cells are not one paragraph each; "
                           "the rest of this table is not read")
                columns = []
                continue
            cells.append(list(para))
            if len(cells) == len(columns):
                rec = Record(dict(zip(columns, cells, strict=True)),
                             [x for c in cells for x in c])
                rows.append(rec)
                cells = []
        return rows, loose

    def _risk_row(
        self,
        rec: Record,
        category: tuple[Category, TableInfo] | None,
        concerns: list[Concern],
    ) -> None:
        name = rec.text("risk")
        if not name:
            return
        c = _concern_of(name, concerns)
        if c is None and self.listed_any:
            # VI.1.1 is the list of concerns; a row it lacks is reported, not added
            self.issue(rec.lines[0].no, "VI.2.4 row for a concern not in VI.1.1")
            self.used |= {x.no for x in rec.lines}
            return
        if c is None:
            cat = category[0] if category else Category.IDENTIFIED
            c = self._new(_lay_term(name) or name, cat)
            concerns.append(c)
        elif c.summary is not None:
            self.issue(rec.lines[0].no, f"second VI.2.4 row for '{c.name}' ignored")
            self.used |= {x.no for x in rec.lines}
            return
        if name != c.name and name not in c.alt_names:
            c.alt_names.append(name)
        info = TableInfo(span=rec.span)
        if category:
            info.number, info.caption = category[1].number, category[1].caption
        c.summary = info
        c.summary_category = category[0] if category else None
        self.used |= {x.no for x in rec.lines}
        known = [x for x in rec.fields.get("known", []) if x.text]
        if known:
            text, span = join_lines(x.text for x in known), span_of(known)
            c.evidence_text, c.evidence_span = text, span
            c.evidence_sources = classify_all("evidence-source", text)
            if c.category is not Category.MISSING:
                # the Rev. 1 row holds the evidence and risk-factor prose at once
                c.risk_factor_text, c.risk_factor_span = text, span
        self.preventability[c.key] = rec.fields.get("preventability", [])
