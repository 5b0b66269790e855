"""The corpus page in a real headless Chromium, opened from file:// (issue 16).

Skipped when Debian's chromium is missing, except under CI=true where that is a
failure (as test_report_browser.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browserlib import need_chromium, offline_page

import rmpgraph
from rmpgraph.api.cohort import cohort, write_corpus_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
AS_OF = "2026-11-25"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    need_chromium()
    base = tmp_path_factory.mktemp("corpus-browser")
    with rmpgraph.Store(base / "store") as s:
        s.load([DOCS / f"{n}.txt" for n in ("ambrelta", "ostravel", "tremivast")])
    write_corpus_report(base / "store", base / "corpus.html", as_of=AS_OF)
    return base / "store", base / "corpus.html"


def test_corpus_page_in_chromium(corpus: tuple[Path, Path]) -> None:
    store, html = corpus
    answers = cohort(store, as_of=AS_OF)
    with offline_page(html) as visit:
        page = visit.page
        figures = page.locator("figure.question")
        assert figures.count() == len(answers)
        for i, (name, result) in enumerate(answers.items()):
            fig = figures.nth(i)
            assert name in fig.locator("figcaption").inner_text()
            bars = fig.locator("svg rect.bar")
            rows = fig.locator("table tbody tr")
            assert bars.count() == rows.count() == len(result.rows)
            if not result.rows:
                continue
            shown = fig.locator("svg text.value").all_text_contents()
            cells = fig.locator("table td.value").all_inner_texts()
            assert shown == cells
            assert all(any(str(v) == c for v in row.values())
                       for row, c in zip(result.rows, cells, strict=True))
            # every bar is drawn (laid out, non-negative width) inside its svg
            widths = [float(bars.nth(k).get_attribute("width") or "-1")
                      for k in range(bars.count())]
            assert min(widths) >= 0 and max(widths) > 0
        assert page.locator("figure.question svg").first.is_visible()
    assert visit.errors == []
    assert visit.offline_requests() == []
