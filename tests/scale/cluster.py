"""A scaled-out bot on loopback: two Rasa servers behind nginx.

The same parts as a multi-machine deployment (docs/scale-out.md): one action
server, two Rasa servers sharing a PostgreSQL tracker store and a Redis lock
store, and nginx balancing round-robin between the Rasa servers. Each server
is started with the commands a deployment uses, `python -m bot.ops.cli
serve-actions` and `serve-rasa`.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import weakref
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.servers import ROOT, wait_for_url
from tests.support.ports import held_port, held_ports
from tests.support.postgres import create_database, running_postgres
from tests.support.services import running_nginx, running_redis

START_TIMEOUT_SECONDS = 300


@dataclass
class Cluster:
    """Addresses of the running parts."""

    rasa_urls: list[str]
    balancer_url: str
    database_url: str
    redis_url: str
    logs: list[Path] = field(default_factory=list)

    def post(self, base_url: str, sender: str, message: str) -> tuple[list, dict]:
        """Sends a message to one address; returns the replies and headers."""
        request = urllib.request.Request(
            base_url + "/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            return json.loads(response.read()), dict(response.headers)

    def log_text(self) -> str:
        """What every bot process printed."""
        return "\n".join(log.read_text(errors="replace") for log in self.logs)


@contextmanager
def _bot_process(
    command: str, env: dict[str, str], log: Path, started: list[subprocess.Popen]
) -> Iterator[None]:
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.ops.cli", command],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started.append(process)
    try:
        yield
    finally:
        _terminate([process])
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


_terminated: weakref.WeakSet[subprocess.Popen] = weakref.WeakSet()


def _terminate(processes: list[subprocess.Popen]) -> None:
    """Sends SIGTERM to each process still running that was not sent one yet."""
    for process in processes:
        if process.poll() is None and process not in _terminated:
            os.killpg(process.pid, signal.SIGTERM)
            _terminated.add(process)


def _wait_up(url: str, logs: list[Path]) -> None:
    try:
        wait_for_url(url, START_TIMEOUT_SECONDS)
    except AssertionError as error:
        tails = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs)
        raise RuntimeError(f"{error}\n{tails}") from None


@contextmanager
def running_cluster(workdir: Path) -> Iterator[Cluster]:
    """Starts PostgreSQL, Redis, the bot's servers and nginx; stops them all."""
    with ExitStack() as stack:
        postgres = stack.enter_context(running_postgres())
        database_url = create_database(postgres.url, "bot")
        redis_url = stack.enter_context(running_redis(workdir))
        action_port = held_port()
        common = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "ACTION_PORT": str(action_port),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            # Servers started one by one share the action server's token.
            "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
        }
        subprocess.run(
            [sys.executable, "-m", "bot.ops.cli", "load-content"],
            cwd=ROOT,
            env=common,
            check=True,
            capture_output=True,
            timeout=120,
        )
        logs = [workdir / "actions.log"]
        servers: list[subprocess.Popen] = []
        stack.enter_context(_bot_process("serve-actions", common, logs[0], servers))
        rasa_ports = held_ports(2)
        for number, port in enumerate(rasa_ports, start=1):
            env = {
                **common,
                "RASA_PORT": str(port),
                "RUN_DIR": str(workdir / f"r{number}"),
            }
            logs.append(workdir / f"rasa{number}.log")
            stack.enter_context(_bot_process("serve-rasa", env, logs[-1], servers))
        # When the cluster stops, the three servers stop at once, not one
        # after the other (each takes seconds).
        stack.callback(_terminate, servers)
        _wait_up(f"http://127.0.0.1:{action_port}/health", logs)
        rasa_urls = [f"http://127.0.0.1:{port}" for port in rasa_ports]
        for url in rasa_urls:
            _wait_up(url + "/", logs)
        balancer_url = stack.enter_context(running_nginx(workdir / "nginx", rasa_ports))
        yield Cluster(rasa_urls, balancer_url, database_url, redis_url, logs)
