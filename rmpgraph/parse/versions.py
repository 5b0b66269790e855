"""Which RMP version a summary is, and its date, as the document states them.

Versions tie the statements of one RMP to their product over time (issue 15), so the
number and date are read from the text (title, running header, Part I line, sign-off)
when stated; `state_version()` lets the caller supply what the document leaves out,
and records which source each value came from so the graph can say so.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rmpgraph.errors import UsageError
from rmpgraph.parse.milestones import parse_due
from rmpgraph.parse.model import Span
from rmpgraph.paths import DATA_DIR

__all__ = ["RmpVersion", "find_version", "state_version", "parse_version_number"]

_NUMBER = re.compile(r"\d+(?:\.\d+){0,3}")


@dataclass(frozen=True)
class RmpVersion:
    """The version number and date of one RMP, and where each came from.

    `*_source` is "document" (read from the text, with the line as provenance) or
    "user" (given on the command line or to the API).
    """

    number: str | None = None
    number_span: Span | None = None
    number_source: str | None = None
    date: date | None = None
    date_span: Span | None = None
    date_source: str | None = None


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    with (DATA_DIR / "layout" / "versions.toml").open("rb") as fh:
        raw: dict[str, Any] = tomllib.load(fh)
    return {key: [re.compile(p, re.I) for p in raw[key]] for key in ("version", "date")}


def _first(lines: Sequence[str], furniture: Sequence[str],
           patterns: list[re.Pattern[str]], group: str,
           accept: Any) -> tuple[Any, Span | None] | None:
    numbered = [(Span(no, no), line) for no, line in enumerate(lines, start=1)]
    aside: list[tuple[Span | None, str]] = [(None, line) for line in furniture]
    for pattern in patterns:  # pattern order is priority order
        for span, line in [*numbered, *aside]:
            m = pattern.search(line)
            if m:
                value = accept(m.group(group).strip())
                if value is not None:
                    return value, span
    return None


def _one_day(text: str) -> date | None:
    due = parse_due(text)
    if due is None or due.granularity != "date" or due.start is None:
        return None
    return due.start


def find_version(lines: Sequence[str], furniture: Sequence[str] = ()) -> RmpVersion:
    """The version number and date the text states (either may be missing).

    `furniture` are the page headers and footers a reader set aside; a value found
    there has no line span (it is on every page, not on a line of the text).
    """
    pats = _patterns()
    number = _first(lines, furniture, pats["version"], "v", lambda v: v)
    day = _first(lines, furniture, pats["date"], "d", _one_day)
    return RmpVersion(
        number=number[0] if number else None,
        number_span=number[1] if number else None,
        number_source="document" if number else None,
        date=day[0] if day else None,
        date_span=day[1] if day else None,
        date_source="document" if day else None,
    )


def _where(span: Span | None) -> str:
    return f" (line {span.start})" if span else " (page header or footer)"


def parse_version_number(text: str, *, where: str = "--rmp-version") -> str:
    """A version number as given by a user ("8.2"), checked; one-line error else."""
    value = text.strip()
    if not _NUMBER.fullmatch(value):
        raise UsageError(f"{where}: expected a version number such as 8.2, "
                         f"got {text!r}")
    return value


def state_version(found: RmpVersion, *, number: str | None = None,
                  day: date | str | None = None) -> RmpVersion:
    """`found` completed with the user's values where the document is silent.

    A user value that contradicts the document is an error: the document is the
    record, and silently preferring either would make the graph lie about one.
    """
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            raise UsageError(f"--rmp-date: expected a date YYYY-MM-DD, got {day!r}"
                             ) from None
    if number is not None:
        number = parse_version_number(number)
        if found.number is not None and found.number != number:
            raise UsageError(
                f"--rmp-version {number} contradicts the document, which states "
                f"version {found.number}{_where(found.number_span)}"
            )
    if day is not None and found.date is not None and found.date != day:
        raise UsageError(
            f"--rmp-date {day.isoformat()} contradicts the document, which states "
            f"{found.date.isoformat()}{_where(found.date_span)}"
        )
    return RmpVersion(
        number=found.number or number,
        number_span=found.number_span,
        number_source=found.number_source or ("user" if number else None),
        date=found.date or day,
        date_span=found.date_span,
        date_source=found.date_source or ("user" if day else None),
    )
