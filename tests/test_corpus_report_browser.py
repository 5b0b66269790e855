"""The corpus page in a real headless Chromium, opened from file:// (issue 16).

Skipped when Debian's chromium is missing, except under CI=true where that is a
failure (as test_report_browser.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import rmpgraph
from rmpgraph.api.cohort import cohort, write_corpus_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
CHROMIUM = os.environ.get("RMPGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
AS_OF = "2026-11-25"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium not found at {CHROMIUM} (CI must install it)")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    base = tmp_path_factory.mktemp("corpus-browser")
    with rmpgraph.Store(base / "store") as s:
        s.load([DOCS / f"{n}.txt" for n in ("ambrelta", "ostravel", "tremivast")])
    write_corpus_report(base / "store", base / "corpus.html", as_of=AS_OF)
    return base / "store", base / "corpus.html"


def test_corpus_page_in_chromium(corpus: tuple[Path, Path]) -> None:
    store, html = corpus
    sync_api = pytest.importorskip("playwright.sync_api")
    answers = cohort(store, as_of=AS_OF)
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html.as_uri(), wait_until="load")
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
        finally:
            browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
