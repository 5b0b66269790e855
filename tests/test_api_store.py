"""`rmpgraph.api` store functions (issue 17): what `load`, `remove`, `list`,
`check-store` and `push` call, usable from a notebook with a store directory.

Expected values come from the documents: two summaries, LEMTRADA and the fictional
CORVANTA (tests/fixtures/rmp/corvanta.txt names its product on its first line), so
two RMP graphs and the ontology and vocabulary graphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gsprecorder import recording

from rmpgraph import api
from rmpgraph.errors import InputError, UsageError, WrongTypeError

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"
CORVANTA = REPO / "tests" / "fixtures" / "rmp" / "corvanta.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("apistore") / "store"
    outcomes = api.load([LEMTRADA, CORVANTA], where)
    assert [o.status for o in outcomes] == ["loaded", "loaded"]
    return where


def test_load_skips_what_is_there_and_lists_both_products(store: Path) -> None:
    again = api.load([LEMTRADA], store)
    assert [o.status for o in again] == ["skipped"]
    entries = api.list_graphs(store)
    assert sorted(e.product_label for e in entries) == ["CORVANTA", "LEMTRADA"]
    assert sorted(e.file_name for e in entries) == ["corvanta.txt", "lemtrada.txt"]
    assert all(e.triples > 0 for e in entries)
    everything = api.list_graphs(store, include_vocabularies=True)
    assert sorted(e.kind for e in everything if e.kind != "rmp") == ["ontology",
                                                                     "vocab"]


def test_check_store_of_a_sound_store(store: Path) -> None:
    checked = api.check_store(store)
    assert checked and checked.findings == []
    listed = api.list_graphs(store, include_vocabularies=True)
    assert checked.graphs >= len(listed)  # catalogue and version graphs count too
    assert checked.quads >= sum(e.triples for e in listed)


def test_reads_of_a_missing_store_create_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-store"
    for read in (api.list_graphs, api.check_store):
        with pytest.raises(InputError, match="no-store"):
            read(missing)
    with pytest.raises(InputError):
        api.remove(["LEMTRADA"], missing)
    assert not missing.exists()


def test_remove_returns_what_went(tmp_path: Path) -> None:
    where = tmp_path / "store"
    api.load([LEMTRADA, CORVANTA], where)
    removed = api.remove(["corvanta"], where)
    assert [e.file_name for e in removed] == ["corvanta.txt"]
    assert [e.product_label for e in api.list_graphs(where)] == ["LEMTRADA"]


@pytest.mark.parametrize("kwargs,message", [
    ({"rmp_version": "v8"}, "expected a version number"),
    ({"rmp_date": "2024-13-01"}, "expected a date as YYYY-MM-DD"),
    ({"rmp_date": "1 May 2024"}, "expected a date as YYYY-MM-DD"),
])  # fmt: skip
def test_load_refuses_malformed_versions_before_opening(
        tmp_path: Path, kwargs: dict[str, str], message: str) -> None:
    where = tmp_path / "store"
    with pytest.raises(UsageError, match=message):
        api.load([LEMTRADA], where, **kwargs)
    assert not where.exists()


def test_one_version_for_two_documents_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="give one document, not 2"):
        api.load([LEMTRADA, CORVANTA], tmp_path / "s", rmp_version="8.2")


def test_read_versions_names_the_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "v.tsv"
    good.write_text("# file, version, date\nlemtrada.txt\t8.2\t2024-05-01\n"
                    "corvanta.txt\t3\n", encoding="utf-8")
    assert api.read_versions(good) == {"lemtrada.txt": ("8.2", "2024-05-01"),
                                       "corvanta.txt": ("3", None)}
    bad = tmp_path / "bad.tsv"
    bad.write_text("lemtrada.txt\t8.2\nonly-a-name\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.read_versions(bad)
    assert caught.value.line == 2 and "FILE-NAME<TAB>VERSION" in str(caught.value)


def test_store_must_be_a_path() -> None:
    with pytest.raises(WrongTypeError, match="store directory path"):
        api.list_graphs(42)  # type: ignore[arg-type]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    with recording() as found:
        yield found


Listener = tuple[str, list[tuple[str, str]]]


def test_push_one_product_with_progress(store: Path, listener: Listener) -> None:
    url, seen = listener
    ticks: list[tuple[int, int]] = []
    sent = api.push(store, url, ["LEMTRADA"],
                    progress=lambda done, total: ticks.append((done, total)))
    # its RMP graph, and the ontology and vocabulary graphs its queries need
    base = "https://w3id.org/rmpgraph/graph/"
    assert sorted(s for s in sent if not s.startswith(base + "lemtrada/")) == [
        base + "ontology", base + "vocab"]
    assert len(sent) == 3
    assert ticks == [(1, 3), (2, 3), (3, 3)]
    assert len(seen) == 3


def test_push_refuses_unknown_target_and_bad_url(
        store: Path, listener: Listener) -> None:
    url, seen = listener
    with pytest.raises(UsageError, match="'NOSUCH'.*nothing was pushed"):
        api.push(store, url, ["NOSUCH"])
    with pytest.raises(UsageError, match="http:// or https://"):
        api.push(store, "ftp://example.org/sparql")
    assert seen == []
