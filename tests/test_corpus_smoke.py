"""Small-N run of the benchmark corpus: generate, build, load, query.

The generator's manifest says what it wrote (concerns per category, studies with
category and milestone count); the parser must recover exactly that with no
ParseIssues, and the store must answer every stored query over the result.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import read_source
from rmpgraph.store.embedded import RmpStore, stored_query_texts

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
# LEMTRADA's II.C (data/rmp/lemtrada.txt; tests/fixtures/rmp/lemtrada.expected.json)
LEMTRADA_STUDIES = ["PASS OBS13434", "Drug Utilization Study",
                    "Risk of mortality study", "Pediatric study EFC13429"]
CATEGORY = {"important-identified-risk": "identified",
            "important-potential-risk": "potential",
            "missing-information": "missing"}


def _make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus",
                                                  ROOT / "bench" / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict]:
    out = tmp_path_factory.mktemp("corpus")
    paths = _make_corpus().write_corpus(5, out, realistic=False)
    return paths, json.loads((out / "manifest.json").read_text())


def test_generation_is_deterministic_and_varied(corpus: tuple[list[Path], dict],
                                                tmp_path: Path) -> None:
    paths, manifest = corpus
    again = _make_corpus().write_corpus(5, tmp_path, realistic=False)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    texts = {p.read_text(encoding="utf-8") for p in paths}
    assert len(texts) == 5
    totals = {sum(f["concerns"].values()) for f in manifest.values()}
    assert len(totals) > 1 and all(3 <= n <= 40 for n in totals)


def test_every_document_builds_as_written(corpus: tuple[list[Path], dict]) -> None:
    paths, manifest = corpus
    for path in paths:
        doc = build_source(read_source(path)).document
        facts = manifest[path.name]
        assert doc.issues == [], path.name
        counts = Counter(CATEGORY[c.category.value] for c in doc.concerns)
        assert {k: counts.get(k, 0) for k in facts["concerns"]} == facts["concerns"]
        assert {s.label: (s.category, len(s.milestones)) for s in doc.studies} == {
            name: (s["category"], s["milestones"])
            for name, s in facts["studies"].items()}


def test_corpus_loads_and_answers(corpus: tuple[list[Path], dict],
                                  tmp_path: Path) -> None:
    paths, manifest = corpus
    with RmpStore(tmp_path / "store") as store:
        outcomes = store.load([LEMTRADA, *paths], jobs=2)
        assert [o.status for o in outcomes] == ["loaded"] * 6
        texts = stored_query_texts()
        for name, text in texts.items():
            assert isinstance(store.query(text), list), name
        # the whole corpus: the query's defaults, not its examples (which may
        # scope it to one product)
        from rmpgraph.queries.stored import bind_for_engine, bind_params, load_queries

        def rows_of(name: str) -> list:  # type: ignore[type-arg]
            query = load_queries()[name]
            found = store.query(bind_for_engine(query.text, bind_params(query, {})))
            assert isinstance(found, list), name
            return found

        # every study the generator wrote (and LEMTRADA's four), under its product
        studies = {(str(r["product"]), str(r["study_label"]))
                   for r in rows_of("study-coverage")}
        assert studies == {(f["product"], name) for f in manifest.values()
                           for name in f["studies"]} | {
            ("LEMTRADA", name) for name in LEMTRADA_STUDIES}
        # the missing-information items per product (LEMTRADA: 3)
        missing = Counter(p for p, _ in {(str(r["product"]), r["concern"])
                                         for r in rows_of("missing-information-plan")})
        assert dict(missing) == {f["product"]: f["concerns"]["missing"]
                                 for f in manifest.values()
                                 if f["concerns"]["missing"]} | {"LEMTRADA": 3}
        concerns = load_queries()["concerns"]
        whole = bind_for_engine(concerns.text, bind_params(concerns, {}))
        rows = store.query(whole)
        assert isinstance(rows, list)
        per_product = Counter()
        for concern in {(str(r["product"]), r["concern"]) for r in rows}:
            per_product[concern[0]] += 1
        expected = {f["product"]: sum(f["concerns"].values())
                    for f in manifest.values()} | {"LEMTRADA": 23}
        assert dict(per_product) == expected
        # isolation: removing a generated document leaves LEMTRADA whole
        first = outcomes[1]
        store.remove(first.graph)
        left = store.query(whole)
        assert isinstance(left, list)
        products = {str(r["product"]) for r in left}
        assert manifest[paths[0].name]["product"] not in products
        assert len({r["concern"] for r in left
                    if str(r["product"]) == "LEMTRADA"}) == 23
