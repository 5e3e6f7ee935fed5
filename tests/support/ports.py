"""Loopback TCP ports for the servers the tests start, held until the run ends.

Binding port 0, closing the socket and handing the number to a server leaves
a gap in which any other process (another test run, `make run`, an outgoing
connection) can take the port. A held port closes that gap: its socket stays
bound, with SO_REUSEADDR and without listening, for as long as this test
process runs. Linux then gives the port to no other `bind(0)` and no outgoing
connection, while a server told to use it can still bind and listen on it,
because every server the tests start sets SO_REUSEADDR too (Sanic, Python's
http.server, PostgreSQL, Redis, nginx). Held to the end, a port also stays
ours while a server on it restarts.
"""

from __future__ import annotations

import socket
import threading

LOOPBACK = "127.0.0.1"

_held: list[socket.socket] = []
_lock = threading.Lock()


def held_port(host: str = LOOPBACK) -> int:
    """A port no one listens on, reserved for this test process until it ends.

    Args:
        host: The address the server will listen on.

    Returns:
        The port number, to hand to the server that will listen on it.

    """
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind((host, 0))
    with _lock:
        _held.append(holder)
    return holder.getsockname()[1]


def held_ports(count: int, host: str = LOOPBACK) -> list[int]:
    """`count` different held ports (see `held_port`)."""
    return [held_port(host) for _ in range(count)]
