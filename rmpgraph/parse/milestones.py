"""Milestones: due dates in every form the template allows, and milestone lines.

"Final report: Q3 2027", "Protocol submission 15/03/2026", "within 6 months of
LPLV": a due text becomes an interval (a date is that day twice, a month or quarter
or year runs from its first to its last day) or an offset from an event, and never
a guess (None when it cannot be read for certain). Shared by II.B rows, II.C
entries and the older template's study tables.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import TypeVar

from rmpgraph.parse.model import Due, Milestone, Span
from rmpgraph.parse.textutil import classify
from rmpgraph.paths import DATA_DIR

__all__ = ["parse_due", "milestone_kind", "milestone_submitted", "in_life_order",
           "life_runs"]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9  # as often written
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
_MILESTONE = re.compile(  # "Interim report 2: …" numbers one of several; a note in
    # brackets may hold digits ("Final study report (within 12 months after …): …")
    r"^(?P<label>[A-Za-z](?:[A-Za-z ,/()'\-]|\([^()]{0,80}\)){2,90}?(?:\s\d{1,2})?)"
    r"\s*[:–—]\s*(?P<due>.*)$"
)
_MILESTONE_WORDS = re.compile(
    r"report|submission|protocol|start|end of|completion|results|final|interim|"
    r"registration|data|milestone|due|deadline|update",
    re.I,
)


_ORDINALS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
             "4th": 4, "fourth": 4}


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter(q: int, year: int) -> Due:
    return Due("quarter", date(year, 3 * q - 2, 1), _last_day(year, 3 * q))


def parse_due(text: str) -> Due | None:
    """Normalise a milestone's due text; None when it cannot be read for certain
    (an impossible day such as 31/02/2026, or a month-first 03/15/2026 that the
    EU's day-first convention cannot read, is not a date: the shape reports it)."""
    try:
        return _parse_due(text)
    except ValueError:
        return None


def _parse_due(text: str) -> Due | None:
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
    m = re.search(  # "30 June 2027", "31-Mar-2027"
        r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)([A-Za-z]{3,9})\.?,?(?:\s+|-)(\d{4})\b",
        t)
    if m and m.group(2).lower() in _MONTHS:
        d = date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        return Due("date", d, d)
    m = re.search(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})\b", t)
    if m and m.group(1).lower() in _MONTHS:
        d = date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        return Due("date", d, d)
    m = re.search(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b", t)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        # day first (the EU convention); month first only where it cannot be a
        # day-first date (03/15/2026: there is no month 15)
        day, month = (b, a) if b > 12 >= a else (a, b)
        d = date(y, month, day)
        return Due("date", d, d)
    m = re.search(r"\b(?:Q([1-4])|([1-4])Q)\s*[-/ ]?\s*(\d{4})\b", t, re.I)
    if m:  # "Q3 2027", "3Q 2027"
        return _quarter(int(m.group(1) or m.group(2)), int(m.group(3)))
    m = re.search(r"\b(\d{4})\s*[-/ ]?\s*Q([1-4])\b", t, re.I)
    if m:  # "2027 Q3", "2027-Q3"
        return _quarter(int(m.group(2)), int(m.group(1)))
    m = re.search(r"\b(1st|2nd|3rd|4th|first|second|third|fourth)\s+quarter\s+"
                  r"(?:of\s+)?(\d{4})\b", t, re.I)
    if m:  # "2nd quarter 2028"
        return _quarter(_ORDINALS[m.group(1).lower()], int(m.group(2)))
    m = re.search(r"\bH([12])\s*[-/ ]?\s*(\d{4})\b", t, re.I) or re.search(
        r"\b(first|second|1st|2nd)\s+half\s+(?:of\s+)?(\d{4})\b", t, re.I)
    if m:
        h = 1 if m.group(1).lower() in ("1", "first", "1st") else 2
        y = int(m.group(2))
        return Due("half", date(y, 6 * h - 5, 1), _last_day(y, 6 * h))
    m = re.search(r"(?<![\d/.])(\d{1,2})[/.](\d{4})\b", t)  # "12/2029": a month
    if m and 1 <= int(m.group(1)) <= 12:
        y, mo = int(m.group(2)), int(m.group(1))
        return Due("month", date(y, mo, 1), _last_day(y, mo))
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


_T = TypeVar("_T")


def life_runs(items: Sequence[_T], kind_of: Callable[[_T], str],
              lifecycle: Sequence[str]) -> list[list[_T]]:
    """Milestones in a table's order cut into one run per study, where the sequence
    goes back in a study's life (a protocol or start after a final report) or a
    final report follows a final report."""
    def rank(item: _T) -> int:
        kind = kind_of(item)
        return lifecycle.index(kind) if kind in lifecycle else -1

    last = len(lifecycle) - 1
    out: list[list[_T]] = []
    for item in items:
        r = rank(item)
        if not out or r < rank(out[-1][-1]) or r == last == rank(out[-1][-1]):
            out.append([])
        out[-1].append(item)
    return out


def in_life_order(pairs: Sequence[tuple[str, str]], lifecycle: Sequence[str]) -> bool:
    """No (name, due) of one study falls due before a milestone earlier in its life
    (`lifecycle`: a final report before its progress report). A text export that
    prints names and dates as separate runs can pair them wrongly; this tells."""
    seen: list[tuple[int, date]] = []
    for name, due_text in pairs:
        due, kind = parse_due(due_text), milestone_kind(name)
        if due is None or due.start is None or due.end is None or kind not in lifecycle:
            continue
        rank = lifecycle.index(kind)
        if any(r < rank and due.end < start for r, start in seen):
            return False
        seen.append((rank, due.start))
    return True


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


def _run_together(due: str) -> bool:
    """Several dates one after another with nothing between them ("31-Mar-2027
    2028-06-30", "Q1 2028 December 2029"): the due cells of several milestones run
    together (a text export of a table), no one milestone's due date. "2026-2030",
    "2027 and 2029" or "2028 (final: 2030)" join theirs."""
    years = list(re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)", due))
    for a, b in zip(years, years[1:], strict=False):
        between = re.sub(r"[-/.]\d{1,2}[-/.]\d{1,2}\b|"  # a date's other parts
                         r"\b\d{1,2}[-/.](?:\d{1,2}|[a-z]{3})[-/.]", " ",
                         due[a.end() : b.start()], flags=re.I)
        if not re.search(r"\b(?:and|or|to|until|through|then)\b|[-–—,;(/]", between):
            return True
    return False


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
    if _run_together(due_text):
        return None
    return Milestone(
        milestone_kind(label),
        f"{label}: {due_text}",
        due_text,
        parse_due(due_text),
        span,
        _legal_basis(text),
    )


@lru_cache(maxsize=1)
def _submitted_patterns() -> tuple[re.Pattern[str], ...]:
    with (DATA_DIR / "layout" / "milestone-status.toml").open("rb") as fh:
        return tuple(re.compile(p, re.I) for p in tomllib.load(fh)["submitted"])


def milestone_submitted(text: str) -> bool:
    """Does the milestone's own text say it is already met (data/layout)?"""
    return any(p.search(text) for p in _submitted_patterns())
