"""Redis and nginx from Debian's packages, started on loopback for a test.

Each runs in the foreground as a child process with its files in a
temporary folder, listens on 127.0.0.1 only, and is stopped when the test
ends. Nothing is installed or configured system-wide.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.ports import held_port

START_TIMEOUT_SECONDS = 30
NGINX = "/usr/sbin/nginx"


class ServiceMissing(RuntimeError):
    """A server program is not installed."""


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Exited early:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Port {port} did not open:\n{log.read_text(errors='replace')}")


@contextmanager
def _foreground(command: list[str], port: int, log: Path) -> Iterator[None]:
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_redis(folder: Path) -> Iterator[str]:
    """Starts a Redis server with no persistence; yields its URL."""
    server = shutil.which("redis-server")
    if server is None:
        raise ServiceMissing("Redis is not installed: run `make scale-deps`.")
    port = held_port()
    command = [
        server,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(folder),
    ]
    with _foreground(command, port, folder / "redis.log"):
        yield f"redis://127.0.0.1:{port}/1"


def nginx_config(folder: Path, listen_port: int, upstream_ports: list[int]) -> str:
    """An nginx configuration balancing round-robin over the given ports."""
    servers = "\n".join(f"    server 127.0.0.1:{port};" for port in upstream_ports)
    return f"""daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {folder}/client_body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  upstream rasa {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{listen_port};
    client_max_body_size 1m;
    location / {{
      proxy_pass http://rasa;
      proxy_read_timeout 60s;
      # Which Rasa server answered, so the test can see the balancing.
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


@contextmanager
def running_nginx(folder: Path, upstream_ports: list[int]) -> Iterator[str]:
    """Starts nginx in front of the given loopback ports; yields its URL."""
    if not Path(NGINX).is_file():
        raise ServiceMissing("nginx is not installed: run `make scale-deps`.")
    folder.mkdir(parents=True, exist_ok=True)
    port = held_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, port, upstream_ports), encoding="utf-8")
    command = [NGINX, "-p", str(folder), "-c", str(config)]
    with _foreground(command, port, folder / "nginx.log"):
        yield f"http://127.0.0.1:{port}"
