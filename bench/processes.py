"""Processes of `make bench`: waiting with deadlines, stopping, peak memory.

Every wait here has a deadline and raises `BenchError` with a sentence that
says what did not happen and where its log is, so a failing phase stops the
run with a clear message instead of hanging.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


class BenchError(RuntimeError):
    """A phase of the bench failed; the message says what and where to look."""


def url_answers(url: str) -> bool:
    """Whether a GET of `url` answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(
    condition: Callable[[], bool],
    seconds: float,
    what: str,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
) -> None:
    """Polls `condition` once a second until it holds.

    Args:
        condition: What to wait for.
        seconds: The deadline.
        what: What is awaited, for the error message ("the bare bot to start").
        process: A process whose exit ends the wait early with an error.
        log: The log to point to in the error message.

    Raises:
        BenchError: The deadline passed or the process exited first.

    """
    where = f"; see {log}" if log else ""
    deadline = time.monotonic() + seconds
    while not condition():
        if process is not None and process.poll() is not None:
            raise BenchError(
                f"Gave up waiting for {what}: the process exited with "
                f"{process.returncode}{where}"
            )
        if time.monotonic() > deadline:
            raise BenchError(f"Gave up waiting for {what} after {seconds:.0f} s{where}")
        time.sleep(1)


def run_logged(
    command: list[str],
    log: Path,
    seconds: float,
    what: str,
    env: dict[str, str] | None = None,
) -> int:
    """Runs `command` from the repository to its end, its output going to `log`.

    Args:
        command: The command line.
        log: The log file, started afresh.
        seconds: How long it may run.
        what: What it is, for the error message.
        env: Its environment; this process's by default.

    Returns:
        Its exit code.

    Raises:
        BenchError: It ran past `seconds`.

    """
    with open(log, "wb") as out:
        try:
            return subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=seconds,
                check=False,
            ).returncode
        except subprocess.TimeoutExpired as error:
            raise BenchError(f"{what} ran past {seconds:.0f} s; see {log}") from error


def stop_group(process: subprocess.Popen, seconds: float = 60) -> None:
    """Stops a process started with `start_new_session=True`, and its children.

    Ctrl-C (SIGINT) first, as a person would stop it, so supervisord and Sanic
    shut down cleanly; SIGKILL to the whole group if that takes too long.
    """
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=seconds)
    except ProcessLookupError:
        pass


def wait_idle(pid: int, seconds: float = 120, busy_percent: float = 10.0) -> None:
    """Waits until a server has answered the requests still queued.

    When Locust stops, the messages its clients sent last are still being
    answered; the next phase must not start on top of them. Idle means
    below `busy_percent` of one core over one second.

    Raises:
        BenchError: Still busy after `seconds`.

    """
    process = psutil.Process(pid)
    deadline = time.monotonic() + seconds
    # cpu_percent with an interval measures over that second (the poll).
    while process.cpu_percent(interval=1.0) >= busy_percent:
        if time.monotonic() > deadline:
            raise BenchError(f"Process {pid} was still busy after {seconds:.0f} s")


def process_name(process: psutil.Process) -> str:
    """A short name for one of the bots' processes."""
    command = " ".join(process.cmdline())
    if "bot.answers.action_server" in command:
        return "action server"
    if "rasa run" in command:
        return "rasa server"
    if "bot.ops.widget.server" in command:
        return "widget server"
    if "supervisord" in command:
        return "supervisord"
    return process.name()


def find_rasa_server(root_pid: int, seconds: float = 60) -> int:
    """The pid of the `rasa run` process among `root_pid` and its descendants.

    Raises:
        BenchError: No such process within `seconds`.

    """
    found: list[int] = []

    def look() -> bool:
        try:
            root = psutil.Process(root_pid)
            for process in [root, *root.children(recursive=True)]:
                if process_name(process) == "rasa server":
                    found.append(process.pid)
                    return True
        except psutil.Error:
            pass
        return False

    wait_until(look, seconds, f"a `rasa run` process under pid {root_pid}")
    return found[0]


class PeakMemory:
    """Samples the resident memory of a process tree once a second.

    Use as a context manager; `peaks` maps a short process name (see
    `process_name`) to its highest resident set size in bytes.
    """

    def __init__(self, root_pid: int) -> None:
        self._root = psutil.Process(root_pid)
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for process in [self._root, *self._root.children(recursive=True)]:
            name = process_name(process)
            rss = process.memory_info().rss
            self.peaks[name] = max(self.peaks.get(name, 0), rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._sample()
            except psutil.Error:
                pass  # a process ended between listing and reading it
            self._stop.wait(1)

    def peaks_mb(self) -> dict[str, int]:
        """The peaks so far, in MB (2**20 bytes), by process name."""
        return {name: round(rss / 2**20) for name, rss in sorted(self.peaks.items())}

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
