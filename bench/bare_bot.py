"""The bare `rasa init` bot that `make bench` compares this bot against.

Built once with the project's own `.venv` (the same Rasa), under
`results/bare-rasa/`: `rasa init --no-prompt` writes Rasa's starter project
(the mood bot, Rasa's default pipeline and policies) and trains it. A marker
file records the Rasa version it was built with; a later run builds it again
only when that version changed or the model is missing.

It is served as Rasa serves any bot: `rasa run` with the REST channel that
its credentials.yml enables, Rasa's default in-memory tracker store, and no
action server (the starter project has no custom actions).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.bots import START_SECONDS, RunningBot
from bench.processes import (
    BenchError,
    run_logged,
    stop_group,
    url_answers,
    wait_until,
)
from tests.support.ports import held_port

ROOT = Path(__file__).resolve().parent.parent
BARE_DIR = ROOT / "results" / "bare-rasa"
MARKER = BARE_DIR / "built-with-rasa-version.txt"
# Training Rasa's default pipeline (DIET, TED, 100 epochs each) on 2 busy cores.
BUILD_SECONDS = 1800


def _env() -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}


def _rasa(bot_python: str) -> str:
    # The venv's `rasa` script, next to its python (not the resolved symlink).
    return str(Path(bot_python).absolute().parent / "rasa")


def rasa_version(bot_python: str) -> str:
    """The version of Rasa installed in the bot's environment."""
    return subprocess.run(
        [bot_python, "-c", "import rasa; print(rasa.__version__)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout.strip()


def _model() -> Path | None:
    models = sorted((BARE_DIR / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def build_bare_bot(bot_python: str, log: Path) -> Path:
    """Builds the bare bot unless the one there was built by the same Rasa.

    Args:
        bot_python: The Python of the project's environment (.venv/bin/python).
        log: Where `rasa init`'s output goes.

    Returns:
        The trained model of the bare bot.

    Raises:
        BenchError: `rasa init` failed or left no model.

    """
    version = rasa_version(bot_python)
    model = _model()
    if model and MARKER.is_file() and MARKER.read_text().strip() == version:
        print(f"bare bot: reusing {model.relative_to(ROOT)} (Rasa {version})")
        return model
    print(f"bare bot: building it with `rasa init` (Rasa {version}), once...")
    shutil.rmtree(BARE_DIR, ignore_errors=True)
    BARE_DIR.mkdir(parents=True)
    returncode = run_logged(
        [_rasa(bot_python), "init", "--no-prompt", "--init-dir", str(BARE_DIR)],
        log,
        BUILD_SECONDS,
        "`rasa init`",
        env=_env(),
    )
    model = _model()
    if returncode != 0 or model is None:
        raise BenchError(f"`rasa init` failed (exit {returncode}); see {log}")
    MARKER.write_text(version + "\n", encoding="utf-8")
    return model


@contextmanager
def bare_bot(bot_python: str, model: Path, log: Path) -> Iterator[RunningBot]:
    """Serves the bare bot with `rasa run`; stops it afterwards.

    Args:
        bot_python: The Python of the project's environment.
        model: The bare bot's trained model.
        log: Where the server's output goes.

    Yields:
        The running bot; its process is the `rasa run` process itself.

    """
    port = held_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                _rasa(bot_python),
                "run",
                "--model",
                str(model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--credentials",
                str(BARE_DIR / "credentials.yml"),
                "--endpoints",
                str(BARE_DIR / "endpoints.yml"),
            ],
            cwd=BARE_DIR,
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    host = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: url_answers(host + "/"),
            START_SECONDS,
            "the bare bot to start",
            process,
            log,
        )
        yield RunningBot("bare Rasa", host, process, process.pid, log)
    finally:
        stop_group(process)
