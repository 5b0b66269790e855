"""Opening a page in a real headless Chromium from file://, offline, for the report
tests (product report and corpus page): skip or fail when chromium is missing, and
collect console errors and every request so a test can assert there were none."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("RMPGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def need_chromium() -> None:
    """Skip without Debian's chromium, except under CI=true where it is a failure:
    CI installs it (.ci/run)."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium not found at {CHROMIUM} (CI must install it)")
        pytest.skip(f"chromium not found at {CHROMIUM}")


@dataclass
class Visit:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def offline_requests(self) -> list[str]:
        """Requests that left the file (none may: the pages are self-contained)."""
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


@contextmanager
def offline_page(path: Path) -> Iterator[Visit]:
    """`path` loaded in Chromium, with its console errors and requests recorded."""
    need_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            visit = Visit(page)
            page.on("console",
                    lambda m: m.type == "error" and visit.errors.append(m.text))
            page.on("pageerror", lambda e: visit.errors.append(str(e)))
            page.on("request", lambda r: visit.requests.append(r.url))
            page.goto(path.as_uri(), wait_until="load")
            yield visit
        finally:
            browser.close()
