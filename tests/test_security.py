"""No network at run time; no XML entity tricks.

The `offline` fixture blocks sockets with monkeypatch (independently of
rmpgraph.netguard, which is tested separately) and records every attempt, so a test
fails if anything *tried* to connect, even when the caller swallowed the error.
Sanity tests prove the fixture and the attack files are real: unprotected rdflib
does reach for the network on the same JSON-LD files.
"""

from __future__ import annotations

import json
import shutil
import socket
import tracemalloc
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from rmpgraph.errors import InputError, UsageError
from rmpgraph.graph import rdfio
from rmpgraph.graph.rdfio import parse_rdf
from rmpgraph.netguard import NetworkBlockedError, no_network
from rmpgraph.paths import ONTOLOGY_DIR

REPO = Path(__file__).resolve().parent.parent
BAD = REPO / "tests" / "fixtures" / "bad"
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"


class _BlockedError(OSError):
    pass


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Block DNS and Internet sockets; the list collects what was attempted."""
    seen: list[str] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            seen.append(f"connect {address!r}")
            raise _BlockedError(f"test blocked connect to {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        seen.append(f"connect_ex {address!r}")
        raise _BlockedError(f"test blocked connect_ex to {address!r}")

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list[object]:
        seen.append(f"getaddrinfo {host!r}")
        raise _BlockedError(f"test blocked DNS lookup of {host!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


@pytest.fixture
def offline(attempts: list[str]) -> Iterator[None]:
    """Like `attempts`, and the test fails if anything tried the network."""
    yield
    assert attempts == [], f"network was attempted: {attempts}"


# --- the fixture and the attack files are real -------------------------------------

def test_fixture_blocks_and_records_urllib(attempts: list[str]) -> None:
    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.invalid/", timeout=1)
    assert attempts == ["getaddrinfo 'example.invalid'"]


@pytest.mark.parametrize("name", ["remote-context.jsonld",
                                  "scoped-remote-context.jsonld",
                                  "import-remote-context.jsonld"])
def test_plain_rdflib_would_fetch_these_contexts(attempts: list[str],
                                                 name: str) -> None:
    with warnings.catch_warnings(), pytest.raises(Exception):  # noqa: B017
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib-internal
        Graph().parse(BAD / name, format="json-ld")  # any failure; the try counts
    assert attempts == ["getaddrinfo 'context.invalid'"]


# --- JSON-LD -----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "iri"), [
    ("remote-context.jsonld", "http://context.invalid/remote-context.jsonld"),
    ("scoped-remote-context.jsonld", "http://context.invalid/scoped.jsonld"),
    ("import-remote-context.jsonld", "http://context.invalid/imported.jsonld"),
])
def test_remote_jsonld_context_is_refused_offline(offline: None, name: str,
                                                  iri: str) -> None:
    with pytest.raises(InputError) as info:
        parse_rdf(BAD / name)
    message = str(info.value)
    assert message.startswith(f"{BAD / name}: JSON-LD context '{iri}'")
    assert "never uses the network" in message and "\n" not in message


def test_inline_jsonld_context_parses_offline(offline: None) -> None:
    graph = parse_rdf(BAD / "inline-context.jsonld")
    assert [(str(s), str(p), str(o)) for s, p, o in graph] == [
        ("http://example.org/doc", "http://example.org/note",
         "inline contexts need no network")]


def test_context_iri_is_served_from_bundled_file(offline: None, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    context = tmp_path / "ctx.jsonld"
    context.write_text(json.dumps({"@context": {"note": "http://example.org/n"}}))
    iri = "https://w3id.org/rmpgraph/test-context.jsonld"
    monkeypatch.setitem(rdfio.LOCAL_CONTEXTS, iri, context)
    doc = tmp_path / "doc.jsonld"
    doc.write_text(json.dumps({"@context": iri, "@id": "http://example.org/d",
                               "note": "v"}))
    graph = parse_rdf(doc)
    assert {(str(p), str(o)) for _, p, o in graph} == {("http://example.org/n", "v")}


def test_real_bundled_context_resolves_offline(offline: None, tmp_path: Path) -> None:
    iri, path = next(iter(rdfio.LOCAL_CONTEXTS.items()))
    assert path == ONTOLOGY_DIR / "context.jsonld" and path.is_file()
    doc = tmp_path / "doc.jsonld"
    doc.write_text(json.dumps({"@context": iri, "@id": "id:rmp/x",
                               "rdfs:label": "x"}))
    graph = parse_rdf(doc)
    assert [str(s) for s in graph.subjects()] == ["https://w3id.org/rmpgraph/id/rmp/x"]


# --- XML ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "line"), [
    ("xxe-file.rdf", 3), ("xxe-http.rdf", 3), ("xxe-external-dtd.rdf", 3),
    ("billion-laughs.rdf", 3),
])
def test_xml_doctype_and_entities_are_refused(offline: None, name: str,
                                              line: int) -> None:
    with pytest.raises(InputError) as info:
        parse_rdf(BAD / name)
    message = str(info.value)
    assert message.startswith(f"{BAD / name}:{line}: XML DOCTYPE declaration refused")
    assert "root:" not in message and "\n" not in message


@pytest.mark.parametrize("suffix", [".owl", ".xml"])
def test_every_xml_suffix_is_prescanned(offline: None, tmp_path: Path,
                                        suffix: str) -> None:
    path = tmp_path / f"attack{suffix}"
    shutil.copy(BAD / "xxe-file.rdf", path)
    with pytest.raises(InputError, match="XML DOCTYPE declaration refused"):
        parse_rdf(path)


def test_entity_checks_hold_without_the_doctype_switch(
        offline: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: with DOCTYPEs allowed, entity declarations stay refused."""
    monkeypatch.setitem(rdfio.XML_POLICY, "forbid_dtd", False)
    for name, line in (("xxe-file.rdf", 4), ("billion-laughs.rdf", 4)):
        with pytest.raises(InputError, match="XML entity declaration refused") as info:
            parse_rdf(BAD / name)
        assert info.value.line == line


def test_external_dtd_is_refused_without_the_doctype_switch(
        offline: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(rdfio.XML_POLICY, "forbid_dtd", False)
    with pytest.raises(InputError, match="XML external reference refused") as info:
        parse_rdf(BAD / "xxe-external-dtd.rdf")
    assert info.value.line == 3


def test_billion_laughs_is_refused_in_bounded_memory(offline: None) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(InputError):
            parse_rdf(BAD / "billion-laughs.rdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # the full expansion would be ~3 GB


def test_plain_rdfxml_still_parses_offline(offline: None) -> None:
    graph = parse_rdf(BAD / "plain.rdf")
    assert [str(o) for o in graph.objects()] == ["plain RDF/XML without a DOCTYPE"]


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.rdf"
    path.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="x">\n<a>\n</rdf:RDF>\n')
    with pytest.raises(InputError, match="not well-formed XML") as info:
        parse_rdf(path)
    assert info.value.line == 4


def test_rdf_input_size_limit_is_checked_on_stat(tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    with path.open("wb") as fh:
        fh.truncate(3 * 1024 * 1024)  # sparse: never really read
    with pytest.raises(InputError, match="above the RDF input limit"):
        parse_rdf(path, max_bytes=1024 * 1024)


# --- the pipeline end to end -------------------------------------------------------

def test_build_text_and_pdf_offline(offline: None, tmp_path: Path) -> None:
    from fpdf import FPDF

    import rmpgraph

    graph = rmpgraph.build(LEMTRADA)
    assert len(graph) > 1000
    pdf = FPDF()
    pdf.set_font("Helvetica", size=9)
    pdf.add_page()
    for line in LEMTRADA.read_text(encoding="utf-8").split("\n")[:40]:
        pdf.cell(0, 4, line.strip().encode("latin-1", "replace").decode("latin-1"),
                 new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "s.pdf"))
    from rmpgraph.parse.read import read_source

    assert read_source(tmp_path / "s.pdf").text.strip()


def test_cli_build_writes_all_formats_offline(offline: None, tmp_path: Path) -> None:
    from rmpgraph.cli.build import command

    outs = [tmp_path / f"out{suffix}" for suffix in (".ttl", ".jsonld", ".nt")]
    for out in outs:
        result = CliRunner().invoke(command, [str(LEMTRADA), "-o", str(out)])
        assert result.exit_code == 0, result.output
    graphs = [parse_rdf(out) for out in outs]  # JSON-LD output parses without fetching
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_sparql_service_is_refused_offline(offline: None) -> None:
    from rmpgraph.queries.stored import execute

    graph = parse_rdf(BAD / "plain.rdf")
    query = ("SELECT ?o WHERE { SERVICE <http://sparql.invalid/endpoint> "
             "{ ?s ?p ?o } }")
    with pytest.raises(UsageError, match="SERVICE"):
        execute(query, graph)


def test_sparql_from_is_refused_offline(offline: None) -> None:
    """rdflib loads FROM graphs over HTTP by default; that must never happen."""
    from rmpgraph.queries.stored import execute

    graph = parse_rdf(BAD / "plain.rdf")
    with pytest.raises(UsageError, match="FROM"):
        execute("SELECT ?o FROM <http://data.invalid/g.ttl> WHERE { ?s ?p ?o }", graph)


def test_cli_query_with_service_is_refused_offline(offline: None,
                                                   tmp_path: Path) -> None:
    from rmpgraph.cli.query import sparql as command

    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { SERVICE <http://sparql.invalid/> "
                     "{ ?s ?p ?o } }\n")
    result = CliRunner().invoke(command, ["--file", str(query), str(BAD / "plain.rdf")])
    assert result.exit_code == 2
    assert "SERVICE" in result.output and "Traceback" not in result.output


# --- rmpgraph.netguard -------------------------------------------------------------

def test_netguard_blocks_and_restores() -> None:
    before = (socket.socket.connect, socket.getaddrinfo, socket.create_connection)
    with no_network() as tried:
        with pytest.raises(NetworkBlockedError, match="example.invalid"):
            socket.getaddrinfo("example.invalid", 80)
        with pytest.raises(NetworkBlockedError):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            with pytest.raises(NetworkBlockedError):
                sock.connect(("192.0.2.1", 80))
    assert tried == ["example.invalid", "('192.0.2.1', 80)", "('192.0.2.1', 80)"]
    assert (socket.socket.connect, socket.getaddrinfo,
            socket.create_connection) == before


def test_netguard_allows_unix_sockets(tmp_path: Path) -> None:
    address = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(address)
        server.listen(1)
        with no_network() as tried, socket.socket(socket.AF_UNIX) as client:
            client.connect(address)
    assert tried == []


def test_netguard_error_is_one_line_input_error() -> None:
    with no_network(), pytest.raises(NetworkBlockedError) as info:
        urllib.request.urlopen("http://example.invalid/", timeout=1)
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)
