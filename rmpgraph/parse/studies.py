"""Stage 3c, extract studies: II.B additional-PV rows, II.C entries, milestones.

Studies are named twice: briefly in each II.B table ("Drug Utilization Study") and
fully in II.C ("A non-interventional PASS to investigate drug utilization ...").
`resolve()` links the two by study code first, then by the content words of the short
name, and refuses to guess when two II.C entries fit equally well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rmpgraph.parse.milestones import _milestone, milestone_kind, parse_due
from rmpgraph.parse.model import Milestone, NoneStatement, Span, StudyMention
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.tables import CAPTION
from rmpgraph.parse.textutil import (
    american,
    join_lines,
    paragraphs,
    says_none,
    sentence,
    span_of,
)

__all__ = [
    "parse_due",
    "parse_pv_row",
    "PlanEntry",
    "parse_plan",
    "identifier_of",
    "category_of",
    "resolve_mention",
    "milestone_kind",
    "strip_category",
    "CATEGORY_LINE",
]

_ID = re.compile(
    r"\b(?:(?=[A-Z0-9]*\d{3})(?=[A-Z0-9]*[A-Z]{2})[A-Z][A-Z0-9]*"
    r"|(?=[A-Z0-9\-]*-)(?=(?:[A-Z\-]*\d){2})(?=[A-Z0-9\-]*[A-Z]{2})[A-Z][A-Z0-9]*"
    r"(?:-[A-Z0-9]+)+)\b"
)
_CATEGORY = re.compile(r"\(?\b(?:cat\.?|category)\s*:?\s*([123])\b\)?", re.I)
#: a line of a study cell giving only its category ("Category 3", "(category 1)")
CATEGORY_LINE = re.compile(r"^\(?\s*category\s*[1-3]\s*\)?$", re.I)
#: a row or line naming the category of the studies under it ("Category 1 -
#: Imposed mandatory additional pharmacovigilance activities …"); "Category: 3"
#: is a field of one study, and "(Category 3)" alone the wrapped end of a title
_CATEGORY_HEADING = re.compile(r"^category\s+[123]\b(?!\s*:)", re.I)
_STOP = {  # words that tell no study from another when a II.B name is resolved
    "study", "studies", "pass", "the", "a", "an", "of", "for", "in", "and", "to", "on",
    "with", "non", "interventional", "safety", "post", "authorisation", "authorization",
    "programme", "program", "protocol", "cat", "category",
}


def strip_category(text: str) -> tuple[str, int | None]:
    m = _CATEGORY.search(text)
    if not m:
        return text.strip(), None
    cleaned = (text[: m.start()] + text[m.end() :]).strip().rstrip(",;-–").strip()
    return re.sub(r"\s{2,}", " ", cleaned), int(m.group(1))


def _prose(text: str) -> bool:
    """A sentence without a study code ("Previous malignancy, smoking, long disease
    duration."): evidence or risk factors, not a study's name."""
    return sentence(text.rstrip(), words=4) and identifier_of(text) is None and \
        not re.match(r"(?i)see\b", text)


def parse_pv_row(lines: Sequence[Line]) -> list[StudyMention]:
    """Study names and their milestones from one II.B additional-PV row."""
    mentions: list[StudyMention] = []
    for para in paragraphs(lines):
        groups: list[list[Line]] = []
        for ln in para:
            if (
                groups
                and (ln.text[0].islower() or not _ends(groups[-1]))
                and not ln.bullet
            ):
                groups[-1].append(ln)
            else:
                groups.append([ln])
        for g in groups:
            text, span = join_lines(x.text for x in g), span_of(g)
            ms = _milestone(text, span)
            if ms and mentions:
                mentions[-1].milestones.append(ms)
                mentions[-1].span = Span.cover([mentions[-1].span, span])
            elif ms is None:
                if mentions and text[0].islower():
                    last = mentions[-1]
                    last.name = join_lines([last.name, text])
                    continue
                if _prose(text):
                    continue  # another row's prose a text export moved here
                name, cat = strip_category(text)
                name, tail = _trailing_milestone(name, span)
                mentions.append(StudyMention(name.rstrip(".:"), span, tail, cat))
    return mentions


def _trailing_milestone(name: str, span: Span) -> tuple[str, list[Milestone]]:
    """ "AMB-SO-101 — Final study report: Q3 2028": the study's name and, after a
    dash, its milestone (kept apart so the name matches the II.C entry's)."""
    m = re.match(r"^(?P<name>.+?)\s+[—–-]\s+(?P<rest>.+)$", name)
    ms = _milestone(m["rest"], span) if m else None
    return (m["name"].strip(), [ms]) if m and ms else (name, [])


def _ends(group: list[Line]) -> bool:
    text = group[-1].text
    return text.count("(") <= text.count(")") and not text.endswith((",", "-", "("))


@dataclass
class PlanEntry:
    section: str
    title: str
    short: str | None
    identifier: str | None
    category: int | None
    fields: dict[str, str] = field(default_factory=dict)
    milestones: list[Milestone] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    #: where each piece of milestone text was read, so a milestone points at its
    #: own line rather than the entry's last
    milestone_spans: list[tuple[str, Span]] = field(default_factory=list)


def _field(text: str) -> tuple[str, str] | None:
    head, sep, rest = text.partition(":")
    # a label with a note in brackets: "Milestones (due date)"
    label = norm_label(re.sub(r"\s*\([^()]*\)\s*$", "", head) if sep else head)
    for kind, labels in layout()["study-fields"].items():
        if label in (norm_label(x) for x in labels):
            if label.startswith("research"):
                return "research-question", rest.strip()
            return kind, rest.strip()
        if not sep and norm_label(text) in (norm_label(x) for x in labels):
            return kind, ""
    return None


def identifier_of(text: str) -> str | None:
    m = _ID.search(text)
    return m.group(0) if m else None


def category_of(text: str) -> int | None:
    return strip_category(text)[1]


def _stated_category(text: str, context: int | None) -> int | None:
    """The category a caption or a sentence above the entries gives them: the one
    it names, or 2 where it calls them specific obligations (those of a
    conditional marketing authorisation), else the one stated before."""
    return category_of(text) or (
        2 if re.search(r"specific\s+obligation", text, re.I) else context)


def _entry(section: str, title_lines: list[Line], context: int | None = None
           ) -> PlanEntry:
    raw = join_lines(x.text for x in title_lines)
    title, cat = strip_category(raw)
    cat = cat or context
    short = None
    head, sep, tail = title.partition(":")
    if sep and len(head.split()) <= 6 and tail.strip():
        short, title = head.strip(), tail.strip()
    return PlanEntry(
        section, title, short, identifier_of(raw), cat, spans=[span_of(title_lines)]
    )


def parse_plan(
    lines: Sequence[Line], section: str
) -> tuple[list[PlanEntry], NoneStatement | None, set[int]]:
    """Entries of II.C.1 or II.C.2 (footer already removed)."""
    entries: list[PlanEntry] = []
    none: NoneStatement | None = None
    used: set[int] = set()
    paras = _plan_paragraphs(lines)
    pending: list[list[Line]] = []
    current: PlanEntry | None = None
    current_field: str | None = None
    context: int | None = None  # category stated above the entries
    for para in paras:
        text = join_lines(x.text for x in para)
        if CAPTION.match(para[0].text):
            # "Table II.C.1-1: Specific obligations of the conditional marketing
            # authorisation", "… activities (category 3)": the entries' category
            context = _stated_category(text, context)
            used |= {x.no for x in para}
            continue
        if re.match(r"^there (?:are|is) no (?:studies|study)\b", text, re.I) or (
                # "Not applicable." or "None." as the section's only statement
                not entries and says_none(text) and len(text) < 40):
            none = NoneStatement(section, text, span_of(para))
            used |= {x.no for x in para}
            continue
        if re.match(r"^the following (?:studies|study) (?:are|is)\b", text, re.I) or (
                _CATEGORY_HEADING.match(text) and len(text) < 300) or (
                # "… The studies in the table below are specific obligations
                # (category 2) which … must complete:"
                text.endswith(":") and category_of(text) and len(text) < 400):
            # "The following study is a specific obligation … (Category 2):" or a
            # "Category 1 – Imposed mandatory …" row above a group of studies:
            # the category of the entries that follow, unless they state theirs
            # ("… are specific obligations of the conditional marketing
            # authorisation": category 2, as in a caption)
            context = _stated_category(text, context)
            used |= {x.no for x in para}
            continue
        hit = _field(para[0].text)
        if hit is None and _starts_entry(para[0].text):
            # a list of studies, "CODE: title (category 3)", each followed by its
            # milestones ("Interim report: Q3 2027") on lines of their own
            _flush(current, current_field, pending)
            pending, current_field = [], None
            k = next((j for j, x in enumerate(para) if j and _milestone(
                x.text, span_of([x]))), len(para))
            current = _entry(section, para[:k], context)
            entries.append(current)
            used |= {x.no for x in para[:k]}
            for x in para[k:]:
                current.fields["milestones"] = "; ".join(
                    t for t in (current.fields.get("milestones"), x.text) if t)
                current.spans.append(span_of([x]))
                current.milestone_spans.append((x.text, span_of([x])))
                used.add(x.no)
            continue
        if hit is None and current is not None and _milestone(text, span_of(para)):
            # a milestone on its own line ("Final study report: 30 June 2030")
            _flush(current, current_field, pending)
            pending, current_field = [], None
            current.fields["milestones"] = "; ".join(
                x for x in (current.fields.get("milestones"), text) if x)
            current.spans.append(span_of(para))
            current.milestone_spans.append((text, span_of(para)))
            used |= {x.no for x in para}
            continue
        if hit is None:
            pending.append(para)
            continue
        kind, rest = hit
        body = (
            [Line(para[0].no, rest, False)] + list(para[1:]) if rest else list(para[1:])
        )
        if kind == "full-title" and current is not None:
            _flush(current, current_field, pending)
            pending, current_field = [], None
            current.title = join_lines(x.text for x in body) or current.title
            current.identifier = current.identifier or identifier_of(current.title)
            current.spans.append(span_of(para))
            used |= {x.no for x in para}
            continue
        if kind == "title":
            _flush(current, current_field, pending)
            current = _entry(section, body or para, context)
            entries.append(current)
            current_field, pending = None, []
            used |= {x.no for x in para}
            continue
        if current is not None and kind in current.fields and not pending and \
                kind == current_field:
            # a second labelled paragraph of the same cell ("Rationale: …" /
            # "Objectives: …" under "Rationale and study objectives")
            current.fields[kind] = join_lines([current.fields[kind], text])
            current.spans.append(span_of(para))
            used |= {x.no for x in para}
            continue
        if (
            current is None
            or kind in current.fields
            or (pending and kind == "objective" and "objective" in current.fields)
        ):
            title_para = pending.pop() if pending else None
            _flush(current, current_field, pending)
            pending = []
            if title_para is None:
                continue
            current = _entry(section, title_para, context)
            entries.append(current)
            used |= {x.no for x in title_para}
        else:
            _flush(current, current_field, pending)
            pending = []
        current_field = kind
        current.fields[kind] = join_lines(x.text for x in body)
        current.spans.append(span_of(para))
        if kind == "milestones":
            current.milestone_spans.append((current.fields[kind], span_of(para)))
        used |= {x.no for x in para}
    _flush(current, current_field, pending)
    for e in entries:
        used |= {n for s in e.spans for n in range(s.start, s.end + 1)}
        if "category" in e.fields:  # the entry's own "Category: 1" over the
            # sentence above the entries ("… are specific obligations …")
            e.category = category_of("category " + e.fields["category"]) or e.category
        if "milestones" in e.fields:
            for part in re.split(
                # "…; interim report 2027 final report 2030": a new milestone
                # starts at a report/protocol keyword, not at "end of" (a due
                # phrase: "within 12 months of end of data collection"), or at any
                # milestone's name and a colon ("Q1/2026 Progress reports: …")
                r";|\s(?=(?:final|interim|protocol|study start)\b)"
                rf"|\s(?=(?:{layout()['plan-table']['milestone_name']})\s*:)",
                e.fields["milestones"],
                flags=re.I,
            ):
                part = part.strip().rstrip(".")
                span = next((where for text, where in e.milestone_spans
                             if part and part in text), e.spans[-1])
                ms = _milestone(part, span, free=True)
                if ms:
                    e.milestones.append(ms)
    return entries, none, used


def _starts_entry(text: str) -> bool:
    """ "Name CODE-123: Title ..." opens a study entry even without a blank line; a
    caption ("Table II.C.2-2: FTX-PK-102") does not."""
    head, sep, _ = text.partition(":")
    return bool(sep) and len(head.split()) <= 6 and identifier_of(head) is not None \
        and not CAPTION.match(text)


def _plan_paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Paragraphs, also split before field labels, captions and study titles, since
    some layouts put a whole II.C table on consecutive lines."""
    out: list[list[Line]] = [[]]
    for ln in lines:
        if not ln.text:
            out.append([])
            continue
        if out[-1] and (
            _field(ln.text) or CAPTION.match(ln.text) or _starts_entry(ln.text)
        ):
            out.append([])
        out[-1].append(ln)
    return [p for p in out if p]


def _flush(
    entry: PlanEntry | None, kind: str | None, pending: list[list[Line]]
) -> None:
    if entry is None or kind is None or not pending:
        return
    extra = join_lines(x.text for p in pending for x in p)
    entry.fields[kind] = join_lines([entry.fields.get(kind, ""), extra])
    entry.spans.extend(span_of(p) for p in pending)


def _words(text: str) -> set[str]:
    out = set()
    for w in re.findall(r"[a-z0-9]+", american(text)):
        w = w[:-1] if len(w) > 3 and w.endswith("s") else w
        if w not in _STOP and len(w) > 1:
            out.add(w)
    return out


def resolve_mention(name: str, entries: Sequence[PlanEntry]) -> PlanEntry | None:
    """The II.C entry a II.B study name refers to, or None if not certain."""
    ident = identifier_of(name)
    if ident:
        hits = [e for e in entries if e.identifier == ident]
        if len(hits) == 1:
            return hits[0]
    words = _words(name)
    if not words:
        return None
    scored = []
    for e in entries:
        pool = _words(" ".join([e.title, e.short or "", e.fields.get("objective", "")]))
        title_pool = _words(" ".join([e.title, e.short or ""]))
        if words <= title_pool:
            scored.append((2.0, e))
        elif words <= pool:
            scored.append((1.0, e))
    if not scored:
        return None
    best = max(s for s, _ in scored)
    top = [e for s, e in scored if s == best]
    return top[0] if len(top) == 1 else None
