"""`rmpgraph cohort` as a user runs it (subprocess), on a store of the document
fixtures. Expected answers come from the hand-typed truth files
(tests/fixtures/docs/*.truth.json), never from the queries under test.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
# products of distinct names and version numbers (the store refuses two products
# claiming one version number today; sorvelta and velmoran are left out for that)
NAMES = ["ambrelta", "endravia", "halvoren", "ostravel", "pendrava", "quenzali",
         "tirelza", "tremivast"]
AS_OF = date(2026, 11, 25)
QUESTIONS = {"cohort/additional-measure-share", "cohort/additional-measure-tools",
             "cohort/concerns-per-rmp", "cohort/routine-only-concerns",
             "cohort/shared-meddra-concerns", "cohort/study-milestone-status"}
CATEGORY = "https://w3id.org/rmpgraph/vocab/concern-category/"


def _rmpgraph(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "rmpgraph", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def _truth() -> list[dict[str, Any]]:
    return [json.loads((DOCS / f"{n}.truth.json").read_text(encoding="utf-8"))
            for n in NAMES]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cohort") / "store"
    _rmpgraph("load", "--store", str(path), *(str(DOCS / f"{n}.txt") for n in NAMES))
    return path


@pytest.fixture(scope="module")
def answers(store: Path) -> dict[str, list[dict[str, str]]]:
    out = _rmpgraph("cohort", "--store", str(store), "--as-of", AS_OF.isoformat(),
                    "-f", "json").stdout
    doc = json.loads(out)
    assert set(doc) == QUESTIONS
    return {name: [{k: v["value"] for k, v in b.items()}
                   for b in q["results"]["results"]["bindings"]]
            for name, q in doc.items()}


def test_share_of_products_with_additional_measures(answers: dict) -> None:
    truth = _truth()
    with_additional = sum(any(c["additional_measures"] for c in t["concerns"])
                          for t in truth)
    rows = [r for r in answers["cohort/additional-measure-share"]
            if r["group"] == "all"]
    assert len(rows) == 1
    assert int(rows[0]["products"]) == len(NAMES)
    assert int(rows[0]["with_additional"]) == with_additional
    assert int(rows[0]["percent"]) == round(100 * with_additional / len(NAMES))


def test_routine_only_concerns_by_category(answers: dict) -> None:
    total: Counter[str] = Counter()
    routine: Counter[str] = Counter()
    for t in _truth():
        for c in t["concerns"]:
            total[c["category"]] += 1
            routine[c["category"]] += not c["additional_measures"]
    got = {r["category"].removeprefix(CATEGORY):
           (int(r["concerns"]), int(r["routine_only_concerns"]))
           for r in answers["cohort/routine-only-concerns"]}
    assert got == {k: (total[k], routine[k]) for k in total}


def test_concerns_per_rmp_distribution(answers: dict) -> None:
    expected: Counter[tuple[str, int]] = Counter()
    for t in _truth():
        per = Counter(c["category"] for c in t["concerns"])
        for cat in ("important-identified-risk", "important-potential-risk",
                    "missing-information"):
            expected[(cat, per[cat])] += 1
    got = {(r["category"].removeprefix(CATEGORY), int(r["concerns"])):
           int(r["rmps"]) for r in answers["cohort/concerns-per-rmp"]}
    assert got == dict(expected)


def test_additional_measure_tools(answers: dict) -> None:
    """The truth's vocabulary (hcp-guide ... pregnancy-prevention-programme) by
    number of products; other additional measures have no truth and are not
    compared."""
    products: Counter[str] = Counter()
    for t in _truth():
        for tool in {m for c in t["concerns"] for m in c["additional_measures"]}:
            products[tool] += 1
    got = {r["tool"].rsplit("/", 1)[1]: int(r["products"])
           for r in answers["cohort/additional-measure-tools"]}
    assert {k: got.get(k) for k in products} == dict(products)


def _status(end: str | None) -> str:
    if end is None:
        return "planned"
    due = date.fromisoformat(end)
    if due < AS_OF:
        return "overdue"
    return "due within 12 months" if due <= AS_OF.replace(
        year=AS_OF.year + 1) else "planned"


@pytest.mark.xfail(strict=True, reason=(
    "pdftotext prints the II.C tables of pendrava.txt (II.C.2, a row split by a "
    "page break) and quenzali.txt (II.C.1, a final report's date before the "
    "progress report's) out of order: their milestones cannot be paired with their "
    "studies, so those studies are read without milestones"))
def test_study_milestone_status(answers: dict) -> None:
    """Milestones by the truth's periods as of 2026-11-25 (no fixture says a
    milestone was submitted)."""
    _milestone_status(answers, unread=set())


# the studies whose milestones the text export does not let the reader pair
UNPAIRED = {"Pendrava/Pregnancy outcomes study PDR-PREG-301", "Pendrava/PDR-OPH-302",
            "Pendrava/PDR-PAED-303", "Pendrava/PDR-DUS-304", "Quenzali/QNZ-DUS-05"}


def test_study_milestone_status_where_the_text_pairs_them(answers: dict) -> None:
    _milestone_status(answers, unread=UNPAIRED)


def _milestone_status(answers: dict, unread: set[str]) -> None:
    studies: dict[tuple[str, str], set[str]] = {}
    milestones: Counter[tuple[str, str]] = Counter()
    for t in _truth():
        for s in t["studies"]:
            if f"{t['product']}/{s['name']}" in unread:
                continue
            for m in s["milestones"]:
                key = (f"https://w3id.org/rmpgraph/vocab/pv-category/{s['category']}",
                       _status(m["end"]))
                studies.setdefault(key, set()).add(f"{t['product']}/{s['name']}")
                milestones[key] += 1
    got = {(r["category"], r["status"]): (int(r["studies"]), int(r["milestones"]))
           for r in answers["cohort/study-milestone-status"]}
    assert got == {k: (len(v), milestones[k]) for k, v in studies.items()}


def test_no_meddra_terms_before_linking(answers: dict) -> None:
    assert answers["cohort/shared-meddra-concerns"] == []


def test_csv_one_document_and_one_file_per_question(store: Path,
                                                    tmp_path: Path) -> None:
    out = _rmpgraph("cohort", "--store", str(store), "--as-of", "2026-11-25",
                    "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["question"] for r in rows} == QUESTIONS - {
        "cohort/shared-meddra-concerns"}
    share = [r for r in rows if r["question"] == "cohort/additional-measure-share"]
    assert share[0]["products"] == str(len(NAMES))
    folder = tmp_path / "by-question"
    _rmpgraph("cohort", "--store", str(store), "--as-of", "2026-11-25",
              "-f", "csv", "-o", f"{folder}/")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        q.split("/")[1] + ".csv" for q in QUESTIONS)
    per_rmp = list(csv.DictReader(io.StringIO(
        (folder / "concerns-per-rmp.csv").read_text(encoding="utf-8"))))
    assert sum(int(r["rmps"]) for r in per_rmp) == 3 * len(NAMES)


def test_table_names_every_question_and_is_deterministic(store: Path) -> None:
    first = _rmpgraph("cohort", "--store", str(store), "--as-of", "2026-11-25")
    second = _rmpgraph("cohort", "--store", str(store), "--as-of", "2026-11-25")
    assert first.stdout == second.stdout
    for name in QUESTIONS:
        assert f"({name})" in first.stdout


def test_product_scope_by_name(store: Path) -> None:
    out = _rmpgraph("cohort", "--store", str(store), "--product", "Ostravel",
                    "-f", "json").stdout
    share = json.loads(out)["cohort/additional-measure-share"]
    rows = share["results"]["results"]["bindings"]
    assert [r["products"]["value"] for r in rows if r["group"]["value"] == "all"] \
        == ["1"]


@pytest.mark.parametrize("args, words", [
    (["--store", "/nonexistent/store"], "/nonexistent/store"),
    (["--as-of", "25/11/2026", "--store", "STORE"], "as_of"),
    (["--versions", "latest", "--rmp", "not an iri", "--store", "STORE"], "rmp"),
    ([], "exactly one"),
])
def test_bad_input_is_one_line_exit_2(store: Path, args: list[str],
                                      words: str) -> None:
    args = [str(store) if a == "STORE" else a for a in args]
    proc = _rmpgraph("cohort", *args, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in proc.stderr
    assert proc.stdout == ""
