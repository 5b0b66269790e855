"""`rmpgraph diff` and the stored query `version-changes` agree (issue 15, item 2).

They answer the same question two ways: diff compares two graphs by content (it
pairs concerns by name and II.B content, so it also sees renames), the query compares
two versions in one graph by their lineage nodes. On every fixture pair they must
report the same concerns added, removed and re-categorised, the same studies added
and completed, the same milestones moved, and the same label sections and
educational materials added to or removed from a concern. (A rename is one change
for diff and a removal plus an addition for the query, whose identity is the
lineage; the wording of a bullet is diff's alone.)

Pairs: LEMTRADA and its diff variants (tests/fixtures/diff/variants.py) and the
three LORTAVEX versions (tests/fixtures/versions/variants.py).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF

from rmpgraph import api
from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import SourceText, read_source

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"


def _module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DIFF = _module(ROOT / "tests" / "fixtures" / "diff" / "variants.py", "diff_variants")
VERS = _module(ROOT / "tests" / "fixtures" / "versions" / "variants.py",
               "versions_variants")

Fact = tuple[str, str, str]  # (change, concern or study, measure or "")

_CONCERN = {"concern-added": "concern added", "concern-removed": "concern removed",
            "concern-recategorised": "concern re-categorised"}


def _section(label: str) -> str:
    """"SmPC 4.4 Special warnings…" / qrd IRI "…/qrd/smpc-4-4" -> "smpc-4-4"."""
    if "/qrd/" in label:
        return label.rsplit("/", 1)[1]
    doc, number = label.split()[:2]
    return f"{doc.lower()}-{number.replace('.', '-')}"


def _from_diff(old: Graph, new: Graph) -> set[Fact]:
    out: set[Fact] = set()
    for c in api.diff(old, new).changes:
        if c.change in _CONCERN:
            out.add((_CONCERN[c.change], c.subject, ""))
        elif c.change == "concern-renamed":
            out |= {("concern removed", c.old, ""), ("concern added", c.new, "")}
        elif c.change in ("study-added", "study-removed"):
            out.add(("study added" if c.change == "study-added" else "study completed",
                     c.subject, ""))
        elif c.change == "milestone-moved":
            out.add(("milestone moved", c.subject, ""))
        elif c.change.startswith(("label-section-", "material-")):
            change = ("measure added" if c.change.endswith("-added")
                      else "measure removed")
            item = _section(c.detail) if c.change.startswith("label") \
                else c.detail.lower()
            out.add((change, c.subject, item))
    return out


def _from_query(old: Graph, new: Graph) -> set[Fact]:
    both = Graph()
    both += old
    both += new
    (older,) = set(old.subjects(RDF.type, RMP.RiskManagementPlan))
    (newer,) = set(new.subjects(RDF.type, RMP.RiskManagementPlan))
    both.add((newer, PROV.wasRevisionOf, older))
    out: set[Fact] = set()
    for row in api.query("version-changes", both).rows:
        change, item = str(row["change"]), str(row["item_label"])
        if change.startswith("measure"):
            detail = str(row["detail"])
            if not (detail.startswith(("SmPC ", "PL ")) or _is_material(both, detail)):
                continue  # kind-keyed measures (treatment setting …): no diff kind
            item_key = _section(detail) if detail.startswith(("SmPC ", "PL ")) \
                else detail.lower()
            out.add((change, item, item_key))
        else:
            out.add((change, item, ""))
    return out


def _is_material(graph: Graph, label: str) -> bool:
    from rdflib.namespace import RDFS

    return any((m, RDF.type, RMP.EducationalMaterial) in graph
               for m in graph.subjects(RDFS.label, Literal(label)))


def _graph(text: str, name: str, version: str | None = None,
           day: str | None = None) -> Graph:
    source = SourceText(path=name, text=text, encoding="utf-8")
    return build_source(source, rmp_version=version, rmp_date=day).graph


def _lemtrada_pairs() -> list[tuple[str, Callable[[], tuple[Graph, Graph]]]]:
    text = read_source(LEMTRADA).text
    names = ["before_aie_aac", "renamed", "recategorised", "milestone_moved",
             "no_alert_card", "without_aie", "without_aie_hepatitis_renamed"]

    def pair(name: str) -> Callable[[], tuple[Graph, Graph]]:
        return lambda: (_graph(text, "lemtrada.txt"),
                        _graph(getattr(DIFF, name)(text), f"{name}.txt"))
    return [(f"lemtrada-{n}", pair(n)) for n in names]


def _lortavex_pairs() -> list[tuple[str, Callable[[], tuple[Graph, Graph]]]]:
    text = VERS.LORTAVEX.read_text(encoding="utf-8")
    order = list(VERS.VERSIONS)

    def pair(a: str, b: str) -> Callable[[], tuple[Graph, Graph]]:
        return lambda: tuple(  # type: ignore[return-value]
            _graph(VERS.MAKERS[v](text), f"lortavex-{v}.txt", v, VERS.VERSIONS[v])
            for v in (a, b))
    return [(f"lortavex-{a}-{b}", pair(a, b)) for a, b in zip(order, order[1:],
                                                               strict=False)]


PAIRS = _lemtrada_pairs() + _lortavex_pairs()


@pytest.mark.parametrize("make", [m for _, m in PAIRS], ids=[n for n, _ in PAIRS])
def test_diff_and_version_changes_agree(make: Callable[[], tuple[Graph, Graph]]
                                        ) -> None:
    old, new = make()
    by_diff, by_query = _from_diff(old, new), _from_query(old, new)
    assert by_diff  # every pair changes something
    assert by_diff == by_query
