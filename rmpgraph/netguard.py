"""No network at run time, enforced rather than promised.

rmpgraph must never fetch anything (JSON-LD contexts, XML entities, SPARQL SERVICE or
FROM graphs, owl:imports). The input layers avoid it by construction; `no_network()`
is the belt to those braces: while it is active every attempt to resolve a host name
or open an Internet socket raises `NetworkBlockedError`, a one-line input error
naming the destination, instead of silently leaking a request. Unix-domain sockets
stay allowed (they are local IPC, e.g. multiprocessing).

Tests use the same guard with `record=` to prove that nothing even tried to connect.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rmpgraph.errors import RmpGraphError

__all__ = ["NetworkBlockedError", "no_network"]

_INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkBlockedError(RmpGraphError):
    """Something tried to use the network while rmpgraph forbids it."""


@contextmanager
def no_network(record: list[str] | None = None) -> Iterator[list[str]]:
    """Block DNS and Internet connections inside the `with` block.

    Args:
        record: list to append each attempted destination to (a new one if None).

    Yields:
        The list of attempted destinations, so callers can assert it stayed empty.
    """
    attempts: list[str] = [] if record is None else record

    def refuse(destination: Any) -> NetworkBlockedError:
        where = destination if isinstance(destination, str) else repr(destination)
        attempts.append(where)
        return NetworkBlockedError(f"network access to {where} refused: rmpgraph works "
                              "offline (remote contexts, entities, SERVICE and "
                              "imports are never fetched)")

    originals = {
        (socket.socket, "connect"): socket.socket.connect,
        (socket.socket, "connect_ex"): socket.socket.connect_ex,
        (socket, "getaddrinfo"): socket.getaddrinfo,
        (socket, "gethostbyname"): socket.gethostbyname,
        (socket, "gethostbyname_ex"): socket.gethostbyname_ex,
        (socket, "create_connection"): socket.create_connection,
    }

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in _INTERNET:
            raise refuse(address)
        originals[(socket.socket, "connect")](self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in _INTERNET:
            raise refuse(address)
        return originals[(socket.socket, "connect_ex")](self, address)

    def by_name(host: Any, *args: Any, **kwargs: Any) -> Any:
        raise refuse(host)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        raise refuse(address)

    replacements = {
        (socket.socket, "connect"): connect,
        (socket.socket, "connect_ex"): connect_ex,
        (socket, "getaddrinfo"): by_name,
        (socket, "gethostbyname"): by_name,
        (socket, "gethostbyname_ex"): by_name,
        (socket, "create_connection"): create_connection,
    }
    for (owner, name), replacement in replacements.items():
        setattr(owner, name, replacement)
    try:
        yield attempts
    finally:
        for (owner, name), original in originals.items():
            setattr(owner, name, original)
