"""Stage 3c, extract studies: II.B additional-PV rows, II.C entries, milestones.

Studies are named twice: briefly in each II.B table ("Drug Utilization Study") and
fully in II.C ("A non-interventional PASS to investigate drug utilization ...").
`resolve()` links the two by study code first, then by the content words of the short
name, and refuses to guess when two II.C entries fit equally well.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .model import Due, Milestone, NoneStatement, Span, StudyMention
from .segment import Line, layout, norm_label
from .tables import CAPTION
from .textutil import american, classify, join_lines, paragraphs, span_of

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
]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "nine": 9,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
# study codes: OBS13434, EUPAS104512, CRV-PASS-001, KLV-PASS-05 (letters and digits)
_ID = re.compile(
    r"\b(?:(?=[A-Z0-9]*\d{3})(?=[A-Z0-9]*[A-Z]{2})[A-Z][A-Z0-9]*"
    r"|(?=[A-Z0-9\-]*-)(?=(?:[A-Z\-]*\d){2})(?=[A-Z0-9\-]*[A-Z]{2})[A-Z][A-Z0-9]*"
    r"(?:-[A-Z0-9]+)+)\b"
)
_CATEGORY = re.compile(r"\(?\b(?:cat\.?|category)\s*:?\s*([123])\b\)?", re.I)
_MILESTONE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z ,/()'\-]{2,90}?)\s*[:–—]\s*(?P<due>.*)$"
)
_MILESTONE_WORDS = re.compile(
    r"report|submission|protocol|start|end of|completion|results|final|interim|"
    r"registration|data|milestone|due|deadline|update",
    re.I,
)
_STOP = {
    "study",
    "studies",
    "pass",
    "the",
    "a",
    "an",
    "of",
    "for",
    "in",
    "and",
    "to",
    "on",
    "with",
    "non",
    "interventional",
    "safety",
    "post",
    "authorisation",
    "authorization",
    "programme",
    "program",
    "protocol",
    "cat",
    "category",
}


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_due(text: str) -> Due | None:
    """Normalise a milestone's due text; None when it cannot be read for certain."""
    t = text.strip().rstrip(".")
    m = re.search(
        r"\bwithin\s+(\d+|[a-z\-]+)\s+(day|week|month|year)s?\s+"
        r"(?:of|after|following|from)\s+(?:the\s+)?(?P<event>.+)",
        t,
        re.I,
    )
    m = m or re.search(
        r"\b(\d+|[a-z\-]+)\s+(day|week|month|year)s?\s+"
        r"(?:after|following|from)\s+(?:the\s+)?(?P<event>.+)",
        t,
        re.I,
    )
    if m:
        n = m.group(1).lower()
        count = int(n) if n.isdigit() else _NUMBERS.get(n)
        if count is not None:
            event = (
                re.split(
                    r"\s+in accordance with\b|\s+as per\b|;",
                    m.group("event"),
                    flags=re.I,
                )[0]
                .strip()
                .rstrip(".,")
            )
            return Due(
                "event-relative",
                offset=f"P{count}{_UNITS[m.group(2).lower()]}",
                event=event,
            )
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return Due("date", d, d)
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b", t)
    if m and m.group(2).lower() in _MONTHS:
        d = date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        return Due("date", d, d)
    m = re.search(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})\b", t)
    if m and m.group(1).lower() in _MONTHS:
        d = date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        return Due("date", d, d)
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", t)
    if m:
        d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return Due("date", d, d)
    m = re.search(r"\bQ([1-4])\s*[-/ ]?\s*(\d{4})\b", t, re.I) or re.search(
        r"\b(\d{4})\s*[-/ ]?\s*Q([1-4])\b", t, re.I
    )
    if m:
        a, b = m.group(1), m.group(2)
        q, y = (int(a), int(b)) if len(a) == 1 else (int(b), int(a))
        return Due("quarter", date(y, 3 * q - 2, 1), _last_day(y, 3 * q))
    m = re.search(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b", t)
    if m and m.group(1).lower() in _MONTHS:
        y, mo = int(m.group(2)), _MONTHS[m.group(1).lower()]
        return Due("month", date(y, mo, 1), _last_day(y, mo))
    m = re.fullmatch(r"(?:end of |by |in )?(\d{4})", t, re.I) or re.search(
        r"^(?:[^\d]*\s)?(\d{4})$", t
    )
    if m:
        y = int(m.group(1))
        return Due("year", date(y, 1, 1), date(y, 12, 31))
    return None


def milestone_kind(label: str) -> str:
    return classify("milestone-kind", label) or "other"


def _legal_basis(text: str) -> str | None:
    if re.search(r"article\s+46\b.*pa?ediatric", text, re.I):
        return "article-46-paediatric-regulation"
    return None


_MILESTONE_FREE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z ()\-]{2,60}?)\s+(?P<due>(?:\d|Q[1-4]\b|within\b|"
    r"(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b).*)$",
    re.I,
)


def _milestone(text: str, span: Span, free: bool = False) -> Milestone | None:
    m = _MILESTONE.match(text)
    if free and (not m or not _MILESTONE_WORDS.search(m.group("label"))):
        m = _MILESTONE_FREE.match(text)
    if not m or not _MILESTONE_WORDS.search(m.group("label")):
        return None
    label = m.group("label").strip()
    due_text = (
        re.split(
            r"\s+(?:in accordance with|as per|according to)\b",
            m.group("due").strip(),
            flags=re.I,
        )[0]
        .strip()
        .rstrip(".")
    )
    return Milestone(
        milestone_kind(label),
        f"{label}: {due_text}",
        due_text,
        parse_due(due_text),
        span,
        _legal_basis(text),
    )


def strip_category(text: str) -> tuple[str, int | None]:
    m = _CATEGORY.search(text)
    if not m:
        return text.strip(), None
    cleaned = (text[: m.start()] + text[m.end() :]).strip().rstrip(",;-–").strip()
    return re.sub(r"\s{2,}", " ", cleaned), int(m.group(1))


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
                name, cat = strip_category(text)
                mentions.append(StudyMention(name.rstrip(".:"), span, [], cat))
    return mentions


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


def _field(text: str) -> tuple[str, str] | None:
    head, sep, rest = text.partition(":")
    label = norm_label(head)
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


def _entry(section: str, title_lines: list[Line]) -> PlanEntry:
    raw = join_lines(x.text for x in title_lines)
    title, cat = strip_category(raw)
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
    for para in paras:
        text = join_lines(x.text for x in para)
        if CAPTION.match(para[0].text):
            used |= {x.no for x in para}
            continue
        if re.match(r"^there (?:are|is) no (?:studies|study)\b", text, re.I):
            none = NoneStatement(section, text, span_of(para))
            used |= {x.no for x in para}
            continue
        if re.match(r"^the following (?:studies|study) (?:are|is)\b", text, re.I):
            used |= {x.no for x in para}
            continue
        hit = _field(para[0].text)
        if hit is None and current is not None and _milestone(text, span_of(para)):
            # a milestone on its own line ("Final study report: 30 June 2030")
            _flush(current, current_field, pending)
            pending, current_field = [], None
            current.fields["milestones"] = "; ".join(
                x for x in (current.fields.get("milestones"), text) if x)
            current.spans.append(span_of(para))
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
            current = _entry(section, body or para)
            entries.append(current)
            current_field, pending = None, []
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
            current = _entry(section, title_para)
            entries.append(current)
            used |= {x.no for x in title_para}
        else:
            _flush(current, current_field, pending)
            pending = []
        current_field = kind
        current.fields[kind] = join_lines(x.text for x in body)
        current.spans.append(span_of(para))
        used |= {x.no for x in para}
    _flush(current, current_field, pending)
    for e in entries:
        used |= {n for s in e.spans for n in range(s.start, s.end + 1)}
        if e.category is None and "category" in e.fields:
            e.category = category_of("category " + e.fields["category"])
        if "milestones" in e.fields:
            for part in re.split(
                # "…; interim report 2027 final report 2030": a new milestone
                # starts at a report/protocol keyword, not at "end of" (a due
                # phrase: "within 12 months of end of data collection")
                r";|\s(?=(?:final|interim|protocol|study start)\b)",
                e.fields["milestones"],
                flags=re.I,
            ):
                ms = _milestone(part.strip().rstrip("."), e.spans[-1], free=True)
                if ms:
                    e.milestones.append(ms)
    return entries, none, used


def _starts_entry(text: str) -> bool:
    """ "Name CODE-123: Title ..." opens a study entry even without a blank line."""
    head, sep, _ = text.partition(":")
    return bool(sep) and len(head.split()) <= 6 and identifier_of(head) is not None


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
