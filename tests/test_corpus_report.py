"""The corpus page (`rmpgraph report --store`): one chart per cohort question, each
with as many bars as its table has rows and the numbers of the query's answer;
self-contained, byte-identical for the same store. The browser test is in
test_corpus_report_browser.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

import rmpgraph
from rmpgraph.api.cohort import cohort, cohort_questions, write_corpus_report
from rmpgraph.present.corpus import Question, chart_of, render_corpus

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
NAMES = ["ambrelta", "halvoren", "ostravel", "tirelza"]
AS_OF = "2026-11-25"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "store"
    with rmpgraph.Store(path) as s:
        s.load([DOCS / f"{n}.txt" for n in NAMES])
    return path


@pytest.fixture(scope="module")
def page(store: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("page") / "corpus.html"
    proc = subprocess.run([sys.executable, "-m", "rmpgraph", "report", "--store",
                           str(store), "-o", str(out), "--as-of", AS_OF],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


class _Figures(HTMLParser):
    """Per figure: its caption, the values of its bars, its table's header cells
    and the value cells of its rows."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "figure":
            self.figures.append({"caption": "", "marks": [], "th": [], "rows": 0,
                                 "values": []})
        fig = self.figures[-1] if self.figures else None
        if fig is not None:
            if tag == "g" and "mark" in (a.get("class") or ""):
                fig["marks"].append(a["data-value"])
            if tag == "tr" and "tbody" in self._in:
                fig["rows"] += 1
        self._in.append(tag if tag != "td" or "value" not in (a.get("class") or "")
                        else "td.value")

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop().split(".")[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.figures or not self._in:
            return
        fig = self.figures[-1]
        if "figcaption" in self._in:
            fig["caption"] += data
        elif self._in[-1] == "th" and "thead" in self._in:
            fig["th"].append(data)
        elif self._in[-1] == "td.value":
            fig["values"].append(data)


def test_one_figure_per_question_with_its_numbers(store: Path, page: str) -> None:
    parser = _Figures()
    parser.feed(page)
    answers = cohort(store, as_of=AS_OF)
    assert len(parser.figures) == len(answers) == len(cohort_questions()) == 6
    for fig, (name, result) in zip(parser.figures, answers.items(), strict=True):
        assert name in fig["caption"]
        assert fig["rows"] == len(fig["marks"]) == len(result.rows)
        if result.rows:
            assert fig["th"] == list(result.variables)
            value = chart_of(Question(name, "", "", result.variables, ())).value_column
            expected = [str(r[value]) for r in result.rows]
            assert fig["marks"] == expected and fig["values"] == expected


def test_concerns_per_rmp_counts_every_product_once_per_category(page: str) -> None:
    """Four products, three categories: the RMPs of each category's rows add up to
    four (a category an RMP does not list is a row with 0 concerns)."""
    table = re.search(r'<table data-question="cohort/concerns-per-rmp">.*?</table>',
                      page, re.S)
    assert table
    totals: dict[str, int] = {}
    for row in re.findall(r"<tr><td>(.*?)</td><td>\d+</td>"
                          r'<td class="num value">(\d+)</td></tr>', table.group(0)):
        totals[row[0]] = totals.get(row[0], 0) + int(row[1])
    assert totals == {"Important identified risk": 4, "Important potential risk": 4,
                      "Missing information": 4}


def test_self_contained_and_deterministic(store: Path, page: str,
                                          tmp_path: Path) -> None:
    assert not re.search(r'(src|href)="(?!#)', page)
    assert "<script" not in page and "@import" not in page and "url(" not in page
    again = tmp_path / "again.html"
    write_corpus_report(str(store), again, as_of=date.fromisoformat(AS_OF))
    assert again.read_text(encoding="utf-8") == page


def test_bars_scale_to_the_largest_value() -> None:
    q = Question("cohort/x", "T", "D", ("k", "n"),
                 ({"k": "a", "n": "10"}, {"k": "b", "n": "5"}, {"k": "c", "n": "0"}))
    chart = chart_of(q)
    widths = [b.width for b in chart.bars]
    assert widths[0] == 2 * widths[1] > 0 and widths[2] == 0
    html = render_corpus([q], as_of=date(2026, 1, 1), source="s")
    assert html.count('class="bar"') == 3 and "<figcaption" in html


def test_bad_store_and_date_one_line_exit_2(store: Path, tmp_path: Path) -> None:
    for args in (["--store", str(tmp_path / "missing")],
                 ["--store", str(store), "--as-of", "25/11/2026"]):
        out = tmp_path / "x.html"
        proc = subprocess.run([sys.executable, "-m", "rmpgraph", "report", *args,
                               "-o", str(out)], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
        assert proc.returncode == 2
        assert len(proc.stderr.strip().splitlines()) == 1
        assert not out.exists()
