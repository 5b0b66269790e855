"""The corpus page: one chart per cohort question, each beside its table.

Like the product report, the page is one self-contained HTML file (CSS inline, the
charts as inline SVG drawn here, no script, no font or CDN), so it opens from
file:// on a machine without network and can be archived as is. Each chart is a
`<figure>` whose `<figcaption>` is the question, and its table (with column
headers) carries the same numbers, so a screen reader or a copy-paste into a
spreadsheet gets what the bars show. Which column a question's bars measure is
knowledge, kept in `templates/corpus-charts.toml`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rmpgraph import __version__
from rmpgraph.graph.serialize import atomic_write

__all__ = ["Question", "Bar", "Chart", "render_corpus", "write_corpus", "chart_of"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: drawing sizes (px): label column, longest bar, row pitch, bar height
LABEL_W, BAR_W, ROW_H, BAR_H = 300, 320, 22, 16


@dataclass(frozen=True)
class Question:
    """One cohort question's answer, as the page shows it: display text per
    column (labels for IRIs), in the query's row order."""

    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # as the table shows it
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    question: Question
    value_column: str
    unit: str
    bars: tuple[Bar, ...]
    height: int
    width: int
    label_width: int


@lru_cache(maxsize=1)
def _specs() -> dict[str, dict[str, object]]:
    path = TEMPLATES_DIR / "corpus-charts.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def chart_of(question: Question) -> Chart:
    """The bars of `question`: one per row, in row order, as long as the row's
    value relative to the largest (a row without a number draws a zero bar, so
    bars and table rows stay one to one)."""
    spec = _specs().get(question.name, {})
    value = str(spec.get("value", ""))
    if value not in question.columns:
        numeric = [c for c in question.columns
                   if question.rows and all(_number(r.get(c, "")) is not None
                                            for r in question.rows)]
        value = numeric[-1] if numeric else question.columns[-1]
    labels = [str(c) for c in spec.get("labels", []) if c in question.columns]  # type: ignore[union-attr]
    if not labels:
        labels = [c for c in question.columns if c != value]
    numbers = [_number(r.get(value, "")) or Decimal(0) for r in question.rows]
    top = max(numbers, default=Decimal(0))
    bars = tuple(
        Bar(label=" · ".join(r[c] for c in labels if r.get(c)),
            value=r.get(value, ""), y=i * ROW_H,
            width=int(BAR_W * n / top) if top > 0 else 0)
        for i, (r, n) in enumerate(zip(question.rows, numbers, strict=True)))
    return Chart(question=question, value_column=value,
                 unit=str(spec.get("unit", value)), bars=bars,
                 height=max(len(bars), 1) * ROW_H, width=LABEL_W + BAR_W + 60,
                 label_width=LABEL_W)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)),
                       autoescape=select_autoescape(["html", "j2"]),
                       undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


def render_corpus(questions: Sequence[Question], *, as_of: date, source: str,
                  scope: str = "the latest RMP of each product") -> str:
    """The HTML page: the same questions give the same bytes (no clock, no
    random ids; `as_of` and `source` are the caller's)."""
    template = _environment().get_template("corpus.html.j2")
    return template.render(charts=[chart_of(q) for q in questions], as_of=as_of,
                           source=source, scope=scope, version=__version__,
                           bar_h=BAR_H)


def write_corpus(output: str | Path, questions: Sequence[Question], *,
                 as_of: date, source: str) -> None:
    """Write the page atomically (a temporary sibling renamed)."""
    html = render_corpus(questions, as_of=as_of, source=source)
    atomic_write(output, lambda tmp: tmp.write_text(html, encoding="utf-8"))
