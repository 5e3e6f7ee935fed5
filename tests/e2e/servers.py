"""Starts the real bot (action server + Rasa server under supervisor) for tests.

The bot is started exactly as `make run` starts it (`python -m bot.ops.cli
load-content`, then `serve`), on free ports, with its own SQLite database and
run folder, and stopped with the signal Ctrl-C sends.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.ops.launcher import url_answers
from tests.support.ports import held_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 240


@dataclass
class RunningBot:
    """A started bot: its addresses, environment and log."""

    rasa_url: str
    action_url: str
    env: dict[str, str]
    log_file: Path
    process: subprocess.Popen

    def send(
        self, message: object, sender: str = "e2e-user", timeout: float = 30
    ) -> list[dict]:
        """Posts a message to the REST channel and returns the bot's replies."""
        status, body = self.post(
            "/webhooks/rest/webhook", {"sender": sender, "message": message}, timeout
        )
        assert status == 200, (status, body)
        return json.loads(body)

    def post(
        self,
        path: str,
        payload: object,
        timeout: float = 30,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """Posts JSON (or raw bytes) to the Rasa server; returns status and body."""
        data = raw if raw is not None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(
            self.rasa_url + path,
            data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    @property
    def folder(self) -> Path:
        """The bot's folder: its database, run folder and log."""
        return self.log_file.parent

    def supervisorctl(self, *args: str) -> str:
        """Runs supervisorctl against this bot's supervisor."""
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "supervisorctl"),
                "--configuration",
                str(Path(self.env["RUN_DIR"]) / "supervisord.conf"),
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout + result.stderr

    def log(self) -> str:
        """Everything the bot's processes printed so far."""
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, seconds: float = 15) -> str:
        """Waits until `text` is in the log; returns the log or fails with its tail.

        The processes' output reaches the file through supervisor, so a line
        logged before a reply was sent can land in the file a moment after it.
        """
        deadline = time.monotonic() + seconds
        while True:
            log = self.log()
            if text in log:
                return log
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"{text!r} was not logged within {seconds:.0f} s:\n{log[-3000:]}"
                )
            time.sleep(0.2)


def wait_for_url(url: str, seconds: float) -> None:
    """Waits until `url` answers 200; raises AssertionError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if url_answers(url):
            return
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer in {seconds:.0f} seconds")


def wait_until_up(
    rasa_url: str, action_url: str, process: subprocess.Popen, log_file: Path
) -> None:
    """Waits until both servers answer; fails with the log if they do not."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The bot exited early:\n{log_file.read_text()[-5000:]}")
        if url_answers(rasa_url + "/") and url_answers(action_url + "/health"):
            return
        time.sleep(0.25)
    raise RuntimeError(
        f"The bot did not start in time:\n{log_file.read_text()[-5000:]}"
    )


def start_bot(
    workdir: Path,
    extra_env: dict[str, str] | None = None,
    base_env: Mapping[str, str] | None = None,
) -> RunningBot:
    """Loads the content and starts the bot; returns once both servers answer.

    Args:
        workdir: The bot's folder: database, run folder and log.
        extra_env: Settings on top of the base environment.
        base_env: The environment to start from; the test process's by default.

    Returns:
        The running bot; stop it with `stop_bot`.

    """
    rasa_port, action_port = held_port(), held_port()
    env = {
        **(os.environ if base_env is None else base_env),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WIDGET_PORT": str(held_port()),
        # A folder the bot makes itself, as it makes .data/.
        "DATABASE_URL": f"sqlite:///{workdir / 'data' / 'bot.sqlite3'}",
        "RUN_DIR": str(workdir / "run"),
        **(extra_env or {}),
    }
    # The bot turns Rasa's telemetry off itself (tests/e2e/test_security.py
    # checks); the Makefile's setting is not passed on.
    env.pop("RASA_TELEMETRY_ENABLED", None)
    python = sys.executable
    subprocess.run(
        [python, "-m", "bot.ops.cli", "load-content"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    log_file = workdir / "bot.log"
    with open(log_file, "wb") as log:
        process = subprocess.Popen(
            [python, "-m", "bot.ops.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    bot = RunningBot(
        f"http://127.0.0.1:{rasa_port}",
        f"http://127.0.0.1:{action_port}",
        env,
        log_file,
        process,
    )
    try:
        wait_until_up(bot.rasa_url, bot.action_url, process, log_file)
    except BaseException:
        stop_bot(bot)
        raise
    return bot


def stop_bot(bot: RunningBot) -> None:
    """Stops the bot with the signal Ctrl-C sends; waits until it is gone."""
    process = bot.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def running_bot(
    workdir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[RunningBot]:
    """Loads the content, starts the bot, yields it, and stops it."""
    bot = start_bot(workdir, extra_env)
    try:
        yield bot
    finally:
        stop_bot(bot)


class BotQueue:
    """Bots for tests that need one of their own, started ahead of them.

    The bots start one after the other in a background thread, as soon as
    the queue is made, so each start-up (most of a minute, mostly one CPU
    core) overlaps the tests that run before the one that takes it; one at a
    time, so they do not crowd the machine.
    """

    def __init__(self, bots: dict[str, tuple[Path, dict[str, str] | None]]) -> None:
        """Starts starting the bots, in the order given.

        Args:
            bots: For each key (a test's node id), the bot's folder and its
                settings (the arguments of `start_bot`).

        """
        self._futures: dict[str, Future[RunningBot]] = {key: Future() for key in bots}
        self._closing = threading.Event()
        # The environment as it is now: tests running meanwhile may change
        # os.environ for themselves (monkeypatch).
        base_env = dict(os.environ)
        self._thread = threading.Thread(
            target=self._start_all, args=(bots, base_env), name="start-bots"
        )
        self._thread.start()

    def _start_all(
        self,
        bots: dict[str, tuple[Path, dict[str, str] | None]],
        base_env: dict[str, str],
    ) -> None:
        for key, (workdir, extra_env) in bots.items():
            future = self._futures[key]
            if self._closing.is_set():
                future.cancel()
                continue
            try:
                future.set_result(start_bot(workdir, extra_env, base_env))
            except BaseException as error:  # raised in the test that takes it
                future.set_exception(error)

    def take(self, key: str) -> RunningBot:
        """The bot started for `key`, once it is up; raises what stopped it."""
        return self._futures.pop(key).result()

    def close(self) -> None:
        """Starts no more bots, and stops those no test took, in the background."""
        self._closing.set()
        self._thread.join()
        for future in self._futures.values():
            if not future.cancelled() and future.exception() is None:
                stop_in_background(future.result())
        self._futures.clear()


@contextmanager
def stopped_at_the_end(bot: RunningBot) -> Iterator[RunningBot]:
    """Yields the bot, and stops it when the block ends (see `stop_bot`)."""
    try:
        yield bot
    finally:
        stop_bot(bot)


_stopping: list[threading.Thread] = []


def stop_in_background(bot: RunningBot) -> None:
    """Starts stopping the bot and returns at once.

    Supervisor stops the servers one after the other, about ten seconds in
    all, nearly all of it waiting. A fixture whose tests are done with the
    bot need not wait for that: the next tests run meanwhile, and
    `wait_for_background_stops` (at the end of the run) waits for it.
    """
    thread = threading.Thread(target=stop_bot, args=(bot,), name="stop-bot")
    thread.start()
    _stopping.append(thread)


def wait_for_background_stops() -> None:
    """Waits until every bot handed to `stop_in_background` has stopped."""
    while _stopping:
        _stopping.pop().join()
