"""Versions of one product in the store: the prov:wasRevisionOf chain and refusals.

The RMP graphs here are written by hand (a few triples each: the RMP with its
version number and date, its product, its source's hash), so the expected order
is the one stated in each test, not one computed by the code under test.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from rmpgraph.errors import InputError
from rmpgraph.store.embedded import RmpStore
from rmpgraph.store.storeversions import VERSIONS_GRAPH, Version, order_key

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"
ID = "https://w3id.org/rmpgraph/id/"
TTL = """@prefix rmp: <https://w3id.org/rmpgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{id}{p}/rmp/{h}> a rmp:RiskManagementPlan ; {version}
    prov:wasDerivedFrom <{id}{p}/source/{h}> .
<{id}{p}/source/{h}> rmp:sha256 "{sha}" .
<{id}{p}> rmp:hasRiskManagementPlan <{id}{p}/rmp/{h}> ; rdfs:label "{label}" .
"""


def rmp_file(where: Path, name: str, product: str, h: str, number: str | None = None,
             day: str | None = None, sha: str | None = None) -> Path:
    """A one-RMP Turtle file; `h` is the 12-hex id, the hash repeats it."""
    version = ""
    if number is not None:
        version += f'rmp:versionNumber "{number}" ; '
    if day is not None:
        version += f'rmp:versionDate "{day}"^^xsd:date ; '
    path = where / f"{name}.ttl"
    path.write_text(TTL.format(id=ID, p=product, h=h, version=version,
                               sha=sha or h * 5 + "abcd", label=product.upper()),
                    encoding="utf-8")
    return path


def rmp(product: str, h: str) -> str:
    return f"{ID}{product}/rmp/{h}"


def links(store_dir: Path) -> set[tuple[str, str]]:
    raw = ox.Store.read_only(str(store_dir))
    out = {(q.subject.value, q.object.value) for q in raw.quads_for_pattern(
        None, None, None, ox.NamedNode(VERSIONS_GRAPH))}
    del raw
    return out


def all_quads(store_dir: Path) -> set[str]:
    raw = ox.Store.read_only(str(store_dir))
    out = {str(q) for q in raw}
    del raw
    return out


A1, A2, A3 = "a00000000001", "a00000000002", "a00000000003"
B1, B2 = "b00000000001", "b00000000002"


@pytest.fixture
def two_products(tmp_path: Path) -> Path:
    """Product alfa: 9.0 dated 2022, 8.9 and 8.10 both dated 2023-05-01 (so the
    oldest is 9.0, then 8.9, then 8.10); product bravo: two RMPs stating neither,
    loaded b2 first. Loaded in a shuffled order, in two loads."""
    a1 = rmp_file(tmp_path, "a1", "alfa", A1, "8.9", "2023-05-01")
    a2 = rmp_file(tmp_path, "a2", "alfa", A2, "8.10", "2023-05-01")
    a3 = rmp_file(tmp_path, "a3", "alfa", A3, "9.0", "2022-01-01")
    b1 = rmp_file(tmp_path, "b1", "bravo", B1)
    b2 = rmp_file(tmp_path, "b2", "bravo", B2)
    store_dir = tmp_path / "store"
    with RmpStore(store_dir) as store:
        store.load([a2, b2, a3])
        store.load([b1, a1])
    return store_dir


def test_consecutive_versions_are_linked(two_products: Path) -> None:
    assert links(two_products) == {
        (rmp("alfa", A1), rmp("alfa", A3)),   # 8.9 (2023) revises 9.0 (2022)
        (rmp("alfa", A2), rmp("alfa", A1)),   # 8.10 revises 8.9, same date
        (rmp("bravo", B1), rmp("bravo", B2)),  # no version stated: load order
    }


def test_a_load_killed_before_linking_is_linked_when_opened(tmp_path: Path) -> None:
    from fixtures.killed import load_killed_before_recount

    a1 = rmp_file(tmp_path, "a1", "alfa", A1, "8.9", "2023-05-01")
    a2 = rmp_file(tmp_path, "a2", "alfa", A2, "8.10", "2023-05-01")
    store_dir = tmp_path / "store"
    with RmpStore(store_dir) as store:
        store.load([a1])
    load_killed_before_recount(store_dir, [a2])
    assert links(store_dir) == set()  # as the killed load left it
    with RmpStore(store_dir, read_only=True) as store:
        assert store.list()  # opening it is what recomputes
    assert links(store_dir) == {(rmp("alfa", A2), rmp("alfa", A1))}


def test_latest_version_per_product_by_query(two_products: Path) -> None:
    latest = """PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT DISTINCT ?rmp WHERE { ?p rmp:hasRiskManagementPlan ?rmp
      FILTER NOT EXISTS { ?newer prov:wasRevisionOf ?rmp } }"""
    with RmpStore(two_products, read_only=True) as store:
        rows = store.query(latest)
    assert isinstance(rows, list)
    assert {str(r["rmp"]) for r in rows} == {rmp("alfa", A2), rmp("bravo", B1)}


def test_removal_relinks(two_products: Path) -> None:
    with RmpStore(two_products) as store:
        store.remove(f"https://w3id.org/rmpgraph/graph/alfa/{A1}")
    assert links(two_products) == {(rmp("alfa", A2), rmp("alfa", A3)),
                                   (rmp("bravo", B1), rmp("bravo", B2))}
    with RmpStore(two_products) as store:
        store.remove("bravo")
    assert links(two_products) == {(rmp("alfa", A2), rmp("alfa", A3))}


def test_same_number_different_content_is_refused(two_products: Path,
                                                  tmp_path: Path) -> None:
    clash = rmp_file(tmp_path, "a4", "alfa", "a00000000004", "8.10", "2024-01-01")
    before = all_quads(two_products)
    proc = subprocess.run([sys.executable, "-m", "rmpgraph", "load", "-q", "--store",
                           str(two_products), str(clash)], capture_output=True,
                          text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 2
    error = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(error) == 1 and "Traceback" not in proc.stderr
    assert "a4.ttl" in error[0] and "a2.ttl" in error[0] and "8.10" in error[0]
    assert all_quads(two_products) == before


def test_same_document_under_another_version_is_refused(two_products: Path,
                                                        tmp_path: Path) -> None:
    again = tmp_path / "again"
    again.mkdir()
    # a1's content hash, now claiming 8.11
    renumbered = rmp_file(again, "a1-renumbered", "alfa", A1, "8.11", "2023-05-01")
    before = all_quads(two_products)
    with RmpStore(two_products) as store, pytest.raises(InputError) as info:
        store.load([renumbered])
    message = str(info.value)
    del info  # its traceback holds the closed store's database open
    gc.collect()
    assert "a1-renumbered.ttl" in message and "8.9" in message and "8.11" in message
    assert all_quads(two_products) == before
    # the same file under its own version is simply skipped
    with RmpStore(two_products) as store:
        [outcome] = store.load([two_products.parent / "a1.ttl"])
    assert outcome.status == "skipped"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rmpgraph", *args],
                          capture_output=True, text=True, timeout=300, cwd=REPO)


def test_text_document_reloaded_with_a_version_is_refused(tmp_path: Path) -> None:
    store_dir = str(tmp_path / "store")
    assert _cli("load", "-q", "--store", store_dir, str(LEMTRADA)).returncode == 0
    before = all_quads(Path(store_dir))
    proc = _cli("load", "-q", "--store", store_dir, "--rmp-version", "9.1",
                str(LEMTRADA))
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 2  # the error and the summary
    assert "lemtrada.txt is already in the store" in proc.stderr
    assert "9.1" in proc.stderr and "Traceback" not in proc.stderr
    assert all_quads(Path(store_dir)) == before


@pytest.mark.parametrize(("args", "says"), [
    (("--rmp-version", "8.x"), "--rmp-version '8.x'"),
    (("--rmp-version", ""), "--rmp-version ''"),
    (("--rmp-date", "2024-13-01"), "--rmp-date '2024-13-01'"),
    (("--rmp-date", "1 May 2024"), "--rmp-date '1 May 2024'"),
    (("--rmp-version", "8.2", str(LEMTRADA)), "give one document, not 2"),
])
def test_malformed_version_options(tmp_path: Path, args: tuple[str, ...],
                                   says: str) -> None:
    store_dir = tmp_path / "store"
    proc = _cli("load", "--store", str(store_dir), *args, str(LEMTRADA))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and says in proc.stderr
    assert not store_dir.exists()


def _v(number: str | None, day: str | None, at: str = "t") -> Version:
    return Version(graph="g" + at, rmp="r", product="p", number=number, date=day,
                   file_name="f", loaded_at=at, sha256="s")


def test_order_key_compares_numbers_part_by_part() -> None:
    order = [_v("1.0", None), _v("1.2", None), _v("1.10", None), _v("2", None),
             _v("10.0.1", None), _v("10.0.1a", None), _v(None, None)]
    assert sorted(reversed(order), key=order_key) == order
    dated = [_v("9", "2020-01-01"), _v("1", "2021-06-30"), _v(None, "2021-07-01"),
             _v("0.1", None), _v(None, None, "t1"), _v(None, None, "t2")]
    assert sorted(reversed(dated), key=order_key) == dated


def test_versions_file_orders_real_documents(tmp_path: Path) -> None:
    """Two LEMTRADA texts loaded newest first, their versions from a --versions
    file: the older one (8.2, 2023) is revised by the newer (9.0, 2024)."""
    text = LEMTRADA.read_text(encoding="utf-8")
    newer = tmp_path / "lemtrada-9.txt"
    newer.write_text(text.replace("Important risks of LEMTRADA are risks",
                                  "Important risks of LEMTRADA are the risks", 1),
                     encoding="utf-8")
    table = tmp_path / "versions.tsv"
    table.write_text("# file\tversion\tdate\nlemtrada.txt\t8.2\t2023-01-31\n"
                     "lemtrada-9.txt\t9.0\t2024-02-29\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    proc = _cli("load", "-q", "--store", str(store_dir), "--versions", str(table),
                str(newer), str(LEMTRADA))
    assert proc.returncode == 0, proc.stderr
    with RmpStore(store_dir, read_only=True) as store:
        rmps = {e.file_name: e.rmp for e in store.list() if e.kind == "rmp"}
        rows = store.query("""PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>
          SELECT DISTINCT ?rmp ?v ?d WHERE { ?rmp rmp:versionNumber ?v ;
          rmp:versionDate ?d }""")
    assert isinstance(rows, list)
    assert {(str(r["rmp"]), str(r["v"]), str(r["d"])) for r in rows} == {
        (rmps["lemtrada.txt"], "8.2", "2023-01-31"),
        (rmps["lemtrada-9.txt"], "9.0", "2024-02-29")}
    assert links(store_dir) == {(rmps["lemtrada-9.txt"], rmps["lemtrada.txt"])}


@pytest.mark.parametrize(("line", "says"), [
    ("lemtrada.txt\t8,2\t2023-01-31", "versions.tsv:1: --rmp-version '8,2'"),
    ("lemtrada.txt\t8.2\t31/01/2023", "versions.tsv:1: --rmp-date '31/01/2023'"),
    ("lemtrada.txt", "versions.tsv:1: expected FILE-NAME<TAB>VERSION"),
])
def test_malformed_versions_file(tmp_path: Path, line: str, says: str) -> None:
    table = tmp_path / "versions.tsv"
    table.write_text(line + "\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    proc = _cli("load", "--store", str(store_dir), "--versions", str(table),
                str(LEMTRADA))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert says in proc.stderr
    assert not store_dir.exists()


def test_two_products_may_share_a_version_number(tmp_path: Path) -> None:
    """Sorvelta and Ostravel both state "version 2.0" (their running headers): two
    products, no conflict; each is its own latest version."""
    docs = REPO / "tests" / "fixtures" / "docs"
    with RmpStore(tmp_path / "s") as store:
        store.load([docs / "sorvelta.txt", docs / "ostravel.txt"])
        rows = store.query(
            "SELECT ?p WHERE { ?p <https://w3id.org/rmpgraph/ontology#"
            "hasRiskManagementPlan> ?r . FILTER NOT EXISTS { ?n "
            "<http://www.w3.org/ns/prov#wasRevisionOf> ?r } }")
    assert sorted(str(r["p"]).rsplit("/", 1)[1] for r in rows) == [  # type: ignore[index,union-attr]
        "ostravel", "sorvelta"]
