"""The report in a real headless Chromium, opened from file:// (issue 8).

Skipped when Debian's chromium is missing, except under CI=true where that is a
failure: CI installs it (.ci/run).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from browserlib import offline_page
from report_expect import ALL_CONCERNS, OVERDUE, OVERDUE_AS_OF

import rmpgraph
from rmpgraph.present.report import render_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    html = render_report(rmpgraph.build(str(LEMTRADA)).graph,
                         as_of=date.fromisoformat(OVERDUE_AS_OF),
                         sources=["lemtrada.txt"])
    path = tmp_path_factory.mktemp("report") / "lemtrada.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_report_in_chromium(report_file: Path) -> None:
    with offline_page(report_file) as visit:
        page = visit.page

        names = [" ".join(t.split()) for t in page.locator(
            "table.matrix tr.concern th[scope=row]").all_inner_texts()]
        assert len(names) == 23
        for expected in ALL_CONCERNS:
            assert sum(n.startswith(expected) for n in names) == 1, expected

        late = page.locator("table.milestones tr.overdue").all_inner_texts()
        assert len(late) == len(OVERDUE)
        for study, due in OVERDUE:
            assert any(t.startswith(study) and due in t for t in late), study
        assert page.locator("svg rect.bar.overdue").count() == len(OVERDUE)
        colour = page.locator("table.milestones tr.overdue td").first.evaluate(
            "e => getComputedStyle(e).backgroundColor")
        plain = page.locator("table.milestones tr:not(.overdue) td").first.evaluate(
            "e => getComputedStyle(e).backgroundColor")
        assert colour != plain

        # the filter works from file:// (vanilla JS ran)
        page.fill(".controls .f-text", "serious infections")
        assert page.locator("tr.concern:not(.hidden)").count() == 1
        page.fill(".controls .f-text", "")
        page.check(".controls .f-routine")
        shown = page.locator("tr.concern:not(.hidden)").count()
        assert 0 < shown < 23
        assert shown == page.locator("tr.concern.routine-only").count()
        page.uncheck(".controls .f-routine")

        # a cell link opens the quoted source line
        link = page.locator("tr.concern td.hit a").first
        target = link.get_attribute("href")
        assert target and target.startswith("#src-")
        link.focus()
        page.keyboard.press("Enter")
        assert page.locator(f"details{target}").evaluate("d => d.open")

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.goto(report_file.as_uri(), wait_until="load")
        page.screenshot(path=str(ARTIFACTS / "report-lemtrada.png"), full_page=True)
    assert visit.errors == []
    assert visit.offline_requests() == []
