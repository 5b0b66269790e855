"""Layout of the milestone timeline drawn as inline SVG in the report.

Pure geometry (dates -> pixels) so the template only writes elements. Years are the
tick unit: RMP milestones are given by quarter or year, so finer ticks add noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Bar", "Tick", "Timeline", "layout"]

LEFT = 230  # room for the study name
RIGHT = 40
TOP = 44
ROW = 28
WIDTH = 900


@dataclass(frozen=True)
class Bar:
    index: int
    x: float
    y: float
    width: float
    label: str
    study: str
    overdue: bool
    anchor: str  # id of the milestone row in the table below
    label_left: bool  # no room on the right: write the label before the bar


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    left: int
    top: int
    row: int
    bars: list[Bar]
    ticks: list[Tick]
    as_of_x: float
    as_of: str


def layout(items: list[tuple[date, date, str, str, bool, str]],
           as_of: date) -> Timeline | None:
    """Place (start, end, label, study, overdue, anchor) bars on a yearly axis.

    Returns None when no milestone has a calendar date (event-relative only).
    """
    if not items:
        return None
    first = min([s for s, *_ in items] + [as_of])
    last = max([e for _, e, *_ in items] + [as_of])
    lo = date(first.year, 1, 1)
    hi = date(last.year + 1, 1, 1)
    span = (hi - lo).days
    plot = WIDTH - LEFT - RIGHT

    def x(d: date) -> float:
        return round(LEFT + plot * (d - lo).days / span, 1)

    bars = []
    for i, (start, end, label, study, overdue, anchor) in enumerate(items):
        x0, x1 = x(start), x(end + timedelta(days=1))
        width = max(x1 - x0, 4.0)
        bars.append(Bar(i, x0, TOP + i * ROW, width, label, study, overdue, anchor,
                        x0 + width > WIDTH - 260))
    ticks = [Tick(x(date(y, 1, 1)), str(y)) for y in range(lo.year, hi.year + 1)]
    height = TOP + len(items) * ROW + 16
    return Timeline(WIDTH, height, LEFT, TOP, ROW, bars, ticks, x(as_of),
                    as_of.isoformat())
