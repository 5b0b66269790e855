"""HTML report on LEMTRADA: content, self-containment, CLI; parsed with html.parser."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_expect import ALL_CONCERNS, CONCERNS, OVERDUE, OVERDUE_AS_OF

import rmpgraph
from rmpgraph.present.report import render_report

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"


class Page(HTMLParser):
    """Collects what the tests look at: rows, ids, links, external references."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.external: list[str] = []
        self.rows: list[dict[str, str]] = []  # tr.concern / tr.milestone attributes
        self.row_text: list[str] = []
        self._row: dict[str, str] | None = None
        self._buf: list[str] = []
        self.ths_without_scope = 0
        self.captions = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        for key in ("src", "href"):
            if key in a and tag != "a" and not a[key].startswith(("#", "data:")):
                self.external.append(f"{tag} {key}={a[key]}")
        if tag == "th" and "scope" not in a:
            self.ths_without_scope += 1
        if tag == "caption":
            self.captions += 1
        if tag == "tr" and ("concern" in a.get("class", "").split()
                            or "milestone" in a.get("class", "").split()):
            self._row, self._buf = a, []

    def handle_data(self, data: str) -> None:
        if self._row is not None:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self.row_text.append(" ".join("".join(self._buf).split()))
            self._row = None


@pytest.fixture(scope="module")
def html() -> str:
    graph = rmpgraph.build(str(LEMTRADA)).graph
    return render_report(graph, as_of=date.fromisoformat(OVERDUE_AS_OF),
                         sources=["lemtrada.txt"])


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def _concern_rows(page: Page) -> list[tuple[dict[str, str], str]]:
    return [(r, t) for r, t in zip(page.rows, page.row_text, strict=True)
            if "concern" in r["class"].split()]


def test_all_23_concerns_in_category_groups(page: Page) -> None:
    rows = _concern_rows(page)
    assert len(ALL_CONCERNS) == 23
    assert len(rows) == 23
    for name in ALL_CONCERNS:
        assert sum(t.startswith(name) for _, t in rows) == 1, name
    slug = {"Important identified risk": "important-identified-risk",
            "Important potential risk": "important-potential-risk",
            "Missing information": "missing-information"}
    for category, names in CONCERNS.items():
        got = [t for r, t in rows if r["data-category"] == slug[category]]
        assert all(any(t.startswith(n) for t in got) for n in names)
        assert len(got) == len(names)


def test_routine_only_concerns_stand_out(page: Page) -> None:
    rows = dict((t.split(" routine only")[0].split(" ✓")[0], r)
                for r, t in _concern_rows(page))
    # Table 2 (IARs): "Additional risk minimization measures: None" (source text)
    iar = next(r for t, r in rows.items() if t.startswith("Infusion Associated"))
    assert "routine-only" in iar["class"].split()
    # Table 12 (Serious infections) lists the educational materials
    inf = next(r for t, r in rows.items() if t.startswith("Serious infections"))
    assert "routine-only" not in inf["class"].split()


def test_overdue_milestones_marked(page: Page) -> None:
    late = [t for r, t in zip(page.rows, page.row_text, strict=True)
            if r.get("data-overdue") == "true"]
    assert {(study, due) for study, due in OVERDUE
            if any(t.startswith(study) and due in t for t in late)} == OVERDUE
    assert len(late) == len(OVERDUE)
    assert all("Overdue" in t for t in late)


def test_nothing_overdue_before_the_due_date() -> None:
    graph = rmpgraph.build(str(LEMTRADA)).graph
    html = render_report(graph, as_of=date(2024, 9, 30), with_findings=False)
    assert 'data-overdue="true"' not in html


def test_self_contained_and_links_resolve(page: Page, html: str) -> None:
    assert page.external == []
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet|@import|url\(", html)
    missing = sorted(set(page.links) - page.ids)
    assert missing == []


def test_source_lines_are_quoted(html: str) -> None:
    # line 245 of the source: the DUS final report in Table 2
    assert re.search(r'id="src-lemtrada-rmp-[0-9a-f]{12}-source-L245-L245"', html)
    assert "Final report: Q3 2024</pre>" in html


def test_accessibility_basics(page: Page, html: str) -> None:
    assert page.ths_without_scope == 0
    assert page.captions >= 2
    assert '<html lang="en">' in html
    assert "@media print" in html


def test_product_card(html: str) -> None:
    text = LEMTRADA.read_text(encoding="utf-8")
    import hashlib

    digest = hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()
    assert digest in html
    assert "alemtuzumab" in html
    assert "intravenous (IV) infusion" in html
    assert 'href="https://www.ema.europa.eu/en/medicines/human/EPAR/lemtrada"' in html


def test_findings_section_links_concerns(html: str, page: Page) -> None:
    assert 'id="findings"' in html
    pytest.importorskip("rmpgraph.check.validate")
    rows = html.split('id="findings"', 1)[1].split("</table>", 1)[0]
    # the source's only broken cross-reference: line 539, in the PAH table
    line = next(n for n, text in enumerate(
        LEMTRADA.read_text(encoding="utf-8").split("\n"), 1)
        if "Error! Reference source not found" in text)
    row = next(r for r in rows.split("<tr")
               if "Reference source not found" in r)
    assert "Pulmonary alveolar haemorrhage</a>" in row
    assert re.search(rf'href="#src-[^"]*-L{line}-L{line}"', row)
    assert re.search(r'href="#concern-[0-9a-f]{12}"', row)


def test_cli_writes_report_and_rejects_bad_date(tmp_path: Path) -> None:
    # invoked directly: registration in rmpgraph.cli.COMMANDS is the lead's
    from click.testing import CliRunner

    from rmpgraph.cli.report import command

    out = tmp_path / "r.html"
    args = [str(LEMTRADA), "-o", str(out), "--no-validate"]
    bad = CliRunner().invoke(command, args + ["--as-of", "Q3 2024"])
    assert bad.exit_code == 2
    assert bad.output.count("\n") == 1 and "--as-of" in bad.output
    assert not out.exists()
    ok = CliRunner().invoke(command, args + ["--as-of", OVERDUE_AS_OF])
    assert ok.exit_code == 0, ok.output
    assert out.read_text(encoding="utf-8").count('data-overdue="true"') == 2


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rmpgraph.cli.report import command

    missing = tmp_path / "nope.txt"
    res = CliRunner().invoke(command, [str(missing), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and "nope.txt" in res.output


class Matrix(HTMLParser):
    """Per plan: column headers and, per concern row, the headers of its ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.plans: dict[str, dict[str, object]] = {}
        self._plan: dict[str, object] | None = None
        self._in: str | None = None  # "h2", "col", "row"
        self._text: list[str] = []
        self._row: dict[str, object] | None = None
        self._cell = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "h2" and a.get("id", "").startswith("plan-"):
            self._in, self._text = "h2", []
        elif tag == "th" and a.get("class", "").startswith("col-") \
                and self._plan is not None:
            self._in, self._text = "col", []
        elif tag == "tr" and "concern" in a.get("class", "").split() \
                and self._plan is not None:
            self._row = {"classes": a["class"].split(), "hits": [], "name": ""}
            self._cell = -1
        elif tag == "th" and self._row is not None and a.get("scope") == "row":
            self._in, self._text = "row", []
        elif tag == "td" and self._row is not None:
            self._cell += 1
            if "hit" in a.get("class", "").split():
                cols = self._plan["columns"]  # type: ignore[index]
                self._row["hits"].append(cols[self._cell])  # type: ignore[union-attr]

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if tag == "h2" and self._in == "h2":
            self._plan = {"columns": [], "rows": []}
            self.plans[text] = self._plan
        elif tag == "th" and self._in == "col":
            self._plan["columns"].append(text)  # type: ignore[index,union-attr]
        elif tag == "th" and self._in == "row" and self._row is not None:
            self._row["name"] = text.removesuffix(" routine only")
        elif tag == "tr" and self._row is not None:
            self._plan["rows"].append(self._row)  # type: ignore[index,union-attr]
            self._row = None
        if tag in ("h2", "th"):
            self._in = None


FIXTURES = ROOT / "tests" / "fixtures" / "rmp"


def test_store_report_matches_hand_written_oracles(tmp_path: Path) -> None:
    """Several RMPs in one page; each matrix row agrees with its expected.json."""
    import json

    from rmpgraph.present.report import write_report

    oracles = {p.name.removesuffix(".expected.json"): json.loads(p.read_text("utf-8"))
               for p in sorted(FIXTURES.glob("*.expected.json"))}
    inputs = [str(FIXTURES / f"{n}.txt") for n in oracles if (FIXTURES / f"{n}.txt")
              .exists()] + [str(LEMTRADA)]
    out = tmp_path / "store.html"
    write_report(inputs, out, as_of=date.fromisoformat(OVERDUE_AS_OF),
                 with_findings=False)
    text = out.read_text(encoding="utf-8")
    late = [m for n in {Path(i).name.removesuffix(".txt") for i in inputs}
            for s in oracles[n]["studies"] for m in s["milestones"]
            if m.get("end") and m["end"] < OVERDUE_AS_OF]
    assert text.count('data-overdue="true"') == len(late)
    parsed = Matrix()
    parsed.feed(text)
    names = {Path(i).name.removesuffix(".txt") for i in inputs}
    assert len(names) >= 6 and "lemtrada" in names
    assert sorted(parsed.plans) == sorted(oracles[n]["product"] for n in names)
    for name in names:
        oracle = oracles[name]
        plan = parsed.plans[oracle["product"]]
        rows = {r["name"]: r for r in plan["rows"]}  # type: ignore[union-attr]
        assert len(rows) == len(oracle["concerns"]), name
        for concern in oracle["concerns"]:
            row = rows[" ".join(concern["name"].split())]
            sections = {h for h in row["hits"] if h.startswith(("SmPC", "PL"))}
            assert sections == set(concern["routine_label_sections"]), (
                name, concern["name"])
            assert ("routine-only" in row["classes"]) == (
                not concern["additional_measures"]), (name, concern["name"])
