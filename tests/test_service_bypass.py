"""The SERVICE refusal judges the text the engine runs (issue 18, case 1).

rdflib resolves `\\u` escapes before tokenising (SPARQL 1.1, 19.2); Oxigraph does
not. A query whose escape hides a SERVICE clause from rdflib's parser used to reach
Oxigraph intact and made it POST to the named endpoint. Each test points that
SERVICE at a local listener and asserts that nothing connects to it; the first test
shows the attack is real by letting plain pyoxigraph run the text.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from rmpgraph.errors import UsageError
from rmpgraph.queries.sparqltext import normalise_escapes, runnable_text
from tests.test_endpoint import oxigraph_server  # noqa: F401 (fixture)

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "fixtures" / "minimal.txt"


class Listener:
    """A TCP listener on loopback that records every connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lis = Listener()
    try:
        yield lis
    finally:
        lis.close()


def bypass(port: int) -> str:
    # the repro: to rdflib the escape closes nothing and SERVICE sits in a
    # string; to Oxigraph "A\u005C" is a string and SERVICE a clause
    return ('SELECT ?x WHERE { BIND("A\\u005C" AS ?x) SERVICE '
            f'<http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} # " AS ?x)\n}}')


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "rmpgraph", *args], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=timeout)


def test_the_attack_is_real_on_plain_oxigraph(listener: Listener) -> None:
    with pytest.raises(OSError):  # the listener hangs up: Oxigraph did connect
        list(ox.Store().query(bypass(listener.port)))
    assert listener.connections >= 1


def test_escapes_are_resolved_before_judging(listener: Listener) -> None:
    text = runnable_text(bypass(listener.port))
    # resolved, the escape is an escaped quote for every engine: SERVICE is text
    assert "\\u" not in text and 'BIND("A\\" AS ?x)' in text
    assert text == normalise_escapes(bypass(listener.port))
    rows = list(ox.Store().query(text))
    assert len(rows) == 1 and listener.connections == 0
    assert runnable_text('SELECT ("\\u0041" AS ?a) {}') == 'SELECT ("A" AS ?a) {}'


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
    'SELECT * { ?s ?p "\\u005Cu0022" }',  # an escape spelling another escape
])
def test_service_in_any_spelling_is_refused(text: str) -> None:
    with pytest.raises(UsageError):
        runnable_text(text)


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { ?service ?p "SERVICE <http://x/>" } # SERVICE',
    "PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?o }",
])
def test_the_word_outside_code_is_not_a_clause(text: str) -> None:
    assert runnable_text(text) == text


def test_store_never_calls_out(listener: Listener, tmp_path: Path) -> None:
    store = tmp_path / "st"
    loaded = _cli("load", "--store", str(store), str(MINIMAL))
    assert loaded.returncode == 0, loaded.stderr
    for text in (bypass(listener.port),
                 bypass(listener.port).replace("\\u005C", "")):
        run = _cli("sparql", "--store", str(store), text)
        assert run.returncode in (0, 2), run.stderr
        assert "Traceback" not in run.stderr
    assert run.returncode == 2 and "SERVICE" in run.stderr  # the plain clause
    assert listener.connections == 0


@pytest.mark.server
def test_endpoint_never_forwards(listener: Listener,
                                 oxigraph_server: str) -> None:  # noqa: F811
    for text in (bypass(listener.port),
                 bypass(listener.port).replace("\\u005C", "")):
        run = _cli("sparql", "--endpoint", oxigraph_server, text)
        assert run.returncode in (0, 2), run.stderr
        assert "Traceback" not in run.stderr
    assert run.returncode == 2 and "SERVICE" in run.stderr
    assert listener.connections == 0
