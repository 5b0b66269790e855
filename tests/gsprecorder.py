"""A local HTTP listener that records every Graph Store Protocol write it gets, so
tests observe on the wire what `push` sent (or that it sent nothing)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Accepts Graph Store Protocol writes and remembers each (method, path)."""

    seen: list[tuple[str, str]] = []

    def do_PUT(self) -> None:  # noqa: N802 (http.server naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append((self.command, self.path))
        self.send_response(204)
        self.end_headers()

    do_POST = do_PUT  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def recording() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(query URL of a listener on a free local port, the requests it got)."""
    seen: list[tuple[str, str]] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query", seen
    finally:
        server.shutdown()
        server.server_close()
