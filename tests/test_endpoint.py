"""Remote endpoints for real: a local `oxigraph serve`, and credential hygiene.

The server test pushes LEMTRADA with the Graph Store Protocol and runs every stored
query over the SPARQL 1.1 Protocol; the answers must equal the embedded store's on
the same data. It is skipped only when the `oxigraph` server binary is missing, and
fails instead when CI=true (CI must run it).
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rmpgraph.errors import UsageError
from rmpgraph.store.embedded import RmpStore, stored_query_texts
from rmpgraph.store.endpoint import (
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
    Endpoint,
    EndpointError,
    auth_headers,
    graph_store_url,
)

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"
SECRET = "s3cr3t-Zq9-token"


def _oxigraph() -> str | None:
    local = Path(sys.executable).with_name("oxigraph")
    return str(local) if local.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    binary = _oxigraph()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("oxigraph server binary not installed (pip install oxigraph)")
        pytest.skip("oxigraph server binary not installed (pip install oxigraph)")
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "server"),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr \
                else "oxigraph exited"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "oxigraph did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _rows(result: object) -> set[tuple[tuple[str, object], ...]]:
    assert isinstance(result, list)
    return {tuple(sorted(row.items())) for row in result}


@pytest.mark.server
def test_push_and_every_stored_query_matches_local(oxigraph_server: str,
                                                   tmp_path: Path) -> None:
    remote = Endpoint(oxigraph_server)
    assert remote.graph_store is None  # derived: /query -> /store
    with RmpStore(tmp_path / "store") as store:
        store.load([LEMTRADA])
        entries = store.list()
        for entry in entries:
            remote.put_graph(entry.graph, store.graph_quads(entry.graph))
        # every graph arrived complete
        for entry in entries:
            count = remote.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH "
                                 f"<{entry.graph}> {{ ?s ?p ?o }} }}")
            assert isinstance(count, list)
            assert int(count[0]["n"]) == entry.triples
        texts = stored_query_texts()
        assert len(texts) >= 10
        non_empty = 0
        for name, text in texts.items():
            local = _rows(store.query(text))
            assert _rows(remote.query(text)) == local, name
            non_empty += bool(local)
        assert non_empty >= len(texts) // 2
        assert remote.query("ASK { ?s ?p ?o }") is True


@pytest.mark.server
def test_push_into_default_graph(oxigraph_server: str, tmp_path: Path) -> None:
    """For servers without a union default graph (e.g. Fuseki --mem)."""
    remote = Endpoint(oxigraph_server)
    with RmpStore(tmp_path / "store") as store:
        store.load([LEMTRADA])
        rmp = next(e for e in store.list() if e.kind == "rmp")
        remote.put_graph(None, store.graph_quads(rmp.graph))
        rows = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(rows, list) and int(rows[0]["n"]) == rmp.triples


@pytest.mark.server
def test_http_error_is_one_line(oxigraph_server: str) -> None:
    remote = Endpoint(oxigraph_server.replace("/query", "/nowhere"),
                      graph_store=oxigraph_server.replace("/query", "/nowhere"))
    with pytest.raises(EndpointError) as info:
        remote.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert "HTTP 404" in str(info.value) and "\n" not in str(info.value)


class _EchoAuth(http.server.BaseHTTPRequestHandler):
    """A hostile server: answers 401 and echoes the Authorization header back."""

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        body = f"denied for {self.headers.get('Authorization')}".encode()
        self.send_response(401, "Unauthorized")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _EchoAuth)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ds/sparql"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("env", [
    {TOKEN_ENV: SECRET},
    {USER_ENV: "alice", PASSWORD_ENV: SECRET},
])
def test_errors_never_contain_the_secret(echo_server: str, env: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for k in (TOKEN_ENV, USER_ENV, PASSWORD_ENV):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    header = auth_headers()["Authorization"]
    encoded = header.split(" ", 1)[1]
    remote = Endpoint(echo_server)
    for call in (lambda: remote.query("ASK { ?s ?p ?o }"),
                 lambda: remote.put_graph("https://example.org/g", b"")):
        with pytest.raises(EndpointError) as info:
            call()
        message = str(info.value)
        assert "HTTP 401" in message and "denied for" in message
        assert SECRET not in message and encoded not in message
        assert SECRET not in repr(remote)
    # the server really received the credentials (the scrub is not vacuous)
    assert "Basic" in header or header == f"Bearer {SECRET}"


def test_credentials_in_url_are_refused() -> None:
    with pytest.raises(UsageError) as info:
        Endpoint(f"http://alice:{SECRET}@127.0.0.1:1/query")
    assert SECRET not in str(info.value)


def test_unreachable_endpoint_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, SECRET)
    remote = Endpoint(f"http://127.0.0.1:{_free_port()}/query", timeout=5)
    with pytest.raises(EndpointError) as info:
        remote.query("ASK { ?s ?p ?o }")
    assert SECRET not in str(info.value)


def test_graph_store_url_of_known_servers() -> None:
    assert graph_store_url("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    with pytest.raises(UsageError):
        graph_store_url("http://h/repositories/x")


@pytest.mark.server
def test_cli_push(oxigraph_server: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rmpgraph.cli import store as cli

    runner = CliRunner()
    where = ["--store", str(tmp_path / "store")]
    assert runner.invoke(cli.load, [str(LEMTRADA), "-q", *where]).exit_code == 0
    pushed = runner.invoke(cli.push, ["LEMTRADA", "--endpoint", oxigraph_server,
                                      *where])
    assert pushed.exit_code == 0, pushed.output
    assert "pushed 3 graphs" in pushed.stderr
    with RmpStore(tmp_path / "store") as store:
        text = stored_query_texts()["concerns"]
        assert _rows(Endpoint(oxigraph_server).query(text)) == _rows(store.query(text))


def test_query_run_and_validate_against_the_endpoint(oxigraph_server: str,
                                                     tmp_path: Path) -> None:
    """`query run` and `validate` take --endpoint as well as files (issue 6)."""
    import json
    import subprocess
    import sys

    from click.testing import CliRunner

    from rmpgraph.cli import store as cli

    runner = CliRunner()
    where = ["--store", str(tmp_path / "store")]
    assert runner.invoke(cli.load, [str(LEMTRADA), "-q", *where]).exit_code == 0
    pushed = runner.invoke(cli.push, ["--endpoint", oxigraph_server, *where])
    assert pushed.exit_code == 0

    def rows(*source: str) -> list[dict[str, object]]:
        proc = subprocess.run(
            [sys.executable, "-m", "rmpgraph", "query", "run", "overdue-milestones",
             "-p", "as_of=2026-11-25", "-f", "json", *source],
            capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)["results"]["bindings"]

    remote = rows("--endpoint", oxigraph_server)
    assert rows(str(LEMTRADA)) == remote
    assert {r["study_label"]["value"] for r in remote} == {
        "Drug Utilization Study", "Risk of mortality study"}
    proc = subprocess.run([sys.executable, "-m", "rmpgraph", "validate", "--endpoint",
                           oxigraph_server, "--severity", "violation"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.server
def test_comment_naming_an_update_is_still_a_query(oxigraph_server: str) -> None:
    """SPARQLWrapper guesses the form with a regular expression; the form comes from
    rdflib's parse, so this SELECT is not posted as an update."""
    remote = Endpoint(oxigraph_server)
    rows = remote.query("# DELETE nothing: this only reads\n"
                        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(rows, list) and int(rows[0]["n"]) == 0


def test_network_guard_stops_endpoint_requests() -> None:
    from rmpgraph.netguard import NetworkBlockedError, no_network

    remote = Endpoint("http://sparql.example.org/query", timeout=5)
    with no_network() as attempts, pytest.raises(NetworkBlockedError):
        remote.query("ASK { ?s ?p ?o }")
    assert attempts and "sparql.example.org" in attempts[0]
