"""Store results are streamed (issue 16, item 4) and stay byte for byte what the
whole-result path writes.

`results.write_rows` writes rows as they come; on a store folder the child process
writes them to a pipe and the CLI copies them through (`storeguard.GuardedStore.
stream`). The reference for every byte is `results.render` over all the rows (the
path of files, graphs and endpoints), so a streamed answer cannot differ from the
one a user got before, or gets from the same data in a file.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef

import rmpgraph
from rmpgraph.cli.query import group, sparql
from rmpgraph.queries.results import render, write_rows
from rmpgraph.store import storeguard

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA = ROOT / "data" / "rmp" / "lemtrada.txt"
FORMATS = ["csv", "tsv", "json", "xml"]
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
AD_HOC = ("SELECT ?concern ?label WHERE { ?concern a rmp:SafetyConcern ; "
          "rdfs:label ?label } ORDER BY ?label ?concern")

# terms that each format escapes its own way: quotes, separators, line breaks,
# markup, non-ASCII, language tags, datatypes, blank nodes, unbound values
ROWS: list[dict[str, Any]] = [
    {"a": URIRef("https://example.org/x?y=1&z=2"),
     "b": Literal('say "hi", then\tgo')},
    {"a": Literal("line one\nline two\r\n</results>"), "b": Literal("été", lang="fr")},
    {"b": Literal("2026-01-31", datatype=XSD_DATE)},
    {"a": Literal(42), "b": BNode("b0")},
    {},
    {"a": Literal("x,y;z|w"), "b": Literal("<literal>&amp;")},
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("batch", [1, 2, 5, 1000])
@pytest.mark.parametrize("count", [0, 1, 6, 60])
def test_write_rows_is_render(fmt: str, batch: int, count: int) -> None:
    rows = (ROWS * 10)[:count]
    out = io.BytesIO()
    assert write_rows(fmt, ["a", "b"], iter(rows), out, batch=batch) == count
    assert out.getvalue() == render(fmt, ["a", "b"], rows).encode("utf-8")


class _Recorder(io.BytesIO):
    """A sink noting, at each write, how many rows the writer had pulled."""

    def __init__(self, pulled: list[int]) -> None:
        super().__init__()
        self.pulled = pulled
        self.at: list[int] = []

    def write(self, data: Any) -> int:
        self.at.append(self.pulled[0])
        return super().write(data)


def test_write_rows_writes_before_the_last_row_is_produced() -> None:
    pulled = [0]

    def rows() -> Any:
        for n in range(1000):
            pulled[0] = n + 1
            yield {"a": Literal(n)}

    sink = _Recorder(pulled)
    write_rows("csv", ["a"], rows(), sink, batch=100)
    assert sink.at[0] == 0  # the header, before any row
    assert sink.at[1] == 100  # the first batch, when 100 of 1000 were made
    assert len(sink.at) == 12  # header, 10 batches, tail


# ------------------------------------------------------------ on a real store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("stream") / "s")
    proc = subprocess.run([sys.executable, "-m", "rmpgraph", "load", "--store", path,
                           "-q", str(LEMTRADA)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return path


def _cli(*args: str) -> bytes:
    proc = subprocess.run([sys.executable, "-m", "rmpgraph", *args], cwd=ROOT,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_streamed_store_output_is_the_whole_result(store: str, lemtrada_graph: Graph,
                                                   fmt: str) -> None:
    streamed = _cli("query", "run", "concern-measures", "--store", store, "-f", fmt)
    whole = rmpgraph.query("concern-measures", store).serialize(fmt)
    assert streamed == whole.encode("utf-8")
    assert streamed.count(b"/concern/") > 20  # LEMTRADA's concerns, not a header
    # the same bytes the document itself gives, built from the text
    from_file = rmpgraph.query("concern-measures", lemtrada_graph).serialize(fmt)
    assert streamed == from_file.encode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_streamed_limit_offset_and_sparql(store: str, fmt: str) -> None:
    whole = rmpgraph.query("concern-measures", store)
    part = _cli("query", "run", "concern-measures", "--store", store, "-f", fmt,
                "--offset", "3", "--limit", "5")
    sliced = rmpgraph.query("concern-measures", store, offset=3, limit=5)
    assert sliced.rows == whole.rows[3:8]
    assert part == sliced.serialize(fmt).encode("utf-8")
    ad_hoc = _cli("sparql", AD_HOC, "--store", store, "-f", fmt)
    assert ad_hoc == rmpgraph.query(AD_HOC, store).serialize(fmt).encode("utf-8")


def test_output_file_gets_the_same_bytes(store: str, tmp_path: Path) -> None:
    target = tmp_path / "out.tsv"
    _cli("query", "run", "concern-measures", "--store", store, "-f", "tsv",
         "-o", str(target))
    assert target.read_bytes() == _cli("query", "run", "concern-measures",
                                       "--store", store, "-f", "tsv")
    assert os.listdir(tmp_path) == ["out.tsv"]


# ------------------------------------------------- the parent's half, a fake child


def _fake_child(monkeypatch: pytest.MonkeyPatch, code: str) -> list[str]:
    """The store's child replaced by `code` (the parent's copying is under test);
    the operations the parent asked of it, in order."""
    ops: list[str] = []

    def command(self: Any, op: str) -> list[str]:
        ops.append(op)
        return [sys.executable, "-c", code]

    monkeypatch.setattr(storeguard.GuardedStore, "_command", command)
    return ops


DIES_HALF_WAY = ("import os, signal, sys; sys.stdout.buffer.write(b'a\\r\\n1\\r\\n'); "
                 "sys.stdout.flush(); os.kill(os.getpid(), signal.SIGKILL)")


def test_error_half_way_leaves_no_file(store: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"
    target.write_text("the previous answer\n", encoding="utf-8")
    ops = _fake_child(monkeypatch, DIES_HALF_WAY)
    result = CliRunner().invoke(group, ["run", "concern-measures", "--store", store,
                                        "-f", "csv", "-o", str(target)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "ran out of memory" in lines[0], result.output
    assert target.read_text(encoding="utf-8") == "the previous answer\n"
    assert os.listdir(tmp_path) == ["out.csv"]  # no temporary file left
    assert ops == ["stream"]  # the CLI streamed: the child was asked to
    result = CliRunner().invoke(sparql, [AD_HOC, "--store", store, "-f", "json",
                                         "-o", str(tmp_path / "new.json")])
    assert result.exit_code == 2
    assert os.listdir(tmp_path) == ["out.csv"]


def test_parent_copies_bytes_as_they_come(store: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_child(monkeypatch, "import sys, time; out = sys.stdout.buffer; "
                             "out.write(b'first'); out.flush(); time.sleep(1.5); "
                             "out.write(b'last')")
    seen: list[tuple[float, bytes]] = []

    class Sink(io.BytesIO):
        def write(self, data: Any) -> int:
            seen.append((time.monotonic(), bytes(data)))
            return super().write(data)

    guarded = storeguard.GuardedStore(store)
    guarded.stream("SELECT ?a WHERE { ?a ?b ?c }", ["a"], "csv", Sink())
    assert b"".join(d for _, d in seen) == b"firstlast"
    assert seen[0][1] == b"first"
    assert seen[-1][0] - seen[0][0] > 1.0  # 'first' arrived before 'last' was made


def test_a_reader_that_stops_ends_the_run_quietly(store: str) -> None:
    """`rmpgraph sparql … | head -1`: once the reader is gone the run ends with
    141 (as a shell reports a process its pipe ended) and no error line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "rmpgraph", "sparql", "SELECT * WHERE { ?s ?p ?o }",
         "--store", store, "-f", "csv"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline() == b"s,p,o\r\n"
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""
