"""Start-up checks and the supervisor configuration made from the settings."""

from __future__ import annotations

import socket
import time

from bot.ops.launcher import (
    child_environment,
    preflight_problems,
    ready_timing,
    supervisor_config,
)
from bot.settings import load_settings
from tests.support.ports import held_port


def test_taken_port_is_one_clear_sentence(tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        model = tmp_path / "bot.tar.gz"
        model.write_bytes(b"model")
        # The other servers get free ports, not the defaults: a running
        # `make run` (or anything else) on 5055 or 8080 must not matter here.
        settings = load_settings(
            {
                "RASA_PORT": str(port),
                "ACTION_PORT": str(held_port()),
                "WIDGET_PORT": str(held_port()),
                "RASA_MODEL": str(model),
            }
        )
        problems = preflight_problems(settings)
    assert problems == [
        f"Port {port} is already in use, and the Rasa server needs it: stop "
        "what is using it, or set RASA_PORT to a free port."
    ]


def test_missing_model_is_reported(tmp_path):
    settings = load_settings(
        {
            "RASA_MODEL": str(tmp_path / "none.tar.gz"),
            "RASA_PORT": "1",
            "ACTION_PORT": "2",
            "WIDGET_PORT": "3",
        }
    )
    assert any("No trained model" in p for p in preflight_problems(settings))


def test_supervisor_runs_every_process_with_restarts(tmp_path):
    config = supervisor_config(load_settings({"RUN_DIR": str(tmp_path)}))
    for program in ("actions", "rasa", "widget", "announce"):
        assert f"[program:{program}]" in config
    actions = config.split("[program:actions]")[1].split("[program:")[0]
    assert "autorestart=true" in actions
    assert "--port 5055" in actions


def test_the_ready_line_times_the_servers_and_make_run_as_a_whole():
    began = time.time() - 250
    settings = load_settings({"RUN_STARTED_AT": str(began)})
    line = ready_timing(settings, servers_started=time.monotonic() - 12)
    assert line.startswith("servers started in 12 s") or line.startswith(
        "servers started in 13 s"
    )
    assert line.endswith("4 min 10 s since `make run` began") or line.endswith(
        "4 min 11 s since `make run` began"
    )
    # Started without `make run` (supervisor restarts, scale-out): no total.
    alone = ready_timing(load_settings({}), servers_started=time.monotonic())
    assert alone == "servers started in 0 s"


def test_servers_run_tensorflow_on_one_thread_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("TF_INTRA_OP_PARALLELISM_THREADS", raising=False)
    monkeypatch.delenv("TF_INTER_OP_PARALLELISM_THREADS", raising=False)
    env = child_environment(load_settings({}))
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"
    assert env["TF_INTER_OP_PARALLELISM_THREADS"] == "1"

    monkeypatch.setenv("TF_INTRA_OP_PARALLELISM_THREADS", "2")
    assert (
        child_environment(load_settings({}))["TF_INTRA_OP_PARALLELISM_THREADS"] == "2"
    )
