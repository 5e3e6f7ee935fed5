"""This bot, started for `make bench` as `make run` starts it.

The action server and the Rasa server run under supervisor
(`python -m bot.ops.cli serve`) with a SQLite database of their own in a
temporary folder, on ports held for this run (tests/support/ports.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.processes import (
    BenchError,
    find_rasa_server,
    run_logged,
    stop_group,
    url_answers,
    wait_until,
)
from tests.support.ports import held_port

ROOT = Path(__file__).resolve().parent.parent
# Loading the model takes a minute or two on a busy 2-core machine.
START_SECONDS = 300


@dataclass(frozen=True)
class RunningBot:
    """A bot being measured.

    Attributes:
        name: How the figures name it ("this bot", "bare Rasa").
        host: Where its Rasa server listens ("http://127.0.0.1:<port>").
        process: The process started, leader of its own process group.
        rasa_pid: The pid of its `rasa run` process.
        log: The log of everything the bot printed.

    """

    name: str
    host: str
    process: subprocess.Popen
    rasa_pid: int
    log: Path


def _load_content(bot_python: str, env: dict[str, str], log: Path) -> None:
    command = [bot_python, "-m", "bot.ops.cli", "load-content"]
    what = "Loading the vetted answers"
    # The bot's log starts here; the servers' output follows.
    if run_logged(command, log, 300, what, env=env) != 0:
        raise BenchError(f"{what} failed; see {log}")


@contextmanager
def this_bot(bot_python: str, log: Path) -> Iterator[RunningBot]:
    """Starts this bot, waits until it answers, and stops it afterwards.

    Args:
        bot_python: The Python of the bot's environment (.venv/bin/python).
        log: Where the bot's output goes.

    Yields:
        The running bot.

    """
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    rasa_port, action_port = held_port(), held_port()
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WIDGET_PORT": str(held_port()),
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.sqlite3'}",
        "RUN_DIR": str(workdir / "run"),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    _load_content(bot_python, env, log)
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [bot_python, "-m", "bot.ops.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    host = f"http://127.0.0.1:{rasa_port}"
    try:
        wait_until(
            lambda: (
                url_answers(host + "/")
                and url_answers(f"http://127.0.0.1:{action_port}/health")
            ),
            START_SECONDS,
            "this bot to start",
            process,
            log,
        )
        yield RunningBot("this bot", host, process, find_rasa_server(process.pid), log)
    finally:
        stop_group(process)
        shutil.rmtree(workdir, ignore_errors=True)
