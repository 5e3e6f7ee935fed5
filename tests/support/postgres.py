"""A throw-away PostgreSQL server for the tests (Debian's `postgresql` package).

The server gets its own data folder in a temporary directory, listens on a
free loopback port only, trusts local connections (nothing else can reach
it) and runs with fsync off, as tests need no durability. `initdb` refuses to
run as root, so under root the server runs as the `postgres` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests.support.ports import held_port

SERVER_USER = "postgres"
START_TIMEOUT_SECONDS = 60


class PostgresMissing(RuntimeError):
    """PostgreSQL's server programs are not installed."""


def find_bin_dir() -> Path:
    """The folder of `initdb` and `pg_ctl` (newest version first)."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresMissing(
        "PostgreSQL is not installed: run `apt-get install -y postgresql` "
        "(`make test-privacy` does this)."
    )


def _run_as(user: str | None, command: list[str], log: Path | None = None) -> None:
    result = subprocess.run(
        command,
        user=user,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_SECONDS,
        cwd="/",
    )
    if result.returncode != 0:
        details = result.stdout + result.stderr
        if log is not None and log.exists():
            details += log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{command[0]} failed:\n{details}")


class PostgresServer:
    """A server in its own data folder that a test can stop and start again."""

    def __init__(self, bin_dir: Path, folder: Path, port: int, user: str | None):
        """Describes a server whose cluster is already made (see `postgres_server`).

        Args:
            bin_dir: Folder of `pg_ctl`.
            folder: Temporary folder holding the data folder, socket and log.
            port: Loopback port it listens on.
            user: System user to run as (`postgres` under root), else None.

        """
        self._pg_ctl = str(bin_dir / "pg_ctl")
        self._data, self._log = folder / "data", folder / "server.log"
        self._options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._user = user
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def start(self) -> None:
        """Starts the server and waits until it accepts connections."""
        _run_as(
            self._user,
            [
                self._pg_ctl,
                "-D",
                str(self._data),
                "-o",
                self._options,
                "-l",
                str(self._log),
                "-w",
                "start",
            ],
            self._log,
        )

    def stop(self) -> None:
        """Stops the server at once, closing every connection to it."""
        _run_as(
            self._user,
            [self._pg_ctl, "-D", str(self._data), "-m", "fast", "-w", "stop"],
        )


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Makes and starts a server, yields it, then stops and deletes it."""
    bin_dir = find_bin_dir()
    user = SERVER_USER if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="bot-test-pg-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    _run_as(
        user,
        [
            str(bin_dir / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        ],
    )
    server = PostgresServer(bin_dir, folder, held_port(), user)
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except RuntimeError:
            pass  # already stopped by the test
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Starts a server, yields the URL of its `postgres` database, stops it."""
    with running_postgres() as server:
        yield server.url


def create_database(server_url: str, name: str) -> str:
    """Creates an empty database on the server and returns its URL."""
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
