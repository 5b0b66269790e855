"""The realistic benchmark corpus (bench/make_corpus.py, bench/corpus_plan.py).

What the generator promises (its docstring's distribution) is checked on the files
it writes: several products per ATC class, several versions for some products with
rising numbers and dates, 0-6 additional tools, studies of categories 1-3 with
milestones before and after today; and the parser reads every document as written,
additional tools included. Thresholds are the distribution's, written by hand.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import read_source

ROOT = Path(__file__).resolve().parent.parent
CATEGORY = {"important-identified-risk": "identified",
            "important-potential-risk": "potential",
            "missing-information": "missing"}
#: how the parser names the tools the generator writes (measure kind or material)
TOOL_READS = {"HCP guide": "hcp-guide", "HCP checklist": "hcp-checklist",
              "Patient guide": "patient-guide",
              "Patient alert card": "patient-alert-card",
              "Direct healthcare professional communication (DHPC)": "dhpc",
              "Controlled access programme": "controlled-access",
              "Pregnancy prevention programme": "pregnancy-prevention-programme"}


def _make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus",
                                                  ROOT / "bench" / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("realistic")
    _make_corpus().write_corpus(300, out)
    return out, json.loads((out / "manifest.json").read_text())


def _number(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


def test_products_versions_and_atc_classes(big: tuple[Path, dict]) -> None:
    out, manifest = big
    assert len(manifest) == 300
    by_product: dict[str, list[dict]] = defaultdict(list)
    for name in sorted(manifest):
        by_product[manifest[name]["product"]].append(manifest[name])
    sizes = Counter(len(v) for v in by_product.values())
    assert 120 < len(by_product) < 260 and sizes[1] > 0 and max(sizes) >= 3
    for versions in by_product.values():
        assert [v["ordinal"] for v in versions] == list(range(1, len(versions) + 1))
        dates = [v["version_date"] for v in versions]
        numbers = [_number(v["version"]) for v in versions]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
        assert len({v["atc"] for v in versions}) == 1
    per_class = Counter(v[0]["atc"][:5] for v in by_product.values())
    assert len(per_class) >= 12 and sorted(per_class.values())[-10] >= 3
    assert len({c[0] for c in per_class}) >= 4  # first levels A, C, J, L
    assert all(re.fullmatch(r"[ACJL]\d\d[A-Z]{2}\d\d", v["atc"])
               for v in manifest.values())
    tools = Counter(len(v[-1]["tools"]) for v in by_product.values())
    assert tools[0] > 0 and max(tools) >= 5 and max(tools) <= 7  # 6, +1 later
    # the ATC file gives every substance its code under a named class
    atc = (out / "atc.ttl").read_text(encoding="utf-8")
    for v in manifest.values():
        assert f'skos:notation "{v["atc"]}" ; skos:prefLabel "{v["substance"]}"@en' \
            in atc
    rows = (out / "versions.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["rmp-00001.txt", manifest["rmp-00001.txt"][
        "version"], manifest["rmp-00001.txt"]["version_date"]]


def test_studies_span_categories_and_years(big: tuple[Path, dict]) -> None:
    out, manifest = big
    categories = Counter(s["category"] for v in manifest.values()
                         for s in v["studies"].values())
    assert set(categories) == {1, 2, 3} and categories[3] > categories[1]
    years = [int(y) for p in sorted(out.glob("*.txt")) for y in re.findall(
        r"^Milestones: .*?$", p.read_text(encoding="utf-8"), re.M)
        for y in re.findall(r"\b(20\d\d)\b", y)]
    assert min(years) <= 2016 and max(years) >= 2033
    assert 0.3 < sum(y < 2026 for y in years) / len(years) < 0.7


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    module = _make_corpus()
    a = module.write_corpus(8, tmp_path / "a")
    b = module.write_corpus(8, tmp_path / "b")
    c = module.write_corpus(8, tmp_path / "c", seed=7)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    for name in ("manifest.json", "versions.tsv", "atc.ttl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name
                                                        ).read_bytes()


def test_every_document_reads_as_written(big: tuple[Path, dict]) -> None:
    out, manifest = big
    for name in sorted(manifest)[:25]:
        facts = manifest[name]
        doc = build_source(read_source(out / name)).document
        assert doc.issues == [], name
        counts = Counter(CATEGORY[c.category.value] for c in doc.concerns)
        assert {k: counts.get(k, 0) for k in facts["concerns"]} == facts["concerns"]
        assert {s.label: (s.category, len(s.milestones)) for s in doc.studies} == {
            n: (s["category"], s["milestones"]) for n, s in facts["studies"].items()}
        read = defaultdict(set)
        for c in doc.concerns:
            for m in c.additional:
                for kind in [m.kind, *m.materials]:
                    read[kind].add(c.name)
        for tool, concerns in facts["tools"].items():
            assert read[TOOL_READS[tool]] == set(concerns), (name, tool)
